using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// The strings of recently read text values, by their UTF-8 bytes: a history repeats the same track URIs,
/// names, platforms, countries and reasons on row after row, and a value seen before costs a lookup,
/// not a new string. Bounded (a fixed table; a colliding value replaces the older one), so memory stays
/// the same whatever the size of the file. Only unescaped values are looked up; a value read for the
/// first time is decoded by <see cref="Utf8JsonReader.GetString"/>, exactly as without the cache.
/// </summary>
internal sealed class TextCache
{
    private const int Size = 4096;

    /// <summary>Longer values are decoded every time (they are rare, and long to compare).</summary>
    private const int MaxBytes = 128;

    private readonly Entry[] _entries = new Entry[Size];

    public string GetString(ref Utf8JsonReader reader)
    {
        var bytes = reader.ValueSpan;
        if (reader.ValueIsEscaped)
        {
            return Storable(Unescaped(ref reader));
        }

        if (bytes.Length > MaxBytes || bytes.Length == 0)
        {
            return Decoded(ref reader);
        }

        ref var entry = ref _entries[Slot(bytes)];
        if (entry.Value is not null && bytes.SequenceEqual(entry.Bytes))
        {
            return entry.Value;
        }

        var value = Decoded(ref reader);
        entry.Bytes = bytes.ToArray();
        entry.Value = value;
        return value;
    }

    /// <summary>
    /// An unescaped value. <see cref="Utf8JsonReader"/> finds the end of a string without checking its bytes,
    /// and <see cref="Utf8JsonReader.GetString"/> then refuses bytes that are not UTF-8 (a name damaged in
    /// the file itself): those become U+FFFD, as a damaged escape does in <see cref="Storable"/>, rather than
    /// a whole upload failing over one name.
    /// </summary>
    internal static string Decoded(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            ReadOnlySpan<byte> raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
            return System.Text.Encoding.UTF8.GetString(raw);
        }
    }

    /// <summary>
    /// An escaped value. <see cref="Utf8JsonReader.GetString"/> refuses half of an escaped surrogate pair
    /// (<c>"\ud83d"</c> alone, as a cut emoji leaves it); such a value is unescaped here instead, unit by
    /// unit (the reader has checked that every escape is well formed), for <see cref="Storable"/> to mend.
    /// </summary>
    internal static string Unescaped(ref Utf8JsonReader reader)
    {
        try
        {
            return reader.GetString()!;
        }
        catch (InvalidOperationException)
        {
            ReadOnlySpan<byte> raw = reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan;
            var sb = new System.Text.StringBuilder(raw.Length);
            var i = 0;
            while (i < raw.Length)
            {
                var escape = raw[i..].IndexOf((byte)'\\');
                if (escape < 0)
                {
                    sb.Append(System.Text.Encoding.UTF8.GetString(raw[i..]));
                    break;
                }

                sb.Append(System.Text.Encoding.UTF8.GetString(raw.Slice(i, escape)));
                i += escape + 1;
                var c = (char)raw[i++];
                switch (c)
                {
                    case 'u':
                        sb.Append((char)int.Parse(System.Text.Encoding.ASCII.GetString(raw.Slice(i, 4)), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture));
                        i += 4;
                        break;
                    case 'b':
                        sb.Append('\b');
                        break;
                    case 'f':
                        sb.Append('\f');
                        break;
                    case 'n':
                        sb.Append('\n');
                        break;
                    case 'r':
                        sb.Append('\r');
                        break;
                    case 't':
                        sb.Append('\t');
                        break;
                    default:
                        sb.Append(c);
                        break;
                }
            }

            return sb.ToString();
        }
    }

    /// <summary>
    /// Text as the database can keep it. Only an escape can bring what it cannot (raw bytes that are not
    /// UTF-8 are mended by <see cref="Decoded"/>): <c>\u0000</c>, which PostgreSQL's text
    /// cannot hold, is dropped, and half of an escaped surrogate pair, which is not UTF-8, becomes U+FFFD —
    /// rather than a whole upload failing over one damaged name.
    /// </summary>
    internal static string Storable(string value)
    {
        var clean = true;
        for (var i = 0; i < value.Length && clean; i++)
        {
            var c = value[i];
            clean = c != '\0' && (!char.IsSurrogate(c) || (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[++i])));
        }

        if (clean)
        {
            return value;
        }

        var sb = new System.Text.StringBuilder(value.Length);
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '\0')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                sb.Append(c).Append(value[++i]);
            }
            else
            {
                sb.Append(char.IsSurrogate(c) ? '\uFFFD' : c);
            }
        }

        return sb.ToString();
    }

    /// <summary>A cheap hash: the length and the first and last eight bytes (or all of a short value).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Slot(ReadOnlySpan<byte> bytes)
    {
        ulong head, tail;
        if (bytes.Length >= 8)
        {
            head = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
            tail = BinaryPrimitives.ReadUInt64LittleEndian(bytes[^8..]);
        }
        else
        {
            head = 0;
            foreach (var b in bytes)
            {
                head = (head << 8) | b;
            }

            tail = 0;
        }

        var h = (head * 0x9E3779B97F4A7C15UL) ^ (tail * 0xC2B2AE3D27D4EB4FUL) ^ (ulong)bytes.Length;
        return (int)((h ^ (h >> 29)) & (Size - 1));
    }

    private struct Entry
    {
        public byte[] Bytes;
        public string? Value;
    }
}
