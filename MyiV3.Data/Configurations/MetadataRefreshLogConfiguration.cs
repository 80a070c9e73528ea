using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class MetadataRefreshLogConfiguration : IEntityTypeConfiguration<MetadataRefreshLog>
{
    public void Configure(EntityTypeBuilder<MetadataRefreshLog> b)
    {
        b.ToTable("metadata_refresh_log", t =>
        {
            t.HasCheckConstraint("ck_metadata_refresh_log_entity_type", "entity_type IN ('track', 'artist', 'album')");
            t.HasCheckConstraint("ck_metadata_refresh_log_failures_nonnegative", "failure_count >= 0");
        });
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.EntityType).HasMaxLength(16);
        b.Property(x => x.LastError).HasMaxLength(1000);
        b.Property(x => x.FailureCount).HasDefaultValue(0);
        b.HasIndex(x => new { x.EntityType, x.EntityId }).IsUnique();
        b.HasIndex(x => x.NextRefreshAt);
    }
}
