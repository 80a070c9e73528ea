using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserMonthTracksConfiguration : IEntityTypeConfiguration<UserMonthTracks>
{
    public void Configure(EntityTypeBuilder<UserMonthTracks> b)
    {
        b.ToTable("user_month_tracks", t => t.AddMonthArrayChecks("user_month_tracks", "track_ids"));
        b.HasKey(x => new { x.UserId, x.Month });
        // Track ids inside an array cannot carry a foreign key: this is derived data that verify
        // recomputes, and the provisional merge rebuilds the users whose tracks it merges.
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
