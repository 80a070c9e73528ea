using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class SpotifyAuthConfiguration : IEntityTypeConfiguration<SpotifyAuth>
{
    public void Configure(EntityTypeBuilder<SpotifyAuth> b)
    {
        b.ToTable("spotify_auth", t =>
        {
            t.HasCheckConstraint("ck_spotify_auth_failures_nonnegative", "consecutive_failures >= 0");
            // nonce (12) + tag (16) + at least one byte of ciphertext
            t.HasCheckConstraint("ck_spotify_auth_token_shape", "octet_length(encrypted_refresh_token) > 28");
            t.HasCheckConstraint("ck_spotify_auth_key_version_positive", "key_version > 0");
        });
        b.HasKey(x => x.UserId);
        b.Property(x => x.Scopes).HasMaxLength(1024);
        b.Property(x => x.ConsecutiveFailures).HasDefaultValue(0);
        b.Property(x => x.KeyVersion).HasDefaultValue(1);
        b.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        b.Property(x => x.UpdatedAt).HasDefaultValueSql("now()");
    }
}
