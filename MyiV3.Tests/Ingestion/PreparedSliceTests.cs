using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Tests.Fixtures;
using static MyiV3.Tests.Fixtures.Plays;
using static MyiV3.Tests.Ingestion.SliceTestKit;

namespace MyiV3.Tests.Ingestion;

/// <summary>
/// An import's next slice is made ready on another connection while the current one is applied. A
/// batch may use that work only while the user's events and settings are what it assumed.
/// </summary>
public sealed class PreparedSliceTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    [Fact]
    public async Task Slices_made_ready_ahead_give_exactly_the_statistics_of_batches_that_do_the_work_themselves()
    {
        var ct = TestContext.Current.CancellationToken;
        var plays = History("prp", 3_000, At("2022-01-03T05:00:00Z"));
        var ahead = await TestUsers.CreateAsync(Db, "America/New_York");
        var alone = await TestUsers.CreateAsync(Db, "America/New_York");
        await Db.ExecuteAsync("UPDATE user_settings SET exclude_incognito_plays = true WHERE user_id = ANY($1)", new[] { ahead, alone });
        var (engine, logs) = Engine(Db);
        var (_, stats, _) = EngineFactory.Create(Db);

        var aheadJob = await StagedImports.StageAsync(Db, ahead, plays, ct);
        var results = new List<BatchResult>();
        await foreach (var r in engine.ApplyStagedAsync(ahead, aheadJob, await engine.PrepareImportAsync(aheadJob, 0, 700, ct), ct))
        {
            results.Add(r);
        }

        var aloneJob = await StagedImports.StageAsync(Db, alone, plays, ct);
        foreach (var slice in await engine.PrepareImportAsync(aloneJob, 0, 700, ct))
        {
            await engine.ApplyStagedAsync(alone, aloneJob, slice, ct);
        }

        Assert.Equal(6, results.Count);
        Assert.Equal(3_000, results.Sum(r => r.Inserted));
        Assert.True(logs.Lines.Count(l => l.Contains(UsedPrepared, StringComparison.Ordinal)) >= 4, logs.All);
        await using var h = new Import.Jobs.ImportHarness(Db);
        Assert.Equal(await h.SnapshotAsync(alone, withLastIngested: false), await h.SnapshotAsync(ahead, withLastIngested: false));
        Assert.Empty(await stats.VerifyAsync(ahead, ct));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM pg_tables WHERE tablename LIKE 'import\\_ready\\_%'"));
    }

    [Fact]
    public async Task A_time_zone_change_while_an_import_runs_is_used_from_the_next_batch_on()
    {
        var ct = TestContext.Current.CancellationToken;
        var plays = History("tzc", 2_000, At("2023-05-01T00:00:00Z"));
        var user = await TestUsers.CreateAsync(Db, "UTC");
        // Batches one after another: which batch read which setting, or saw the sync, is then fixed.
        var (engine, logs) = Engine(Db, overlap: false);
        var job = await StagedImports.StageAsync(Db, user, plays, ct);
        var slices = await engine.PrepareImportAsync(job, 0, 1_000, ct);
        Assert.Equal(3, slices.Count);

        var batches = 0;
        await foreach (var _ in engine.ApplyStagedAsync(user, job, slices, ct))
        {
            if (++batches == 1)
            {
                // The second slice was made ready with UTC while the first was applied.
                await Db.ExecuteAsync("UPDATE user_settings SET time_zone = 'Asia/Tokyo' WHERE user_id = $1", user);
            }
        }

        // The first and the third batch (made ready after the change) used their slices. The second is made ready
        // while the first is applied: with UTC when that starts before the change (then it is not used), with Tokyo
        // time on a busy machine where it starts after (then it is). Either way the hours below must be exact.
        Assert.InRange(logs.Lines.Count(l => l.Contains(UsedPrepared, StringComparison.Ordinal)), 2, 3);
        // The first batch counted its hours in UTC, the others in Tokyo time: independent of the engine's SQL.
        var expected = await Db.ScalarAsync<string>("""
            SELECT string_agg(h || ':' || n, ',' ORDER BY h) FROM (
                SELECT extract(hour FROM played_at AT TIME ZONE CASE WHEN played_at <= $2 THEN 'UTC' ELSE 'Asia/Tokyo' END)::int AS h, count(*) AS n
                FROM listening_events WHERE user_id = $1 GROUP BY 1) x
            """, user, slices[0].To);
        Assert.Equal(expected, await Db.ScalarAsync<string>(
            "SELECT string_agg(hour || ':' || play_count, ',' ORDER BY hour) FROM user_hour_stats WHERE user_id = $1", user));
    }

    [Fact]
    public async Task A_slice_made_ready_before_a_sync_wrote_into_its_range_is_not_used()
    {
        var ct = TestContext.Current.CancellationToken;
        var plays = History("syn", 1_200, At("2021-03-01T00:00:00Z"));
        var user = await TestUsers.CreateAsync(Db);
        // Batches one after another: which batch read which setting, or saw the sync, is then fixed.
        var (engine, logs) = Engine(Db, overlap: false);
        var (_, stats, _) = EngineFactory.Create(Db);
        var job = await StagedImports.StageAsync(Db, user, plays, ct);
        var slices = await engine.PrepareImportAsync(job, 0, 600, ct);

        var batches = 0;
        await foreach (var _ in engine.ApplyStagedAsync(user, job, slices, ct))
        {
            if (++batches == 1)
            {
                // Sync reports a play the second slice also holds, with its estimated duration.
                var late = plays[400];
                await engine.IngestAsync(user, PlaySource.Api, [Api(late.TrackSpotifyId!, late.PlayedAt, 333_000)], ct);
            }
        }

        // The second slice holds the play sync reported: its batch replaced the estimate itself; the first and the third used theirs.
        Assert.Equal(3, slices.Count);
        Assert.Equal(2, logs.Lines.Count(l => l.Contains(UsedPrepared, StringComparison.Ordinal)));
        Assert.Equal(1_200L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1 AND source = 'API'", user));
        Assert.Empty(await stats.VerifyAsync(user, ct));
    }

    [Fact]
    public async Task A_prepared_slice_whose_track_was_deleted_meanwhile_is_refused_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await TestUsers.CreateAsync(Db);
        var (engine, logs) = Engine(Db);
        var (_, stats, _) = EngineFactory.Create(Db);
        var job = await StagedImports.StageAsync(Db, user, History("pdl", 800, At("2020-06-01T00:00:00Z")), ct);
        var slices = await engine.PrepareImportAsync(job, 0, 1_000, ct);
        // Cataloged, then removed before the slice is made ready and applied.
        await Db.ExecuteAsync($"DELETE FROM tracks WHERE id = (SELECT min(track_id) FROM {ImportStaging.TracksTableName(job)})");

        var error = await Assert.ThrowsAnyAsync<InvalidOperationException>(async () =>
        {
            await foreach (var _ in engine.ApplyStagedAsync(user, job, slices, ct))
            {
            }
        });

        Assert.Contains("tracks", error.Message, StringComparison.Ordinal);
        Assert.Contains(logs.Lines, l => l.Contains(UsedPrepared, StringComparison.Ordinal));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT applied_rows FROM import_jobs WHERE id = $1", job));
        Assert.Empty(await stats.VerifyAsync(user, ct));
    }
}
