using Microsoft.Extensions.Time.Testing;
using MyiV3.Data.Entities;
using MyiV3.Data.Stats;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Data.Stats;

public sealed class DashboardQueriesTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private readonly DashboardQueries _q = new(fixture.Db.DataSource, new FakeTimeProvider(StatsScenario.Now));
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task All_time_totals_come_from_the_user_row_and_the_stats_tables()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var totals = await _q.TotalsAsync(s.User, StatsPeriod.AllTime, Ct);
        // 10 January to 14 March 2024, both counted.
        Assert.Equal(new PeriodTotals(22, 22 * 180_000, 3, 3, 2, 65), totals);
        Assert.Equal(22 * 180_000 / 65, totals.MsPerDay);
        Assert.Equal(3d / 22, totals.SkipRate, 6);
        Assert.Equal(1.1, totals.Hours, 6);
    }

    [Fact]
    public async Task Period_totals_sum_the_day_buckets_and_count_the_distinct_items_of_its_days()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var period = await _q.ResolveAsync(s.User, PeriodPreset.Last4Weeks, Ct);
        Assert.Equal(new StatsPeriod(new DateOnly(2024, 2, 17), new DateOnly(2024, 3, 15)), period);
        var totals = await _q.TotalsAsync(s.User, period, Ct);
        Assert.Equal(new PeriodTotals(13, 13 * 180_000, 3, 2, 2, 28), totals);

        var january = await _q.TotalsAsync(s.User, StatsPeriod.Range(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31)), Ct);
        Assert.Equal(new PeriodTotals(9, 9 * 180_000, 0, 2, 2, 31), january);
    }

    [Fact]
    public async Task A_user_without_plays_gets_zeros_and_empty_lists()
    {
        var user = await new StatsSeed(fixture.Db).UserAsync();
        Assert.Equal(PeriodTotals.None, await _q.TotalsAsync(user, StatsPeriod.AllTime, Ct));
        Assert.Equal(0, (await _q.TotalsAsync(user, StatsPeriod.For(PeriodPreset.LastYear, new DateOnly(2024, 3, 15)), Ct)).SkipRate);
        Assert.Empty(await _q.TopTracksAsync(user, StatsPeriod.AllTime, 10, Ct));
        Assert.Empty(await _q.ActivityAsync(user, StatsPeriod.AllTime, BucketType.Day, Ct));
        Assert.Empty(await _q.LatestPlaysAsync(user, 10, Ct));
        Assert.Equal(0, (await _q.WeekdayHoursAsync(user, Ct)).Total);
        Assert.All(await _q.HoursAsync(user, Ct), h => Assert.Equal(0, h.Plays));
    }

    [Fact]
    public async Task Top_tracks_all_time_are_ordered_by_plays_with_artist_and_cover()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var top = await _q.TopTracksAsync(s.User, StatsPeriod.AllTime, 10, Ct);
        Assert.Equal([s.T1, s.T3, s.T2], top.Select(t => t.Id));
        Assert.Equal([10L, 7, 5], top.Select(t => t.Plays));
        Assert.Equal("Rock Band", top[0].Subtitle);
        Assert.Equal(s.Rock, top[0].SubtitleId);
        Assert.Equal("https://img.example/cover.jpg", top[0].ImageUrl);
        Assert.Null(top[1].ImageUrl);
        Assert.Equal("Rock Band", top[2].Subtitle); // position 0 is the primary artist

        Assert.Single(await _q.TopTracksAsync(s.User, StatsPeriod.AllTime, 1, Ct));
    }

    [Fact]
    public async Task Top_tracks_of_a_range_count_its_days_exactly_for_that_user_only()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var march = StatsPeriod.Range(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 15));
        var top = await _q.TopTracksAsync(s.User, march, 10, Ct);
        Assert.Equal([(s.T1, 8L), (s.T2, 5L)], top.Select(t => (t.Id, t.Plays)));

        // Exact to the day, not the months touched: 10 January's plays and 1 March's; 14 March's are outside.
        var q1 = StatsPeriod.Range(new DateOnly(2024, 1, 5), new DateOnly(2024, 3, 2));
        Assert.Equal([(s.T3, 7L), (s.T1, 5L)], (await _q.TopTracksAsync(s.User, q1, 10, Ct)).Select(t => (t.Id, t.Plays)));
        Assert.Equal(new PeriodTotals(12, 12 * 180_000, 1, 2, 2, 58), await _q.TotalsAsync(s.User, q1, Ct));
        Assert.Equal([(s.Pop, 7L), (s.Rock, 5L)], (await _q.TopArtistsAsync(s.User, q1, 10, Ct)).Select(a => (a.Id, a.Plays)));
    }

    [Fact]
    public async Task Top_artists_for_all_time_and_for_a_range()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var all = await _q.TopArtistsAsync(s.User, StatsPeriod.AllTime, 10, Ct);
        Assert.Equal([(s.Rock, 15L), (s.Pop, 12L)], all.Select(a => (a.Id, a.Plays)));
        Assert.Equal("https://img.example/rock.jpg", all[0].ImageUrl);
        Assert.Equal("rock", all[0].Subtitle);

        var jan = await _q.TopArtistsAsync(s.User, StatsPeriod.Range(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31)), 10, Ct);
        Assert.Equal([(s.Pop, 7L), (s.Rock, 2L)], jan.Select(a => (a.Id, a.Plays)));
    }

    [Fact]
    public async Task Top_albums_sum_their_tracks()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var all = await _q.TopAlbumsAsync(s.User, StatsPeriod.AllTime, 10, Ct);
        Assert.Equal([(s.AlbumWithCover, 15L), (s.AlbumPlain, 7L)], all.Select(a => (a.Id, a.Plays)));
        Assert.Equal("Rock Band", all[0].Subtitle);
        Assert.Equal("Pop Star", all[1].Subtitle);
        Assert.Equal("https://img.example/cover.jpg", all[0].ImageUrl);

        var march = await _q.TopAlbumsAsync(s.User, StatsPeriod.Range(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 31)), 10, Ct);
        Assert.Equal([(s.AlbumWithCover, 13L)], march.Select(a => (a.Id, a.Plays)));
    }

    [Fact]
    public async Task Genres_are_weighted_by_artist_plays()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var genres = await _q.TopGenresAsync(s.User, StatsPeriod.AllTime, 10, Ct);
        Assert.Equal([new GenreShare("indie", 15), new GenreShare("rock", 15), new GenreShare("pop", 12)], genres);
        var jan = await _q.TopGenresAsync(s.User, StatsPeriod.Range(new DateOnly(2024, 1, 1), new DateOnly(2024, 1, 31)), 1, Ct);
        Assert.Equal([new GenreShare("pop", 7)], jan);
    }

    [Fact]
    public async Task Activity_fills_gaps_for_days_weeks_and_months()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var days = await _q.ActivityAsync(s.User, StatsPeriod.Range(new DateOnly(2024, 2, 29), new DateOnly(2024, 3, 2)), BucketType.Day, Ct);
        Assert.Equal([(new DateOnly(2024, 2, 29), 0L), (new DateOnly(2024, 3, 1), 3L), (new DateOnly(2024, 3, 2), 0L)], days.Select(d => (d.Date, d.Plays)));

        var weeks = await _q.ActivityAsync(s.User, StatsPeriod.Range(new DateOnly(2024, 3, 1), new DateOnly(2024, 3, 15)), BucketType.Week, Ct);
        Assert.Equal([(new DateOnly(2024, 2, 26), 3L), (new DateOnly(2024, 3, 4), 0L), (new DateOnly(2024, 3, 11), 10L)], weeks.Select(d => (d.Date, d.Plays)));

        var months = await _q.ActivityAsync(s.User, StatsPeriod.AllTime, BucketType.Month, Ct);
        Assert.Equal([(new DateOnly(2024, 1, 1), 9L), (new DateOnly(2024, 2, 1), 0L), (new DateOnly(2024, 3, 1), 13L)], months.Select(d => (d.Date, d.Plays)));
        Assert.Equal(22, months.Sum(m => m.Plays));
    }

    [Fact]
    public async Task Hours_and_heat_map_read_the_users_own_rows()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var hours = await _q.HoursAsync(s.User, Ct);
        Assert.Equal(24, hours.Count);
        Assert.Equal(20, hours[10].Plays);
        Assert.Equal(2, hours[22].Plays);
        Assert.Equal(22, hours.Sum(h => h.Plays));

        var grid = await _q.WeekdayHoursAsync(s.User, Ct);
        Assert.Equal(7, grid.Plays.Length);
        Assert.All(grid.Plays, row => Assert.Equal(24, row.Length));
        Assert.Equal(9, grid.Plays[2][10]);
        Assert.Equal(2, grid.Plays[3][22]);
        Assert.Equal(0, grid.Plays[3][10]); // the other user's 500 plays are not here
        Assert.Equal(11, grid.Max);
        Assert.Equal(22, grid.Total);
    }

    [Fact]
    public async Task Spotify_top_lists_are_empty_until_synced_then_grouped_by_term_in_rank_order()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        Assert.Empty(await _q.SpotifyTopTracksAsync(s.User, Ct));
        var seed = new StatsSeed(fixture.Db);
        await seed.SpotifyTopTrackAsync(s.User, "LONG_TERM", 2, s.T1);
        await seed.SpotifyTopTrackAsync(s.User, "LONG_TERM", 1, s.T3);
        await seed.SpotifyTopTrackAsync(s.User, "SHORT_TERM", 1, s.T2);
        await seed.SpotifyTopTrackAsync(s.Other, "SHORT_TERM", 1, s.T1);
        await seed.SpotifyTopArtistAsync(s.User, "MEDIUM_TERM", 1, s.Pop);

        var tracks = await _q.SpotifyTopTracksAsync(s.User, Ct);
        Assert.Equal([(Term.ShortTerm, 1, s.T2), (Term.LongTerm, 1, s.T3), (Term.LongTerm, 2, s.T1)], tracks.Select(t => (t.Term, t.Rank, t.Id)));
        Assert.Equal("https://img.example/cover.jpg", tracks[2].ImageUrl);
        var artists = await _q.SpotifyTopArtistsAsync(s.User, Ct);
        Assert.Equal([(Term.MediumTerm, 1, s.Pop, "pop")], artists.Select(a => (a.Term, a.Rank, a.Id, a.Subtitle)));
    }

    [Fact]
    public async Task Latest_plays_are_newest_first_limited_and_only_the_users_own()
    {
        var s = await StatsScenario.SeedAsync(fixture.Db);
        var seed = new StatsSeed(fixture.Db);
        var t = StatsScenario.Now.AddDays(-1);
        await seed.EventAsync(s.User, s.T1, t.AddMinutes(-10), 180_000, false);
        await seed.EventAsync(s.User, s.T2, t.AddMinutes(-5), 20_000, true);
        await seed.EventAsync(s.User, s.T3, t.AddDays(-40), 180_000);

        var latest = await _q.LatestPlaysAsync(s.User, 2, Ct);
        Assert.Equal([s.T2, s.T1], latest.Select(p => p.TrackId));
        Assert.Equal(t.AddMinutes(-5), latest[0].PlayedAt);
        Assert.True(latest[0].Skipped);
        Assert.Equal("Rock Band", latest[0].ArtistName);
        // These three and the scenario's 22.
        Assert.Equal(25, (await _q.LatestPlaysAsync(s.User, 50, Ct)).Count);
    }

    [Fact]
    public async Task Today_is_the_users_local_date()
    {
        var seed = new StatsSeed(fixture.Db);
        var auckland = await seed.UserAsync(timeZone: "Pacific/Auckland");
        var honolulu = await seed.UserAsync(timeZone: "Pacific/Honolulu");
        var lateUtc = new DashboardQueries(fixture.Db.DataSource, new FakeTimeProvider(new DateTimeOffset(2024, 3, 15, 20, 0, 0, TimeSpan.Zero)));
        Assert.Equal(new DateOnly(2024, 3, 16), await lateUtc.LocalTodayAsync(auckland, Ct));
        Assert.Equal(new DateOnly(2024, 3, 15), await lateUtc.LocalTodayAsync(honolulu, Ct));
        Assert.Equal(new DateOnly(2024, 3, 15), await lateUtc.LocalTodayAsync(-1, Ct));
    }

    [Fact]
    public void Presets_resolve_to_inclusive_local_ranges()
    {
        var today = new DateOnly(2024, 3, 15);
        Assert.Equal(new StatsPeriod(new DateOnly(2023, 9, 16), today), StatsPeriod.For(PeriodPreset.Last6Months, today));
        Assert.Equal(new StatsPeriod(new DateOnly(2023, 3, 16), today), StatsPeriod.For(PeriodPreset.LastYear, today));
        Assert.True(StatsPeriod.For(PeriodPreset.AllTime, today).IsAllTime);
        Assert.Throws<ArgumentException>(() => StatsPeriod.Range(today, today.AddDays(-1)));
        Assert.Equal((new DateOnly(2024, 2, 1), new DateOnly(2024, 3, 1)), StatsPeriod.For(PeriodPreset.Last4Weeks, today).Months);
    }
}
