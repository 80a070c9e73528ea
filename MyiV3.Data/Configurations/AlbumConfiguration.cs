using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class AlbumConfiguration : IEntityTypeConfiguration<Album>
{
    public void Configure(EntityTypeBuilder<Album> b)
    {
        b.ToTable("albums", t =>
        {
            t.HasCheckConstraint("ck_albums_total_tracks_nonnegative", "total_tracks IS NULL OR total_tracks >= 0");
        });
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.SpotifyId).HasMaxLength(128);
        b.Property(x => x.Name).HasMaxLength(1024);
        b.Property(x => x.IsProvisional).HasDefaultValue(false);
        b.Property(x => x.AlbumType).HasMaxLength(32);
        b.Property(x => x.ReleaseDate).HasMaxLength(10);
        b.Property(x => x.ImageUrl).HasMaxLength(2048);
        b.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        b.Property(x => x.UpdatedAt).HasDefaultValueSql("now()");
        b.HasIndex(x => x.SpotifyId).IsUnique();
    }
}
