using System.Globalization;
using System.Text;
using System.Text.Json;
using MyiV3.Jobs.Import.Parsers;
using static MyiV3.Tests.Import.Parsers.ParserTestKit;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>
/// The parser's shortcuts (Spotify's timestamp form read from its bytes, recent text values and track ids
/// reused) must give exactly what the general path gives.
/// </summary>
public sealed class ShortcutTests
{
    public static TheoryData<string> Timestamps => new(
        "2017-01-03T05:52:25Z", "2006-01-01T00:00:00Z", "2024-02-29T23:59:59Z", "2023-02-29T12:00:00Z", "2023-04-31T12:00:00Z",
        "2023-13-01T12:00:00Z", "2023-00-10T12:00:00Z", "2023-01-00T12:00:00Z", "2023-01-01T24:00:00Z", "2023-01-01T23:60:00Z",
        "2023-01-01T23:59:60Z", "0000-01-01T00:00:00Z", "0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", "2023-01-01t12:00:00Z",
        "2023-01-01T12:00:00z", "2023-01-01 12:00:00Z", "2023-01-01T12:00:00", "2023-01-01T12:00:00.123Z", "2023-01-01T12:00:00+00:00",
        "2023-1-01T12:00:00Z", "2023-01-01T12:00:0xZ", "+023-01-01T12:00:00Z", "2023-01-01T12:00:00ZZ", "");

    [Theory]
    [MemberData(nameof(Timestamps))]
    public void The_timestamp_shortcut_reads_what_the_json_reader_reads_or_leaves_it_to_it(string ts)
    {
        var bytes = Encoding.UTF8.GetBytes(ts);
        if (!RowObjectReader.TryParseUtcSecond(bytes, out var fast))
        {
            return;
        }

        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes($"\"{ts}\""));
        reader.Read();
        Assert.True(reader.TryGetDateTime(out var general), ts);
        Assert.Equal(DateTimeKind.Utc, general.Kind);
        Assert.Equal(general, fast);
        Assert.Equal(DateTimeKind.Utc, fast.Kind);
    }

    [Fact]
    public void The_timestamp_shortcut_takes_every_second_of_spotifys_form()
    {
        var random = new Random(7);
        for (var i = 0; i < 20_000; i++)
        {
            var t = new DateTime(2006, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds(random.NextInt64(0, 25L * 365 * 86_400));
            var ts = t.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
            Assert.True(RowObjectReader.TryParseUtcSecond(Encoding.UTF8.GetBytes(ts), out var fast), ts);
            Assert.Equal(t, fast);
            Assert.Equal(DateTimeKind.Utc, fast.Kind);
        }
    }

    [Fact]
    public async Task Reused_text_values_and_track_ids_are_each_rows_own()
    {
        // Values of one length that share their first and last eight bytes land in the same slot of the
        // cache and replace each other; repeats, escaped spellings and raw UTF-8 come in between.
        var names = Enumerable.Range(0, 300).Select(i => string.Create(CultureInfo.InvariantCulture, $"Song of the {i:D4} night")).ToList();
        var ids = Enumerable.Range(0, 300).Select(i => string.Create(CultureInfo.InvariantCulture, $"AAAAAAAAAAAAAAAAA{i:D5}")).ToList();
        var random = new Random(11);
        var expected = new List<(string Name, string Artist, string Id, string Platform)>();
        var json = new StringBuilder("[");
        for (var row = 0; row < 5_000; row++)
        {
            var n = random.Next(names.Count);
            var artist = (row % 3) switch { 0 => "Café Tacvba", 1 => "Beyoncé", _ => "Sigur Rós" };
            var platform = row % 2 == 0 ? "ios" : "android";
            var escapedArtist = row % 5 == 0 ? artist.Replace("é", "\\u00e9", StringComparison.Ordinal).Replace("ó", "\\u00f3", StringComparison.Ordinal) : artist;
            expected.Add((names[n], artist, ids[n], platform));
            json.Append(row == 0 ? "" : ",").Append(CultureInfo.InvariantCulture, $$"""
                {"ts":"2020-01-01T00:00:00Z","platform":"{{platform}}","ms_played":{{row + 1}},"master_metadata_track_name":"{{names[n]}}","master_metadata_album_artist_name":"{{escapedArtist}}","spotify_track_uri":"spotify:track:{{ids[n]}}"}
                """);
        }

        json.Append(']');
        var rows = await ReadAsync(new MemoryStream(Encoding.UTF8.GetBytes(json.ToString())), "Streaming_History_Audio_2020.json");
        Assert.Equal(expected.Count, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var play = rows[i].Play!;
            Assert.Equal(expected[i].Name, play.TrackName);
            Assert.Equal(expected[i].Artist, play.Artists[0].Name);
            Assert.Equal(expected[i].Id, play.TrackSpotifyId);
            Assert.Equal(expected[i].Platform, play.Platform);
        }
    }
}
