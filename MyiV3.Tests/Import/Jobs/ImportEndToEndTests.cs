using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Data.Live;
using MyiV3.Jobs.Import.Generator;
using MyiV3.Tests.Fixtures;

namespace MyiV3.Tests.Import.Jobs;

/// <summary>Generated exports through upload store → staging → engine: exact counts, exact totals, verify clean, nothing left behind.</summary>
public sealed class ImportEndToEndTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    [Theory]
    [InlineData(GeneratedLayout.Extended, 20_000)]
    [InlineData(GeneratedLayout.Endsong, 8_000)]
    [InlineData(GeneratedLayout.AccountData, 8_000)]
    public async Task A_generated_export_imports_exactly_the_generators_truth(GeneratedLayout layout, int plays)
    {
        await using var h = new ImportHarness(Db, new Dictionary<string, string?> { ["Import:BatchSize"] = "6000" });
        var user = await TestUsers.CreateAsync(Db, "Europe/Berlin");
        var (zip, expected, _) = ImportHarness.GenerateZip(new HistoryGeneratorOptions { Plays = plays, Seed = 7, RowsPerFile = 5_000, OverlapRows = 60 }, layout);
        Assert.True(expected.DuplicatePlayRows > 0, "the export should overlap like Spotify's files do");

        var stored = await h.StoreAsync(user, zip, "my_spotify_data.zip");
        Assert.Equal(JobStatus.Pending, stored.Status);
        Assert.Single(h.FilesInStore());
        var job = (await h.Processor().ProcessAsync(stored.Id, TestContext.Current.CancellationToken))!;

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Null(job.ErrorMessage);
        Assert.Equal(expected.Rows, job.TotalRows);
        Assert.Equal(expected.Rows, job.ProcessedRows);
        Assert.Equal(expected.PlayRows, job.StagedRows);
        Assert.Equal(expected.PlayRows, job.AppliedRows);
        Assert.Equal(expected.DistinctPlays, job.ImportedRows);
        Assert.Equal(expected.DuplicatePlayRows, job.DuplicateRows);
        Assert.Equal(expected.NonMusicRows, job.SkippedNonMusic);
        Assert.Equal(expected.ZeroMsRows, job.SkippedZeroMs);
        Assert.Equal(0, job.SkippedInvalid);
        Assert.NotNull(job.CompletedAt);

        Assert.Equal((expected.DistinctPlays, expected.TotalMsPlayed), await h.TotalsAsync(user));
        Assert.Equal(expected.DistinctPlays, await h.EventCountAsync(user));
        Assert.Equal(expected.SkippedPlays, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1 AND skipped", user));
        await h.AssertVerifiedAsync(user);
        Assert.False(await h.StagingTableExistsAsync(job.Id));
        Assert.Empty(h.FilesInStore());
        File.Delete(zip);
    }

    [Fact]
    public async Task Hand_written_exports_of_every_era_import_exactly_including_the_2020_files_without_track_uris()
    {
        await using var h = new ImportHarness(Db, new Dictionary<string, string?> { ["Import:BatchSize"] = "7" });
        var user = await TestUsers.CreateAsync(Db);
        string[] files = ["endsong_0.json", "endsong_1.json", "Streaming_History_Audio_2024-2025_3.json", "StreamingHistory_music_0.json"];
        var zip = Path.Combine(Path.GetTempPath(), "myiv3-eras-" + Guid.NewGuid().ToString("N") + ".zip");
        using (var archive = System.IO.Compression.ZipFile.Open(zip, System.IO.Compression.ZipArchiveMode.Create))
        {
            foreach (var file in files)
            {
                var folder = file.StartsWith("StreamingHistory", StringComparison.Ordinal) ? "Spotify Account Data" : "Spotify Extended Streaming History";
                System.IO.Compression.ZipFileExtensions.CreateEntryFromFile(archive, ImportHarness.Sample(Path.Combine("RealWorld", file)), $"{folder}/{file}");
            }
        }

        // What the parser makes of each file (pinned row by row in RealWorldShapeTests) is what must be counted.
        var plays = new List<PlayRecord>();
        foreach (var file in files)
        {
            plays.AddRange((await Parsers.ParserTestKit.ReadFileAsync(ImportHarness.Sample(Path.Combine("RealWorld", file)))).Where(r => r.Play is not null).Select(r => r.Play!));
        }

        var distinct = plays.DistinctBy(p => (CatalogKeys.Track(p), p.PlayedAt)).ToList();
        Assert.Contains(plays, p => p.TrackSpotifyId is null && p.TrackName == "Carrion Lanterns");

        var job = await h.ImportAsync(user, zip, "my_spotify_data.zip");

        Assert.Equal(JobStatus.Completed, job.Status);
        Assert.Equal(distinct.Count, job.ImportedRows);
        Assert.Equal((distinct.Count, distinct.Sum(p => (long)p.MsPlayed)), await h.TotalsAsync(user));
        // The 2020 row without a track URI counts, on a track known by name until Spotify's metadata names it.
        Assert.Equal("290736,true", await Db.ScalarAsync<string>("""
            SELECT e.ms_played || ',' || t.is_provisional FROM listening_events e JOIN tracks t ON t.id = e.track_id
            WHERE e.user_id = $1 AND t.name = 'Carrion Lanterns'
            """, user));
        await h.AssertVerifiedAsync(user);
        File.Delete(zip);
    }

    [Fact]
    public async Task The_same_file_twice_imports_nothing_the_second_time()
    {
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        var (zip, expected, _) = ImportHarness.GenerateZip(new HistoryGeneratorOptions { Plays = 6_000, Seed = 11, RowsPerFile = 2_500 });
        var first = await h.ImportAsync(user, zip, "my_spotify_data.zip");
        Assert.Equal(JobStatus.Completed, first.Status);
        var before = await h.SnapshotAsync(user, withLastIngested: false);

        var second = await h.ImportAsync(user, zip, "my_spotify_data.zip");

        Assert.Equal(JobStatus.Completed, second.Status);
        Assert.Equal(0, second.ImportedRows);
        Assert.Equal(expected.PlayRows, second.DuplicateRows);
        Assert.Equal(first.ContentHash, second.ContentHash);
        Assert.Equal(before, await h.SnapshotAsync(user, withLastIngested: false));
        Assert.Equal((expected.DistinctPlays, expected.TotalMsPlayed), await h.TotalsAsync(user));
        await h.AssertVerifiedAsync(user);
        Assert.Empty(h.FilesInStore());
        File.Delete(zip);
    }

    [Fact]
    public async Task Overlapping_exports_count_each_play_once()
    {
        await using var h = new ImportHarness(Db);
        var user = await TestUsers.CreateAsync(Db);
        // The same listening history exported twice: a smaller, older export and the full one (their plays overlap).
        var full = new HistoryGeneratorOptions { Plays = 6_000, Seed = 23, Years = 2 };
        var (fullZip, fullExpected, _) = ImportHarness.GenerateZip(full);
        // A subset: the first file of the same history split finer, uploaded as loose JSON.
        var subsetDir = Path.Combine(Path.GetTempPath(), "myiv3-subset-" + Guid.NewGuid().ToString("N"));
        var generator = new HistoryGenerator(full with { RowsPerFile = 2_000 });
        generator.WriteFiles(subsetDir);
        var firstFile = Directory.GetFiles(subsetDir, "Streaming_History_Audio_*_0.json").Single();

        var partial = await h.ImportAsync(user, firstFile);
        Assert.Equal(JobStatus.Completed, partial.Status);
        Assert.True(partial.ImportedRows > 0);
        var whole = await h.ImportAsync(user, fullZip, "my_spotify_data.zip");

        Assert.Equal(JobStatus.Completed, whole.Status);
        Assert.Equal(partial.ImportedRows, whole.DuplicateRows - fullExpected.DuplicatePlayRows);
        Assert.Equal(fullExpected.DistinctPlays, partial.ImportedRows + whole.ImportedRows);
        Assert.Equal((fullExpected.DistinctPlays, fullExpected.TotalMsPlayed), await h.TotalsAsync(user));
        await h.AssertVerifiedAsync(user);

        // Another user: an unrelated export, then the full one, then the subset again — each play once, per user.
        var other = await TestUsers.CreateAsync(Db);
        var (otherZip, otherExpected, _) = ImportHarness.GenerateZip(new HistoryGeneratorOptions { Plays = 3_000, Seed = 99, Years = 1, LastDay = new DateOnly(2021, 6, 30) });
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(other, otherZip)).Status);
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(other, fullZip)).Status);
        Assert.Equal(JobStatus.Completed, (await h.ImportAsync(other, firstFile)).Status);
        Assert.Equal(
            (otherExpected.DistinctPlays + fullExpected.DistinctPlays, otherExpected.TotalMsPlayed + fullExpected.TotalMsPlayed),
            await h.TotalsAsync(other));
        await h.AssertVerifiedAsync(other);
        // The first user's data is untouched by the second user's imports.
        Assert.Equal((fullExpected.DistinctPlays, fullExpected.TotalMsPlayed), await h.TotalsAsync(user));

        File.Delete(fullZip);
        File.Delete(otherZip);
        Directory.Delete(subsetDir, recursive: true);
    }

    [Fact]
    public async Task Progress_and_stats_changes_are_published_for_the_importing_user_only()
    {
        await using var h = new ImportHarness(Db, new Dictionary<string, string?> { ["Import:BatchSize"] = "1000" });
        var user = await TestUsers.CreateAsync(Db);
        var bystander = await TestUsers.CreateAsync(Db);
        var (zip, expected, _) = ImportHarness.GenerateZip(new HistoryGeneratorOptions { Plays = 5_000, Seed = 5 });

        var job = await h.ImportAsync(user, zip);

        Assert.Equal(JobStatus.Completed, job.Status);
        var events = h.Notifier.Events.ToList();
        Assert.All(events, e => Assert.Equal(user, e.UserId));
        Assert.DoesNotContain(events, e => e.UserId == bystander);
        var progress = events.OfType<ImportProgressed>().ToList();
        Assert.All(progress, p => Assert.Equal(job.Id, p.ImportJobId));
        // Stored, processing, one per applied batch, completed.
        Assert.True(progress.Count >= 2 + (int)Math.Ceiling(expected.PlayRows / 1000.0), $"{progress.Count} progress events");
        var changes = events.OfType<StatsChanged>().ToList();
        Assert.True(changes.Count >= 5, $"{changes.Count} stats events for {expected.PlayRows} rows in batches of 1000");
        Assert.Equal(expected.DistinctPlays, changes.Sum(c => (long)c.PlaysAdded));
        File.Delete(zip);
    }
}
