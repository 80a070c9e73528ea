using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserMonthArtistsConfiguration : IEntityTypeConfiguration<UserMonthArtists>
{
    public void Configure(EntityTypeBuilder<UserMonthArtists> b)
    {
        b.ToTable("user_month_artists", t => t.AddMonthArrayChecks("user_month_artists", "artist_ids"));
        b.HasKey(x => new { x.UserId, x.Month });
        // Artist ids inside an array cannot carry a foreign key: derived data that verify recomputes;
        // a relink moves its entries with the artist statistics.
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
