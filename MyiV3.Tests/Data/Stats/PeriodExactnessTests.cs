using Microsoft.Extensions.Time.Testing;
using MyiV3.Data.Entities;
using MyiV3.Data.Stats;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Tests.Fixtures;
using MyiV3.Tests.Import.Jobs;

namespace MyiV3.Tests.Data.Stats;

/// <summary>
/// A period's top lists and distinct counts cover exactly its days, as its plays total does: every number on
/// the dashboard answers the same dates. Checked against the events themselves on an imported history.
/// </summary>
public sealed class PeriodExactnessTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Top_lists_and_distinct_counts_of_any_range_match_the_plays_of_its_days()
    {
        var db = fixture.Db;
        await using var h = new ImportHarness(db);
        var user = await TestUsers.CreateAsync(db, "America/New_York");
        var (zip, _, _) = ImportHarness.GenerateZip(new HistoryGeneratorOptions { Plays = 4_000, Seed = 77, Years = 2, CatalogTracks = 300 });
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(user, zip)).Status);
        var q = new DashboardQueries(db.DataSource, new FakeTimeProvider(new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero)));

        (DateOnly, DateOnly)[] ranges =
        [
            (new(2024, 11, 2), new(2024, 11, 10)),   // days inside one month
            (new(2024, 10, 17), new(2024, 11, 13)),  // across a month's end, no whole month
            (new(2024, 1, 1), new(2024, 12, 31)),    // whole months only
            (new(2023, 3, 16), new(2024, 3, 15)),    // a year from mid-month: whole months and days either side
            (new(2024, 2, 29), new(2024, 3, 1)),
        ];
        foreach (var (from, to) in ranges)
        {
            var period = StatsPeriod.Range(from, to);
            var expected = await EventsAsync(db, user, from, to, "e.track_id");
            var tracks = await q.TopTracksAsync(user, period, 500, Ct);
            Assert.Equal(expected, tracks.Select(t => (t.Id, t.Plays, t.TotalMs)).Order().ToList());

            var expectedArtists = await EventsAsync(db, user, from, to, "ta.artist_id", "JOIN track_artists ta ON ta.track_id = e.track_id");
            var artists = await q.TopArtistsAsync(user, period, 500, Ct);
            Assert.Equal(expectedArtists, artists.Select(a => (a.Id, a.Plays, a.TotalMs)).Order().ToList());

            var totals = await q.TotalsAsync(user, period, Ct);
            Assert.Equal(expected.Sum(e => e.Plays), totals.Plays);
            Assert.Equal(expected.Count, totals.DistinctTracks);
            Assert.Equal(expectedArtists.Count, totals.DistinctArtists);
        }
    }

    private static async Task<List<(long Id, long Plays, long Ms)>> EventsAsync(TestDatabase db, long user, DateOnly from, DateOnly to, string key, string join = "")
    {
        var rows = new List<(long, long, long)>();
        await using var cmd = db.DataSource.CreateCommand($"""
            SELECT {key}, count(*), sum(e.ms_played)::bigint FROM listening_events e {join}
            WHERE e.user_id = $1 AND (e.played_at AT TIME ZONE 'America/New_York')::date BETWEEN $2 AND $3
            GROUP BY {key}
            """);
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = user });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = from });
        cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = to });
        await using var reader = await cmd.ExecuteReaderAsync(Ct);
        while (await reader.ReadAsync(Ct))
        {
            rows.Add((reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2)));
        }

        return [.. rows.Order()];
    }
}
