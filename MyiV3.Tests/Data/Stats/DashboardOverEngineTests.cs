using Microsoft.Extensions.Time.Testing;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Data.Stats;
using MyiV3.Tests.Fixtures;
using static MyiV3.Tests.Fixtures.Plays;

namespace MyiV3.Tests.Data.Stats;

/// <summary>
/// The dashboard's answers over tables the real ingestion engine wrote, against expectations
/// computed here in C# from the plays themselves.
/// </summary>
public sealed class DashboardOverEngineTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static List<PlayRecord> History(int count, int seed, DateTimeOffset start)
    {
        var rng = new Random(seed);
        var plays = new List<PlayRecord>();
        var t = start;
        for (var i = 0; i < count; i++)
        {
            t = t.AddSeconds(rng.Next(600, 60_000));
            var track = $"trk{rng.Next(0, 30):D19}";
            var skipped = rng.Next(0, 6) == 0;
            plays.Add(Track(track, t, skipped ? rng.Next(500, 20_000) : rng.Next(60_000, 300_000), artist: $"Artist {track[^1]}", skipped: skipped, album: $"Album {track[^2..]}"));
        }

        return plays;
    }

    [Fact]
    public async Task Every_dashboard_figure_matches_the_plays_the_engine_ingested()
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var user = await TestUsers.CreateAsync(fixture.Db, "America/New_York");
        var other = await TestUsers.CreateAsync(fixture.Db);
        var (engine, _, _) = EngineFactory.Create(fixture.Db);
        var plays = History(800, 3, At("2023-01-01T00:00:00Z"));
        await engine.IngestAsync(user, PlaySource.Import, plays, Ct);
        await engine.IngestAsync(other, PlaySource.Import, History(300, 4, At("2023-01-01T00:00:00Z")), Ct);

        var last = plays[^1].PlayedAt;
        var q = new DashboardQueries(fixture.Db.DataSource, new FakeTimeProvider(last.AddHours(1)));
        DateOnly Local(PlayRecord p) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(p.PlayedAt, zone).DateTime);

        var all = await q.TotalsAsync(user, StatsPeriod.AllTime, Ct);
        Assert.Equal(plays.Count, all.Plays);
        Assert.Equal(plays.Sum(p => (long)p.MsPlayed), all.TotalMs);
        Assert.Equal(plays.Count(p => p.Skipped == true), all.Skips);
        Assert.Equal(plays.Select(p => p.TrackSpotifyId).Distinct().Count(), all.DistinctTracks);
        Assert.Equal(plays.Select(p => p.Artists[0].Name).Distinct().Count(), all.DistinctArtists);

        var period = await q.ResolveAsync(user, PeriodPreset.Last6Months, Ct);
        var inPeriod = plays.Where(p => Local(p) >= period.From && Local(p) <= period.To).ToList();
        var totals = await q.TotalsAsync(user, period, Ct);
        Assert.Equal(inPeriod.Count, totals.Plays);
        Assert.Equal(inPeriod.Sum(p => (long)p.MsPlayed), totals.TotalMs);

        var expectedTop = plays.GroupBy(p => p.TrackSpotifyId).Select(g => (Plays: (long)g.Count(), Ms: g.Sum(p => (long)p.MsPlayed)))
            .OrderByDescending(x => x.Plays).ThenByDescending(x => x.Ms).Take(5).Select(x => x.Plays);
        Assert.Equal(expectedTop, (await q.TopTracksAsync(user, StatsPeriod.AllTime, 5, Ct)).Select(t => t.Plays));

        var months = await q.ActivityAsync(user, StatsPeriod.AllTime, BucketType.Month, Ct);
        Assert.Equal(plays.Count, months.Sum(m => m.Plays));
        var weeks = await q.ActivityAsync(user, period, BucketType.Week, Ct);
        // Week buckets start on the Monday on or before the period's first day.
        var monday = DashboardQueries.BucketStart(period.From!.Value, BucketType.Week);
        Assert.Equal(monday, weeks[0].Date);
        Assert.Equal(plays.Count(p => Local(p) >= monday && Local(p) <= period.To), weeks.Sum(w => w.Plays));

        var grid = await q.WeekdayHoursAsync(user, Ct);
        var busiest = plays.GroupBy(p => TimeZoneInfo.ConvertTime(p.PlayedAt, zone)).GroupBy(g => ((int)g.Key.DayOfWeek + 6) % 7 * 24 + g.Key.Hour)
            .Select(g => (Cell: g.Key, Plays: g.Sum(x => x.Count()))).OrderByDescending(x => x.Plays).First();
        Assert.Equal(busiest.Plays, grid.Plays[busiest.Cell / 24][busiest.Cell % 24]);
        Assert.Equal(plays.Count, grid.Total);
        Assert.Equal(plays.Count, (await q.HoursAsync(user, Ct)).Sum(h => h.Plays));

        var latest = await q.LatestPlaysAsync(user, 3, Ct);
        Assert.Equal(plays.OrderByDescending(p => p.PlayedAt).Take(3).Select(p => p.PlayedAt), latest.Select(l => l.PlayedAt));

        var albums = await q.TopAlbumsAsync(user, StatsPeriod.AllTime, 100, Ct);
        Assert.Equal(plays.Count, albums.Sum(a => a.Plays));
    }

    [Fact]
    public async Task Top_albums_of_all_time_come_from_the_album_stats_and_match_a_group_by_over_the_events()
    {
        var user = await TestUsers.CreateAsync(fixture.Db, "Asia/Tokyo");
        var other = await TestUsers.CreateAsync(fixture.Db);
        var (engine, stats, _) = EngineFactory.Create(fixture.Db);
        // Tracks of their own (the catalog is shared with the other test): those ending in 7 have no
        // album; the other 27 share 12 albums (3 artists × 4 album names).
        var plays = History(900, 5, At("2022-06-01T00:00:00Z"))
            .Select(p => p with
            {
                TrackSpotifyId = "alb" + p.TrackSpotifyId![3..],
                Artists = [new ArtistRef($"Album artist {p.TrackSpotifyId[^2]}")],
                AlbumName = p.TrackSpotifyId[^1] == '7' ? null : $"Album {p.TrackSpotifyId[^1] % 4}",
            }).ToList();
        await engine.IngestAsync(user, PlaySource.Import, plays, Ct);
        await engine.IngestAsync(other, PlaySource.Import, History(400, 6, At("2022-06-01T00:00:00Z")), Ct);
        var q = new DashboardQueries(fixture.Db.DataSource, new FakeTimeProvider(plays[^1].PlayedAt.AddHours(1)));

        var top = await q.TopAlbumsAsync(user, StatsPeriod.AllTime, 10, Ct);

        var expected = await fixture.Db.ScalarAsync<string>("""
            SELECT string_agg(album_id || ':' || plays || ':' || ms, ';' ORDER BY plays DESC, ms DESC, album_id) FROM (
                SELECT t.album_id, count(*) AS plays, sum(e.ms_played) AS ms
                FROM listening_events e JOIN tracks t ON t.id = e.track_id
                WHERE e.user_id = $1 AND t.album_id IS NOT NULL
                GROUP BY t.album_id ORDER BY plays DESC, ms DESC, t.album_id LIMIT 10) x
            """, user);
        Assert.Equal(10, top.Count);
        Assert.Equal(expected, string.Join(';', top.Select(a => $"{a.Id}:{a.Plays}:{a.TotalMs}")));
        Assert.Equal(plays.Count(p => p.AlbumName is not null), (await q.TopAlbumsAsync(user, StatsPeriod.AllTime, 500, Ct)).Sum(a => a.Plays));

        // The answer is user_album_stats itself (not a sum over track stats): a change there shows.
        var last = top[^1].Id;
        await fixture.Db.ExecuteAsync("UPDATE user_album_stats SET play_count = play_count + 10000 WHERE user_id = $1 AND album_id = $2", user, last);
        Assert.Equal(last, (await q.TopAlbumsAsync(user, StatsPeriod.AllTime, 1, Ct))[0].Id);
        await stats.RebuildAsync(user, Ct);
        Assert.Equal(top, await q.TopAlbumsAsync(user, StatsPeriod.AllTime, 10, Ct));
    }
}
