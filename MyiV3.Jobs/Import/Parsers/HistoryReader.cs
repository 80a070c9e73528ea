using System.Runtime.CompilerServices;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// Reads a Spotify history upload — a single JSON file or a ZIP of them — as a stream of rows, in constant memory.
/// The kind of upload and the format of each file are recognised from the content, never from names
/// (except that <c>Streaming_History_Video_*</c> files, whose rows look like audio rows, are all non-music).
/// Whole-upload problems throw <see cref="HistoryFormatException"/>; problems of single rows come out as
/// <see cref="SkipReason.Invalid"/> rows.
/// </summary>
public sealed class HistoryReader(TimeProvider time)
{
    private static readonly byte[] ZipLocalHeader = [(byte)'P', (byte)'K', 3, 4];
    private static readonly byte[] ZipEmptyArchive = [(byte)'P', (byte)'K', 5, 6];

    /// <param name="upload">The upload. A ZIP needs a seekable stream (a <see cref="FileStream"/>); JSON may be any stream.</param>
    /// <param name="fileName">The name the file was uploaded as; used in messages and to tell video history apart.</param>
    /// <exception cref="HistoryFormatException">The upload as a whole is unreadable or unsafe; thrown while enumerating.</exception>
    public async IAsyncEnumerable<ParsedRow> ReadAsync(
        Stream upload,
        string fileName,
        HistoryReaderOptions? options = null,
        [EnumeratorCancellation] CancellationToken ct = default)
    {
        await foreach (var batch in ReadBatchesAsync(upload, fileName, options, ct))
        {
            foreach (var row in batch)
            {
                yield return row;
            }
        }
    }

    /// <summary>
    /// The rows of <see cref="ReadAsync"/> in the batches they are parsed in (a few hundred at a time), for a
    /// consumer that handles each batch in one synchronous pass. A batch is valid until the next is asked for.
    /// </summary>
    internal async IAsyncEnumerable<List<ParsedRow>> ReadBatchesAsync(
        Stream upload,
        string fileName,
        HistoryReaderOptions? options,
        [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(upload);
        options ??= HistoryReaderOptions.Default;
        var latest = time.GetUtcNow() + options.FutureTolerance;

        var head = new byte[ForeignFormat.HeadLength];
        var headLength = await ReadUpToAsync(upload, head, ct);
        if (headLength == 0)
        {
            throw new HistoryFormatException($"The file {fileName} is empty (0 bytes).");
        }

        if (headLength >= 4 && (head.AsSpan().StartsWith(ZipLocalHeader) || head.AsSpan().StartsWith(ZipEmptyArchive)))
        {
            if (!upload.CanSeek)
            {
                throw new ArgumentException("A ZIP upload must be given as a seekable stream (store it to a file first).", nameof(upload));
            }

            upload.Seek(-headLength, SeekOrigin.Current);
            await foreach (var batch in ZipHistoryReader.ReadBatchesAsync(upload, options, latest, ct))
            {
                yield return batch;
            }

            yield break;
        }

        if (headLength >= 2 && (head[0], head[1]) is (0xFF, 0xFE) or (0xFE, 0xFF))
        {
            // A byte-order mark of UTF-16: the file was opened and saved again by an editor (Notepad's "Unicode").
            throw new HistoryFormatException(
                $"The file {fileName} is saved as UTF-16 text, but Spotify writes its history as UTF-8: it was probably opened and saved again in an editor. Upload the file as Spotify sent it (or save it as UTF-8).");
        }

        if (ForeignFormat.Describe(head.AsSpan(0, headLength)) is { } foreign)
        {
            throw new HistoryFormatException($"The file {fileName} {foreign}");
        }

        using var json = new JsonRowStream(upload, head.AsSpan(0, headLength), options);
        var file = new JsonHistoryFile(json, fileName, options, latest, insideZip: false);
        await foreach (var batch in file.ReadBatchesAsync(ct))
        {
            yield return batch;
        }
    }

    private static async ValueTask<int> ReadUpToAsync(Stream stream, byte[] buffer, CancellationToken ct)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(total), ct);
            if (read == 0)
            {
                break;
            }

            total += read;
        }

        return total;
    }
}
