using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data;
using MyiV3.Data.Embedded;
using Npgsql;

namespace MyiV3.Bench;

/// <summary>A private cluster for a benchmark run, tuned as the embedded default is, with fresh databases on demand.</summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    private readonly EmbeddedPostgres _pg;
    private int _n;

    private BenchDatabase(EmbeddedPostgres pg, string root)
    {
        _pg = pg;
        Root = root;
    }

    public string Root { get; }

    public static async Task<BenchDatabase> StartAsync()
    {
        var root = Path.Combine(Path.GetTempPath(), $"myiv3-bench-{Environment.ProcessId}");
        var options = new EmbeddedPostgresOptions { RootDirectory = root };
        if (Environment.GetEnvironmentVariable("MYI_BENCH_LOG_SLOW") is { } ms)
        {
            options.Settings["log_min_duration_statement"] = ms;
        }

        // MYI_BENCH_PG="name=value;name=value" tries other server settings without a rebuild.
        foreach (var pair in (Environment.GetEnvironmentVariable("MYI_BENCH_PG") ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            options.Settings[name.Trim()] = value.Trim();
        }

        var pg = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance);
        return new BenchDatabase(pg, root);
    }

    /// <summary>The full connection string (with password) of a database of this cluster.</summary>
    public string ConnectionStringOf(NpgsqlDataSource dataSource) =>
        _pg.ConnectionStringFor(new NpgsqlConnectionStringBuilder(dataSource.ConnectionString).Database!);

    public static IReadOnlyDictionary<string, string> Settings => new EmbeddedPostgresOptions().Settings;

    public async Task<NpgsqlDataSource> CreateMigratedDatabaseAsync()
    {
        var name = $"bench{Interlocked.Increment(ref _n)}";
        await _pg.EnsureDatabaseAsync(name, CancellationToken.None);
        var dataSource = MyiDatabase.CreateDataSource(_pg.ConnectionStringFor(name));
        var options = new DbContextOptionsBuilder<MyiDbContext>();
        MyiDatabase.Configure(options, dataSource);
        await using (var db = new MyiDbContext(options.Options))
        {
            await db.Database.MigrateAsync();
        }

        await using var conn = await dataSource.OpenConnectionAsync();
        await conn.ReloadTypesAsync();
        return dataSource;
    }

    public async ValueTask DisposeAsync()
    {
        if (Environment.GetEnvironmentVariable("MYI_BENCH_KEEP") is not null)
        {
            // Left running for a look with psql; the caller stops it (pg_ctl -D <root>/data stop).
            Console.WriteLine($"cluster kept: {Root} · {_pg.ConnectionStringFor("bench1")}");
            return;
        }

        await _pg.StopAsync();
        NpgsqlConnection.ClearAllPools();
        if (Environment.GetEnvironmentVariable("MYI_BENCH_LOG_SLOW") is not null)
        {
            File.Copy(_pg.LogFile, Path.Combine(Path.GetTempPath(), "myiv3-bench-postgres.log"), overwrite: true);
        }

        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
