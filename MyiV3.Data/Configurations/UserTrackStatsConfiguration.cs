using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserTrackStatsConfiguration : IEntityTypeConfiguration<UserTrackStats>
{
    public void Configure(EntityTypeBuilder<UserTrackStats> b)
    {
        b.ToTable("user_track_stats", t => t.AddCounterChecks("user_track_stats", withPlayedRange: true));
        b.HasKey(x => new { x.UserId, x.TrackId });
        b.HasIndex(x => new { x.UserId, x.PlayCount }).IsDescending(false, true);
        b.HasIndex(x => x.TrackId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Track).WithMany().HasForeignKey(x => x.TrackId).OnDelete(DeleteBehavior.Restrict);
    }
}
