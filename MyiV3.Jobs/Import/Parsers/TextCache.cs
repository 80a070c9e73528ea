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

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public string GetString(ref Utf8JsonReader reader)
    {
        var bytes = reader.ValueSpan;
        if (reader.ValueIsEscaped || bytes.Length > MaxBytes || bytes.Length == 0)
        {
            return reader.GetString()!;
        }

        ref var entry = ref _entries[Slot(bytes)];
        if (entry.Value is not null && bytes.SequenceEqual(entry.Bytes))
        {
            return entry.Value;
        }

        var value = reader.GetString()!;
        entry.Bytes = bytes.ToArray();
        entry.Value = value;
        return value;
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
