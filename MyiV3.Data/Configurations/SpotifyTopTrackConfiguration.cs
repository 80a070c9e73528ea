using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class SpotifyTopTrackConfiguration : IEntityTypeConfiguration<SpotifyTopTrack>
{
    public void Configure(EntityTypeBuilder<SpotifyTopTrack> b)
    {
        b.ToTable("spotify_top_tracks", t => t.HasCheckConstraint("ck_spotify_top_tracks_rank_range", "rank BETWEEN 1 AND 50"));
        b.HasKey(x => new { x.UserId, x.Term, x.Rank });
        b.HasIndex(x => new { x.UserId, x.Term, x.TrackId }).IsUnique();
        b.HasIndex(x => x.TrackId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Track).WithMany().HasForeignKey(x => x.TrackId).OnDelete(DeleteBehavior.Cascade);
    }
}
