using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// Parses the entries of a ZIP stored as a file on several threads (each with its own file handle and
/// archive), and hands their rows out exactly as the one-thread reader would: entry by entry in archive
/// order, every entry's batches in file order, its <see cref="HistoryReaderOptions.FileCompleted"/> after
/// its last batch, and the first broken entry's error where that entry's rows would have been. So the
/// staged rows, their order numbers and the messages stay what they were; only the wall time changes.
/// </summary>
/// <remarks>
/// The parser, not the database, bounds staging: one thread inflates and parses while the COPY backend
/// waits for it. A worker parses at most <see cref="AheadBatches"/> batches ahead of the reader per entry,
/// so memory stays bounded (workers × 64 × 512 rows) however large the entries are.
/// </remarks>
internal static class ParallelZipReader
{
    private const int AheadBatches = 64;

    public static async IAsyncEnumerable<List<ParsedRow>> ReadBatchesAsync(
        ZipArchive first,
        string path,
        IReadOnlyList<int> entryIndexes,
        int workers,
        DecompressionBudget budget,
        HistoryReaderOptions options,
        DateTimeOffset latestPlay,
        EntryOutcome outcome,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var count = entryIndexes.Count;
        var entries = new Entry[count];
        for (var i = 0; i < count; i++)
        {
            entries[i] = new Entry(Channel.CreateBounded<List<ParsedRow>>(new BoundedChannelOptions(AheadBatches)
            {
                SingleReader = true,
                SingleWriter = true,
                FullMode = BoundedChannelFullMode.Wait,
            }));
        }

        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var next = -1;
        var tasks = new List<Task>();
        try
        {
            // Started before the others: the first entry's rows come out as early as with one thread.
            tasks.Add(Task.Run(() => WorkAsync(first), stop.Token));
            for (var w = 1; w < Math.Min(workers, count); w++)
            {
                tasks.Add(Task.Run(async () =>
                {
                    await using var file = OpenShared(path);
                    if (file is null)
                    {
                        // The first archive was read already: the other workers take this one's share.
                        return;
                    }

                    await using var zip = await ZipArchive.CreateAsync(file, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, stop.Token);
                    await WorkAsync(zip);
                }, stop.Token));
            }

            foreach (var entry in entries)
            {
                await foreach (var batch in entry.Rows.Reader.ReadAllAsync(ct))
                {
                    yield return batch;
                }

                ct.ThrowIfCancellationRequested();
                entry.Error?.Throw();
                outcome.AnyHistory |= entry.IsHistory;
                if (entry.Summary is { } summary)
                {
                    options.FileCompleted?.Invoke(summary);
                }
            }
        }
        finally
        {
            await stop.CancelAsync();
            try
            {
                // A worker waiting to hand a batch over gives up on the cancellation.
                await Task.WhenAll(tasks);
            }
            catch (Exception ex) when (ex is OperationCanceledException or InvalidDataException)
            {
                // Cancelled once the reader was done; a second handle that could not read the archive left its share to the others.
            }
        }

        async Task WorkAsync(ZipArchive zip)
        {
            while (Interlocked.Increment(ref next) is var i && i < count)
            {
                var entry = entries[i];
                try
                {
                    // Its summary is handed on by the reader, after the entry's last batch, as reading alone does.
                    var summarised = options with { FileCompleted = s => entry.Summary = s };
                    await using var opened = await ZipHistoryReader.OpenHistoryFileAsync(zip.Entries[entryIndexes[i]], container: null, budget, summarised, latestPlay, stop.Token);
                    await foreach (var batch in opened.File.ReadBatchesAsync(stop.Token))
                    {
                        // The parser reuses its list for the next batch: the reader gets a copy of its own.
                        await entry.Rows.Writer.WriteAsync([.. batch], stop.Token);
                    }

                    entry.IsHistory = opened.File.IsHistory;
                }
                catch (OperationCanceledException) when (stop.IsCancellationRequested)
                {
                    return;
                }
                catch (Exception ex)
                {
                    // The reader meets the error when it reaches this entry, as it would reading alone;
                    // this worker stops (the reader will not get past this entry).
                    entry.Error = ExceptionDispatchInfo.Capture(ex);
                    return;
                }
                finally
                {
                    entry.Rows.Writer.TryComplete();
                }
            }
        }
    }

    private static FileStream? OpenShared(string path)
    {
        try
        {
            return new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 64 * 1024, FileOptions.Asynchronous | FileOptions.SequentialScan);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private sealed class Entry(Channel<List<ParsedRow>> rows)
    {
        public Channel<List<ParsedRow>> Rows { get; } = rows;

        public bool IsHistory { get; set; }

        public HistoryFileSummary? Summary { get; set; }

        public ExceptionDispatchInfo? Error { get; set; }
    }
}

/// <summary>What reading a ZIP's entries found out beyond their rows.</summary>
internal sealed class EntryOutcome
{
    public bool AnyHistory { get; set; }

    /// <summary>The first ZIP found inside an inner ZIP, which is not opened; named if the upload turns out to hold no history.</summary>
    public string? DeeperZip { get; set; }
}
