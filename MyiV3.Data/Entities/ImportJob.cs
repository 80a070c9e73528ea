namespace MyiV3.Data.Entities;

public sealed class ImportJob
{
    public long Id { get; set; }
    public long UserId { get; set; }
    public required string FileName { get; set; }
    public long FileSize { get; set; }
    /// <summary>SHA-256 of the uploaded bytes, hex.</summary>
    public required string ContentHash { get; set; }
    /// <summary>Where the upload sits on disk until it is processed.</summary>
    public string? StoragePath { get; set; }
    public JobStatus Status { get; set; }

    /// <summary>Rows read so far (all kinds); total once the file is fully read.</summary>
    public long? TotalRows { get; set; }
    public long ProcessedRows { get; set; }
    public long ImportedRows { get; set; }
    public long DuplicateRows { get; set; }
    public long SkippedNonMusic { get; set; }
    public long SkippedZeroMs { get; set; }
    public long SkippedInvalid { get; set; }

    /// <summary>
    /// Plays staged from the fully parsed file; null until the whole file has been read. A file is
    /// read to the end before any of it is applied, so a broken file changes nothing.
    /// </summary>
    public long? StagedRows { get; set; }

    /// <summary>Staged plays applied so far; advances in the same transaction as each batch.</summary>
    public long AppliedRows { get; set; }

    public string? ErrorMessage { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? StartedAt { get; set; }
    public DateTimeOffset? CompletedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
