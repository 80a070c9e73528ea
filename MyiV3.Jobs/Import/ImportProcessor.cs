using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Data.Live;
using MyiV3.Jobs.Import.Parsers;
using MyiV3.Jobs.Metadata;

namespace MyiV3.Jobs.Import;

/// <summary>
/// Runs one import job in two phases. Staging: the whole upload is parsed (streaming, constant
/// memory) into the job's own staging table; a broken file fails here with nothing of the user's
/// data touched. Applying: staged plays go through the ingestion engine in batches, each committed
/// with the job's checkpoint, so open dashboards move as it runs and a restart resumes exactly.
/// </summary>
public sealed partial class ImportProcessor(
    IDbContextFactory<MyiDbContext> dbFactory,
    IngestionEngine engine,
    ImportStaging staging,
    HistoryReader reader,
    HistoryReaderOptions readerOptions,
    ProvisionalMerger merger,
    IUserNotifier notifier,
    IOptions<ImportOptions> options,
    TimeProvider time,
    ILogger<ImportProcessor> logger)
{
    private static readonly TimeSpan ProgressInterval = TimeSpan.FromMilliseconds(250);

    // Each attempt after the first follows a catalog change the import did not make; more than a few
    // in one import means something keeps deleting its tracks, and the job then fails.
    private const int CatalogAttempts = 4;

    /// <summary>Called as the job moves; the command line prints it.</summary>
    public Action<ImportJob>? Progress { get; set; }

    public async Task<ImportJob?> ProcessAsync(long importJobId, CancellationToken ct)
    {
        var job = await LoadAsync(importJobId, ct);
        if (job is null || job.Status is JobStatus.Completed or JobStatus.Failed)
        {
            return job;
        }

        try
        {
            if (job.Status == JobStatus.Pending)
            {
                job = await UpdateAsync(job.Id, j =>
                {
                    j.Status = JobStatus.Processing;
                    j.StartedAt = time.GetUtcNow();
                }, ct);
            }

            // Staged rows are lost with the table (dropped, or emptied by PostgreSQL's crash recovery of
            // unlogged tables): read the stored upload again. Parsing is deterministic, so the rows get
            // the same order numbers and the checkpoint still says which of them are applied.
            switch (await staging.StateAsync(job.Id, job.StagedRows, ct))
            {
                case StagingState.Missing:
                    job = await StageAsync(job, ct);
                    break;
                case StagingState.StagedInFileOrder when job.AppliedRows > 0:
                    // Its checkpoint counts rows in another order: resuming could skip plays. What it applied stays
                    // (exact, verify agrees); uploading the file again adds the rest and counts nothing twice.
                    throw new HistoryFormatException(
                        $"This import was interrupted while an earlier version of MyiV3 ran it, and cannot be resumed exactly. The {job.ImportedRows.ToString(CultureInfo.InvariantCulture)} plays it added are kept; please upload {job.FileName} again to add the rest (nothing is counted twice).");
                case StagingState.StagedInFileOrder:
                    job = await StageAsync(job, ct);
                    break;
                default:
                    break;
            }

            job = await ApplyAsync(job, ct);
            job = await MergeNamedTracksAsync(job, ct);
            job = await UpdateAsync(job.Id, j =>
            {
                j.Status = JobStatus.Completed;
                j.CompletedAt = time.GetUtcNow();
            }, ct);
            LogCompleted(logger, job.Id, job.ImportedRows, job.DuplicateRows);
        }
        catch (HistoryFormatException ex)
        {
            job = await FailAsync(job, ex.Message, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // Shutting down: the job stays PROCESSING and resumes from its checkpoint on the next start.
            throw;
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogUnexpected(logger, ex, job.Id);
            job = await FailAsync(job, "The import stopped because of an error on our side. Nothing of this file was counted twice; please try again.", ct);
        }

        await CleanUpAsync(job, CancellationToken.None);
        return job;
    }

    /// <summary>The staging phase alone (internal for the <c>stage</c> benchmark, which times exactly this).</summary>
    internal async Task<ImportJob> StageAsync(ImportJob job, CancellationToken ct)
    {
        if (job.StoragePath is null || !File.Exists(job.StoragePath))
        {
            throw new HistoryFormatException($"The uploaded file {job.FileName} is no longer on the server; please upload it again.");
        }

        var counts = new StageCounts();
        var lastReport = Stopwatch.StartNew();
        await using (var staged = await staging.BeginAsync(job.Id, ct))
        {
            await using var file = new FileStream(job.StoragePath, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await foreach (var batch in reader.ReadBatchesAsync(file, job.FileName, readerOptions, ct))
            {
                ct.ThrowIfCancellationRequested();
                counts.Stage(batch, staged);
                if (lastReport.Elapsed >= ProgressInterval)
                {
                    lastReport.Restart();
                    var read = counts.Rows;
                    job = await UpdateAsync(job.Id, j => j.ProcessedRows = read, ct);
                }
            }

            await staged.CompleteAsync(ct);
            var (stagedRows, twins) = (staged.Rows, staged.Twins);
            var (rows, nonMusic, zeroMs, invalid) = (counts.Rows, counts.NonMusic, counts.ZeroMs, counts.Invalid);
            job = await UpdateAsync(job.Id, j =>
            {
                // An account-data row whose play the upload also holds from the extended export is that
                // play again. Staged again after a crash, the counters of the batches applied stay.
                if (j.AppliedRows == 0)
                {
                    j.DuplicateRows = twins;
                }

                j.ProcessedRows = rows;
                j.TotalRows = rows;
                j.StagedRows = stagedRows;
                j.SkippedNonMusic = nonMusic;
                j.SkippedZeroMs = zeroMs;
                j.SkippedInvalid = invalid;
                j.ErrorMessage = invalid > 0
                    ? Truncate($"{invalid.ToString(CultureInfo.InvariantCulture)} rows were skipped as invalid, for example: {string.Join("; ", counts.Examples)}")
                    : NoPlaysMessage(rows, stagedRows, nonMusic, zeroMs);
            }, ct);
        }

        return job;
    }

    /// <summary>What staging has read so far; <see cref="Stage"/> handles one batch of rows in one synchronous pass.</summary>
    private sealed class StageCounts
    {
        public long Rows;
        public long NonMusic;
        public long ZeroMs;
        public long Invalid;
        public readonly List<string> Examples = [];

        // Optimised from its first call: in a cold process (every command-line import) this loop would
        // otherwise run unoptimised code for hundreds of thousands of rows before tiering replaced it.
        [MethodImpl(MethodImplOptions.AggressiveOptimization)]
        public void Stage(List<ParsedRow> batch, StagedImport staged)
        {
            foreach (var row in batch)
            {
                Rows++;
                if (row.Play is { } play)
                {
                    staged.Write(play);
                    continue;
                }

                switch (row.Skip)
                {
                    case SkipReason.NonMusic:
                        NonMusic++;
                        break;
                    case SkipReason.ZeroMs:
                        ZeroMs++;
                        break;
                    default:
                        Invalid++;
                        if (Examples.Count < 3)
                        {
                            Examples.Add($"{Path.GetFileName(row.Source)} row {row.Row.ToString(CultureInfo.InvariantCulture)}: {row.Detail}");
                        }

                        break;
                }
            }
        }
    }

    /// <summary>
    /// A history with no song plays is not broken (Spotify writes <c>[]</c> for a year without videos,
    /// and the account export has a podcast-only file), but a person who uploaded it should know why
    /// nothing changed.
    /// </summary>
    private static string? NoPlaysMessage(long rows, long stagedRows, long nonMusic, long zeroMs) =>
        stagedRows > 0 ? null
        : rows == 0 ? "This history is empty: it holds no plays at all. Songs are in the Streaming_History_Audio files of an extended export, or the StreamingHistory_music files of an account-data export."
        : string.Create(CultureInfo.InvariantCulture,
            $"None of the {rows} rows is a song play ({nonMusic} podcast, video or audiobook rows, {zeroMs} of zero length): nothing was added. Songs are in the Streaming_History_Audio files of an extended export, or the StreamingHistory_music files of an account-data export.");

    private async Task<ImportJob> ApplyAsync(ImportJob job, CancellationToken ct)
    {
        var total = job.StagedRows ?? 0;
        for (var attempt = 1; job.AppliedRows < total; attempt++)
        {
            try
            {
                var slices = await engine.PrepareImportAsync(job.Id, job.AppliedRows, options.Value.BatchSize, ct);
                await foreach (var _ in engine.ApplyStagedAsync(job.UserId, job.Id, slices, ct))
                {
                    job = await LoadAsync(job.Id, ct) ?? job;
                    Publish(job);
                }

                break;
            }
            catch (CatalogChangedException ex) when (attempt < CatalogAttempts)
            {
                // The metadata job merged a provisional track of this file into Spotify's between two
                // batches (or a track was deleted). Nothing of the refused batch was written: resolve
                // the file's tracks again (the merge left an alias) and go on from the checkpoint.
                LogCatalogChanged(logger, job.Id, ex.Message);
                job = await LoadAsync(job.Id, ct) ?? job;
            }
        }

        // A slice that was not there must not end as COMPLETED with plays missing.
        if (job.AppliedRows != total)
        {
            throw new InvalidOperationException($"Import {job.Id} applied {job.AppliedRows} of {total} staged rows.");
        }

        return job;
    }

    /// <summary>
    /// A track known by names only (account data, the first endsong files) that an export — this upload or an
    /// earlier one — also names with its Spotify id is that track: its plays move there, and a play both
    /// exports hold to the second counts once, as a duplicate of this job.
    /// </summary>
    private async Task<ImportJob> MergeNamedTracksAsync(ImportJob job, CancellationToken ct)
    {
        var repeats = await merger.MergeNamedInExportsAsync(job.UserId, await staging.NameKeysAsync(job.Id, ct), ct);
        return repeats == 0 ? job : await UpdateAsync(job.Id, j =>
        {
            var moved = Math.Min(repeats, j.ImportedRows);
            j.ImportedRows -= moved;
            j.DuplicateRows += moved;
        }, ct);
    }

    private async Task<ImportJob> FailAsync(ImportJob job, string message, CancellationToken ct)
    {
        LogFailed(logger, job.Id, message);
        return await UpdateAsync(job.Id, j =>
        {
            j.Status = JobStatus.Failed;
            j.ErrorMessage = Truncate(message);
            j.CompletedAt = time.GetUtcNow();
        }, ct);
    }

    private async Task CleanUpAsync(ImportJob job, CancellationToken ct)
    {
        await staging.DropAsync(job.Id, ct);
        // The upload holds personal data (IP addresses, user agents): never keep it past its import,
        // but only ever delete what the upload store owns (the command line imports files in place).
        if (job.StoragePath is { } path && IsInStore(path) && File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private bool IsInStore(string path) =>
        Path.GetFullPath(path).StartsWith(Path.GetFullPath(options.Value.StorageDirectory) + Path.DirectorySeparatorChar, StringComparison.Ordinal);

    private async Task<ImportJob?> LoadAsync(long id, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ImportJobs.AsNoTracking().SingleOrDefaultAsync(j => j.Id == id, ct);
    }

    private async Task<ImportJob> UpdateAsync(long id, Action<ImportJob> change, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var job = await db.ImportJobs.SingleAsync(j => j.Id == id, ct);
        change(job);
        job.UpdatedAt = time.GetUtcNow();
        await db.SaveChangesAsync(ct);
        Publish(job);
        return job;
    }

    private void Publish(ImportJob job)
    {
        notifier.Publish(new ImportProgressed(job.UserId, job.Id));
        Progress?.Invoke(job);
    }

    private static string Truncate(string s) => s.Length <= 4000 ? s : s[..3997] + "...";

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportJobId} completed: {Imported} plays imported, {Duplicates} already known")]
    private static partial void LogCompleted(ILogger logger, long importJobId, long imported, long duplicates);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {ImportJobId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, long importJobId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Import {ImportJobId}: the catalog changed under it ({Reason}); its tracks are resolved again and it goes on")]
    private static partial void LogCatalogChanged(ILogger logger, long importJobId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Import {ImportJobId} failed unexpectedly")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, long importJobId);
}
