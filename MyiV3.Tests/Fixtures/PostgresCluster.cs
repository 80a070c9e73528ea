using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data;
using MyiV3.Data.Embedded;
using Npgsql;

namespace MyiV3.Tests.Fixtures;

/// <summary>
/// The throwaway cluster of a test run, started with the app's own embedded-PostgreSQL code.
/// One migrated template database; every test class clones it (fast) and drops its clone.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private const string Template = "myi_template";
    private static PostgresCluster? _current;
    private EmbeddedPostgres? _pg;
    private int _counter;

    public static PostgresCluster Current => _current ?? throw new InvalidOperationException("The test cluster is not started.");

    public string RootDirectory { get; } = Path.Combine(Path.GetTempPath(), $"myiv3-tests-{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);

    public EmbeddedPostgres Server => _pg ?? throw new InvalidOperationException("The test cluster is not started.");

    public async ValueTask InitializeAsync()
    {
        var options = new EmbeddedPostgresOptions { RootDirectory = RootDirectory };
        // Durability is worthless for a cluster that is deleted at the end of the run.
        options.Settings["fsync"] = "off";
        options.Settings["synchronous_commit"] = "off";
        options.Settings["full_page_writes"] = "off";
        options.Settings["shared_buffers"] = "128MB";
        options.Settings["max_connections"] = "200";
        _pg = await EmbeddedPostgres.StartAsync(options, NullLogger.Instance);
        await _pg.EnsureDatabaseAsync(Template, CancellationToken.None);

        var cs = new NpgsqlConnectionStringBuilder(_pg.ConnectionStringFor(Template)) { Pooling = false }.ConnectionString;
        await using (var dataSource = MyiDatabase.CreateDataSource(cs))
        {
            var options2 = new DbContextOptionsBuilder<MyiDbContext>();
            MyiDatabase.Configure(options2, dataSource);
            await using var db = new MyiDbContext(options2.Options);
            await db.Database.MigrateAsync();
        }

        await using (var admin = new NpgsqlConnection(AdminConnectionString))
        {
            await admin.OpenAsync();
            await using var cmd = new NpgsqlCommand($"ALTER DATABASE {Template} WITH IS_TEMPLATE true", admin);
            await cmd.ExecuteNonQueryAsync();
        }

        _current = this;
    }

    private string AdminConnectionString =>
        new NpgsqlConnectionStringBuilder(Server.ConnectionStringFor("postgres")) { Pooling = false }.ConnectionString;

    /// <summary>A fresh, migrated database of its own.</summary>
    public async Task<TestDatabase> CreateDatabaseAsync()
    {
        var name = $"t{Interlocked.Increment(ref _counter)}_{Guid.NewGuid():N}"[..20];
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"CREATE DATABASE {name} TEMPLATE {Template}", admin);
        await cmd.ExecuteNonQueryAsync();
        return new TestDatabase(this, name, Server.ConnectionStringFor(name));
    }

    internal async Task DropDatabaseAsync(string name)
    {
        await using var admin = new NpgsqlConnection(AdminConnectionString);
        await admin.OpenAsync();
        await using var cmd = new NpgsqlCommand($"DROP DATABASE IF EXISTS {name} WITH (FORCE)", admin);
        await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (_pg is not null)
        {
            await _pg.StopAsync();
        }

        try
        {
            Directory.Delete(RootDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless; never fail the run over it.
        }
    }
}
