using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

/// <summary>
/// The model of the partitioned event log. The migration creates the table itself with raw SQL
/// (EF cannot say PARTITION BY); this configuration must describe the same columns and keys so
/// the model and the snapshot agree.
/// </summary>
internal sealed class ListeningEventConfiguration : IEntityTypeConfiguration<ListeningEvent>
{
    public void Configure(EntityTypeBuilder<ListeningEvent> b)
    {
        b.ToTable("listening_events", t =>
        {
            t.HasCheckConstraint("ck_listening_events_ms_played_nonnegative", "ms_played >= 0");
            t.HasCheckConstraint("ck_listening_events_played_at_not_future", "played_at <= now() + interval '1 day'");
            t.HasCheckConstraint("ck_listening_events_played_at_after_2006", "played_at >= '2006-01-01 00:00:00+00'");
        });
        b.HasKey(x => new { x.Id, x.PlayedAt });
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.ReasonStart).HasMaxLength(64);
        b.Property(x => x.ReasonEnd).HasMaxLength(64);
        b.Property(x => x.Platform).HasMaxLength(256);
        b.Property(x => x.ConnCountry).HasMaxLength(2);
        b.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        b.HasIndex(x => new { x.UserId, x.TrackId, x.PlayedAt }).IsUnique();
        b.HasIndex(x => new { x.UserId, x.PlayedAt }).IsDescending(false, true);
        b.HasIndex(x => new { x.UserId, x.CreatedAt }).IsDescending(false, true);
        b.HasIndex(x => x.TrackId);
        b.HasOne(x => x.User).WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Track).WithMany().HasForeignKey(x => x.TrackId).OnDelete(DeleteBehavior.Restrict);
    }
}
