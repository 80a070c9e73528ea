using System.Globalization;
using System.IO.Compression;
using System.Runtime.CompilerServices;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// Reads the history files of a ZIP entry by entry, decompressing straight into the JSON reader: nothing is
/// extracted to disk and no entry is held in memory. The whole central directory is checked before the first
/// row comes out (unsafe names, encryption, declared sizes), so a refused ZIP yields no rows at all; the
/// bytes actually decompressed are counted too, because declared sizes can lie.
/// </summary>
internal static class ZipHistoryReader
{
    /// <summary>The rows of every history entry, in batches (each valid until the next is asked for).</summary>
    public static async IAsyncEnumerable<List<ParsedRow>> ReadBatchesAsync(
        Stream upload,
        HistoryReaderOptions options,
        DateTimeOffset latestPlay,
        [EnumeratorCancellation] CancellationToken ct)
    {
        var zip = await OpenAsync(upload, ct);
        await using (zip)
        {
            var indexes = Check(zip, options);
            var budget = new DecompressionBudget(options.MaxUncompressedBytes);
            var outcome = new EntryOutcome();
            var batches = options.ZipReaders > 1 && indexes.Count > 1 && upload is FileStream { Name: var path }
                ? ParallelZipReader.ReadBatchesAsync(zip, path, indexes, options.ZipReaders, budget, options, latestPlay, outcome, ct)
                : ReadInTurnAsync(zip, indexes, budget, options, latestPlay, outcome, ct);
            await foreach (var batch in batches)
            {
                yield return batch;
            }

            if (!outcome.AnyHistory)
            {
                throw NoHistory(indexes.Select(i => zip.Entries[i].FullName));
            }
        }
    }

    /// <summary>The entries one after the other on this thread (a stream that is not a file, or a ZIP of one entry).</summary>
    private static async IAsyncEnumerable<List<ParsedRow>> ReadInTurnAsync(
        ZipArchive zip,
        List<int> indexes,
        DecompressionBudget budget,
        HistoryReaderOptions options,
        DateTimeOffset latestPlay,
        EntryOutcome outcome,
        [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var index in indexes)
        {
            ct.ThrowIfCancellationRequested();
            await using var opened = await OpenHistoryFileAsync(zip.Entries[index], budget, options, latestPlay, ct);
            await foreach (var batch in opened.File.ReadBatchesAsync(ct))
            {
                yield return batch;
            }

            outcome.AnyHistory |= opened.File.IsHistory;
        }
    }

    private static async Task<ZipArchive> OpenAsync(Stream upload, CancellationToken ct)
    {
        try
        {
            return await ZipArchive.CreateAsync(upload, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, ct);
        }
        catch (InvalidDataException ex)
        {
            throw new HistoryFormatException($"The ZIP file is damaged or incomplete ({ex.Message}). Download it from Spotify again and upload it unchanged.", ex);
        }
    }

    /// <summary>One entry ready to be read as a history file: inflated, counted against the ZIP's budget, parsed.</summary>
    internal static async Task<OpenedEntry> OpenHistoryFileAsync(
        ZipArchiveEntry entry, DecompressionBudget budget, HistoryReaderOptions options, DateTimeOffset latestPlay, CancellationToken ct)
    {
        var limited = new LimitedReadStream(await OpenEntryAsync(entry, ct), entry, budget);
        var json = new JsonRowStream(limited, [], options, entry.FullName);
        return new OpenedEntry(limited, json, new JsonHistoryFile(json, entry.FullName, options, latestPlay, insideZip: true));
    }

    private static async Task<Stream> OpenEntryAsync(ZipArchiveEntry entry, CancellationToken ct)
    {
        try
        {
            return await entry.OpenAsync(ct);
        }
        catch (InvalidDataException ex)
        {
            throw new HistoryFormatException($"The ZIP entry {entry.FullName} cannot be read ({ex.Message}). Download the ZIP from Spotify again and upload it unchanged.", ex);
        }
    }

    /// <summary>Refuses the whole ZIP for anything unsafe; returns the positions of the file entries to read, in archive order.</summary>
    internal static List<int> Check(ZipArchive zip, HistoryReaderOptions options)
    {
        var all = zip.Entries;
        if (all.Count > options.MaxZipEntries)
        {
            throw new HistoryFormatException(string.Create(CultureInfo.InvariantCulture,
                $"The ZIP holds {all.Count} entries; a Spotify export has a few dozen (limit {options.MaxZipEntries})."));
        }

        var files = new List<int>();
        long declared = 0;
        for (var i = 0; i < all.Count; i++)
        {
            var entry = all[i];
            if (!IsSafeName(entry.FullName))
            {
                throw new HistoryFormatException($"The ZIP contains an entry with an unsafe path ({entry.FullName}); it was refused. Upload the ZIP exactly as Spotify sent it.");
            }

            if (entry.FullName.EndsWith('/'))
            {
                continue;
            }

            if (entry.IsEncrypted)
            {
                throw new HistoryFormatException($"The ZIP is password-protected ({entry.FullName} is encrypted). Upload the ZIP exactly as Spotify sent it, without a password.");
            }

            declared += entry.Length;
            if (declared > options.MaxUncompressedBytes)
            {
                throw TooBig(options);
            }

            if (entry.Length >= options.CompressionRatioCheckFromBytes
                && entry.Length > options.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
            {
                throw new HistoryFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"The ZIP entry {entry.FullName} expands {entry.Length / Math.Max(1, entry.CompressedLength)}× (limit {options.MaxCompressionRatio}×): it looks like a ZIP bomb, not a Spotify export."));
            }

            files.Add(i);
        }

        return files;
    }

    /// <summary>A ZIP of the export zipped once more is read as far as its outer layer: say which file to upload instead.</summary>
    private static HistoryFormatException NoHistory(IEnumerable<string> files)
    {
        const string Expected = "The ZIP contains no Spotify streaming history (expected files like Streaming_History_Audio_2023.json, endsong_0.json or StreamingHistory_music_0.json).";
        return files.FirstOrDefault(f => f.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)) is { } inner
            ? new HistoryFormatException($"{Expected} It holds another ZIP, {inner}: upload that one (ZIPs inside a ZIP are not opened).")
            : new HistoryFormatException(Expected);
    }

    internal static HistoryFormatException TooBig(HistoryReaderOptions options) => new(string.Create(CultureInfo.InvariantCulture,
        $"The ZIP expands to more than {options.MaxUncompressedBytes / (1024 * 1024)} MB; that is more than any Spotify export (or a ZIP bomb)."));

    /// <summary>No absolute paths, drive letters or <c>..</c> segments, whichever slash is used.</summary>
    internal static bool IsSafeName(string name)
    {
        if (name.Length == 0 || name[0] is '/' or '\\' || name.Contains(':', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal))
        {
            return false;
        }

        foreach (var segment in name.Split('/', '\\'))
        {
            if (segment == "..")
            {
                return false;
            }
        }

        return true;
    }
}

/// <summary>Bytes all entries of one ZIP may still decompress to.</summary>
internal sealed class DecompressionBudget(long limit)
{
    public long Limit { get; } = limit;

    private long _used;

    /// <summary>Safe to call from the threads of <see cref="ParallelZipReader"/> at once.</summary>
    public bool TrySpend(int bytes) => Interlocked.Add(ref _used, bytes) <= Limit;
}

/// <summary>A ZIP entry opened by <see cref="ZipHistoryReader.OpenHistoryFileAsync"/>; disposing closes its streams.</summary>
internal sealed class OpenedEntry(LimitedReadStream stream, JsonRowStream json, JsonHistoryFile file) : IAsyncDisposable
{
    public JsonHistoryFile File { get; } = file;

    public async ValueTask DisposeAsync()
    {
        json.Dispose();
        await stream.DisposeAsync();
    }
}
