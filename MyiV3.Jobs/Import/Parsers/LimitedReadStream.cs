using System.Globalization;
using System.IO.Compression;
using System.IO.Hashing;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// Counts what a ZIP entry really decompresses to: no more than the entry declares, and within the ZIP's
/// total budget. Declared sizes in a hostile ZIP can be small while the data inflates without end.
/// Once the declared size is read, the data must match the entry's CRC-32, which .NET's reader does
/// not check: a damaged download can inflate without error (and a stored entry always does) to text
/// that is still JSON, with other names, times or durations in it.
/// </summary>
/// <param name="name">The entry as messages name it (behind its inner ZIP's name, if any).</param>
internal sealed class LimitedReadStream(Stream inner, ZipArchiveEntry entry, string name, DecompressionBudget budget) : Stream
{
    private readonly Crc32 _crc = new();
    private long _read;
    private bool _verified;

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
            return Count(buffer, inner.Read(buffer));
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
            var read = await inner.ReadAsync(buffer, cancellationToken);
            return Count(buffer.Span, read);
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

    private int Count(ReadOnlySpan<byte> buffer, int read)
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

        _crc.Append(buffer[..read]);
        // Checked as the last declared byte arrives: a reader that stops there never asks for the end.
        if (_read == entry.Length && !_verified)
        {
            Verify();
        }

        if (read == 0 && _read < entry.Length)
        {
            throw new HistoryFormatException(string.Create(CultureInfo.InvariantCulture,
                $"The ZIP file is damaged: its entry {name} ends after {_read} of the {entry.Length} bytes it declares. Download it from Spotify again and upload it unchanged."));
        }

        return read;
    }

    private void Verify()
    {
        _verified = true;
        if (_crc.GetCurrentHashAsUInt32() != entry.Crc32)
        {
            throw new HistoryFormatException(
                $"The ZIP file is damaged: its entry {name} does not match its checksum (CRC-32), so what it holds is not what Spotify wrote. Download it from Spotify again and upload it unchanged.");
        }
    }
}
