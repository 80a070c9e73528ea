using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Import.Generator;

namespace MyiV3.Bench;

/// <summary>Per-event EF Core (one SaveChanges per play) vs the set-based engine, on the same sample.</summary>
internal static class NaiveBenchmark
{
    public static async Task RunAsync(BenchDatabase cluster, int sample)
    {
        var plays = GeneratedPlays.Records(new HistoryGeneratorOptions { Plays = sample, Years = 2, Seed = 7 }).ToList();
        var dataSource = await cluster.CreateMigratedDatabaseAsync();
        await using var services = ImportBenchmark.Services(dataSource);
        var factory = services.GetRequiredService<IDbContextFactory<MyiDbContext>>();
        var naiveUser = await CreateUserAsync(factory, "naive");
        var engineUser = await CreateUserAsync(factory, "engine");
        await using (var cmd = dataSource.CreateCommand("SELECT ensure_listening_event_partitions($1, $2)"))
        {
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = plays.Min(p => p.PlayedAt) });
            cmd.Parameters.Add(new Npgsql.NpgsqlParameter { Value = plays.Max(p => p.PlayedAt) });
            await cmd.ExecuteNonQueryAsync();
        }

        var naive = new NaiveEfIngestor(factory);
        var sw = Stopwatch.StartNew();
        foreach (var p in plays)
        {
            await naive.IngestAsync(naiveUser, p, CancellationToken.None);
        }

        var naiveSeconds = sw.Elapsed.TotalSeconds;
        var engine = services.GetRequiredService<IIngestionEngine>();
        sw.Restart();
        await engine.IngestAsync(engineUser, PlaySource.Import, plays, CancellationToken.None);
        var engineSeconds = sw.Elapsed.TotalSeconds;
        Console.WriteLine($"naive EF: {sample:N0} plays in {naiveSeconds:F1}s = {sample / naiveSeconds:N0} plays/s → 250,000 plays ≈ {250_000 / (sample / naiveSeconds) / 60:F1} min");
        Console.WriteLine($"engine, same {sample:N0} plays (one batch): {engineSeconds:F2}s = {sample / engineSeconds:N0} plays/s · speed-up {naiveSeconds / engineSeconds:F0}×");
        await dataSource.DisposeAsync();
    }

    private static async Task<long> CreateUserAsync(IDbContextFactory<MyiDbContext> factory, string name)
    {
        await using var db = await factory.CreateDbContextAsync();
        var user = new User { SpotifyId = name, DisplayName = name };
        db.Users.Add(user);
        await db.SaveChangesAsync();
        return user.Id;
    }
}
