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
        var zip = await OpenAsync(upload, container: null, ct);
        await using (zip)
        {
            var indexes = Check(zip, options, container: null);
            var budget = new DecompressionBudget(options.MaxUncompressedBytes);
            var outcome = new EntryOutcome();
            var inner = indexes.Where(i => IsZipName(zip.Entries[i].FullName)).ToList();
            // Beside the upload (the import store, sized for uploads) rather than in a /tmp that may be memory.
            var spoolDirectory = upload is FileStream { Name: var stored } ? Path.GetDirectoryName(stored) ?? Path.GetTempPath() : Path.GetTempPath();
            var batches = inner.Count > 0
                ? ReadWithInnerZipsAsync(zip, indexes, spoolDirectory, budget, options, latestPlay, outcome, ct)
                : options.ZipReaders > 1 && indexes.Count > 1 && upload is FileStream { Name: var path }
                    ? ParallelZipReader.ReadBatchesAsync(zip, path, indexes, options.ZipReaders, budget, options, latestPlay, outcome, ct)
                    : ReadInTurnAsync(zip, indexes, container: null, budget, options, latestPlay, outcome, ct);
            await foreach (var batch in batches)
            {
                yield return batch;
            }

            if (!outcome.AnyHistory)
            {
                throw NoHistory(inner.Count > 0, outcome.DeeperZip);
            }
        }
    }

    /// <summary>The entries one after the other on this thread (a stream that is not a file, or a ZIP of one entry).</summary>
    private static async IAsyncEnumerable<List<ParsedRow>> ReadInTurnAsync(
        ZipArchive zip,
        List<int> indexes,
        string? container,
        DecompressionBudget budget,
        HistoryReaderOptions options,
        DateTimeOffset latestPlay,
        EntryOutcome outcome,
        [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var index in indexes)
        {
            ct.ThrowIfCancellationRequested();
            await using var opened = await OpenHistoryFileAsync(zip.Entries[index], container, budget, options, latestPlay, ct);
            await foreach (var batch in opened.File.ReadBatchesAsync(ct))
            {
                yield return batch;
            }

            outcome.AnyHistory |= opened.File.IsHistory;
        }
    }

    /// <summary>
    /// An export zipped once more, or both of Spotify's exports packed into one ZIP: each inner ZIP is read in its
    /// place in the archive, one level deep, against the same decompression budget. Its entries are named
    /// <c>outer.zip/inner path</c> in messages.
    /// </summary>
    private static async IAsyncEnumerable<List<ParsedRow>> ReadWithInnerZipsAsync(
        ZipArchive zip,
        List<int> indexes,
        string spoolDirectory,
        DecompressionBudget budget,
        HistoryReaderOptions options,
        DateTimeOffset latestPlay,
        EntryOutcome outcome,
        [EnumeratorCancellation] CancellationToken ct)
    {
        foreach (var index in indexes)
        {
            var entry = zip.Entries[index];
            if (!IsZipName(entry.FullName))
            {
                await foreach (var batch in ReadInTurnAsync(zip, [index], container: null, budget, options, latestPlay, outcome, ct))
                {
                    yield return batch;
                }

                continue;
            }

            // A ZIP is read through its central directory at its end, so the inner one needs a seekable copy.
            await using var copy = await SpoolAsync(entry, spoolDirectory, budget, ct);
            if (!await StartsLikeZipAsync(copy, ct))
            {
                continue; // named .zip but no ZIP at all: passed over like any other side file
            }

            var innerZip = await OpenAsync(copy, entry.FullName, ct);
            await using (innerZip)
            {
                var checkedIndexes = Check(innerZip, options, entry.FullName);
                var deeper = checkedIndexes.Where(i => IsZipName(innerZip.Entries[i].FullName)).ToList();
                if (deeper.Count > 0)
                {
                    outcome.DeeperZip ??= $"{entry.FullName}/{innerZip.Entries[deeper[0]].FullName}";
                }

                var innerIndexes = checkedIndexes.Except(deeper).ToList();
                await foreach (var batch in ReadInTurnAsync(innerZip, innerIndexes, entry.FullName, budget, options, latestPlay, outcome, ct))
                {
                    yield return batch;
                }
            }
        }
    }

    /// <summary>The inner ZIP inflated, within the budget, to a temporary file that is gone once closed (or the process ends).</summary>
    private static async Task<FileStream> SpoolAsync(ZipArchiveEntry entry, string directory, DecompressionBudget budget, CancellationToken ct)
    {
        var path = Path.Combine(directory, $"myiv3-inner-{Guid.NewGuid():N}.zip");
        var copy = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Delete, 1 << 16,
            FileOptions.Asynchronous | (OperatingSystem.IsWindows() ? FileOptions.DeleteOnClose : FileOptions.None));
        if (!OperatingSystem.IsWindows())
        {
            // Unlinked at once: the open handle reads on, and a process that dies mid-import leaves nothing behind.
            File.Delete(path);
        }

        try
        {
            await using (var inflated = new LimitedReadStream(await OpenEntryAsync(entry, entry.FullName, ct), entry, entry.FullName, budget))
            {
                await inflated.CopyToAsync(copy, ct);
            }

            copy.Position = 0;
            return copy;
        }
        catch
        {
            await copy.DisposeAsync();
            throw;
        }
    }

    /// <summary>An entry named like a ZIP, except what macOS adds when it packs a folder (<c>__MACOSX/…/._name.zip</c>, not ZIPs).</summary>
    private static bool IsZipName(string name) =>
        name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase)
        && !JsonHistoryFile.FileName(name).StartsWith("._", StringComparison.Ordinal)
        && !name.StartsWith("__MACOSX/", StringComparison.Ordinal);

    private static async Task<bool> StartsLikeZipAsync(FileStream copy, CancellationToken ct)
    {
        var head = new byte[4];
        var read = await copy.ReadAtLeastAsync(head, head.Length, throwOnEndOfStream: false, ct);
        copy.Position = 0;
        return read == 4 && head[0] == 'P' && head[1] == 'K' && head[2] is 3 or 5 && head[3] is 4 or 6;
    }

    private static async Task<ZipArchive> OpenAsync(Stream upload, string? container, CancellationToken ct)
    {
        try
        {
            return await ZipArchive.CreateAsync(upload, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, ct);
        }
        catch (InvalidDataException ex)
        {
            var what = container is null ? "The ZIP file" : $"The ZIP {container} inside the upload";
            throw new HistoryFormatException($"{what} is damaged or incomplete ({ex.Message}). Download it from Spotify again and upload it unchanged.", ex);
        }
    }

    /// <summary>One entry ready to be read as a history file: inflated, counted against the ZIP's budget, parsed.</summary>
    /// <param name="container">The inner ZIP this entry is in, if any: its name goes in front of the entry's.</param>
    internal static async Task<OpenedEntry> OpenHistoryFileAsync(
        ZipArchiveEntry entry, string? container, DecompressionBudget budget, HistoryReaderOptions options, DateTimeOffset latestPlay, CancellationToken ct)
    {
        var name = container is null ? entry.FullName : $"{container}/{entry.FullName}";
        var limited = new LimitedReadStream(await OpenEntryAsync(entry, name, ct), entry, name, budget);
        var json = new JsonRowStream(limited, [], options, name);
        return new OpenedEntry(limited, json, new JsonHistoryFile(json, name, options, latestPlay, insideZip: true));
    }

    private static async Task<Stream> OpenEntryAsync(ZipArchiveEntry entry, string name, CancellationToken ct)
    {
        try
        {
            return await entry.OpenAsync(ct);
        }
        catch (InvalidDataException ex)
        {
            throw new HistoryFormatException($"The ZIP entry {name} cannot be read ({ex.Message}). Download the ZIP from Spotify again and upload it unchanged.", ex);
        }
    }

    /// <summary>Refuses the whole ZIP for anything unsafe; returns the positions of the file entries to read, in archive order.</summary>
    internal static List<int> Check(ZipArchive zip, HistoryReaderOptions options, string? container)
    {
        var all = zip.Entries;
        string Named(ZipArchiveEntry e) => container is null ? e.FullName : $"{container}/{e.FullName}";
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
                throw new HistoryFormatException($"The ZIP contains an entry with an unsafe path ({Named(entry)}); it was refused. Upload the ZIP exactly as Spotify sent it.");
            }

            if (entry.FullName.EndsWith('/'))
            {
                continue;
            }

            if (entry.IsEncrypted)
            {
                throw new HistoryFormatException($"The ZIP is password-protected ({Named(entry)} is encrypted). Upload the ZIP exactly as Spotify sent it, without a password.");
            }

            declared += entry.Length;
            if (declared > options.MaxUncompressedBytes)
            {
                throw TooBig(options.MaxUncompressedBytes);
            }

            if (entry.Length >= options.CompressionRatioCheckFromBytes
                && entry.Length > options.MaxCompressionRatio * Math.Max(1, entry.CompressedLength))
            {
                throw new HistoryFormatException(string.Create(CultureInfo.InvariantCulture,
                    $"The ZIP entry {Named(entry)} expands {entry.Length / Math.Max(1, entry.CompressedLength)}× (limit {options.MaxCompressionRatio}×): it looks like a ZIP bomb, not a Spotify export."));
            }

            files.Add(i);
        }

        return files;
    }

    private static HistoryFormatException NoHistory(bool openedInnerZips, string? deeperZip) => new(
        "The ZIP contains no Spotify streaming history (expected files like Streaming_History_Audio_2023.json, endsong_0.json or StreamingHistory_music_0.json"
        + (openedInnerZips ? ", also in the ZIPs inside it)." : ").")
        + (deeperZip is null
            ? ""
            : $" {deeperZip} is a ZIP inside a ZIP inside the upload, and only one level of ZIPs is opened: unpack the upload and upload what is inside it."));

    internal static HistoryFormatException TooBig(long limit) => new(string.Create(CultureInfo.InvariantCulture,
        $"The ZIP expands to more than {limit / (1024 * 1024)} MB; that is more than any Spotify export (or a ZIP bomb)."));

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
