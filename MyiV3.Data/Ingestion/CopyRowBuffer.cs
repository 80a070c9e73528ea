using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// PostgreSQL's binary COPY format (a header, then per row a field count and each field as its
/// length and bytes, then a trailer), encoded straight into a byte buffer that is handed to a raw
/// COPY stream when full. The values are encoded as Npgsql encodes them (big-endian integers,
/// timestamps as microseconds since 2000 with <see cref="DateTime.MinValue"/>/<see cref="DateTime.MaxValue"/>
/// as ∓infinity, text as strict UTF-8, one-dimensional text arrays), so the table receives the same
/// bytes; what it saves is Npgsql's per-value type resolution, which at a few million values is
/// most of the client's cost, and which runs unoptimised (tier-0) in a cold process.
/// </summary>
internal sealed class CopyRowBuffer
{
    public const int FlushAt = 64 * 1024;

    /// <summary>Bytes of a field that holds an 8-byte value: its length, then the value.</summary>
    public const int Int64Field = 4 + 8;
    public const int Int32Field = 4 + 4;
    public const int BoolField = 4 + 1;

    private const long PostgresEpochTicks = 630822816000000000L;
    private const uint TextOid = 25;

    // Npgsql's encoding of text: UTF-8 that throws on a lone surrogate instead of writing U+FFFD.
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xFF, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    private byte[] _buffer = new byte[2 * FlushAt];

    public CopyRowBuffer() => Header.CopyTo(_buffer);

    /// <summary>Bytes waiting to be sent (starts with the header).</summary>
    public int Length { get; private set; } = Header.Length;

    public ReadOnlyMemory<byte> Pending => _buffer.AsMemory(0, Length);

    /// <summary>Most bytes a text field of this value can take.</summary>
    public static int TextField(string? value) => 4 + (value is null ? 0 : Utf8.GetMaxByteCount(value.Length));

    public void Clear() => Length = 0;

    /// <summary>Starts a row of <paramref name="fields"/> fields, with room for <paramref name="maxBytes"/> bytes of them.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void StartRow(short fields, int maxBytes)
    {
        if (Length + 2 + maxBytes > _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, Length + 2 + maxBytes));
        }

        BinaryPrimitives.WriteInt16BigEndian(_buffer.AsSpan(Length), fields);
        Length += 2;
    }

    /// <summary>The end of the data: a field count of -1.</summary>
    public void Trailer()
    {
        StartRow(-1, 0);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Int64(long value)
    {
        var s = _buffer.AsSpan(Length, Int64Field);
        BinaryPrimitives.WriteInt32BigEndian(s, 8);
        BinaryPrimitives.WriteInt64BigEndian(s[4..], value);
        Length += Int64Field;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Int32(int value)
    {
        var s = _buffer.AsSpan(Length, Int32Field);
        BinaryPrimitives.WriteInt32BigEndian(s, 4);
        BinaryPrimitives.WriteInt32BigEndian(s[4..], value);
        Length += Int32Field;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Int32(int? value)
    {
        if (value is { } v)
        {
            Int32(v);
        }
        else
        {
            Null();
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Bool(bool? value)
    {
        if (value is { } v)
        {
            var s = _buffer.AsSpan(Length, BoolField);
            BinaryPrimitives.WriteInt32BigEndian(s, 1);
            s[4] = v ? (byte)1 : (byte)0;
            Length += BoolField;
        }
        else
        {
            Null();
        }
    }

    /// <summary>A <c>timestamp with time zone</c> of a UTC <see cref="DateTime"/>, as Npgsql writes it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void TimestampTz(DateTime utc)
    {
        if (utc.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("A timestamp with time zone is written from a UTC DateTime.", nameof(utc));
        }

        Int64(utc.Ticks == DateTime.MaxValue.Ticks ? long.MaxValue
            : utc.Ticks == DateTime.MinValue.Ticks ? long.MinValue
            : (utc.Ticks - PostgresEpochTicks) / 10);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        var written = Utf8.GetBytes(value, _buffer.AsSpan(Length + 4));
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(Length), written);
        Length += 4 + written;
    }

    /// <summary>A one-dimensional <c>text[]</c> without nulls (lower bound 1), or an empty one.</summary>
    public void TextArray(string[] values)
    {
        var start = Length;
        Length += 4;
        var s = _buffer.AsSpan(Length);
        BinaryPrimitives.WriteInt32BigEndian(s, values.Length == 0 ? 0 : 1);
        BinaryPrimitives.WriteInt32BigEndian(s[4..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(s[8..], TextOid);
        Length += 12;
        if (values.Length > 0)
        {
            BinaryPrimitives.WriteInt32BigEndian(s[12..], values.Length);
            BinaryPrimitives.WriteInt32BigEndian(s[16..], 1);
            Length += 8;
        }

        foreach (var value in values)
        {
            Text(value ?? throw new ArgumentException("A text[] of names holds no nulls.", nameof(values)));
        }

        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(start), Length - start - 4);
    }

    /// <summary>Most bytes a <see cref="TextArray"/> field of these values can take.</summary>
    public static int TextArrayField(string[] values)
    {
        var bytes = 4 + 20;
        foreach (var value in values)
        {
            bytes += TextField(value);
        }

        return bytes;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Null()
    {
        BinaryPrimitives.WriteInt32BigEndian(_buffer.AsSpan(Length), -1);
        Length += 4;
    }
}
