using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using MyiV3.Data.Entities;

namespace MyiV3.Data.Configurations;

internal sealed class ImportJobConfiguration : IEntityTypeConfiguration<ImportJob>
{
    public void Configure(EntityTypeBuilder<ImportJob> b)
    {
        b.ToTable("import_jobs", t =>
        {
            t.HasCheckConstraint("ck_import_jobs_counters_nonnegative",
                "file_size >= 0 AND processed_rows >= 0 AND imported_rows >= 0 AND duplicate_rows >= 0 AND skipped_non_music >= 0 AND skipped_zero_ms >= 0 AND skipped_invalid >= 0 AND (total_rows IS NULL OR total_rows >= 0)");
            t.HasCheckConstraint("ck_import_jobs_processed_within_total", "total_rows IS NULL OR processed_rows <= total_rows");
            t.HasCheckConstraint("ck_import_jobs_hash_hex", "content_hash ~ '^[0-9a-f]{64}$'");
            t.HasCheckConstraint("ck_import_jobs_applied_within_staged", "applied_rows >= 0 AND (staged_rows IS NULL OR applied_rows <= staged_rows)");
        });
        b.Property(x => x.Id).UseIdentityAlwaysColumn();
        b.Property(x => x.FileName).HasMaxLength(512);
        b.Property(x => x.ContentHash).HasMaxLength(64);
        b.Property(x => x.StoragePath).HasMaxLength(1024);
        b.Property(x => x.ErrorMessage).HasMaxLength(4000);
        b.Property(x => x.AppliedRows).HasDefaultValue(0L);
        b.Property(x => x.ProcessedRows).HasDefaultValue(0L);
        b.Property(x => x.ImportedRows).HasDefaultValue(0L);
        b.Property(x => x.DuplicateRows).HasDefaultValue(0L);
        b.Property(x => x.SkippedNonMusic).HasDefaultValue(0L);
        b.Property(x => x.SkippedZeroMs).HasDefaultValue(0L);
        b.Property(x => x.SkippedInvalid).HasDefaultValue(0L);
        b.Property(x => x.FileSize).HasDefaultValue(0L);
        b.Property(x => x.CreatedAt).HasDefaultValueSql("now()");
        b.Property(x => x.UpdatedAt).HasDefaultValueSql("now()");
        b.HasIndex(x => new { x.UserId, x.CreatedAt }).IsDescending(false, true);
        b.HasIndex(x => x.Status);
        b.HasOne<User>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
    }
}
