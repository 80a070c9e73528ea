using System.IO.Compression;
using System.Text;
using MyiV3.Jobs.Import.Parsers;
using static MyiV3.Tests.Import.Parsers.ParserTestKit;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>ZIP uploads: any folder, both kinds of files, non-history entries passed over, and every unsafe ZIP refused before a row comes out.</summary>
public sealed class ZipReadingTests
{
    private static MemoryStream Zip(params (string Name, byte[] Content)[] entries) => Zip(CompressionLevel.Optimal, entries);

    private static MemoryStream Zip(CompressionLevel level, params (string Name, byte[] Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                using var entry = zip.CreateEntry(name, level).Open();
                entry.Write(content);
            }
        }

        stream.Position = 0;
        return stream;
    }

    private static byte[] SampleBytes(string name) => File.ReadAllBytes(Sample(name));

    [Fact]
    public async Task A_zip_with_both_kinds_of_history_in_any_folder_reads_every_history_file_and_skips_the_rest()
    {
        using var zip = Zip(
            ("Spotify Account Data/Read_Me_First.pdf", "%PDF-1.4 fake"u8.ToArray()),
            ("Spotify Account Data/Userdata.json", Encoding.UTF8.GetBytes("""{"username":"fake-user"}""")),
            ("Spotify Account Data/Playlist1.json", Encoding.UTF8.GetBytes("""{"playlists":[]}""")),
            ("Spotify Account Data/SearchQueries.json", SampleBytes("Bad/not_history.json")),
            ("Spotify Account Data/StreamingHistory_music_0.json", SampleBytes("StreamingHistory_music_0.json")),
            ("deep/er/folder/Streaming_History_Audio_2023-2024_0.json", SampleBytes("Streaming_History_Audio_2023-2024_0.json")),
            ("Streaming_History_Video_2022-2024.json", SampleBytes("Streaming_History_Video_2022-2024.json")));
        var summaries = new List<HistoryFileSummary>();

        var rows = await ReadAsync(zip, "my_spotify_data.zip", new HistoryReaderOptions { FileCompleted = summaries.Add });

        Assert.Equal(
            ["Spotify Account Data/StreamingHistory_music_0.json", "deep/er/folder/Streaming_History_Audio_2023-2024_0.json", "Streaming_History_Video_2022-2024.json"],
            rows.Select(r => r.Source).Distinct());
        Assert.Equal(4, rows.Count(r => r.IsPlay));
        Assert.Equal(
            [
                new HistoryFileSummary("Spotify Account Data/StreamingHistory_music_0.json", HistoryFormat.AccountDataMusic, 3, 2, 0, 1, 0),
                new HistoryFileSummary("deep/er/folder/Streaming_History_Audio_2023-2024_0.json", HistoryFormat.ExtendedStreamingHistory, 5, 2, 2, 1, 0),
                new HistoryFileSummary("Streaming_History_Video_2022-2024.json", HistoryFormat.ExtendedVideoHistory, 1, 0, 1, 0, 0),
            ],
            summaries);
    }

    [Fact]
    public async Task A_zip_without_history_is_refused_with_what_was_expected()
    {
        using var zip = Zip(("MyData/Userdata.json", Encoding.UTF8.GetBytes("""{"username":"fake-user"}""")), ("MyData/Read_Me_First.pdf", "%PDF"u8.ToArray()));

        var ex = await FailsAsync(zip, "my_spotify_data.zip");

        Assert.Equal("The ZIP contains no Spotify streaming history (expected files like Streaming_History_Audio_2023.json, endsong_0.json or StreamingHistory_music_0.json).", ex.Message);
    }

    [Fact]
    public async Task An_empty_zip_archive_has_no_history()
    {
        using var zip = Zip();

        var ex = await FailsAsync(zip, "empty.zip");

        Assert.StartsWith("The ZIP contains no Spotify streaming history", ex.Message);
    }

    [Theory]
    [InlineData("../evil.json")]
    [InlineData("MyData/../../evil.json")]
    [InlineData("..\\evil.json")]
    [InlineData("/etc/evil.json")]
    [InlineData("C:/evil.json")]
    public async Task A_path_traversal_entry_name_refuses_the_whole_zip_before_any_row(string name)
    {
        using var zip = Zip(("Streaming_History_Audio_2023-2024_0.json", SampleBytes("Streaming_History_Audio_2023-2024_0.json")), (name, SampleBytes("endsong_0.json")));
        var seen = 0;

        var ex = await Assert.ThrowsAsync<HistoryFormatException>(async () =>
        {
            await foreach (var _ in Reader().ReadAsync(zip, "x.zip", null, TestContext.Current.CancellationToken))
            {
                seen++;
            }
        });

        Assert.Equal(0, seen);
        Assert.Equal($"The ZIP contains an entry with an unsafe path ({name}); it was refused. Upload the ZIP exactly as Spotify sent it.", ex.Message);
    }

    [Fact]
    public async Task A_password_protected_zip_is_refused()
    {
        using var zip = Zip(("Streaming_History_Audio_2023-2024_0.json", SampleBytes("Streaming_History_Audio_2023-2024_0.json")));
        var bytes = zip.ToArray();
        MarkEncrypted(bytes);

        var ex = await FailsAsync(new MemoryStream(bytes), "locked.zip");

        Assert.StartsWith("The ZIP is password-protected (Streaming_History_Audio_2023-2024_0.json is encrypted).", ex.Message);
    }

    [Fact]
    public async Task A_zip_bomb_beyond_the_uncompressed_limit_is_refused_before_reading()
    {
        var big = new byte[8 * 1024 * 1024];
        big.AsSpan().Fill((byte)' ');
        big[0] = (byte)'[';
        big[^1] = (byte)']';
        using var zip = Zip(("Streaming_History_Audio_2023_0.json", big));

        var ex = await FailsAsync(zip, "bomb.zip", new HistoryReaderOptions { MaxUncompressedBytes = 4 * 1024 * 1024 });

        Assert.StartsWith("The ZIP expands to more than 4 MB", ex.Message);
    }

    [Fact]
    public async Task A_zip_bomb_with_an_absurd_compression_ratio_is_refused()
    {
        var big = new byte[8 * 1024 * 1024];
        big.AsSpan().Fill((byte)' ');
        big[0] = (byte)'[';
        big[^1] = (byte)']';
        using var zip = Zip(("Streaming_History_Audio_2023_0.json", big));

        var ex = await FailsAsync(zip, "bomb.zip");

        Assert.Contains("looks like a ZIP bomb", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_that_inflates_beyond_its_declared_size_never_yields_more_than_declared()
    {
        var content = Encoding.UTF8.GetBytes("[" + string.Concat(Enumerable.Repeat(
            """{"ts":"2020-01-01T00:00:00Z","ms_played":1,"master_metadata_track_name":"T","master_metadata_album_artist_name":"A","spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC"},""", 2000)) + "1]");
        using var zip = Zip(("Streaming_History_Audio_2020_0.json", content));
        var bytes = zip.ToArray();
        DeclareSmallerSize(bytes, content.Length, 1000);

        var ex = await FailsAsync(new MemoryStream(bytes), "liar.zip");

        // System.IO.Compression itself stops inflating at the declared size (our own counter is the second guard):
        // never more bytes than declared come out, and those do not match the entry's checksum.
        Assert.StartsWith("The ZIP file is damaged: its entry Streaming_History_Audio_2020_0.json does not match its checksum", ex.Message);
    }

    [Fact]
    public async Task An_entry_changed_after_zipping_is_refused_by_its_checksum_though_it_still_reads_as_json()
    {
        // Stored, not deflated: nothing but the CRC-32 can tell that a digit of a play's ms_played changed.
        var content = SampleBytes("Streaming_History_Audio_2023-2024_0.json");
        using var zip = Zip(CompressionLevel.NoCompression, ("Spotify Extended Streaming History/Streaming_History_Audio_2023-2024_0.json", content));
        var bytes = zip.ToArray();
        var digit = bytes.AsSpan().IndexOf("\"ms_played\":"u8) + "\"ms_played\":".Length;
        bytes[digit] = (byte)(bytes[digit] == '9' ? '8' : bytes[digit] + 1);

        var ex = await FailsAsync(new MemoryStream(bytes), "my_spotify_data.zip");

        Assert.StartsWith("The ZIP file is damaged: its entry Spotify Extended Streaming History/Streaming_History_Audio_2023-2024_0.json does not match its checksum", ex.Message);
        Assert.Contains("Download it from Spotify again", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_entry_that_ends_before_its_declared_size_is_refused_as_damaged()
    {
        var content = SampleBytes("Streaming_History_Audio_2023-2024_0.json");
        using var zip = Zip(("Streaming_History_Audio_2023-2024_0.json", content));
        var bytes = zip.ToArray();
        DeclareSmallerSize(bytes, content.Length, content.Length + 100);

        var ex = await FailsAsync(new MemoryStream(bytes), "cut.zip");

        Assert.Contains("damaged", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Streaming_History_Audio_2023-2024_0.json", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Both_exports_packed_into_one_zip_read_like_the_two_zips_one_after_the_other()
    {
        using var extended = Zip(("Spotify Extended Streaming History/Streaming_History_Audio_2023-2024_0.json", SampleBytes("Streaming_History_Audio_2023-2024_0.json")));
        using var account = Zip(("Spotify Account Data/StreamingHistory_music_0.json", SampleBytes("StreamingHistory_music_0.json")));
        using var outer = Zip(
            ("Downloads/my_spotify_data.zip", extended.ToArray()),
            ("Downloads/.DS_Store", [0, 0, 0, 1]),
            ("Downloads/my_spotify_data (1).zip", account.ToArray()));
        var summaries = new List<HistoryFileSummary>();

        var rows = await ReadAsync(outer, "both.zip", new HistoryReaderOptions { FileCompleted = summaries.Add });

        var expected = (await ReadAsync(extended, "my_spotify_data.zip")).Select(r => "Downloads/my_spotify_data.zip/" + Describe(r))
            .Concat((await ReadAsync(account, "my_spotify_data (1).zip")).Select(r => "Downloads/my_spotify_data (1).zip/" + Describe(r)))
            .ToList();
        Assert.Equal(8, expected.Count);
        Assert.Equal(expected, rows.Select(Describe));
        Assert.Equal(
            ["Downloads/my_spotify_data.zip/Spotify Extended Streaming History/Streaming_History_Audio_2023-2024_0.json",
             "Downloads/my_spotify_data (1).zip/Spotify Account Data/StreamingHistory_music_0.json"],
            summaries.Select(s => s.Source));
    }

    [Fact]
    public async Task What_macos_adds_beside_an_inner_zip_and_a_file_merely_named_zip_are_passed_over()
    {
        using var inner = Zip(("Spotify Extended Streaming History/Streaming_History_Audio_2023-2024_0.json", SampleBytes("Streaming_History_Audio_2023-2024_0.json")));
        using var outer = Zip(
            ("Downloads/my_spotify_data.zip", inner.ToArray()),
            ("__MACOSX/Downloads/._my_spotify_data.zip", [0, 5, 22, 7, 0, 2, 0, 0, (byte)'M', (byte)'a', (byte)'c']),
            ("Downloads/._other.zip", [0, 5, 22, 7]),
            ("Downloads/notes.zip", "not a zip at all"u8.ToArray()));

        var rows = await ReadAsync(outer, "from-a-mac.zip");

        Assert.Equal(["Downloads/my_spotify_data.zip/Spotify Extended Streaming History/Streaming_History_Audio_2023-2024_0.json"], rows.Select(r => r.Source).Distinct());
        Assert.Equal(2, rows.Count(r => r.IsPlay));
    }

    [Fact]
    public async Task A_zip_inside_a_zip_that_is_damaged_is_refused_naming_it()
    {
        using var inner = Zip(("Streaming_History_Audio_2023-2024_0.json", SampleBytes("Streaming_History_Audio_2023-2024_0.json")));
        using var outer = Zip(("export/my_spotify_data.zip", inner.ToArray()[..200]));

        var ex = await FailsAsync(outer, "export.zip");

        Assert.StartsWith("The ZIP export/my_spotify_data.zip inside the upload is damaged or incomplete", ex.Message);
    }

    [Fact]
    public async Task An_unsafe_name_inside_an_inner_zip_is_refused_naming_both()
    {
        using var inner = Zip(("../evil.json", SampleBytes("Streaming_History_Audio_2023-2024_0.json")));
        using var outer = Zip(("my_spotify_data.zip", inner.ToArray()));

        var ex = await FailsAsync(outer, "export.zip");

        Assert.Contains("unsafe path (my_spotify_data.zip/../evil.json)", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_inner_zip_counts_against_the_same_decompression_limit()
    {
        var big = Encoding.UTF8.GetBytes("[" + string.Join(",", Enumerable.Repeat(
            """{"ts":"2020-01-01T00:00:00Z","ms_played":1000,"master_metadata_track_name":"T","master_metadata_album_artist_name":"A","spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC"}""", 40_000)) + "]");
        using var inner = Zip(("Streaming_History_Audio_2020_0.json", big));
        using var outer = Zip(("my_spotify_data.zip", inner.ToArray()));

        var ex = await FailsAsync(outer, "export.zip", new HistoryReaderOptions { MaxUncompressedBytes = 4 * 1024 * 1024 });

        Assert.StartsWith("The ZIP expands to more than 4 MB", ex.Message);
    }

    [Fact]
    public async Task Inner_zips_without_history_are_refused_saying_they_were_looked_into_and_deeper_ones_are_not_opened()
    {
        using var deepest = Zip(("Streaming_History_Audio_2023-2024_0.json", SampleBytes("Streaming_History_Audio_2023-2024_0.json")));
        using var inner = Zip(("MyData/Userdata.json", Encoding.UTF8.GetBytes("""{"username":"fake-user"}""")), ("again.zip", deepest.ToArray()));
        using var outer = Zip(("my_spotify_data.zip", inner.ToArray()));

        var ex = await FailsAsync(outer, "export.zip");

        Assert.StartsWith("The ZIP contains no Spotify streaming history", ex.Message);
        Assert.Contains("also in the ZIPs inside it).", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith(
            " my_spotify_data.zip/again.zip is a ZIP inside a ZIP inside the upload, and only one level of ZIPs is opened: unpack the upload and upload what is inside it.",
            ex.Message);
    }

    [Fact]
    public async Task Inner_zips_without_history_and_no_deeper_zip_say_only_that_they_were_looked_into()
    {
        using var inner = Zip(("MyData/Userdata.json", Encoding.UTF8.GetBytes("""{"username":"fake-user"}""")));
        using var outer = Zip(("my_spotify_data.zip", inner.ToArray()));

        var ex = await FailsAsync(outer, "export.zip");

        Assert.EndsWith("also in the ZIPs inside it).", ex.Message);
    }

    [Fact]
    public async Task A_damaged_zip_is_refused_as_damaged()
    {
        using var zip = Zip(("Streaming_History_Audio_2023-2024_0.json", SampleBytes("Streaming_History_Audio_2023-2024_0.json")));
        var truncated = zip.ToArray()[..200];

        var ex = await FailsAsync(new MemoryStream(truncated), "cut.zip");

        Assert.StartsWith("The ZIP file is damaged or incomplete", ex.Message);
    }

    [Fact]
    public async Task A_zip_must_come_as_a_seekable_stream()
    {
        using var zip = Zip(("Streaming_History_Audio_2023-2024_0.json", SampleBytes("Streaming_History_Audio_2023-2024_0.json")));

        await Assert.ThrowsAsync<ArgumentException>(() => ReadAsync(new OneByteAtATimeStream(zip.ToArray()), "x.zip"));
    }

    /// <summary>Sets bit 0 (encrypted) of the general-purpose flags in every local and central header.</summary>
    private static void MarkEncrypted(byte[] zip)
    {
        for (var i = 0; i + 4 <= zip.Length; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4)
            {
                zip[i + 6] |= 1;
            }
            else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2)
            {
                zip[i + 8] |= 1;
            }
        }
    }

    /// <summary>Rewrites the uncompressed size the headers declare, as a hostile ZIP would.</summary>
    private static void DeclareSmallerSize(byte[] zip, int actual, int declared)
    {
        var actualBytes = BitConverter.GetBytes(actual);
        var declaredBytes = BitConverter.GetBytes(declared);
        for (var i = 0; i + 4 <= zip.Length; i++)
        {
            if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 3 && zip[i + 3] == 4 && zip.AsSpan(i + 22, 4).SequenceEqual(actualBytes))
            {
                declaredBytes.CopyTo(zip, i + 22);
            }
            else if (zip[i] == 'P' && zip[i + 1] == 'K' && zip[i + 2] == 1 && zip[i + 3] == 2 && zip.AsSpan(i + 24, 4).SequenceEqual(actualBytes))
            {
                declaredBytes.CopyTo(zip, i + 24);
            }
        }
    }
}
