using MyiV3.Data.Entities;

namespace MyiV3.Data.Ingestion;

/// <summary>What one committed batch changed.</summary>
public readonly record struct BatchResult(int Inserted, int Duplicates, int Corrected)
{
    public static BatchResult operator +(BatchResult a, BatchResult b) =>
        new(a.Inserted + b.Inserted, a.Duplicates + b.Duplicates, a.Corrected + b.Corrected);
}

/// <summary>
/// Writes plays for one user: catalog upsert, events and every statistic they imply, in one
/// transaction per batch, serialised per user. Re-ingesting the same plays changes nothing.
/// </summary>
public interface IIngestionEngine
{
    Task<BatchResult> IngestAsync(long userId, PlaySource source, IReadOnlyList<PlayRecord> plays, CancellationToken ct);
}
