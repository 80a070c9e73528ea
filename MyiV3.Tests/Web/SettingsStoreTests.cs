using Microsoft.Extensions.Time.Testing;
using MyiV3.Data.Entities;
using MyiV3.Data.Stats;
using MyiV3.Tests.Fixtures;
using MyiV3.Web.Features.Account;
using static MyiV3.Tests.Fixtures.Plays;

namespace MyiV3.Tests.Web;

/// <summary>What the settings page does on save: store the settings and, on a zone change, recompute the statistics in the same transaction.</summary>
public sealed class SettingsStoreTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Changing_the_time_zone_moves_the_hour_and_day_statistics_in_the_same_save()
    {
        var user = await TestUsers.CreateAsync(fixture.Db, "UTC");
        var (engine, rebuilder, _) = EngineFactory.Create(fixture.Db);
        await engine.IngestAsync(user, PlaySource.Import,
        [
            Track("4uLU6hMCjMI75M1A2tKUQC", At("2024-03-10T22:30:00Z"), 200_000),
            Track("7GhIk7Il098yCjg4BQjzvb", At("2024-03-10T23:30:00Z"), 200_000),
        ], Ct);
        var store = new UserSettingsStore(fixture.Db.Factory, rebuilder, TimeProvider.System);
        var queries = new DashboardQueries(fixture.Db.DataSource, new FakeTimeProvider(At("2024-03-11T12:00:00Z")));
        Assert.Equal([22, 23], (await queries.HoursAsync(user, Ct)).Where(h => h.Plays > 0).Select(h => h.Hour));

        var settings = await store.GetAsync(user, Ct);
        settings.Theme = "dark";
        Assert.False(await store.SaveAsync(user, settings, Ct)); // same zone: nothing to rebuild
        settings.TimeZone = "Asia/Tokyo";
        Assert.True(await store.SaveAsync(user, settings, Ct));

        Assert.Equal([7, 8], (await queries.HoursAsync(user, Ct)).Where(h => h.Plays > 0).Select(h => h.Hour));
        var days = await queries.ActivityAsync(user, StatsPeriod.Range(new DateOnly(2024, 3, 10), new DateOnly(2024, 3, 11)), BucketType.Day, Ct);
        Assert.Equal([0L, 2], days.Select(d => d.Plays));
        var saved = await store.GetAsync(user, Ct);
        Assert.Equal(("Asia/Tokyo", "dark"), (saved.TimeZone, saved.Theme));
        Assert.Empty(await rebuilder.VerifyAsync(user, Ct));
    }

    [Fact]
    public async Task Leaving_out_private_sessions_takes_their_plays_out_of_every_statistic_and_back_in()
    {
        var user = await TestUsers.CreateAsync(fixture.Db, "UTC");
        var (engine, rebuilder, _) = EngineFactory.Create(fixture.Db);
        var store = new UserSettingsStore(fixture.Db.Factory, rebuilder, TimeProvider.System);
        var queries = new DashboardQueries(fixture.Db.DataSource, new FakeTimeProvider(At("2024-05-11T12:00:00Z")));
        var settings = await store.GetAsync(user, Ct);
        settings.ExcludeIncognitoPlays = true;
        Assert.True(await store.SaveAsync(user, settings, Ct)); // the statistics depend on it

        // Imported while the setting is on: the private play is stored but counts nowhere.
        await engine.IngestAsync(user, PlaySource.Import,
        [
            Track("5uLU6hMCjMI75M1A2tKUQC", At("2024-05-10T08:00:00Z"), 200_000),
            Track("6GhIk7Il098yCjg4BQjzvb", At("2024-05-10T09:00:00Z"), 150_000, album: "Private") with { Incognito = true },
        ], Ct);
        Assert.Equal(2L, await fixture.Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user));
        var totals = await queries.TotalsAsync(user, StatsPeriod.AllTime, Ct);
        Assert.Equal((1L, 200_000L, 1L), (totals.Plays, totals.TotalMs, totals.DistinctTracks));
        Assert.Equal(["Track 5uLU6hMCjMI75M1A2tKUQC"], (await queries.TopTracksAsync(user, StatsPeriod.AllTime, 10, Ct)).Select(t => t.Name));
        Assert.Single(await queries.LatestPlaysAsync(user, 10, Ct));
        Assert.Empty(await rebuilder.VerifyAsync(user, Ct));

        // Switched off: the rebuild counts it again, everywhere.
        settings.ExcludeIncognitoPlays = false;
        Assert.True(await store.SaveAsync(user, settings, Ct));
        totals = await queries.TotalsAsync(user, StatsPeriod.AllTime, Ct);
        Assert.Equal((2L, 350_000L, 2L), (totals.Plays, totals.TotalMs, totals.DistinctTracks));
        Assert.Equal(2, (await queries.LatestPlaysAsync(user, 10, Ct)).Count);
        Assert.Equal(2, (await queries.TopAlbumsAsync(user, StatsPeriod.AllTime, 10, Ct)).Count);
        Assert.Empty(await rebuilder.VerifyAsync(user, Ct));
    }

    [Fact]
    public async Task A_save_whose_recomputation_fails_leaves_the_old_zone_and_its_statistics_together()
    {
        var user = await TestUsers.CreateAsync(fixture.Db, "UTC");
        var (engine, rebuilder, _) = EngineFactory.Create(fixture.Db);
        await engine.IngestAsync(user, PlaySource.Import, [Track("8uLU6hMCjMI75M1A2tKUQC", At("2024-03-10T22:30:00Z"), 200_000)], Ct);
        var store = new UserSettingsStore(fixture.Db.Factory, new FailingAfterRecompute(rebuilder), TimeProvider.System);
        var queries = new DashboardQueries(fixture.Db.DataSource, new FakeTimeProvider(At("2024-03-11T12:00:00Z")));
        var settings = await store.GetAsync(user, Ct);
        settings.TimeZone = "Asia/Tokyo";

        // As when the tab closes (the circuit's token) or the process dies between the two.
        await Assert.ThrowsAsync<OperationCanceledException>(() => store.SaveAsync(user, settings, Ct));

        Assert.Equal("UTC", (await store.GetAsync(user, Ct)).TimeZone);
        Assert.Equal([22], (await queries.HoursAsync(user, Ct)).Where(h => h.Plays > 0).Select(h => h.Hour));
        Assert.Empty(await rebuilder.VerifyAsync(user, Ct));
    }

    /// <summary>Recomputes, then fails before the save commits.</summary>
    private sealed class FailingAfterRecompute(MyiV3.Data.Ingestion.IStatsRebuilder inner) : MyiV3.Data.Ingestion.IStatsRebuilder
    {
        public Task RebuildAsync(long userId, CancellationToken ct) => inner.RebuildAsync(userId, ct);

        public async Task RecomputeInTransactionAsync(Npgsql.NpgsqlConnection conn, long userId, CancellationToken ct)
        {
            await inner.RecomputeInTransactionAsync(conn, userId, ct);
            throw new OperationCanceledException("the circuit went away");
        }

        public void Announce(long userId) => inner.Announce(userId);

        public Task<IReadOnlyList<MyiV3.Data.Ingestion.StatsDifference>> VerifyAsync(long userId, CancellationToken ct) => inner.VerifyAsync(userId, ct);
    }
}
