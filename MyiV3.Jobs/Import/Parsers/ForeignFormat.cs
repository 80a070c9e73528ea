using System.Text;

namespace MyiV3.Jobs.Import.Parsers;

/// <summary>
/// Names the kind of a file that is neither JSON nor a ZIP from its first bytes, so that the refusal can say what
/// was uploaded and what to do instead: a <c>.tar.gz</c> or <c>.7z</c> someone packed the export into, the read-me
/// PDF next to the history, a web page saved by mistake.
/// </summary>
internal static class ForeignFormat
{
    /// <summary>Bytes needed to recognise every kind below (a tar header's magic sits at 257).</summary>
    public const int HeadLength = 512;

    private const string Unpack = "Unpack it and upload the JSON files inside, or upload my_spotify_data.zip as Spotify sent it.";
    private const string Instead = "Upload my_spotify_data.zip as Spotify sent it, or the Streaming_History_*.json / StreamingHistory*.json files inside it.";

    private static readonly (byte[] Magic, string Kind, string Advice)[] Signatures =
    [
        ([0x1F, 0x8B], "a gzip archive (.gz)", Unpack),
        ([(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C], "a 7-Zip archive (.7z)", Unpack),
        ("Rar!\u001A\u0007"u8.ToArray(), "a RAR archive", Unpack),
        ("BZh"u8.ToArray(), "a bzip2 archive (.bz2)", Unpack),
        ([0xFD, (byte)'7', (byte)'z', (byte)'X', (byte)'Z', 0], "an xz archive (.xz)", Unpack),
        ([0x28, 0xB5, 0x2F, 0xFD], "a Zstandard archive (.zst)", Unpack),
        ("%PDF"u8.ToArray(), "a PDF document", Instead),
        ([0x89, (byte)'P', (byte)'N', (byte)'G'], "an image (PNG)", Instead),
        ([0xFF, 0xD8, 0xFF], "an image (JPEG)", Instead),
        ("GIF8"u8.ToArray(), "an image (GIF)", Instead),
        ([0xD0, 0xCF, 0x11, 0xE0], "an Office document", Instead),
    ];

    /// <summary>A sentence naming the kind and what to upload instead, or null when the bytes say nothing known.</summary>
    public static string? Describe(ReadOnlySpan<byte> head)
    {
        foreach (var (magic, kind, advice) in Signatures)
        {
            if (head.StartsWith(magic))
            {
                return $"is {kind}, not a Spotify history. {advice}";
            }
        }

        if (head.Length >= 262 && head.Slice(257, 5).SequenceEqual("ustar"u8))
        {
            return $"is a tar archive, not a Spotify history. {Unpack}";
        }

        var text = head.StartsWith("\uFEFF"u8) ? head[3..] : head;
        text = text.TrimStart(" \t\r\n"u8);
        if (text.StartsWith("<"u8))
        {
            var markup = Encoding.ASCII.GetString(text[..Math.Min(text.Length, 64)]);
            var kind = markup.Contains("html", StringComparison.OrdinalIgnoreCase) ? "a web page (HTML)" : "XML or HTML";
            return $"is {kind}, not a Spotify history. {Instead}";
        }

        return null;
    }
}
