using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserWeekdayHourStatsConfiguration : IEntityTypeConfiguration<UserWeekdayHourStats>
{
    public void Configure(EntityTypeBuilder<UserWeekdayHourStats> b)
    {
        b.ToTable("user_weekday_hour_stats", t =>
        {
            t.HasCheckConstraint("ck_user_weekday_hour_stats_counters_nonnegative", "play_count >= 0 AND total_ms >= 0");
            t.HasCheckConstraint("ck_user_weekday_hour_stats_hour_range", "hour BETWEEN 0 AND 23");
            t.HasCheckConstraint("ck_user_weekday_hour_stats_weekday_range", "weekday BETWEEN 1 AND 7");
        });
        b.HasKey(x => new { x.UserId, x.Weekday, x.Hour });
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
