using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class SpotifyTopArtistConfiguration : IEntityTypeConfiguration<SpotifyTopArtist>
{
    public void Configure(EntityTypeBuilder<SpotifyTopArtist> b)
    {
        b.ToTable("spotify_top_artists", t => t.HasCheckConstraint("ck_spotify_top_artists_rank_range", "rank BETWEEN 1 AND 50"));
        b.HasKey(x => new { x.UserId, x.Term, x.Rank });
        b.HasIndex(x => new { x.UserId, x.Term, x.ArtistId }).IsUnique();
        b.HasIndex(x => x.ArtistId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Artist).WithMany().HasForeignKey(x => x.ArtistId).OnDelete(DeleteBehavior.Cascade);
    }
}
