using System.Text;
using MyiV3.Jobs.Import.Parsers;
using static MyiV3.Tests.Import.Parsers.ParserTestKit;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>The bad-input corpus (JSON side): whole-file problems throw a clear message, row problems are skipped and counted.</summary>
public sealed class BadInputTests
{
    private static string Bad(string name) => Sample(Path.Combine("Bad", name));

    [Fact]
    public async Task An_empty_file_is_refused_as_empty()
    {
        var ex = await FailsAsync(Bad("empty.json"));
        Assert.Equal("The file empty.json is empty (0 bytes).", ex.Message);
    }

    [Fact]
    public async Task A_zero_byte_zip_is_refused_as_empty()
    {
        var ex = await FailsAsync(Bad("empty.zip"));
        Assert.Equal("The file empty.zip is empty (0 bytes).", ex.Message);
    }

    [Fact]
    public async Task A_file_of_only_whitespace_is_refused_as_empty()
    {
        var ex = await FailsAsync(Bad("whitespace.json"));
        Assert.Equal("The file whitespace.json is empty.", ex.Message);
    }

    [Fact]
    public async Task A_truncated_file_names_the_byte_where_it_ends()
    {
        var length = new FileInfo(Bad("truncated.json")).Length;
        var ex = await FailsAsync(Bad("truncated.json"));
        Assert.StartsWith($"The JSON ends early at byte {length}: the file looks truncated", ex.Message);
    }

    [Fact]
    public async Task Rows_before_the_truncation_are_delivered_before_the_failure()
    {
        var seen = new List<ParsedRow>();
        await using var file = File.OpenRead(Bad("truncated.json"));
        await Assert.ThrowsAsync<HistoryFormatException>(async () =>
        {
            await foreach (var row in Reader().ReadAsync(file, "truncated.json", null, TestContext.Current.CancellationToken))
            {
                seen.Add(row);
            }
        });
        Assert.Equal("Whole Row", Assert.Single(seen).Play!.TrackName);
    }

    [Theory]
    [InlineData("[]\n[]", 2)]
    [InlineData("[{\"ts\":\"2024-03-09T21:04:05Z\",\"ms_played\":1}]\r\n  [{\"ts\":\"2024-03-09T21:04:05Z\",\"ms_played\":1}]", 45)]
    [InlineData("[] x", 2)]
    public async Task Anything_but_whitespace_after_the_array_is_refused_instead_of_dropped(string json, int end)
    {
        // Two history files joined into one: reading only the first array would lose the second without a word.
        var ex = await FailsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "joined.json");

        Assert.StartsWith($"The file goes on after its list of plays ends at byte {end}: it is not one JSON array", ex.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_history_saved_again_as_utf16_is_refused_saying_so(bool littleEndian)
    {
        var encoding = new UnicodeEncoding(bigEndian: !littleEndian, byteOrderMark: true);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes("[{\"ts\":\"2024-03-09T21:04:05Z\",\"ms_played\":1}]")).ToArray();

        var ex = await FailsAsync(new MemoryStream(bytes), "Streaming_History_Audio_2024_0.json");

        Assert.Equal("The file Streaming_History_Audio_2024_0.json is saved as UTF-16 text, but Spotify writes its history as UTF-8: it was probably opened and saved again in an editor. Upload the file as Spotify sent it (or save it as UTF-8).", ex.Message);
    }

    [Fact]
    public async Task Whitespace_after_the_array_is_fine()
    {
        var rows = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes("[]\r\n\t \n")), "Streaming_History_Audio_2024_0.json");

        Assert.Empty(rows);
    }

    [Fact]
    public async Task A_json_object_is_refused_because_history_files_are_arrays()
    {
        var ex = await FailsAsync(Bad("object.json"));
        Assert.StartsWith("The file object.json is a JSON object; Spotify history files are JSON arrays", ex.Message);
    }

    [Fact]
    public async Task A_binary_file_of_no_known_kind_is_neither_json_nor_zip()
    {
        var ex = await FailsAsync(new MemoryStream([0, 0, 0, 0x5B, 0x5D, 7, 200]), "blob.json");
        Assert.StartsWith("The file blob.json is not JSON or a ZIP.", ex.Message);
    }

    public static TheoryData<string, byte[], string, string> ForeignFiles => new()
    {
        { "history.json.gz", Gzip("[]"u8.ToArray()), "is a gzip archive (.gz), not a Spotify history", "Unpack it" },
        { "spotify.7z", [(byte)'7', (byte)'z', 0xBC, 0xAF, 0x27, 0x1C, 0, 4], "is a 7-Zip archive (.7z)", "Unpack it" },
        { "spotify.rar", "Rar!\u001A\u0007\u0001\u0000"u8.ToArray(), "is a RAR archive", "Unpack it" },
        { "spotify.tar", Tar("Streaming_History_Audio_2024.json"), "is a tar archive", "Unpack it" },
        { "ReadMeFirst_ExtendedStreamingHistory.pdf", "%PDF-1.7\n%\u00e2\u00e3"u8.ToArray(), "is a PDF document", "my_spotify_data.zip" },
        { "binary.png", File.ReadAllBytes(Bad("binary.png")), "is an image (PNG)", "my_spotify_data.zip" },
        { "account.html", "\uFEFF\n  <!DOCTYPE html><html><body>Privacy</body></html>"u8.ToArray(), "is a web page (HTML)", "Streaming_History_*.json" },
    };

    [Theory]
    [MemberData(nameof(ForeignFiles))]
    public async Task A_file_of_another_known_kind_is_named_for_what_it_is_and_what_to_upload_instead(string name, byte[] content, string kind, string advice)
    {
        var ex = await FailsAsync(new MemoryStream(content), name);
        Assert.StartsWith($"The file {name} {kind}", ex.Message);
        Assert.Contains(advice, ex.Message, StringComparison.Ordinal);
    }

    private static byte[] Gzip(byte[] content)
    {
        using var packed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(packed, System.IO.Compression.CompressionLevel.Fastest))
        {
            gzip.Write(content);
        }

        return packed.ToArray();
    }

    private static byte[] Tar(string entryName)
    {
        using var tar = new MemoryStream();
        using (var writer = new System.Formats.Tar.TarWriter(tar))
        {
            var entry = new System.Formats.Tar.UstarTarEntry(System.Formats.Tar.TarEntryType.RegularFile, entryName)
            {
                DataStream = new MemoryStream("[]"u8.ToArray()),
            };
            writer.WriteEntry(entry);
        }

        return tar.ToArray();
    }

    [Fact]
    public async Task A_json_array_of_other_data_is_not_a_history()
    {
        var ex = await FailsAsync(Bad("not_history.json"));
        Assert.Contains("is a JSON array but not a Spotify streaming history", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_that_is_not_json_after_a_bracket_is_refused_with_its_position()
    {
        var ex = await FailsAsync(new MemoryStream("[{\"ts\": nope}]"u8.ToArray()), "x.json");
        Assert.StartsWith("The file is not valid JSON near byte 8 (line 1): ", ex.Message);
        Assert.Contains("is an invalid JSON literal", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("LineNumber", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Upload the file as Spotify sent it.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_comma_after_the_last_row_is_refused_without_the_json_readers_advice_to_programmers()
    {
        var ex = await FailsAsync(new MemoryStream("[{\"ts\": \"2024-01-01T00:00:00Z\", \"ms_played\": 1},\n]"u8.ToArray()), "x.json");
        Assert.StartsWith("The file is not valid JSON near byte ", ex.Message, StringComparison.Ordinal);
        Assert.Contains("trailing comma", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("reader options", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("in this mode", ex.Message, StringComparison.Ordinal);
        Assert.EndsWith("Was it edited? Upload the file as Spotify sent it.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rows_with_wrong_types_are_invalid_and_say_why_while_good_rows_still_count()
    {
        var rows = await ReadFileAsync(Bad("wrong_types.json"));

        Assert.Equal(
            [
                "ms_played is not a number",
                "ts is not a date",
                "ts is not a date",
                "shuffle is not true or false",
                "ms_played is not a whole number",
                "master_metadata_track_name is not a single value",
            ],
            rows.Take(6).Select(r => r.Detail));
        Assert.All(rows.Take(6), r => Assert.Equal(SkipReason.Invalid, r.Skip));
        Assert.Equal("Good", rows[6].Play!.TrackName);
    }

    [Fact]
    public async Task Dates_before_2006_or_more_than_a_day_ahead_are_invalid()
    {
        var rows = await ReadFileAsync(Bad("dates.json"));

        Assert.Equal(SkipReason.Invalid, rows[0].Skip);
        Assert.Contains("before Spotify existed", rows[0].Detail, StringComparison.Ordinal);
        Assert.Equal(SkipReason.Invalid, rows[1].Skip);
        Assert.Contains("in the future", rows[1].Detail, StringComparison.Ordinal);
        Assert.Equal("First Day", rows[2].Play!.TrackName);
    }

    [Fact]
    public async Task The_future_is_judged_by_the_injected_clock()
    {
        string Row(DateTimeOffset ts) => $$"""{"ts":"{{ts.UtcDateTime:yyyy-MM-ddTHH:mm:ssZ}}","ms_played":1000,"master_metadata_track_name":"T","master_metadata_album_artist_name":"A","spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC"}""";
        var json = $"[{Row(Now.AddHours(23))},{Row(Now.AddHours(25))}]";

        var rows = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "x.json");

        Assert.True(rows[0].IsPlay);
        Assert.Equal(SkipReason.Invalid, rows[1].Skip);
    }

    [Fact]
    public async Task A_mix_of_valid_and_invalid_rows_keeps_the_valid_and_classifies_the_rest()
    {
        var rows = await ReadFileAsync(Bad("mixed.json"));

        Assert.Equal(["Good One", "Good Two"], rows.Where(r => r.IsPlay).Select(r => r.Play!.TrackName));
        Assert.Equal(
            [
                (2L, SkipReason.Invalid, "ts is missing"),
                (3L, SkipReason.Invalid, "the row is not a JSON object"),
                (4L, SkipReason.Invalid, "spotify_track_uri is not a track URI like spotify:track:<22 characters>"),
                (5L, SkipReason.Invalid, "master_metadata_track_name is missing"),
                (6L, SkipReason.ZeroMs, null),
                (7L, SkipReason.NonMusic, null),
            ],
            rows.Where(r => !r.IsPlay).Select(r => (r.Row, r.Skip!.Value, r.Detail)));
    }

    [Fact]
    public async Task Duplicate_rows_within_a_file_come_out_as_the_same_play_twice_for_the_unique_key_to_collapse()
    {
        var plays = (await ReadFileAsync(Bad("duplicates.json"))).Select(r => r.Play!).ToList();

        Assert.Equal(3, plays.Count);
        Assert.Equal(plays[0], plays[1] with { Artists = plays[0].Artists });
        Assert.Equal(2, plays.Select(p => (p.TrackSpotifyId, p.PlayedAt)).Distinct().Count());
    }

    [Fact]
    public async Task A_huge_string_makes_its_row_invalid_without_stopping_the_file()
    {
        var huge = new string('x', 1025);
        var json = $$"""[{"ts":"2020-01-01T00:00:00Z","ms_played":1,"master_metadata_track_name":"{{huge}}","master_metadata_album_artist_name":"A","spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC"},{"ts":"2020-01-01T00:00:00Z","ms_played":1,"master_metadata_track_name":"ok","master_metadata_album_artist_name":"A","spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC","ip_addr":"{{new string('y', 200_000)}}"},{"ts":"2020-01-01T00:00:00Z","ms_played":1,"master_metadata_track_name":"fine","master_metadata_album_artist_name":"A","spotify_track_uri":"spotify:track:4uLU6hMCjMI75M1A2tKUQC"}]""";

        var rows = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "x.json");

        Assert.Equal("master_metadata_track_name is over 1024 characters", rows[0].Detail);
        Assert.Equal("a text value is over 1024 characters", rows[1].Detail);
        Assert.Equal("fine", rows[2].Play!.TrackName);
    }

    [Fact]
    public async Task A_row_bigger_than_the_row_limit_stops_the_file_instead_of_growing_memory()
    {
        var json = $$"""[{"ts":"2020-01-01T00:00:00Z","x":"{{new string('y', 3_000_000)}}"}]""";

        var ex = await FailsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "x.json");

        Assert.StartsWith("A row starting at byte 1 is larger than 1024 KB", ex.Message);
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused()
    {
        var json = "[" + new string('[', 5000) + new string(']', 5000) + "]";

        var ex = await FailsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "deep.json");

        Assert.StartsWith("The JSON nests deeper than 16 levels", ex.Message);
    }

    [Fact]
    public async Task Nesting_inside_a_row_beyond_the_limit_is_refused_too()
    {
        var json = "[{\"ts\":" + new string('[', 40) + new string(']', 40) + "}]";

        var ex = await FailsAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), "deep.json");

        Assert.StartsWith("The JSON nests deeper than 16 levels", ex.Message);
    }
}
