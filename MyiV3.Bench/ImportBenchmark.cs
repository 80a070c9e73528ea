using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Data.Live;
using MyiV3.Jobs.Hosting;
using MyiV3.Jobs.Import;
using MyiV3.Jobs.Import.Generator;
using Npgsql;

namespace MyiV3.Bench;

/// <summary>Import end to end (unzip → parse → catalog → events → all stats, committed) vs the schema floor.</summary>
internal static class ImportBenchmark
{
    public static async Task RunAsync(BenchDatabase cluster, int plays, int runs)
    {
        var zip = Path.Combine(Path.GetTempPath(), $"myiv3-bench-{plays}.zip");
        var history = new HistoryGenerator(new HistoryGeneratorOptions { Plays = plays, Years = 8 }).WriteZip(zip);
        Console.WriteLine($"input: {zip} — {history.Rows:N0} rows in {history.Files.Count} files, {history.DistinctPlays:N0} distinct plays, {new FileInfo(zip).Length / 1e6:N1} MB zip, {history.JsonBytes / 1e6:N1} MB JSON");

        var ours = new List<double>();
        var floors = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var dataSource = await cluster.CreateMigratedDatabaseAsync();
            await using var services = Services(dataSource);
            var (seconds, stage, firstBatch, userId) = await ImportOnceAsync(services, zip);
            var floor = await FloorAsync(dataSource, userId);
            ours.Add(seconds);
            floors.Add(floor);
            Console.WriteLine($"run {run}: import {seconds:F2}s ({history.DistinctPlays / seconds:N0} plays/s; staging {stage:F2}s, catalog and first batch {firstBatch - stage:F2}s, other batches {seconds - firstBatch:F2}s) · schema floor {floor:F2}s · ratio {seconds / floor:F2}×");
            await dataSource.DisposeAsync();
        }

        var median = Median(ours);
        var floorMedian = Median(floors);
        Console.WriteLine($"median: import {median:F2}s = {history.DistinctPlays / median:N0} plays/s · floor {floorMedian:F2}s · ratio {median / floorMedian:F2}× (median of ratios {Median(ours.Zip(floors, (a, b) => a / b).ToList()):F2}×)");
    }

    internal static ServiceProvider Services(NpgsqlDataSource dataSource)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Import:StorageDirectory"] = Path.Combine(Path.GetTempPath(), "myiv3-bench-uploads"),
        };
        // MYI_BENCH_BATCH tries another batch size than the app's default (an absent key keeps it).
        if (Environment.GetEnvironmentVariable("MYI_BENCH_BATCH") is { Length: > 0 } batch)
        {
            settings["Import:BatchSize"] = batch;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.SetMinimumLevel(LogLevel.Warning));
        services.AddSingleton(dataSource);
        services.AddPooledDbContextFactory<MyiDbContext>(o => MyiDatabase.Configure(o, dataSource));
        services.AddSingleton<IUserNotifier, NoListenersNotifier>();
        services.AddMyiImport(configuration);
        return services.BuildServiceProvider();
    }

    /// <returns>Seconds to completion, to the end of staging and to the first batch's commit (the phases: each has another bottleneck).</returns>
    private static async Task<(double Seconds, double Stage, double FirstBatch, long UserId)> ImportOnceAsync(ServiceProvider services, string zip)
    {
        var factory = services.GetRequiredService<IDbContextFactory<MyiDbContext>>();
        long userId, jobId;
        await using (var db = await factory.CreateDbContextAsync())
        {
            var user = new User { SpotifyId = "bench", DisplayName = "Bench" };
            db.Users.Add(user);
            await db.SaveChangesAsync();
            userId = user.Id;
            // The file is imported in place, as the command line does (no upload copy in the timing).
            var job = new ImportJob { UserId = userId, FileName = Path.GetFileName(zip), ContentHash = new string('0', 64), StoragePath = zip, FileSize = new FileInfo(zip).Length };
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync();
            jobId = job.Id;
        }

        var processor = services.GetRequiredService<ImportProcessor>();
        var sw = Stopwatch.StartNew();
        double stage = 0, firstBatch = 0;
        var trace = Environment.GetEnvironmentVariable("MYI_BENCH_TRACE") == "1";
        processor.Progress = j =>
        {
            if (trace)
            {
                Console.WriteLine($"  {sw.Elapsed.TotalSeconds,6:F2}s {j.Status} read {j.ProcessedRows:N0} staged {j.StagedRows:N0} applied {j.AppliedRows:N0}");
            }

            if (stage == 0 && j.StagedRows is not null)
            {
                stage = sw.Elapsed.TotalSeconds;
            }

            if (firstBatch == 0 && j.AppliedRows > 0)
            {
                firstBatch = sw.Elapsed.TotalSeconds;
            }
        };
        var done = await processor.ProcessAsync(jobId, CancellationToken.None);
        var seconds = sw.Elapsed.TotalSeconds;
        if (done?.Status != JobStatus.Completed)
        {
            throw new InvalidOperationException($"import ended {done?.Status}: {done?.ErrorMessage}");
        }

        return (seconds, stage, firstBatch == 0 ? seconds : firstBatch, userId);
    }

    /// <summary>
    /// The schema's floor: the same rows, already resolved, written by a bare INSERT … SELECT from an
    /// unlogged table into the same partitioned, indexed listening_events (no ON CONFLICT, no stats).
    /// </summary>
    private static async Task<double> FloorAsync(NpgsqlDataSource dataSource, long userId)
    {
        await using var conn = await dataSource.OpenConnectionAsync();
        await using (var prep = new NpgsqlCommand("""
            CREATE UNLOGGED TABLE floor_src AS
                SELECT track_id, played_at, ms_played, source, skipped, shuffle, reason_start, reason_end, platform, conn_country, offline, incognito
                FROM listening_events WHERE user_id = @user_id;
            INSERT INTO users (spotify_id, display_name) VALUES ('floor', 'Floor');
            """, conn))
        {
            prep.Parameters.Add(new NpgsqlParameter("user_id", userId));
            await prep.ExecuteNonQueryAsync();
        }

        // Outside a transaction block, each on its own.
        foreach (var sql in new[] { "VACUUM ANALYZE floor_src", "CHECKPOINT" })
        {
            await using var cmd = new NpgsqlCommand(sql, conn);
            await cmd.ExecuteNonQueryAsync();
        }

        var sw = Stopwatch.StartNew();
        await using (var insert = new NpgsqlCommand("""
            INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source, skipped, shuffle, reason_start, reason_end, platform, conn_country, offline, incognito)
            SELECT (SELECT id FROM users WHERE spotify_id = 'floor'), track_id, played_at, ms_played, source, skipped, shuffle, reason_start, reason_end, platform, conn_country, offline, incognito
            FROM floor_src
            """, conn))
        {
            insert.CommandTimeout = 600;
            await insert.ExecuteNonQueryAsync();
        }

        return sw.Elapsed.TotalSeconds;
    }

    internal static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;
    }
}
