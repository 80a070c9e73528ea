using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Tests.Fixtures;
using static MyiV3.Tests.Fixtures.Plays;

namespace MyiV3.Tests.Ingestion;

public sealed class IngestionEngineTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    private static List<PlayRecord> History(int count, int seed, DateTimeOffset start)
    {
        var rng = new Random(seed);
        var plays = new List<PlayRecord>();
        var t = start;
        for (var i = 0; i < count; i++)
        {
            t = t.AddSeconds(rng.Next(30, 20_000));
            var track = $"trk{rng.Next(0, 40):D19}";
            var skipped = rng.Next(0, 5) == 0;
            plays.Add(Track(track, t, skipped ? rng.Next(500, 20_000) : rng.Next(60_000, 300_000), artist: $"Artist {track[^1]}", skipped: skipped));
        }

        return plays;
    }

    private async Task AssertVerifiedAsync(StatsRebuilder stats, long user)
    {
        var diffs = await stats.VerifyAsync(user, TestContext.Current.CancellationToken);
        Assert.True(diffs.Count == 0, string.Join("\n", diffs.Take(10)));
    }

    [Fact]
    public async Task A_batch_writes_events_and_every_statistic_exactly()
    {
        var user = await TestUsers.CreateAsync(Db, "Europe/Berlin");
        var (engine, stats, notifier) = EngineFactory.Create(Db);
        var plays = History(500, 1, At("2023-03-20T00:00:00Z"));

        var result = await engine.IngestAsync(user, PlaySource.Import, plays, TestContext.Current.CancellationToken);

        Assert.Equal(new BatchResult(500, 0, 0), result);
        Assert.Equal(500L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        Assert.Equal(plays.Sum(p => (long)p.MsPlayed), await Db.ScalarAsync<long>("SELECT total_listening_ms FROM users WHERE id = $1", user));
        Assert.Equal(500L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user));

        // Independent expectations, computed here in C#, not by the engine's SQL.
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
        var byHour = plays.GroupBy(p => TimeZoneInfo.ConvertTime(p.PlayedAt, berlin).Hour).ToDictionary(g => (short)g.Key, g => (long)g.Count());
        foreach (var (hour, count) in byHour)
        {
            Assert.Equal(count, await Db.ScalarAsync<long>("SELECT play_count FROM user_hour_stats WHERE user_id = $1 AND hour = $2", user, hour));
        }

        var byWeek = plays.GroupBy(p =>
        {
            var local = TimeZoneInfo.ConvertTime(p.PlayedAt, berlin).Date;
            return DateOnly.FromDateTime(local.AddDays(-(((int)local.DayOfWeek + 6) % 7)));
        }).ToDictionary(g => g.Key, g => (long)g.Count());
        foreach (var (monday, count) in byWeek)
        {
            Assert.Equal(count, await Db.ScalarAsync<long>(
                "SELECT play_count FROM user_time_bucket_stats WHERE user_id = $1 AND bucket_type = 'WEEK' AND bucket_date = $2", user, monday));
        }

        var top = plays.GroupBy(p => p.TrackSpotifyId).OrderByDescending(g => g.Count()).First();
        Assert.Equal((long)top.Count(), await Db.TrackPlayCountAsync(user, top.Key!));
        Assert.Equal((long)top.Count(p => p.Skipped == true), await Db.ScalarAsync<long>(
            "SELECT s.skip_count FROM user_track_stats s JOIN tracks t ON t.id = s.track_id WHERE s.user_id = $1 AND t.spotify_id = $2", user, top.Key!));
        Assert.Equal(plays.Count, (int)await Db.ScalarAsync<long>("SELECT sum(play_count)::bigint FROM user_weekday_hour_stats WHERE user_id = $1", user));
        Assert.Contains(notifier.Events, e => e.UserId == user);
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Importing_the_same_plays_again_changes_nothing()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        var plays = History(300, 2, At("2022-01-01T00:00:00Z"));
        await engine.IngestAsync(user, PlaySource.Import, plays, TestContext.Current.CancellationToken);
        var before = await Db.ScalarAsync<string>("SELECT string_agg(s::text, ';' ORDER BY track_id) FROM user_track_stats s WHERE user_id = $1", user);

        var again = await engine.IngestAsync(user, PlaySource.Import, plays, TestContext.Current.CancellationToken);

        Assert.Equal(new BatchResult(0, 300, 0), again);
        Assert.Equal(before, await Db.ScalarAsync<string>("SELECT string_agg(s::text, ';' ORDER BY track_id) FROM user_track_stats s WHERE user_id = $1", user));
        Assert.Equal(300L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Overlapping_batches_count_each_play_once()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        var plays = History(400, 3, At("2021-06-01T00:00:00Z"));
        var first = await engine.IngestAsync(user, PlaySource.Import, plays[..250], TestContext.Current.CancellationToken);
        var second = await engine.IngestAsync(user, PlaySource.Import, plays[200..], TestContext.Current.CancellationToken);

        Assert.Equal(250, first.Inserted);
        Assert.Equal(150, second.Inserted);
        Assert.Equal(50, second.Duplicates);
        Assert.Equal(400L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Concurrent_ingestions_for_one_user_never_lose_or_double_an_increment()
    {
        var user = await TestUsers.CreateAsync(Db, "America/New_York");
        var (engine, stats, _) = EngineFactory.Create(Db);
        var plays = History(2_000, 4, At("2020-01-01T00:00:00Z"));
        // Four writers with overlapping slices (an import and a sync racing, or two imports).
        var slices = new[] { plays[..800], plays[600..1400], plays[1200..], plays.Where((_, i) => i % 5 == 0).ToList() };
        var results = await Task.WhenAll(slices.Select(s => Task.Run(() => engine.IngestAsync(user, PlaySource.Import, s, TestContext.Current.CancellationToken))));

        Assert.Equal(2_000, results.Sum(r => r.Inserted));
        Assert.Equal(2_000L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        Assert.Equal(plays.Sum(p => (long)p.MsPlayed), await Db.ScalarAsync<long>("SELECT sum(total_ms)::bigint FROM user_track_stats WHERE user_id = $1", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Theory]
    [InlineData(false)] // the API sent the end of playback, as documented
    [InlineData(true)]  // the API sent the start (spotify/web-api #613, #1083)
    public async Task An_import_replaces_the_API_estimate_of_the_same_play_and_stats_move_by_the_difference(bool apiSentStart)
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        var end = At("2024-05-05T18:03:20Z");
        const int exactMs = 95_000;      // the listener skipped after 95 s
        const int estimatedMs = 240_000; // sync only knows the track's duration
        var apiTime = apiSentStart ? end.AddMilliseconds(-exactMs).AddSeconds(2) : end.AddSeconds(-3);
        var other = Api("othertrack000000000000", end.AddMinutes(-30), 200_000);
        await engine.IngestAsync(user, PlaySource.Api, [Api("exacttrack000000000000", apiTime, estimatedMs), other], TestContext.Current.CancellationToken);
        Assert.Equal(estimatedMs + 200_000L, await Db.ScalarAsync<long>("SELECT total_listening_ms FROM users WHERE id = $1", user));

        var result = await engine.IngestAsync(user, PlaySource.Import, [Track("exacttrack000000000000", end, exactMs)], TestContext.Current.CancellationToken);

        Assert.Equal(1, result.Corrected);
        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user));
        Assert.Equal(exactMs, await Db.ScalarAsync<int>(
            "SELECT e.ms_played FROM listening_events e JOIN tracks t ON t.id = e.track_id WHERE e.user_id = $1 AND t.spotify_id = 'exacttrack000000000000'", user));
        Assert.Equal("IMPORT", await Db.ScalarAsync<string>(
            "SELECT e.source::text FROM listening_events e JOIN tracks t ON t.id = e.track_id WHERE e.user_id = $1 AND t.spotify_id = 'exacttrack000000000000'", user));
        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        Assert.Equal(exactMs + 200_000L, await Db.ScalarAsync<long>("SELECT total_listening_ms FROM users WHERE id = $1", user));
        await AssertVerifiedAsync(stats, user);

        // Importing again, or the API re-reporting the play, changes nothing.
        Assert.Equal(0, (await engine.IngestAsync(user, PlaySource.Import, [Track("exacttrack000000000000", end, exactMs)], TestContext.Current.CancellationToken)).Inserted);
        Assert.Equal(0, (await engine.IngestAsync(user, PlaySource.Api, [Api("exacttrack000000000000", apiTime, estimatedMs)], TestContext.Current.CancellationToken)).Inserted);
        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Sync_reporting_the_start_of_a_long_play_already_imported_does_not_count_it_again()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        // A two-and-a-half-hour mix, imported first: the export says it ended at `end`.
        var end = At("2024-08-08T22:30:00Z");
        const int ms = 9_000_000;
        await engine.IngestAsync(user, PlaySource.Import, [Track("longmix000000000000000", end, ms)], TestContext.Current.CancellationToken);

        // Sync then reports the same play at its start, hours before anything else the user has stored.
        var result = await engine.IngestAsync(user, PlaySource.Api,
            [Api("longmix000000000000000", end.AddMilliseconds(-ms).AddSeconds(4), ms)], TestContext.Current.CancellationToken);

        Assert.Equal(0, result.Inserted);
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Two_back_to_back_plays_of_one_track_stay_two_plays_after_correction()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        var end1 = At("2024-06-01T10:04:00Z");
        var end2 = end1.AddMinutes(4);
        await engine.IngestAsync(user, PlaySource.Api, [Api("looped0000000000000000", end1, 240_000), Api("looped0000000000000000", end2, 240_000)], TestContext.Current.CancellationToken);

        var result = await engine.IngestAsync(user, PlaySource.Import,
            [Track("looped0000000000000000", end1, 239_000), Track("looped0000000000000000", end2, 240_000)], TestContext.Current.CancellationToken);

        Assert.Equal(2, result.Corrected);
        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        Assert.Equal(479_000L, await Db.ScalarAsync<long>("SELECT total_listening_ms FROM users WHERE id = $1", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task A_replay_skipped_seconds_later_is_a_second_play_when_sync_reports_it()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        var end = At("2024-07-07T12:00:00Z");
        // Sync only knows the 4-minute duration; the replay was skipped after 8 s.
        await engine.IngestAsync(user, PlaySource.Api, [Api("replayed00000000000000", end, 240_000)], TestContext.Current.CancellationToken);
        var second = await engine.IngestAsync(user, PlaySource.Api, [Api("replayed00000000000000", end.AddSeconds(8), 240_000)], TestContext.Current.CancellationToken);

        Assert.Equal(1, second.Inserted);
        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Names_without_ids_map_to_one_provisional_row_per_name()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        await engine.IngestAsync(user, PlaySource.Import,
        [
            Named("Hey Jude", "The Beatles", At("2019-02-01T10:00:00Z"), 200_000),
            Named(" hey jude", "the beatles ", At("2019-02-02T10:00:00Z"), 200_000),
            Named("Let It Be", "The Beatles", At("2019-02-03T10:00:00Z"), 200_000),
        ], TestContext.Current.CancellationToken);

        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT count(*) FROM tracks WHERE is_provisional AND lower(name) IN ('hey jude', 'let it be', ' hey jude')"));
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM artists WHERE is_provisional AND lower(name) LIKE '%beatles%'"));
        Assert.Equal(3L, await Db.ScalarAsync<long>("SELECT play_count FROM user_artist_stats WHERE user_id = $1", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task A_track_with_several_artists_counts_for_each_artist()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        await engine.IngestAsync(user, PlaySource.Api,
            [Api("duet000000000000000000", At("2024-02-02T20:00:00Z"), 180_000, ("Ann", "artistann0000000000000"), ("Bob", "artistbob0000000000000"))],
            TestContext.Current.CancellationToken);

        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT count(*) FROM user_artist_stats WHERE user_id = $1 AND play_count = 1", user));
        Assert.Equal(2L, await Db.ScalarAsync<long>("SELECT cardinality(artist_ids)::bigint FROM user_month_artists WHERE user_id = $1 AND month = '2024-02-01'", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task A_track_keeps_the_album_it_was_first_cataloged_with_and_still_learns_its_duration()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        var ct = TestContext.Current.CancellationToken;
        // First seen in an export: an album by name, no duration.
        await engine.IngestAsync(user, PlaySource.Import, [Track("fixedalbum000000000000", At("2024-03-01T10:00:00Z"), 100_000, album: "First Album")], ct);
        // Later sources name another album, or none, and know the duration.
        await engine.IngestAsync(user, PlaySource.Import, [Track("fixedalbum000000000000", At("2024-03-02T10:00:00Z"), 100_000, album: "Other Album")], ct);
        await engine.IngestAsync(user, PlaySource.Api, [Api("fixedalbum000000000000", At("2024-03-03T10:00:00Z"), 210_000)], ct);
        // First seen without an album: it does not learn one later either.
        await engine.IngestAsync(user, PlaySource.Import, [Track("noalbum000000000000000", At("2024-03-01T12:00:00Z"), 100_000, album: null)], ct);
        await engine.IngestAsync(user, PlaySource.Import, [Track("noalbum000000000000000", At("2024-03-02T12:00:00Z"), 100_000, album: "Late Album")], ct);

        Assert.Equal("First Album", await Db.ScalarAsync<string>(
            "SELECT al.name FROM tracks t JOIN albums al ON al.id = t.album_id WHERE t.spotify_id = 'fixedalbum000000000000'"));
        Assert.Equal(210_000, await Db.ScalarAsync<int>("SELECT duration_ms FROM tracks WHERE spotify_id = 'fixedalbum000000000000'"));
        Assert.True(await Db.ScalarAsync<bool>("SELECT album_id IS NULL FROM tracks WHERE spotify_id = 'noalbum000000000000000'"));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Changing_the_time_zone_and_rebuilding_moves_hours_and_days()
    {
        var user = await TestUsers.CreateAsync(Db, "UTC");
        var (engine, stats, _) = EngineFactory.Create(Db);
        await engine.IngestAsync(user, PlaySource.Import, [Track("late000000000000000000", At("2024-01-01T23:30:00Z"), 100_000)], TestContext.Current.CancellationToken);
        Assert.Equal(23, await Db.ScalarAsync<short>("SELECT hour FROM user_hour_stats WHERE user_id = $1", user));

        await Db.ExecuteAsync("UPDATE user_settings SET time_zone = 'Asia/Tokyo' WHERE user_id = $1", user);
        await stats.RebuildAsync(user, TestContext.Current.CancellationToken);

        Assert.Equal(8, await Db.ScalarAsync<short>("SELECT hour FROM user_hour_stats WHERE user_id = $1", user));
        Assert.Equal(new DateOnly(2024, 1, 2), await Db.ScalarAsync<DateOnly>("SELECT bucket_date FROM user_time_bucket_stats WHERE user_id = $1 AND bucket_type = 'DAY'", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Verify_lists_every_stored_statistic_that_disagrees_with_the_events()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        await engine.IngestAsync(user, PlaySource.Import, History(50, 5, At("2018-01-01T00:00:00Z")), TestContext.Current.CancellationToken);
        await Db.ExecuteAsync("UPDATE user_hour_stats SET play_count = play_count + 1 WHERE user_id = $1 AND hour = (SELECT min(hour) FROM user_hour_stats WHERE user_id = $1)", user);
        await Db.ExecuteAsync("UPDATE users SET total_play_count = 7 WHERE id = $1", user);

        var diffs = await stats.VerifyAsync(user, TestContext.Current.CancellationToken);

        Assert.Equal(["user_hour_stats", "users"], diffs.Select(d => d.Table).Order(StringComparer.Ordinal));
        // Verify changes nothing.
        Assert.Equal(7L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
    }

    private sealed record AlbumRow(string Album, long Plays, long Ms, long Skips, DateTimeOffset First, DateTimeOffset Last);

    /// <summary>user_album_stats of the user, keyed by the album's catalog key (spotify_id), in key order.</summary>
    private async Task<List<AlbumRow>> AlbumStatsAsync(long user)
    {
        await using var cmd = Db.DataSource.CreateCommand("""
            SELECT al.spotify_id, s.play_count, s.total_ms, s.skip_count, s.first_played_at, s.last_played_at
            FROM user_album_stats s JOIN albums al ON al.id = s.album_id WHERE s.user_id = $1 ORDER BY al.spotify_id COLLATE "C"
            """);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = user });
        await using var r = await cmd.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<AlbumRow>();
        while (await r.ReadAsync(TestContext.Current.CancellationToken))
        {
            rows.Add(new AlbumRow(r.GetString(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5)));
        }

        return rows;
    }

    /// <summary>The same, computed here in C# from the plays: each counts for the album its track was first cataloged with.</summary>
    private static List<AlbumRow> ExpectedAlbumStats(IEnumerable<PlayRecord> plays)
    {
        var albumOf = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var p in plays)
        {
            albumOf.TryAdd(CatalogKeys.Track(p), CatalogKeys.Album(p));
        }

        return plays.Where(p => albumOf[CatalogKeys.Track(p)] is not null)
            .GroupBy(p => albumOf[CatalogKeys.Track(p)]!, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new AlbumRow(g.Key, g.Count(), g.Sum(p => (long)p.MsPlayed), g.Count(p => p.Skipped == true),
                g.Min(p => p.PlayedAt), g.Max(p => p.PlayedAt)))
            .ToList();
    }

    [Fact]
    public async Task Album_statistics_sum_the_plays_of_each_album_and_a_re_import_changes_nothing()
    {
        var user = await TestUsers.CreateAsync(Db, "Europe/Berlin");
        var (engine, stats, _) = EngineFactory.Create(Db);
        var ct = TestContext.Current.CancellationToken;
        var rng = new Random(11);
        var t = At("2022-05-01T00:00:00Z");
        var plays = new List<PlayRecord>();
        for (var i = 0; i < 400; i++)
        {
            t = t.AddSeconds(rng.Next(30, 20_000));
            var track = $"alb{rng.Next(0, 30):D19}";
            var skipped = rng.Next(0, 5) == 0;
            // Six albums by name; tracks ending in 0 have no album at all.
            plays.Add(Track(track, t, skipped ? rng.Next(500, 20_000) : rng.Next(60_000, 300_000), artist: $"Artist {track[^1] % 3}", skipped: skipped,
                album: track[^1] == '0' ? null : $"Album {track[^1] % 2}"));
        }

        await engine.IngestAsync(user, PlaySource.Import, plays[..250], ct);
        await engine.IngestAsync(user, PlaySource.Import, plays[200..], ct);

        var expected = ExpectedAlbumStats(plays);
        Assert.Equal(6, expected.Count);
        Assert.Equal(expected, await AlbumStatsAsync(user));
        Assert.Equal(plays.Count(p => p.AlbumName is not null), (int)await Db.ScalarAsync<long>("SELECT sum(play_count)::bigint FROM user_album_stats WHERE user_id = $1", user));
        await AssertVerifiedAsync(stats, user);

        var again = await engine.IngestAsync(user, PlaySource.Import, plays, ct);

        Assert.Equal(0, again.Inserted);
        Assert.Equal(expected, await AlbumStatsAsync(user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task An_import_correcting_API_estimates_moves_album_statistics_by_the_difference()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        var ct = TestContext.Current.CancellationToken;
        PlayRecord OnAlbum(PlayRecord p) => p with { AlbumSpotifyId = "apialbum00000000000000", AlbumName = "Real Album" };
        var end = At("2024-05-05T18:03:20Z");
        const int exactMs = 95_000;
        // The API sent the start of the earliest play (its played_at is that play's first_played_at until the import corrects it).
        var apiStart = end.AddMilliseconds(-exactMs).AddSeconds(2);
        await engine.IngestAsync(user, PlaySource.Api,
        [
            OnAlbum(Api("albumtrack100000000000", apiStart, 240_000)),
            OnAlbum(Api("albumtrack200000000000", end.AddMinutes(30), 200_000)),
            OnAlbum(Api("albumtrack100000000000", end.AddHours(2), 240_000)),
        ], ct);
        var album = await Db.ScalarAsync<long>("SELECT id FROM albums WHERE spotify_id = 'apialbum00000000000000'");
        const string Row = "SELECT concat_ws(',', play_count, total_ms, skip_count, first_played_at = $3, last_played_at = $4) FROM user_album_stats WHERE user_id = $1 AND album_id = $2";
        Assert.Equal("3,680000,0,t,t", await Db.ScalarAsync<string>(Row, user, album, apiStart, end.AddHours(2)));

        // The export names the album only by name: the track keeps the album it was cataloged with.
        var result = await engine.IngestAsync(user, PlaySource.Import, [Track("albumtrack100000000000", end, exactMs, skipped: true, album: "Real Album")], ct);

        Assert.Equal(1, result.Corrected);
        Assert.Equal("3,535000,1,t,t", await Db.ScalarAsync<string>(Row, user, album, end, end.AddHours(2)));
        Assert.Equal(1L, await Db.ScalarAsync<long>("SELECT count(*) FROM user_album_stats WHERE user_id = $1", user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Verify_reports_a_tampered_album_statistic_and_rebuild_restores_it()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, stats, _) = EngineFactory.Create(Db);
        var ct = TestContext.Current.CancellationToken;
        var plays = History(120, 6, At("2017-01-01T00:00:00Z"));
        await engine.IngestAsync(user, PlaySource.Import, plays, ct);
        var before = await AlbumStatsAsync(user);
        Assert.Equal(ExpectedAlbumStats(plays), before);
        var album = await Db.ScalarAsync<long>("SELECT min(album_id) FROM user_album_stats WHERE user_id = $1", user);
        await Db.ExecuteAsync("UPDATE user_album_stats SET play_count = play_count + 2, total_ms = total_ms - 1 WHERE user_id = $1 AND album_id = $2", user, album);

        var diffs = await stats.VerifyAsync(user, ct);

        var diff = Assert.Single(diffs);
        Assert.Equal("user_album_stats", diff.Table);
        Assert.Equal(album.ToString(System.Globalization.CultureInfo.InvariantCulture), diff.Key);
        Assert.NotEqual(before, await AlbumStatsAsync(user)); // verify changed nothing: the tampered row is still there

        await stats.RebuildAsync(user, ct);

        Assert.Equal(before, await AlbumStatsAsync(user));
        await AssertVerifiedAsync(stats, user);
    }

    [Fact]
    public async Task Plays_outside_2006_to_tomorrow_are_refused_and_nothing_is_written()
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, _, _) = EngineFactory.Create(Db);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => engine.IngestAsync(user, PlaySource.Import,
            [Track("ok00000000000000000000", At("2020-01-01T00:00:00Z"), 1000), Track("bad0000000000000000000", At("2005-12-31T00:00:00Z"), 1000)],
            TestContext.Current.CancellationToken));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user));
    }
}
