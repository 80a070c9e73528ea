using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Data.Stats;
using MyiV3.Jobs.Import.Generator;
using Npgsql;

namespace MyiV3.Bench;

/// <summary>
/// Every dashboard read for a user with a long history, from the pre-aggregated tables, side by side
/// with the same answer computed by GROUP BY over listening_events.
/// </summary>
internal static class DashboardBenchmark
{
    public static async Task RunAsync(BenchDatabase cluster, int plays)
    {
        var dataSource = await cluster.CreateMigratedDatabaseAsync();
        await using var services = ImportBenchmark.Services(dataSource);
        long userId;
        await using (var cmd = dataSource.CreateCommand("INSERT INTO users (spotify_id, display_name) VALUES ('dash', 'Dash') RETURNING id"))
        {
            userId = (long)(await cmd.ExecuteScalarAsync())!;
        }

        var engine = services.GetRequiredService<IIngestionEngine>();
        var sw = Stopwatch.StartNew();
        var batch = new List<PlayRecord>(50_000);
        foreach (var p in GeneratedPlays.Records(new HistoryGeneratorOptions { Plays = plays, Years = 12, Seed = 11 }))
        {
            batch.Add(p);
            if (batch.Count == batch.Capacity)
            {
                await engine.IngestAsync(userId, PlaySource.Import, batch, CancellationToken.None);
                batch.Clear();
            }
        }

        await engine.IngestAsync(userId, PlaySource.Import, batch, CancellationToken.None);
        Console.WriteLine($"dashboard: user with {plays:N0} plays over 12 years ingested in {sw.Elapsed.TotalSeconds:F0}s");
        foreach (var sql in new[] { "VACUUM ANALYZE", "CHECKPOINT" })
        {
            await using var c = dataSource.CreateCommand(sql);
            c.CommandTimeout = 600;
            await c.ExecuteNonQueryAsync();
        }

        var q = new DashboardQueries(dataSource, new FixedTime(new DateTimeOffset(2024, 12, 31, 12, 0, 0, TimeSpan.Zero)));
        var year = StatsPeriod.Range(new DateOnly(2024, 1, 1), new DateOnly(2024, 12, 31));
        var all = StatsPeriod.AllTime;
        const string YearRange = "played_at >= '2024-01-01T00:00:00Z' AND played_at < '2025-01-01T00:00:00Z'";
        var cases = new (string Name, Func<Task> Ours, string Baseline)[]
        {
            ("totals, all time", () => q.TotalsAsync(userId, all, default),
                "SELECT count(*), sum(ms_played), count(*) FILTER (WHERE skipped), count(DISTINCT track_id), (SELECT count(DISTINCT ta.artist_id) FROM listening_events e JOIN track_artists ta ON ta.track_id = e.track_id WHERE e.user_id = $1) FROM listening_events WHERE user_id = $1"),
            ("totals, one year", () => q.TotalsAsync(userId, year, default),
                $"SELECT count(*), sum(ms_played), count(*) FILTER (WHERE skipped), count(DISTINCT track_id) FROM listening_events WHERE user_id = $1 AND {YearRange}"),
            ("top 10 tracks, all time", () => q.TopTracksAsync(userId, all, 10, default),
                "SELECT t.name, x.plays FROM (SELECT track_id, count(*) AS plays, sum(ms_played) AS ms FROM listening_events WHERE user_id = $1 GROUP BY track_id ORDER BY 2 DESC, 3 DESC LIMIT 10) x JOIN tracks t ON t.id = x.track_id"),
            ("top 10 tracks, one year", () => q.TopTracksAsync(userId, year, 10, default),
                $"SELECT t.name, x.plays FROM (SELECT track_id, count(*) AS plays, sum(ms_played) AS ms FROM listening_events WHERE user_id = $1 AND {YearRange} GROUP BY track_id ORDER BY 2 DESC, 3 DESC LIMIT 10) x JOIN tracks t ON t.id = x.track_id"),
            ("top 10 artists, one year", () => q.TopArtistsAsync(userId, year, 10, default),
                $"SELECT a.name, x.plays FROM (SELECT ta.artist_id, count(*) AS plays FROM listening_events e JOIN track_artists ta ON ta.track_id = e.track_id WHERE e.user_id = $1 AND e.{YearRange} GROUP BY ta.artist_id ORDER BY 2 DESC LIMIT 10) x JOIN artists a ON a.id = x.artist_id"),
            ("top 10 albums, all time", () => q.TopAlbumsAsync(userId, all, 10, default),
                "SELECT t.album_id, count(*) FROM listening_events e JOIN tracks t ON t.id = e.track_id WHERE e.user_id = $1 GROUP BY t.album_id ORDER BY 2 DESC LIMIT 10"),
            ("activity by month, all time", () => q.ActivityAsync(userId, all, BucketType.Month, default),
                "SELECT date_trunc('month', played_at AT TIME ZONE 'UTC'), count(*), sum(ms_played) FROM listening_events WHERE user_id = $1 GROUP BY 1 ORDER BY 1"),
            ("activity by day, one year", () => q.ActivityAsync(userId, year, BucketType.Day, default),
                $"SELECT (played_at AT TIME ZONE 'UTC')::date, count(*), sum(ms_played) FROM listening_events WHERE user_id = $1 AND {YearRange} GROUP BY 1 ORDER BY 1"),
            ("hour of day", () => q.HoursAsync(userId, default),
                "SELECT extract(hour FROM played_at AT TIME ZONE 'UTC'), count(*) FROM listening_events WHERE user_id = $1 GROUP BY 1"),
            ("weekday × hour", () => q.WeekdayHoursAsync(userId, default),
                "SELECT extract(isodow FROM played_at AT TIME ZONE 'UTC'), extract(hour FROM played_at AT TIME ZONE 'UTC'), count(*) FROM listening_events WHERE user_id = $1 GROUP BY 1, 2"),
            ("latest 20 plays", () => q.LatestPlaysAsync(userId, 20, default), ""),
        };

        Console.WriteLine("| query | ours (median ms) | GROUP BY over listening_events (median ms) | ratio |");
        Console.WriteLine("|---|---:|---:|---:|");
        var ratios = new List<double>();
        foreach (var (name, ours, baseline) in cases)
        {
            var oursMs = await MedianMsAsync(ours, 25);
            if (baseline.Length == 0)
            {
                Console.WriteLine($"| {name} | {oursMs:F2} | (same index either way) | — |");
                continue;
            }

            var baseMs = await MedianMsAsync(async () =>
            {
                await using var cmd = dataSource.CreateCommand(baseline);
                cmd.CommandTimeout = 600;
                cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
                await using var r = await cmd.ExecuteReaderAsync();
                while (await r.ReadAsync())
                {
                }
            }, 5);
            ratios.Add(baseMs / oursMs);
            Console.WriteLine($"| {name} | {oursMs:F2} | {baseMs:F0} | {baseMs / oursMs:F0}× |");
        }

        Console.WriteLine($"median ratio {ImportBenchmark.Median(ratios):F0}×, smallest {ratios.Min():F0}×");
        await dataSource.DisposeAsync();
    }

    private static async Task<double> MedianMsAsync(Func<Task> action, int runs)
    {
        await action(); // warm
        var times = new List<double>();
        for (var i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            await action();
            times.Add(sw.Elapsed.TotalMilliseconds);
        }

        return ImportBenchmark.Median(times);
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
