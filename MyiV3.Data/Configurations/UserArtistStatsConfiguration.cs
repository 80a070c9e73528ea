using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserArtistStatsConfiguration : IEntityTypeConfiguration<UserArtistStats>
{
    public void Configure(EntityTypeBuilder<UserArtistStats> b)
    {
        b.ToTable("user_artist_stats", t => t.AddCounterChecks("user_artist_stats", withPlayedRange: true));
        b.HasKey(x => new { x.UserId, x.ArtistId });
        b.HasIndex(x => new { x.UserId, x.PlayCount }).IsDescending(false, true);
        b.HasIndex(x => x.ArtistId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Artist).WithMany().HasForeignKey(x => x.ArtistId).OnDelete(DeleteBehavior.Restrict);
    }
}
