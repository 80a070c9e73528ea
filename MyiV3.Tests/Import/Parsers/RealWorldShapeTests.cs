using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using MyiV3.Jobs.Import.Parsers;
using static MyiV3.Tests.Import.Parsers.ParserTestKit;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>
/// History files in the shapes real Spotify exports have had over the years (samples hand-written after rows people
/// published in importer bug reports; docs/IMPORT_FORMATS.md lists the sources), and the byte-level variants a
/// file goes through on its way to us (BOM, CRLF, minified with escaped text).
/// </summary>
public sealed class RealWorldShapeTests
{
    private const string Row = """{"ts":"2024-03-09T21:04:05Z","ms_played":201345,"master_metadata_track_name":"T","master_metadata_album_artist_name":"A","spotify_track_uri":"spotify:track:7ouMYWpwJ422jRcDASZB7P"}""";

    private static string RealWorld(string name) => Sample(Path.Combine("RealWorld", name));

    private static Task<List<ParsedRow>> ReadJsonAsync(string json, string name = "Streaming_History_Audio_2024_0.json") =>
        ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json)), name);

    /// <summary>Row outcome and every kept value, comparable across runs (a play's artist list is compared by content).</summary>
    private static List<string> Outcomes(IEnumerable<ParsedRow> rows) =>
        [.. rows.Select(r => r.Play is { } p
            ? string.Create(CultureInfo.InvariantCulture, $"{r.Row} play {p.PlayedAt:O} {p.MsPlayed} {p.TrackSpotifyId} {p.TrackName} | {string.Join(";", p.Artists)} | {p.AlbumName} {p.Skipped} {p.Shuffle} {p.ReasonStart} {p.ReasonEnd} {p.Platform} {p.ConnCountry} {p.Offline} {p.Incognito}")
            : string.Create(CultureInfo.InvariantCulture, $"{r.Row} {r.Skip} {r.Detail}"))];

    [Fact]
    public async Task Escapes_the_database_cannot_store_are_cleaned_and_the_play_kept()
    {
        // \u0000 (PostgreSQL's text holds no NUL) and half of a surrogate pair (not UTF-8): a damaged
        // name must not fail the whole upload. A whole escaped pair (an emoji) stays as it is.
        var json = "[" + Row.Replace("\"T\"", "\"Bad\\u0000Name \\ud83d\"", StringComparison.Ordinal) + ","
            + Row.Replace("2024-03-09T21:04:05Z", "2024-03-09T21:09:05Z", StringComparison.Ordinal).Replace("\"A\"", "\"\\ud83d\\ude00 Artist\"", StringComparison.Ordinal) + "]";

        var rows = await ReadJsonAsync(json);

        Assert.Equal(["BadName \uFFFD", "T"], rows.Select(r => r.Play!.TrackName).ToArray());
        Assert.Equal("\U0001F600 Artist", rows[1].Play!.Artists[0].Name);
    }

    [Fact]
    public async Task Bytes_that_are_not_utf8_in_a_name_become_replacement_characters_and_the_play_is_kept()
    {
        // A name damaged in the file itself (a Latin-1 é, a cut multi-byte character): the JSON reader
        // finds the string's end but cannot decode it; one bad name must not fail a whole export.
        var json = Encoding.UTF8.GetBytes("[" + Row.Replace("\"T\"", "\"Caf@ Song\"", StringComparison.Ordinal)
            .Replace("\"A\"", "\"Long name of an artist that is over the cache's 128 bytes, written out at length so that it is decoded every time @\"", StringComparison.Ordinal)
            + "," + Row.Replace("2024-03-09T21:04:05Z", "2024-03-09T21:09:05Z", StringComparison.Ordinal).Replace("\"spotify_track_uri\"", "\"sp\\udc00\"", StringComparison.Ordinal) + "]");
        var at = Array.IndexOf(json, (byte)'@');
        json[at] = 0xE9;
        json[Array.IndexOf(json, (byte)'@', at + 1)] = 0xC3;

        var rows = await ReadAsync(new MemoryStream(json), "Streaming_History_Audio_2024_0.json");

        Assert.Equal("Caf\uFFFD Song", rows[0].Play!.TrackName);
        Assert.EndsWith("at length so that it is decoded every time \uFFFD", rows[0].Play!.Artists[0].Name, StringComparison.Ordinal);
        // A property name with half an escaped surrogate pair is no field of ours: read past like any unknown
        // one (so this row has no track URI field, and is a play known by name, as in the 2020 files).
        Assert.Equal(2, rows.Count);
        Assert.Null(rows[1].Play!.TrackSpotifyId);
    }

    [Fact]
    public async Task The_2020_endsong_shape_without_uri_fields_imports_its_music_by_name_and_skips_the_rest()
    {
        // The first extended exports had no spotify_track_uri / spotify_episode_uri fields at all, and
        // city/region/metro_code/longitude/latitude, offline_timestamp in milliseconds, skipped always null.
        var rows = await ReadFileAsync(RealWorld("endsong_0.json"));

        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(HistoryFormat.ExtendedStreamingHistory, r.Format));
        var play = rows[0].Play!;
        Assert.Equal(new DateTimeOffset(2020, 2, 11, 16, 31, 21, TimeSpan.Zero), play.PlayedAt);
        Assert.Equal(290736, play.MsPlayed);
        Assert.Null(play.TrackSpotifyId);
        Assert.Equal("Carrion Lanterns", play.TrackName);
        Assert.Equal("Chelsea Fakewolf", Assert.Single(play.Artists).Name);
        Assert.Equal("Abyssal Fake", play.AlbumName);
        Assert.Null(play.Skipped);
        Assert.False(play.Shuffle);
        Assert.False(play.Offline);
        Assert.False(play.Incognito);
        Assert.Equal("Android OS 9 API 28 (HUAWEI, BND-L21)", play.Platform);
        Assert.Equal("DE", play.ConnCountry);
        Assert.Equal(("trackdone", "trackdone"), (play.ReasonStart, play.ReasonEnd));
        Assert.Equal(SkipReason.NonMusic, rows[1].Skip); // podcast episode: episode_name set
        Assert.Equal(SkipReason.NonMusic, rows[2].Skip); // no names at all: a local file or something unknown
        Assert.Equal(SkipReason.ZeroMs, rows[3].Skip);
    }

    [Fact]
    public async Task The_2021_endsong_shape_with_location_fields_reads_like_any_extended_file()
    {
        // URIs present, city/region null or text, metro_code/longitude/latitude numbers, offline_timestamp 0,
        // offline/incognito_mode null, reason_start "appload".
        var rows = await ReadFileAsync(RealWorld("endsong_1.json"));

        Assert.Equal(2, rows.Count(r => r.IsPlay));
        var first = rows[0].Play!;
        Assert.Equal(new DateTimeOffset(2016, 5, 25, 5, 35, 12, TimeSpan.Zero), first.PlayedAt);
        Assert.Equal("454IPfzFpYJsCvqbS0UDbR", first.TrackSpotifyId);
        Assert.Equal("appload", first.ReasonStart);
        Assert.Equal("Partner sonos_ppc Sonos;ZPS1;;", first.Platform);
        Assert.Null(first.Skipped);
        Assert.True(first.Shuffle);
        var second = rows[1].Play!;
        Assert.Equal("0VjIjW4GlUZAMYd2vXMi3b", second.TrackSpotifyId);
        Assert.Equal("Fake Marble", second.TrackName);
        Assert.Null(second.Offline);
        Assert.Null(second.Incognito);
    }

    [Fact]
    public async Task The_current_audio_shape_with_audiobooks_ipv6_and_every_offline_timestamp_form()
    {
        var rows = await ReadFileAsync(RealWorld("Streaming_History_Audio_2024-2025_3.json"));

        Assert.Equal(6, rows.Count);
        var first = rows[0].Play!;
        Assert.Equal(new DateTimeOffset(2024, 3, 9, 21, 4, 5, TimeSpan.Zero), first.PlayedAt);
        Assert.Equal("7ouMYWpwJ422jRcDASZB7P", first.TrackSpotifyId);
        Assert.Equal("Fake Sunrise 🌅 (Réédition)", first.TrackName);
        Assert.Equal("Sigur Fák", first.Artists[0].Name);
        Assert.Equal("Ágætis Fake", first.AlbumName);
        Assert.False(first.Skipped);
        Assert.Equal(SkipReason.NonMusic, rows[1].Skip); // audiobook chapter
        Assert.Equal(SkipReason.NonMusic, rows[2].Skip); // podcast episode
        var skipped = rows[3].Play!;
        Assert.Equal(4321, skipped.MsPlayed);
        Assert.True(skipped.Skipped);
        Assert.True(skipped.Shuffle);
        Assert.True(skipped.Offline);
        Assert.Null(skipped.Incognito);
        Assert.Equal(("clickrow", "fwdbtn", "NO"), (skipped.ReasonStart, skipped.ReasonEnd, skipped.ConnCountry));
        Assert.Equal(SkipReason.NonMusic, rows[4].Skip); // no track, episode or audiobook named: local file
        Assert.Equal(SkipReason.ZeroMs, rows[5].Skip);
        Assert.All(rows, r => Assert.Null(r.Detail));
    }

    [Fact]
    public async Task Account_data_music_as_Spotify_writes_it_keeps_plays_and_skips_zero_ms()
    {
        var rows = await ReadFileAsync(RealWorld("StreamingHistory_music_0.json"));

        Assert.Equal(4, rows.Count);
        Assert.All(rows, r => Assert.Equal(HistoryFormat.AccountDataMusic, r.Format));
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 18, 43, 36, 783, TimeSpan.Zero), rows[0].Play!.PlayedAt);
        Assert.Equal("Oh Ms Fakebeliever", rows[0].Play!.TrackName);
        Assert.Equal(SkipReason.ZeroMs, rows[1].Skip);
        Assert.Equal("Giorno's Theme (From \"JoJo's Fake Adventure\")", rows[2].Play!.TrackName);
        Assert.Equal("Ljósið 🌙", rows[3].Play!.TrackName);
        Assert.Equal("Ólafur Fakeson", rows[3].Play!.Artists[0].Name);
        Assert.Equal(new DateTimeOffset(2024, 5, 6, 22, 41, 5, 12, TimeSpan.Zero), rows[3].Play!.PlayedAt);
    }

    public static TheoryData<string, string> Encodings() => new MatrixTheoryData<string, string>(
        ["endsong_0.json", "endsong_1.json", "Streaming_History_Audio_2024-2025_3.json", "StreamingHistory_music_0.json"],
        ["bom", "crlf", "bom+crlf", "minified-escaped", "minified-escaped+bom"]);

    [Theory]
    [MemberData(nameof(Encodings))]
    public async Task A_file_with_a_bom_crlf_or_minified_with_escaped_text_gives_the_same_rows(string sample, string variant)
    {
        var text = await File.ReadAllTextAsync(RealWorld(sample), TestContext.Current.CancellationToken);
        var expected = Outcomes(await ReadFileAsync(RealWorld(sample)));

        if (variant.Contains("minified", StringComparison.Ordinal))
        {
            // System.Text.Json's default encoder writes every non-ASCII character (and ' " +) as \uXXXX.
            var hasNonAscii = text.Any(c => c > '\u007f');
            text = JsonNode.Parse(text)!.ToJsonString();
            Assert.DoesNotContain("\n", text, StringComparison.Ordinal);
            Assert.Equal(hasNonAscii, text.Contains("\\u", StringComparison.Ordinal));
        }

        if (variant.Contains("crlf", StringComparison.Ordinal))
        {
            text = text.Replace("\n", "\r\n", StringComparison.Ordinal);
        }

        var bytes = Encoding.UTF8.GetBytes(text);
        if (variant.Contains("bom", StringComparison.Ordinal))
        {
            bytes = [0xEF, 0xBB, 0xBF, .. bytes];
        }

        var rows = await ReadAsync(new MemoryStream(bytes), sample);

        Assert.NotEmpty(expected);
        Assert.Equal(expected, Outcomes(rows));
    }

    [Fact]
    public async Task Unknown_fields_of_any_type_added_by_newer_exports_are_read_past()
    {
        var json = """
            [{"ts":"2024-03-09T21:04:05Z","future_text":"x","future_number":1.5e3,"future_flag":true,"future_null":null,
              "future_object":{"nested":[1,{"deeper":[null,"y"]}]},"future_list":[{"a":1},{"b":[2,3]}],
              "ms_played":201345,"master_metadata_track_name":"T","master_metadata_album_artist_name":"A",
              "spotify_track_uri":"spotify:track:7ouMYWpwJ422jRcDASZB7P","reason_end":"trackdone","shuffle":false}]
            """;

        var play = Assert.Single(await ReadJsonAsync(json)).Play!;

        Assert.Equal(201345, play.MsPlayed);
        Assert.Equal("7ouMYWpwJ422jRcDASZB7P", play.TrackSpotifyId);
        Assert.Equal("trackdone", play.ReasonEnd);
        Assert.False(play.Shuffle);
    }

    [Theory]
    [InlineData("2024-03-09T21:04:05Z", 0)]
    [InlineData("2024-03-09T21:04:05.123Z", 1_230_000)]
    [InlineData("2024-03-09T21:04:05.1234567Z", 1_234_567)]
    public async Task Ts_with_or_without_fractional_seconds_keeps_its_instant(string ts, long ticks)
    {
        var json = "[" + Row.Replace("2024-03-09T21:04:05Z", ts, StringComparison.Ordinal) + "]";

        var play = Assert.Single(await ReadJsonAsync(json)).Play!;

        Assert.Equal(new DateTimeOffset(2024, 3, 9, 21, 4, 5, TimeSpan.Zero).AddTicks(ticks), play.PlayedAt);
        Assert.Equal(TimeSpan.Zero, play.PlayedAt.Offset);
    }

    [Fact]
    public async Task A_local_file_uri_is_skipped_as_non_music_not_reported_invalid()
    {
        var json = "[" + Row.Replace("spotify:track:7ouMYWpwJ422jRcDASZB7P", "spotify:local:Fake+Artist:Fake+Album:Fake+Song:215", StringComparison.Ordinal) + "," + Row + "]";

        var rows = await ReadJsonAsync(json);

        Assert.Equal(SkipReason.NonMusic, rows[0].Skip);
        Assert.Null(rows[0].Detail);
        Assert.True(rows[1].IsPlay);
    }

    [Fact]
    public async Task A_row_whose_track_uri_is_null_but_names_a_track_is_not_counted_as_a_play()
    {
        // What Spotify writes for a local file varies; with the field present and null there is no Spotify track.
        var json = "[" + Row.Replace("\"spotify:track:7ouMYWpwJ422jRcDASZB7P\"", "null", StringComparison.Ordinal) + "]";

        Assert.Equal(SkipReason.NonMusic, Assert.Single(await ReadJsonAsync(json)).Skip);
    }

    [Fact]
    public async Task A_long_platform_is_kept_and_an_absurdly_long_one_is_cut_without_losing_the_play()
    {
        var realistic = "Partner android_tv Sony;BRAVIA 4K UR2;" + string.Concat(Enumerable.Repeat("Android TV OS 11 API 30 (Sony, BRAVIA_ATV3_4K);", 4));
        var absurd = new string('p', 20_000);
        string WithPlatform(string platform) => Row.Replace("\"ts\"", $"\"platform\":\"{platform}\",\"ts\"", StringComparison.Ordinal);

        var rows = await ReadJsonAsync($"[{WithPlatform(realistic)},{WithPlatform(absurd)}]");

        Assert.Equal(realistic, rows[0].Play!.Platform);
        Assert.Equal(new string('p', HistoryReaderOptions.Default.MaxStringLength), rows[1].Play!.Platform);
        Assert.Equal(201345, rows[1].Play!.MsPlayed);
    }

    [Fact]
    public async Task An_over_long_platform_is_never_cut_through_an_emoji()
    {
        var max = HistoryReaderOptions.Default.MaxStringLength;
        // The emoji's two UTF-16 halves sit across the cut: both must go, or the text is no longer valid UTF-8.
        var platform = new string('p', max - 1) + "\ud83c\udfb5" + new string('q', 100);
        var json = "[" + Row.Replace("\"ts\"", $"\"platform\":\"{platform}\",\"ts\"", StringComparison.Ordinal) + "]";

        var play = Assert.Single(await ReadJsonAsync(json)).Play!;

        Assert.Equal(new string('p', max - 1), play.Platform);
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("[ ]\n")]
    [InlineData("[\r\n]\r\n")]
    public async Task An_empty_history_file_as_Spotify_writes_it_has_no_rows_and_is_no_error(string json)
    {
        var rows = await ReadJsonAsync(json, "Streaming_History_Video_2019-2025.json");

        Assert.Empty(rows);
    }
}
