using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class TrackAliasConfiguration : IEntityTypeConfiguration<TrackAlias>
{
    public void Configure(EntityTypeBuilder<TrackAlias> b)
    {
        b.ToTable("track_aliases");
        b.HasKey(x => x.SpotifyId);
        b.Property(x => x.SpotifyId).HasMaxLength(128);
        b.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        b.HasIndex(x => x.TrackId);
        b.HasOne(x => x.Track).WithMany().HasForeignKey(x => x.TrackId).OnDelete(DeleteBehavior.Cascade);
    }
}
