using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserHourStatsConfiguration : IEntityTypeConfiguration<UserHourStats>
{
    public void Configure(EntityTypeBuilder<UserHourStats> b)
    {
        b.ToTable("user_hour_stats", t =>
        {
            t.AddCounterChecks("user_hour_stats", withPlayedRange: false);
            t.HasCheckConstraint("ck_user_hour_stats_hour_range", "hour BETWEEN 0 AND 23");
        });
        b.HasKey(x => new { x.UserId, x.Hour });
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
