using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class TrackArtistConfiguration : IEntityTypeConfiguration<TrackArtist>
{
    public void Configure(EntityTypeBuilder<TrackArtist> b)
    {
        b.ToTable("track_artists", t =>
        {
            t.HasCheckConstraint("ck_track_artists_position_nonnegative", "position >= 0");
        });
        b.HasKey(x => new { x.TrackId, x.ArtistId });
        b.HasIndex(x => x.ArtistId);
        b.HasOne(x => x.Track).WithMany(x => x.Artists).HasForeignKey(x => x.TrackId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Artist).WithMany().HasForeignKey(x => x.ArtistId).OnDelete(DeleteBehavior.Cascade);
    }
}
