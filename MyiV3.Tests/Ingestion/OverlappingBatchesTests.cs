using MyiV3.Data.Entities;
using MyiV3.Tests.Fixtures;
using static MyiV3.Tests.Fixtures.Plays;
using static MyiV3.Tests.Ingestion.SliceTestKit;

namespace MyiV3.Tests.Ingestion;

/// <summary>
/// An import's next batch writes its events while the batch before writes its statistics. The batches
/// must still be one transaction each, commit in order, and leave every count exact.
/// </summary>
public sealed class OverlappingBatchesTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    private Task<long> TotalPlaysAsync(long user) => Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user);

    [Fact]
    public async Task Overlapping_batches_give_exactly_the_statistics_of_batches_one_after_another()
    {
        var ct = TestContext.Current.CancellationToken;
        var plays = History("ovl", 4_000, At("2021-09-01T00:00:00Z"));
        var overlapped = await TestUsers.CreateAsync(Db, "Australia/Sydney");
        var strict = await TestUsers.CreateAsync(Db, "Australia/Sydney");
        var (engine, logs) = Engine(Db);
        var (inOrder, _) = Engine(Db, overlap: false);
        var (_, stats, _) = EngineFactory.Create(Db);

        var results = await ImportAsync(engine, overlapped, await StagedImports.StageAsync(Db, overlapped, plays, ct), 500, ct);
        await ImportAsync(inOrder, strict, await StagedImports.StageAsync(Db, strict, plays, ct), 500, ct);

        Assert.Equal(9, results.Count);
        Assert.Equal(4_000, results.Sum(r => r.Inserted));
        Assert.True(logs.Lines.Count(l => l.Contains(WroteEarly, StringComparison.Ordinal)) >= 3, logs.All);
        await using var h = new Import.Jobs.ImportHarness(Db);
        Assert.Equal(await h.SnapshotAsync(strict, withLastIngested: false), await h.SnapshotAsync(overlapped, withLastIngested: false));
        Assert.Empty(await stats.VerifyAsync(overlapped, ct));
    }

    [Fact]
    public async Task A_batch_that_fails_after_the_next_one_wrote_its_events_takes_those_events_with_it()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await TestUsers.CreateAsync(Db);
        var (engine, logs) = Engine(Db);
        var (_, stats, _) = EngineFactory.Create(Db);
        var job = await StagedImports.StageAsync(Db, user, History("ovf", 3_000, At("2020-02-01T00:00:00Z")), ct);
        var slices = await engine.PrepareImportAsync(job, 0, 1_000, ct);
        Assert.Equal(4, slices.Count);
        // The second batch fails at its checkpoint, its last statement: the third's events are in by then.
        await Db.ExecuteAsync($"""
            CREATE FUNCTION fail_second_checkpoint() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN
                IF NEW.id = {job} AND NEW.applied_rows = {slices[1].LastRank} THEN
                    PERFORM pg_sleep(0.5);
                    RAISE EXCEPTION 'injected failure at the second checkpoint';
                END IF;
                RETURN NEW;
            END $$;
            CREATE TRIGGER fail_second_checkpoint BEFORE UPDATE ON import_jobs FOR EACH ROW EXECUTE FUNCTION fail_second_checkpoint();
            ALTER TABLE import_jobs ENABLE ALWAYS TRIGGER fail_second_checkpoint;
            """);
        try
        {
            var applied = 0;
            var error = await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(async () =>
            {
                await foreach (var _ in engine.ApplyStagedAsync(user, job, slices, ct))
                {
                    applied++;
                }
            });

            Assert.Contains("injected failure", error.MessageText, StringComparison.Ordinal);
            Assert.Equal(1, applied);
            Assert.Contains(logs.Lines, l => l.Contains(WroteEarly, StringComparison.Ordinal) && l.Contains($"{slices[2].From}", StringComparison.Ordinal));
        }
        finally
        {
            await Db.ExecuteAsync("DROP TRIGGER fail_second_checkpoint ON import_jobs; DROP FUNCTION fail_second_checkpoint();");
        }

        // Only the first batch is written: none of the events the third wrote early, nothing of the second.
        Assert.Equal(slices[0].LastRank, await Db.ScalarAsync<long>("SELECT applied_rows FROM import_jobs WHERE id = $1", job));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1 AND played_at > $2", user, slices[0].To));
        var firstBatch = await Db.ScalarAsync<long>("SELECT imported_rows FROM import_jobs WHERE id = $1", job);
        Assert.Equal(firstBatch, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user));
        Assert.Equal(firstBatch, await TotalPlaysAsync(user));
        Assert.Empty(await stats.VerifyAsync(user, ct));

        // Resumed from its checkpoint, the import completes with every play once.
        await foreach (var _ in engine.ApplyStagedAsync(user, job, await engine.PrepareImportAsync(job, slices[0].LastRank, 1_000, ct), ct))
        {
        }

        Assert.Equal(3_000L, await TotalPlaysAsync(user));
        Assert.Empty(await stats.VerifyAsync(user, ct));
    }

    [Fact]
    public async Task Sync_batches_and_rebuilds_slot_in_between_overlapping_batches_without_deadlock_or_a_lost_play()
    {
        var ct = TestContext.Current.CancellationToken;
        var plays = History("ovs", 6_000, At("2019-01-01T00:00:00Z"));
        var user = await TestUsers.CreateAsync(Db, "Europe/Lisbon");
        var (engine, logs) = Engine(Db);
        var (_, stats, _) = EngineFactory.Create(Db);
        var job = await StagedImports.StageAsync(Db, user, plays, ct);
        // The sync reports every 25th of the first 2,000 imported plays, as the end of playback with an estimated
        // duration, and plays of its own. The later batches find no API play near them and overlap.
        var repeats = plays.Take(2_000).Where((_, i) => i % 25 == 0).Select(p => Api(p.TrackSpotifyId!, p.PlayedAt, 400_000));
        var own = Enumerable.Range(0, 300).Select(i => Api($"ovsown{i % 11:D16}", At("2024-06-01T00:00:00Z").AddMinutes(5 * i), 200_000));
        var syncBatches = repeats.Concat(own).Chunk(15).ToList();

        var import = Task.Run(() => ImportAsync(engine, user, job, 400, ct), ct);
        var sync = Task.Run(async () =>
        {
            foreach (var batch in syncBatches)
            {
                await engine.IngestAsync(user, PlaySource.Api, batch, ct);
                await Task.Delay(20, ct);
            }
        }, ct);
        var rebuilds = Task.Run(async () =>
        {
            while (!import.IsCompleted)
            {
                await stats.RebuildAsync(user, ct);
                await Task.Delay(300, ct);
            }
        }, ct);
        await Task.WhenAll(import, sync, rebuilds).WaitAsync(TimeSpan.FromSeconds(120), ct);

        Assert.Contains(logs.Lines, l => l.Contains(WroteEarly, StringComparison.Ordinal));
        Assert.Equal(6_300L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user));
        Assert.Equal(6_000L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1 AND source = 'IMPORT'", user));
        Assert.Equal(6_300L, await TotalPlaysAsync(user));
        Assert.Empty(await stats.VerifyAsync(user, ct));
    }

    [Fact]
    public async Task Two_imports_of_one_user_at_once_apply_one_after_the_other_and_count_each_play_once()
    {
        var ct = TestContext.Current.CancellationToken;
        var plays = History("ovt", 3_000, At("2018-04-01T00:00:00Z"));
        var user = await TestUsers.CreateAsync(Db);
        var (engine, _) = Engine(Db);
        var (_, stats, _) = EngineFactory.Create(Db);
        // Two exports that overlap by a third of their plays.
        var first = await StagedImports.StageAsync(Db, user, plays[..2_000], ct);
        var second = await StagedImports.StageAsync(Db, user, plays[1_000..3_000], ct);

        var both = await Task.WhenAll(
            Task.Run(() => ImportAsync(engine, user, first, 300, ct), ct),
            Task.Run(() => ImportAsync(engine, user, second, 300, ct), ct)).WaitAsync(TimeSpan.FromSeconds(120), ct);

        Assert.Equal(3_000, both.Sum(r => r.Sum(b => b.Inserted)));
        Assert.Equal(1_000, both.Sum(r => r.Sum(b => b.Duplicates)));
        Assert.Equal(3_000L, await TotalPlaysAsync(user));
        Assert.Empty(await stats.VerifyAsync(user, ct));
    }
}
