using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserTrackMonthStatsConfiguration : IEntityTypeConfiguration<UserTrackMonthStats>
{
    public void Configure(EntityTypeBuilder<UserTrackMonthStats> b)
    {
        b.ToTable("user_track_month_stats", t =>
        {
            t.AddCounterChecks("user_track_month_stats", withPlayedRange: false);
            t.HasCheckConstraint("ck_user_track_month_stats_month_aligned", "extract(day FROM month) = 1");
        });
        b.HasKey(x => new { x.UserId, x.Month, x.TrackId });
        b.HasIndex(x => x.TrackId);
        // No foreign keys: half the cost of writing this table (a row per track or artist per month,
        // about as many rows as plays) was checking them. It is derived data that verify recomputes;
        // AccountEraser and the provisional merge delete its rows explicitly.
    }
}
