using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Import;
using MyiV3.Jobs.Import.Generator;
using Npgsql;

namespace MyiV3.Bench;

/// <summary>
/// The staging phase of an import (unzip → parse → binary COPY of rows and distinct tracks into the
/// job's unlogged tables, progress saved as the import does), nothing applied: ImportProcessor's own
/// staging code, run several times in one process, each time into a fresh database (so the first run
/// is cold — JIT included; the migrations have made the month partitions, as for any import). All
/// databases are migrated before the first run, and each run starts after a 2 s pause.
/// </summary>
internal static class StageBenchmark
{
    public static async Task RunAsync(BenchDatabase cluster, int plays, int runs)
    {
        var zip = Path.Combine(Path.GetTempPath(), $"myiv3-bench-{plays}.zip");
        if (!File.Exists(zip))
        {
            new HistoryGenerator(new HistoryGeneratorOptions { Plays = plays, Years = 8 }).WriteZip(zip);
        }

        // The databases first (migrations JIT and tier up a lot of EF Core code), then the runs, each after a pause:
        // a second import in a long-running process meets a process at rest, not one still compiling.
        var prepared = new List<(NpgsqlDataSource DataSource, ServiceProvider Services, ImportJob Job)>();
        for (var run = 1; run <= runs; run++)
        {
            var dataSource = await cluster.CreateMigratedDatabaseAsync();
            var services = ImportBenchmark.Services(dataSource);
            var factory = services.GetRequiredService<IDbContextFactory<MyiDbContext>>();
            await using var db = await factory.CreateDbContextAsync();
            var user = new User { SpotifyId = "bench", DisplayName = "Bench" };
            db.Users.Add(user);
            await db.SaveChangesAsync();
            var job = new ImportJob
            {
                UserId = user.Id,
                FileName = Path.GetFileName(zip),
                ContentHash = new string('0', 64),
                StoragePath = zip,
                FileSize = new FileInfo(zip).Length,
                Status = JobStatus.Processing,
            };
            db.ImportJobs.Add(job);
            await db.SaveChangesAsync();
            prepared.Add((dataSource, services, job));
        }

        var trace = Environment.GetEnvironmentVariable("MYI_BENCH_TRACE") == "1";
        var warm = new List<double>();
        for (var run = 1; run <= runs; run++)
        {
            var (dataSource, services, job) = prepared[run - 1];
            await Task.Delay(TimeSpan.FromSeconds(2));
            var processor = services.GetRequiredService<ImportProcessor>();
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var sw = Stopwatch.StartNew();
            if (trace)
            {
                // Monotonic clock in ns (CLOCK_MONOTONIC, as perf record -k mono), to cut a profile to the runs.
                Console.WriteLine($"  run {run} starts at {Stopwatch.GetTimestamp()}");
                processor.Progress = j => Console.WriteLine($"  {sw.Elapsed.TotalSeconds,6:F2}s read {j.ProcessedRows:N0} staged {j.StagedRows:N0}");
            }

            var staged = await processor.StageAsync(job, CancellationToken.None);
            var seconds = sw.Elapsed.TotalSeconds;
            if (trace)
            {
                Console.WriteLine($"  run {run} ends at {Stopwatch.GetTimestamp()}");
            }

            cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
            if (run > 1)
            {
                warm.Add(seconds);
            }

            Console.WriteLine($"stage run {run} ({(run == 1 ? "cold" : "warm")}): {staged.TotalRows:N0} rows, {staged.StagedRows:N0} staged in {seconds:F2}s = {staged.TotalRows / seconds:N0} rows/s · this process's CPU {cpu.TotalSeconds:F2}s");
            if (run == 1)
            {
                // What was staged, to compare builds: the same upload must stage the same rows and tracks.
                await using var conn = await dataSource.OpenConnectionAsync();
                await using var sums = new NpgsqlCommand($"""
                    SELECT (SELECT md5(string_agg(r::text, E'\n' ORDER BY ord)) FROM {ImportStaging.TableName(job.Id)} r),
                           (SELECT md5(string_agg(t::text, E'\n' ORDER BY track_no)) FROM {ImportStaging.TracksTableName(job.Id)} t)
                    """, conn);
                await using var reader = await sums.ExecuteReaderAsync();
                await reader.ReadAsync();
                Console.WriteLine($"  staged rows md5 {reader.GetString(0)} · tracks md5 {reader.GetString(1)} ({staged.SkippedNonMusic:N0} non-music, {staged.SkippedZeroMs:N0} zero ms, {staged.SkippedInvalid:N0} invalid)");
            }

            await services.GetRequiredService<ImportStaging>().DropAsync(job.Id, CancellationToken.None);
            await services.DisposeAsync();
            await dataSource.DisposeAsync();
        }

        if (warm.Count > 0)
        {
            Console.WriteLine($"warm median: {ImportBenchmark.Median(warm):F2}s of {warm.Count}");
        }
    }
}
