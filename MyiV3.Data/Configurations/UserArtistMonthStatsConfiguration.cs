using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserArtistMonthStatsConfiguration : IEntityTypeConfiguration<UserArtistMonthStats>
{
    public void Configure(EntityTypeBuilder<UserArtistMonthStats> b)
    {
        b.ToTable("user_artist_month_stats", t =>
        {
            t.AddCounterChecks("user_artist_month_stats", withPlayedRange: false);
            t.HasCheckConstraint("ck_user_artist_month_stats_month_aligned", "extract(day FROM month) = 1");
        });
        b.HasKey(x => new { x.UserId, x.Month, x.ArtistId });
        b.HasIndex(x => x.ArtistId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne<Artist>().WithMany().HasForeignKey(x => x.ArtistId).OnDelete(DeleteBehavior.Restrict);
    }
}
