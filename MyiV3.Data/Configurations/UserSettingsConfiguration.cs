using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class UserSettingsConfiguration : IEntityTypeConfiguration<UserSettings>
{
    public void Configure(EntityTypeBuilder<UserSettings> b)
    {
        b.ToTable("user_settings", t =>
        {
            t.HasCheckConstraint("ck_user_settings_theme", "theme IN ('system', 'light', 'dark')");
        });
        b.HasKey(x => x.UserId);
        b.Property(x => x.TimeZone).HasMaxLength(64).HasDefaultValue("UTC");
        b.Property(x => x.Theme).HasMaxLength(16).HasDefaultValue("system");
        b.Property(x => x.IsProfilePublic).HasDefaultValue(false);
        b.Property(x => x.ExcludeIncognitoPlays).HasDefaultValue(false);
        b.Property(x => x.UpdatedAt).HasDefaultValueSql("now()");
    }
}
