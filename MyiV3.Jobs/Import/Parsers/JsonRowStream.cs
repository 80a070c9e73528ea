using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// Reads the row objects of one JSON array from a stream in batches, holding only a window of the file:
/// the buffer keeps at most one incomplete row (bounded by <see cref="HistoryReaderOptions.MaxRowBytes"/>).
/// A <see cref="Utf8JsonReader"/> cannot live across an await, so each fill of the buffer is parsed
/// synchronously, committing after every complete row; an incomplete row is re-read after the next fill.
/// </summary>
internal sealed class JsonRowStream : IDisposable
{
    private const int InitialBuffer = 64 * 1024;
    private const int BatchRows = 512;

    // The batch's rows, read in place (a RawRow is large: copying it into and out of a list cost more than reading it).
    private readonly RawRow[] _rows = new RawRow[BatchRows];
    private readonly TextCache _texts = new();
    private int _count;

    private readonly Stream _stream;
    private readonly string? _entryName;
    private readonly HistoryReaderOptions _options;
    private readonly JsonReaderOptions _readerOptions;
    private byte[] _buffer;
    private int _start;
    private int _end;
    private long _bufferOffset;
    private bool _eof;
    private JsonReaderState _state;
    private Phase _phase;

    /// <param name="entryName">The ZIP entry being read, named in front of this reader's messages: in a ZIP of a
    /// dozen files, "the JSON ends early at byte N" is only useful with the file's name. Null for a plain upload.</param>
    public JsonRowStream(Stream stream, ReadOnlySpan<byte> alreadyRead, HistoryReaderOptions options, string? entryName = null)
    {
        _stream = stream;
        _entryName = entryName;
        _options = options;
        _readerOptions = new JsonReaderOptions { MaxDepth = options.MaxJsonDepth, CommentHandling = JsonCommentHandling.Disallow };
        _state = new JsonReaderState(_readerOptions);
        _buffer = ArrayPool<byte>.Shared.Rent(Math.Max(InitialBuffer, alreadyRead.Length));
        alreadyRead.CopyTo(_buffer);
        _end = alreadyRead.Length;
    }

    private enum Phase
    {
        BeforeArray,
        InArray,
        Done,
    }

    /// <summary>What the first meaningful byte said; set once <see cref="StartAsync"/> has run.</summary>
    public JsonStart Start { get; private set; }

    /// <summary>Bytes of the stream consumed so far (rows fully read).</summary>
    public long Position => _bufferOffset + _start;

    /// <summary>Finds the first JSON token without consuming rows: is this a JSON array at all?</summary>
    public async ValueTask<JsonStart> StartAsync(CancellationToken ct)
    {
        while (true)
        {
            var (found, start) = FindStart();
            if (found)
            {
                Start = start;
                return start;
            }

            if (!await FillAsync(ct))
            {
                Start = _bufferOffset + _end == 0 ? JsonStart.Empty : JsonStart.OnlyWhitespace;
                return Start;
            }
        }
    }

    /// <summary>The rows of the last <see cref="ReadBatchAsync"/>, valid until the next.</summary>
    public ReadOnlySpan<RawRow> Rows => _rows.AsSpan(0, _count);

    /// <summary>Reads the next rows into <see cref="Rows"/>; false once the array has ended and nothing is left.</summary>
    public async ValueTask<bool> ReadBatchAsync(CancellationToken ct)
    {
        _count = 0;
        while (true)
        {
            if (_phase != Phase.Done)
            {
                ParseAvailable();
                if (_count > 0)
                {
                    return true;
                }
            }

            if (_phase == Phase.Done)
            {
                await EnsureNothingFollowsAsync(ct);
                return false;
            }

            if (!await FillAsync(ct))
            {
                throw Fail(string.Create(CultureInfo.InvariantCulture,
                    $"The JSON ends early at byte {_bufferOffset + _end}: the file looks truncated (was the upload or download interrupted?)."));
            }
        }
    }

    /// <summary>The reader's own message ends with its zero-based position, which the sentence already gives counted from one.</summary>
    private static string WithoutPosition(string message)
    {
        var cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var text = cut < 0 ? message : message[..cut];

        // The reader's advice is for the programmer who configured it, not for the person with the file.
        return text.Replace(" which is not supported in this mode", "", StringComparison.Ordinal)
            .Replace(" Change the reader options.", "", StringComparison.Ordinal);
    }

    private HistoryFormatException Fail(string message, Exception? inner = null)
    {
        var named = _entryName is null ? message : $"{_entryName}: {message}";
        return inner is null ? new HistoryFormatException(named) : new HistoryFormatException(named, inner);
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
    }

    private (bool Found, JsonStart Start) FindStart()
    {
        var span = _buffer.AsSpan(_start, _end - _start);
        var i = 0;
        if (_bufferOffset + _start == 0 && span.Length >= 3 && span[0] == 0xEF && span[1] == 0xBB && span[2] == 0xBF)
        {
            // A UTF-8 byte order mark, which Utf8JsonReader does not accept.
            _start += 3;
            span = span[3..];
        }
        else if (_bufferOffset + _start == 0 && span.Length < 3 && span.Length > 0 && span[0] == 0xEF && !_eof)
        {
            return (false, default);
        }

        while (i < span.Length && span[i] is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
        {
            i++;
        }

        _start += i;
        if (i == span.Length)
        {
            return (false, default);
        }

        return (true, span[i] switch
        {
            (byte)'[' => JsonStart.Array,
            (byte)'{' => JsonStart.Object,
            (byte)'"' or (byte)'-' or (>= (byte)'0' and <= (byte)'9') or (byte)'t' or (byte)'f' or (byte)'n' => JsonStart.OtherValue,
            _ => JsonStart.NotJson,
        });
    }

    private void ParseAvailable()
    {
        var reader = new Utf8JsonReader(_buffer.AsSpan(_start, _end - _start), isFinalBlock: false, _state);
        long committed = 0;
        var committedState = _state;
        try
        {
            while (_count < BatchRows)
            {
                if (!reader.Read())
                {
                    break;
                }

                if (_phase == Phase.BeforeArray)
                {
                    // The opening bracket of the array.
                    _phase = Phase.InArray;
                }
                else if (reader.TokenType == JsonTokenType.EndArray && reader.CurrentDepth == 0)
                {
                    _phase = Phase.Done;
                }
                else if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ref var row = ref _rows[_count];
                    row = default;
                    if (!RowObjectReader.TryRead(ref reader, ref row, _options.MaxStringLength, _texts))
                    {
                        break;
                    }

                    _count++;
                }
                else
                {
                    if (!reader.TrySkip())
                    {
                        break;
                    }

                    _rows[_count++] = new RawRow { NotAnObject = true, Problem = "the row is not a JSON object" };
                }

                committed = reader.BytesConsumed;
                committedState = reader.CurrentState;
                if (_phase == Phase.Done)
                {
                    break;
                }
            }
        }
        catch (JsonException ex)
        {
            var at = _bufferOffset + _start + reader.BytesConsumed;
            if (reader.CurrentDepth >= _options.MaxJsonDepth - 1)
            {
                throw Fail(string.Create(CultureInfo.InvariantCulture,
                    $"The JSON nests deeper than {_options.MaxJsonDepth} levels near byte {at}; a Spotify history is a flat list of rows."), ex);
            }

            throw Fail(string.Create(CultureInfo.InvariantCulture,
                $"The file is not valid JSON near byte {at} (line {(ex.LineNumber ?? 0) + 1}): {WithoutPosition(ex.Message)} Was it edited? Upload the file as Spotify sent it."), ex);
        }

        _start += (int)committed;
        _state = committedState;
    }

    /// <summary>
    /// After the array's closing bracket only whitespace may follow. Anything else — a second array, as two
    /// files joined into one leave — would otherwise be dropped without a word.
    /// </summary>
    /// <remarks>Once it has read to the end, asking again finds nothing left and passes.</remarks>
    private async ValueTask EnsureNothingFollowsAsync(CancellationToken ct)
    {
        var end = _bufferOffset + _start;
        do
        {
            if (_buffer.AsSpan(_start, _end - _start).IndexOfAnyExcept(" \t\r\n"u8) >= 0)
            {
                throw Fail(string.Create(CultureInfo.InvariantCulture,
                    $"The file goes on after its list of plays ends at byte {end}: it is not one JSON array (were two files joined into one?). Upload the history files as Spotify wrote them, or the ZIP."));
            }

            _start = _end;
        }
        while (await FillAsync(ct));
    }

    /// <summary>Keeps the unread tail, grows the buffer only if one row fills it, reads more. False at end of stream.</summary>
    private async ValueTask<bool> FillAsync(CancellationToken ct)
    {
        if (_eof)
        {
            return false;
        }

        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _bufferOffset += _start;
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            if (_buffer.Length >= _options.MaxRowBytes)
            {
                throw Fail(string.Create(CultureInfo.InvariantCulture,
                    $"A row starting at byte {_bufferOffset} is larger than {_options.MaxRowBytes / 1024} KB; Spotify history rows are under 2 KB, so this is not a history file."));
            }

            var bigger = ArrayPool<byte>.Shared.Rent(Math.Min(_buffer.Length * 2, Math.Max(_options.MaxRowBytes, InitialBuffer)));
            Buffer.BlockCopy(_buffer, 0, bigger, 0, _end);
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = bigger;
        }

        var read = await _stream.ReadAsync(_buffer.AsMemory(_end), ct);
        if (read == 0)
        {
            _eof = true;
            return false;
        }

        _end += read;
        return true;
    }
}

/// <summary>What a JSON file starts with.</summary>
internal enum JsonStart
{
    Empty,
    OnlyWhitespace,
    Array,
    Object,
    OtherValue,
    NotJson,
}
