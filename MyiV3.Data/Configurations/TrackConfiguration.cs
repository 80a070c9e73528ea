using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class TrackConfiguration : IEntityTypeConfiguration<Track>
{
    public void Configure(EntityTypeBuilder<Track> b)
    {
        b.ToTable("tracks", t =>
        {
            t.HasCheckConstraint("ck_tracks_duration_nonnegative", "duration_ms IS NULL OR duration_ms >= 0");
            t.HasCheckConstraint("ck_tracks_popularity_range", "popularity IS NULL OR popularity BETWEEN 0 AND 100");
        });
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.SpotifyId).HasMaxLength(128);
        b.Property(x => x.Name).HasMaxLength(1024);
        b.Property(x => x.IsProvisional).HasDefaultValue(false);
        b.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        b.Property(x => x.UpdatedAt).HasDefaultValueSql("now()");
        b.HasIndex(x => x.SpotifyId).IsUnique();
        b.HasIndex(x => x.AlbumId);
        b.Property(x => x.NameKey).HasMaxLength(128);
        b.HasIndex(x => x.NameKey);
        b.HasOne(x => x.Album).WithMany().HasForeignKey(x => x.AlbumId).OnDelete(DeleteBehavior.SetNull);
    }
}
