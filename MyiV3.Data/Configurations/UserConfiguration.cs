using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<User>
{
    public void Configure(EntityTypeBuilder<User> b)
    {
        b.ToTable("users", t =>
        {
            t.HasCheckConstraint("ck_users_totals_nonnegative", "total_play_count >= 0 AND total_listening_ms >= 0");
        });
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.SpotifyId).HasMaxLength(128);
        b.Property(x => x.DisplayName).HasMaxLength(256);
        b.Property(x => x.Email).HasMaxLength(320);
        b.Property(x => x.Country).HasMaxLength(2);
        b.Property(x => x.AvatarUrl).HasMaxLength(2048);
        b.Property(x => x.IsDemo).HasDefaultValue(false);
        b.Property(x => x.TotalPlayCount).HasDefaultValue(0L);
        b.Property(x => x.TotalListeningMs).HasDefaultValue(0L);
        b.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        b.Property(x => x.UpdatedAt).HasDefaultValueSql("now()");
        b.HasIndex(x => x.SpotifyId).IsUnique();
        b.HasOne(x => x.SpotifyAuth).WithOne(x => x.User).HasForeignKey<SpotifyAuth>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        b.HasOne(x => x.Settings).WithOne(x => x.User).HasForeignKey<UserSettings>(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
