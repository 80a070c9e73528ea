using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class ArtistConfiguration : IEntityTypeConfiguration<Artist>
{
    public void Configure(EntityTypeBuilder<Artist> b)
    {
        b.ToTable("artists", t =>
        {
            t.HasCheckConstraint("ck_artists_popularity_range", "popularity IS NULL OR popularity BETWEEN 0 AND 100");
        });
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.SpotifyId).HasMaxLength(128);
        b.Property(x => x.Name).HasMaxLength(1024);
        b.Property(x => x.IsProvisional).HasDefaultValue(false);
        b.Property(x => x.Genres).HasDefaultValueSql("'{}'::text[]");
        b.Property(x => x.ImageUrl).HasMaxLength(2048);
        b.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        b.Property(x => x.UpdatedAt).HasDefaultValueSql("now()");
        b.HasIndex(x => x.SpotifyId).IsUnique();
        b.HasIndex(x => x.Genres).HasMethod("gin");
    }
}
