using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserTimeBucketStatsConfiguration : IEntityTypeConfiguration<UserTimeBucketStats>
{
    public void Configure(EntityTypeBuilder<UserTimeBucketStats> b)
    {
        b.ToTable("user_time_bucket_stats", t =>
        {
            t.AddCounterChecks("user_time_bucket_stats", withPlayedRange: false);
            // A week bucket starts on a Monday, a month bucket on the 1st.
            t.HasCheckConstraint("ck_user_time_bucket_stats_aligned",
                "bucket_type = 'DAY' OR (bucket_type = 'WEEK' AND extract(isodow FROM bucket_date) = 1) OR (bucket_type = 'MONTH' AND extract(day FROM bucket_date) = 1)");
        });
        b.HasKey(x => new { x.UserId, x.BucketType, x.BucketDate });
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
