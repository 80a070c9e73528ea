using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Jobs.Import.Parsers;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Import.Jobs;

/// <summary>An import interrupted while staging or while applying is run again from its job row: nothing lost, nothing counted twice.</summary>
public sealed class ImportRestartTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private const int BatchSize = 1_500;

    /// <summary>An import's first slice is a fifth of the batch size (ImportPlan.SliceAsync).</summary>
    private const int FirstBatch = BatchSize / 5;
    private TestDatabase Db => fixture.Db;

    private static readonly HistoryGeneratorOptions History = new() { Plays = 7_000, Seed = 31, RowsPerFile = 2_500, OverlapRows = 50 };

    private ImportHarness Harness(HistoryReaderOptions? readerOptions = null) =>
        new(Db, new Dictionary<string, string?> { ["Import:BatchSize"] = BatchSize.ToString(System.Globalization.CultureInfo.InvariantCulture) }, readerOptions);

    /// <summary>Stores the upload and processes it until the first batch has been committed, then "the process dies".</summary>
    private static async Task<ImportJob> CrashAfterFirstBatchAsync(ImportHarness h, long user, string zip)
    {
        var stored = await h.StoreAsync(user, zip, "my_spotify_data.zip");
        using var crash = new CancellationTokenSource();
        var processor = h.Processor();
        processor.Progress = j =>
        {
            if (j.AppliedRows > 0)
            {
                crash.Cancel();
            }
        };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => processor.ProcessAsync(stored.Id, crash.Token));
        var job = await h.JobAsync(stored.Id);
        Assert.Equal(JobStatus.Processing, job.Status);
        Assert.Equal(FirstBatch, job.AppliedRows);
        Assert.True(job.StagedRows > 2 * BatchSize);
        Assert.True(await h.StagingTableExistsAsync(job.Id), "the staging table must survive a crash to resume from");
        Assert.Single(h.FilesInStore());
        return job;
    }

    private static async Task AssertExactAsync(ImportHarness h, long user, ImportJob job, GeneratedHistory expected)
    {
        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(expected.PlayRows, job.StagedRows);
        Assert.Equal(expected.PlayRows, job.AppliedRows);
        Assert.Equal(expected.DistinctPlays, job.ImportedRows);
        Assert.Equal(expected.DuplicatePlayRows, job.DuplicateRows);
        Assert.Equal(job.StagedRows, job.ImportedRows + job.DuplicateRows);
        Assert.Equal((expected.DistinctPlays, expected.TotalMsPlayed), await h.TotalsAsync(user));
        Assert.Equal(expected.DistinctPlays, await h.EventCountAsync(user));
        await h.AssertVerifiedAsync(user);
        Assert.False(await h.StagingTableExistsAsync(job.Id));
        Assert.Empty(h.FilesInStore());
    }

    [Fact]
    public async Task A_crash_after_a_committed_batch_resumes_from_the_checkpoint_without_double_counting()
    {
        await using var h = Harness();
        var user = await TestUsers.CreateAsync(Db);
        var (zip, expected, _) = ImportHarness.GenerateZip(History);
        var crashed = await CrashAfterFirstBatchAsync(h, user, zip);
        Assert.Equal(crashed.ImportedRows, (await h.TotalsAsync(user)).Plays);
        await h.AssertVerifiedAsync(user);

        var resumed = (await h.Processor().ProcessAsync(crashed.Id, TestContext.Current.CancellationToken))!;

        await AssertExactAsync(h, user, resumed, expected);
        File.Delete(zip);
    }

    [Fact]
    public async Task Batches_apply_the_oldest_plays_first_whatever_the_order_of_the_files()
    {
        await using var h = Harness();
        var user = await TestUsers.CreateAsync(Db);
        var (generated, expected, _) = ImportHarness.GenerateZip(History);
        var zip = ReversedEntries(generated);
        var crashed = await CrashAfterFirstBatchAsync(h, user, zip);

        // Open dashboards fill in from the oldest month on: no staged play older than the newest
        // stored one is still waiting (the newest file came first in the ZIP).
        var waiting = await Db.ScalarAsync<long>(ImportHarness.Invariant($"""
            SELECT count(*) FROM {ImportStaging.TableName(crashed.Id)}
            WHERE played_at < (SELECT max(played_at) FROM listening_events WHERE user_id = $1)
            """), user);
        Assert.True(waiting <= BatchSize, $"{waiting} staged rows are older than the newest stored play");

        var resumed = (await h.Processor().ProcessAsync(crashed.Id, TestContext.Current.CancellationToken))!;

        await AssertExactAsync(h, user, resumed, expected);
        File.Delete(zip);
        File.Delete(generated);
    }

    [Fact]
    public async Task An_import_interrupted_under_an_earlier_build_fails_with_a_way_forward_and_loses_nothing_applied()
    {
        await using var h = Harness();
        var user = await TestUsers.CreateAsync(Db);
        var (zip, expected, _) = ImportHarness.GenerateZip(History);
        var crashed = await CrashAfterFirstBatchAsync(h, user, zip);
        // What the earlier build (batches in file order) left on its staging table.
        await Db.ExecuteAsync($"CREATE INDEX ON {ImportStaging.TableName(crashed.Id)} USING brin (ord)");
        var before = await h.SnapshotAsync(user);

        var failed = (await h.Processor().ProcessAsync(crashed.Id, TestContext.Current.CancellationToken))!;

        Assert.Equal(JobStatus.Failed, failed.Status);
        Assert.Contains("earlier version", failed.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("upload my_spotify_data.zip again", failed.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(before, await h.SnapshotAsync(user));
        await h.AssertVerifiedAsync(user);
        Assert.False(await h.StagingTableExistsAsync(failed.Id));

        // The way forward works: the same file again brings exactly the rest.
        var again = await h.ImportAsync(user, zip, "my_spotify_data.zip");
        Assert.Equal(JobStatus.Completed, again.Status);
        Assert.Equal((expected.DistinctPlays, expected.TotalMsPlayed), await h.TotalsAsync(user));
        await h.AssertVerifiedAsync(user);
        File.Delete(zip);
    }

    private static string ReversedEntries(string zip)
    {
        var reversed = Path.ChangeExtension(zip, ".reversed.zip");
        using var source = System.IO.Compression.ZipFile.OpenRead(zip);
        using var target = System.IO.Compression.ZipFile.Open(reversed, System.IO.Compression.ZipArchiveMode.Create);
        foreach (var entry in source.Entries.Reverse())
        {
            using var from = entry.Open();
            using var to = target.CreateEntry(entry.FullName).Open();
            from.CopyTo(to);
        }

        return reversed;
    }

    [Fact]
    public async Task A_database_crash_that_empties_the_unlogged_staging_table_restages_the_file_and_still_counts_exactly()
    {
        await using var h = Harness();
        var user = await TestUsers.CreateAsync(Db);
        var (zip, expected, _) = ImportHarness.GenerateZip(History);
        var crashed = await CrashAfterFirstBatchAsync(h, user, zip);
        // PostgreSQL resets unlogged tables to empty in crash recovery.
        await Db.ExecuteAsync($"TRUNCATE {ImportStaging.TableName(crashed.Id)}");

        var resumed = (await h.Processor().ProcessAsync(crashed.Id, TestContext.Current.CancellationToken))!;

        await AssertExactAsync(h, user, resumed, expected);
        File.Delete(zip);
    }

    [Fact]
    public async Task A_staging_table_gone_after_a_crash_is_rebuilt_from_the_stored_upload()
    {
        await using var h = Harness();
        var user = await TestUsers.CreateAsync(Db);
        var (zip, expected, _) = ImportHarness.GenerateZip(History);
        var crashed = await CrashAfterFirstBatchAsync(h, user, zip);
        await Db.ExecuteAsync($"DROP TABLE {ImportStaging.TableName(crashed.Id)}");

        var resumed = (await h.Processor().ProcessAsync(crashed.Id, TestContext.Current.CancellationToken))!;

        await AssertExactAsync(h, user, resumed, expected);
        File.Delete(zip);
    }

    [Fact]
    public async Task A_crash_while_staging_restarts_staging_cleanly()
    {
        using var crash = new CancellationTokenSource();
        // The process dies as soon as the first history file of the ZIP has been read into the staging table.
        await using var h = Harness(new HistoryReaderOptions { FileCompleted = _ => crash.Cancel() });
        var user = await TestUsers.CreateAsync(Db);
        var (zip, expected, _) = ImportHarness.GenerateZip(History);
        var stored = await h.StoreAsync(user, zip, "my_spotify_data.zip");

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => h.Processor().ProcessAsync(stored.Id, crash.Token));
        var crashed = await h.JobAsync(stored.Id);
        Assert.Equal(JobStatus.Processing, crashed.Status);
        Assert.Null(crashed.StagedRows);
        Assert.Equal(0, crashed.AppliedRows);
        Assert.Equal(0L, (await h.TotalsAsync(user)).Plays);

        var resumed = (await h.Processor().ProcessAsync(stored.Id, TestContext.Current.CancellationToken))!;

        await AssertExactAsync(h, user, resumed, expected);
        File.Delete(zip);
    }

    [Fact]
    public async Task Rows_left_in_a_staging_table_by_an_unfinished_staging_are_never_applied()
    {
        await using var h = Harness();
        var user = await TestUsers.CreateAsync(Db);
        var (zip, expected, _) = ImportHarness.GenerateZip(History);
        var stored = await h.StoreAsync(user, zip, "my_spotify_data.zip");
        // A previous run got as far as writing (and even completing) some rows, then died before recording StagedRows.
        await Db.ExecuteAsync("UPDATE import_jobs SET status = 'PROCESSING', processed_rows = 1234 WHERE id = $1", stored.Id);
        var staging = new ImportStaging(Db.DataSource);
        await using (var partial = await staging.BeginAsync(stored.Id, TestContext.Current.CancellationToken))
        {
            partial.Write(Plays.Track("leftover00000000000000", Plays.At("2023-01-01T12:00:00Z"), 123_456));
            await partial.CompleteAsync(TestContext.Current.CancellationToken);
        }

        var resumed = (await h.Processor().ProcessAsync(stored.Id, TestContext.Current.CancellationToken))!;

        await AssertExactAsync(h, user, resumed, expected);
        Assert.Equal(0L, await Db.ScalarAsync<long>(
            "SELECT count(*) FROM listening_events e JOIN tracks t ON t.id = e.track_id WHERE e.user_id = $1 AND t.spotify_id = 'leftover00000000000000'", user));
        File.Delete(zip);
    }

    [Fact]
    public async Task A_finished_job_processed_again_changes_nothing()
    {
        await using var h = Harness();
        var user = await TestUsers.CreateAsync(Db);
        var (zip, expected, _) = ImportHarness.GenerateZip(History with { Plays = 3_000 });
        var done = await h.ImportAsync(user, zip);
        var before = await h.SnapshotAsync(user);

        var again = (await h.Processor().ProcessAsync(done.Id, TestContext.Current.CancellationToken))!;

        Assert.Equal(JobStatus.Completed, again.Status);
        Assert.Equal(expected.DistinctPlays, again.ImportedRows);
        Assert.Equal(before, await h.SnapshotAsync(user));
        File.Delete(zip);
    }
}
