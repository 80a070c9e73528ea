using System.Security.Cryptography;
using System.Text.Json;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Jobs.Import.Parsers;
using static MyiV3.Tests.Import.Parsers.ParserTestKit;

namespace MyiV3.Tests.Import.Parsers;

/// <summary>The generator is deterministic, realistic, and the parser reads back exactly what it says it wrote.</summary>
public sealed class GeneratorRoundTripTests
{
    private static readonly HistoryGeneratorOptions Small = new() { Plays = 6_000, Years = 3, Seed = 7, RowsPerFile = 1_500, OverlapRows = 30, VideoRows = 12 };

    private static MemoryStream ZipOf(HistoryGeneratorOptions options, GeneratedLayout layout, out GeneratedHistory history)
    {
        var zip = new MemoryStream();
        history = new HistoryGenerator(options).WriteZip(zip, layout);
        zip.Position = 0;
        return zip;
    }

    [Fact]
    public void The_same_seed_gives_the_same_bytes_and_another_seed_other_bytes()
    {
        static string Hash(HistoryGeneratorOptions o) => Convert.ToHexString(SHA256.HashData(ZipOf(o, GeneratedLayout.Extended, out _).ToArray()));

        Assert.Equal(Hash(Small), Hash(Small));
        Assert.NotEqual(Hash(Small), Hash(Small with { Seed = 8 }));
    }

    [Theory]
    [InlineData(GeneratedLayout.Extended)]
    [InlineData(GeneratedLayout.Endsong)]
    public async Task An_extended_export_parses_to_exactly_the_plays_and_skips_the_generator_reports(GeneratedLayout layout)
    {
        using var zip = ZipOf(Small, layout, out var history);
        var generator = new HistoryGenerator(Small);

        var rows = await ReadAsync(zip, "my_spotify_data.zip");

        Assert.Equal(history.Rows, rows.Count);
        Assert.Equal(history.PlayRows, rows.Count(r => r.IsPlay));
        Assert.Equal(history.NonMusicRows, rows.Count(r => r.Skip == SkipReason.NonMusic));
        Assert.Equal(history.ZeroMsRows, rows.Count(r => r.Skip == SkipReason.ZeroMs));
        Assert.DoesNotContain(rows, r => r.Skip == SkipReason.Invalid);
        Assert.Equal(Small.Plays, history.DistinctPlays);
        Assert.True(history.DuplicatePlayRows > 0, "files overlap");

        var distinct = rows.Where(r => r.IsPlay).Select(r => r.Play!).DistinctBy(p => (p.TrackSpotifyId, p.PlayedAt)).OrderBy(p => p.PlayedAt).ToList();
        var expected = generator.ExpectedPlays(layout).ToList();
        Assert.Equal(expected.Count, distinct.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (want, got) = (expected[i], distinct[i]);
            Assert.Equal(want.EndedAt, got.PlayedAt.UtcDateTime);
            Assert.Equal(want.Track.SpotifyId, got.TrackSpotifyId);
            Assert.Equal(want.Track.Name, got.TrackName);
            Assert.Equal(want.Track.Album.Artist.Name, got.Artists[0].Name);
            Assert.Equal(want.Track.Album.Name, got.AlbumName);
            Assert.Equal(want.MsPlayed, got.MsPlayed);
            Assert.Equal(want.Skipped, got.Skipped);
            Assert.Equal(want.Shuffle, got.Shuffle);
            Assert.Equal(want.ReasonStart, got.ReasonStart);
            Assert.Equal(want.ReasonEnd, got.ReasonEnd);
            Assert.Equal(want.Platform, got.Platform);
            Assert.Equal(want.ConnCountry, got.ConnCountry);
            Assert.Equal(want.Offline, got.Offline);
            Assert.Equal(want.Incognito, got.Incognito);
        }

        Assert.Equal(history.SkippedPlays, distinct.Count(p => p.Skipped == true));
        Assert.Equal(history.TotalMsPlayed, distinct.Sum(p => (long)p.MsPlayed));
    }

    [Fact]
    public async Task An_account_data_export_keeps_every_same_minute_play_and_collapses_only_the_overlap()
    {
        using var zip = ZipOf(Small, GeneratedLayout.AccountData, out var history);
        var expected = new HistoryGenerator(Small).ExpectedPlays(GeneratedLayout.AccountData).ToList();

        var rows = await ReadAsync(zip, "my_spotify_data.zip");

        Assert.Equal(history.PlayRows, rows.Count(r => r.IsPlay));
        Assert.Equal(history.NonMusicRows, rows.Count(r => r.Skip == SkipReason.NonMusic));
        Assert.Equal(history.ZeroMsRows, rows.Count(r => r.Skip == SkipReason.ZeroMs));
        // The unique key the engine will use for a provisional track: (played_at, track name, artist name).
        var distinct = rows.Where(r => r.IsPlay).Select(r => r.Play!).DistinctBy(p => (p.PlayedAt, p.TrackName, p.Artists[0].Name)).OrderBy(p => p.PlayedAt).ThenBy(p => p.MsPlayed).ToList();
        Assert.Equal(expected.Count, distinct.Count);
        Assert.Equal(history.DistinctPlays, distinct.Count);

        var sameMinutePairs = expected.Zip(expected.Skip(1)).Count(p => p.First.Track == p.Second.Track && Minute(p.First.EndedAt) == Minute(p.Second.EndedAt));
        Assert.True(sameMinutePairs > 10, $"the generated history holds skip-then-replay pairs ({sameMinutePairs})");

        // Each play stays in the minute Spotify reported, with its own length.
        var byKey = expected.GroupBy(p => (Minute(p.EndedAt), p.Track.Name, p.Track.Album.Artist.Name, p.MsPlayed)).ToDictionary(g => g.Key, g => g.Count());
        Assert.All(byKey.Values, c => Assert.Equal(1, c));
        Assert.All(distinct, p => Assert.True(byKey.ContainsKey((Minute(p.PlayedAt.UtcDateTime), p.TrackName, p.Artists[0].Name, p.MsPlayed)), p.ToString()));
    }

    [Fact]
    public void The_history_is_realistic_power_law_several_years_skips_shuffles_multi_artist()
    {
        var generator = new HistoryGenerator(Small);
        var plays = generator.ExpectedPlays().ToList();

        var perTrack = plays.GroupBy(p => p.Track.Index).Select(g => g.Count()).OrderDescending().ToList();
        Assert.True(perTrack[0] > 20 * perTrack[perTrack.Count / 2], $"top {perTrack[0]} vs median {perTrack[perTrack.Count / 2]}");
        Assert.Equal(3, plays.Select(p => p.EndedAt.Year).Distinct().Count());
        Assert.InRange(plays.Count(p => p.Skipped) / (double)plays.Count, 0.15, 0.35);
        Assert.InRange(plays.Count(p => p.Shuffle) / (double)plays.Count, 0.15, 0.6);
        Assert.Contains(generator.Catalog.Tracks, t => t.Artists.Count > 1);
        Assert.All(plays.Zip(plays.Skip(1)), p => Assert.True(p.First.EndedAt < p.Second.EndedAt));
        var hours = plays.GroupBy(p => p.EndedAt.Hour).ToDictionary(g => g.Key, g => g.Count());
        Assert.True(hours[19] > 5 * hours.GetValueOrDefault(4), "evenings are busier than the small hours");
    }

    [Fact]
    public void Files_are_named_and_laid_out_like_a_real_export_and_overlap()
    {
        var dir = TempDir();
        try
        {
            var history = new HistoryGenerator(Small).WriteFiles(dir);

            var audio = history.Files.Where(f => f.Name.Contains("Streaming_History_Audio_", StringComparison.Ordinal)).ToList();
            Assert.True(audio.Count >= 4);
            Assert.All(history.Files, f => Assert.StartsWith("Spotify Extended Streaming History/", f.Name));
            Assert.Matches(@"Streaming_History_Audio_20\d\d(-20\d\d)?_0\.json$", audio[0].Name);
            Assert.Single(history.Files, f => f.Name.EndsWith("Streaming_History_Video_2022-2024.json", StringComparison.Ordinal));

            using var first = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, Path.GetFileName(audio[0].Name))));
            using var second = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(dir, Path.GetFileName(audio[1].Name))));
            var tail = first.RootElement.EnumerateArray().TakeLast(Small.OverlapRows).Select(e => e.GetRawText());
            var head = second.RootElement.EnumerateArray().Take(Small.OverlapRows).Select(e => e.GetRawText());
            Assert.Equal(tail, head);

            var row = first.RootElement[0];
            Assert.Equal(
                ["ts", "platform", "ms_played", "conn_country", "ip_addr", "master_metadata_track_name", "master_metadata_album_artist_name",
                 "master_metadata_album_album_name", "spotify_track_uri", "episode_name", "episode_show_name", "spotify_episode_uri",
                 "audiobook_title", "audiobook_uri", "audiobook_chapter_uri", "audiobook_chapter_title", "reason_start", "reason_end",
                 "shuffle", "skipped", "offline", "offline_timestamp", "incognito_mode"],
                row.EnumerateObject().Select(p => p.Name));
            Assert.StartsWith("[\n    {\n        \"ts\": \"", File.ReadAllText(Path.Combine(dir, Path.GetFileName(audio[0].Name))));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task A_single_large_file_streams_all_rows_and_parses_to_the_same_counts()
    {
        var options = HistoryGenerator.ForApproximateSize(4 * 1024 * 1024, seed: 3);
        var path = Path.Combine(TempDir(), "Streaming_History_Audio_big.json");
        try
        {
            GeneratedHistory history;
            await using (var file = File.Create(path))
            {
                history = new HistoryGenerator(options).WriteSingleFile(file);
            }

            Assert.Single(history.Files);
            Assert.Equal(new FileInfo(path).Length, history.JsonBytes);
            Assert.InRange(history.JsonBytes, 3 * 1024 * 1024, 5 * 1024 * 1024);
            var rows = await ReadFileAsync(path);
            Assert.Equal(history.Rows, rows.Count);
            Assert.Equal(history.DistinctPlays, rows.Count(r => r.IsPlay));
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(path)!, recursive: true);
        }
    }

    [Fact]
    public void Describe_counts_what_the_writers_write()
    {
        var generator = new HistoryGenerator(Small);
        using var zip = ZipOf(Small, GeneratedLayout.Extended, out var written);

        Assert.Equal(written, generator.Describe() with { Files = written.Files });
        Assert.Equal(written.Files, generator.Describe().Files);
    }

    private static DateTime Minute(DateTime t) => new(t.Year, t.Month, t.Day, t.Hour, t.Minute, 0, DateTimeKind.Utc);
}
