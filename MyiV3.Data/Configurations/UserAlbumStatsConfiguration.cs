using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserAlbumStatsConfiguration : IEntityTypeConfiguration<UserAlbumStats>
{
    public void Configure(EntityTypeBuilder<UserAlbumStats> b)
    {
        b.ToTable("user_album_stats", t => t.AddCounterChecks("user_album_stats", withPlayedRange: true));
        b.HasKey(x => new { x.UserId, x.AlbumId });
        b.HasIndex(x => new { x.UserId, x.PlayCount }).IsDescending(false, true);
        b.HasIndex(x => x.AlbumId);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Album).WithMany().HasForeignKey(x => x.AlbumId).OnDelete(DeleteBehavior.Restrict);
    }
}
