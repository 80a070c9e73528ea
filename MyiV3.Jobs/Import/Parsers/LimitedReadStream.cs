using System.Globalization;
using System.IO.Compression;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// Counts what a ZIP entry really decompresses to: no more than the entry declares, and within the ZIP's
/// total budget. Declared sizes in a hostile ZIP can be small while the data inflates without end.
/// </summary>
/// <param name="name">The entry as messages name it (behind its inner ZIP's name, if any).</param>
internal sealed class LimitedReadStream(Stream inner, ZipArchiveEntry entry, string name, DecompressionBudget budget) : Stream
{
    private long _read;

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => _read;
        set => throw new NotSupportedException();
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return Count(inner.Read(buffer));
        }
        catch (InvalidDataException ex)
        {
            throw Damaged(ex);
        }
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        try
        {
            return Count(await inner.ReadAsync(buffer, cancellationToken));
        }
        catch (InvalidDataException ex)
        {
            // Scrambled deflate data or a checksum that does not match: a broken download, not our error.
            throw Damaged(ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    public override async ValueTask DisposeAsync()
    {
        await inner.DisposeAsync();
        await base.DisposeAsync();
    }

    private HistoryFormatException Damaged(InvalidDataException ex) => new(
        $"The ZIP file is damaged: its entry {name} cannot be decompressed ({ex.Message}). Download it from Spotify again and upload it unchanged.", ex);

    private int Count(int read)
    {
        _read += read;
        if (_read > entry.Length)
        {
            throw new HistoryFormatException(string.Create(CultureInfo.InvariantCulture,
                $"The ZIP entry {name} decompresses to more than the {entry.Length} bytes it declares: the ZIP is damaged or malicious."));
        }

        if (!budget.TrySpend(read))
        {
            throw ZipHistoryReader.TooBig(budget.Limit);
        }

        return read;
    }
}
