using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using MyiV3.Data;
using MyiV3.Tests.Fixtures;
using MyiV3.Tests.Spotify;
using MyiV3.Web.Hosting;
using Npgsql;

namespace MyiV3.Tests.Data;

public sealed class MigrationTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    [Fact]
    public async Task The_model_has_no_changes_missing_from_the_migrations()
    {
        await using var db = await fixture.Db.Factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.False(db.Database.HasPendingModelChanges(), "run `dotnet ef migrations add <Name> --project MyiV3.Data`");
    }

    [Fact]
    public async Task Every_migration_is_applied_to_the_test_database()
    {
        await using var db = await fixture.Db.Factory.CreateDbContextAsync(TestContext.Current.CancellationToken);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(TestContext.Current.CancellationToken));
        Assert.NotEmpty(db.Database.GetMigrations());
    }

    [Fact]
    public async Task Upgrading_to_album_stats_backfills_them_from_the_track_stats_so_verify_is_clean()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = PostgresCluster.Current;
        // The schema as it was before user_album_stats.
        var (name, cs) = await DatabaseAtAsync("upg", "20261125120245_ImportStaging", ct);
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync(ct);
            await using var seed = new NpgsqlCommand("""
                INSERT INTO users (spotify_id, display_name) VALUES ('u1', 'One'), ('u2', 'Two');
                INSERT INTO user_settings (user_id, time_zone, show_recent_plays) SELECT id, 'UTC', true FROM users;
                INSERT INTO albums (spotify_id, name) VALUES ('al1', 'First'), ('al2', 'Second');
                INSERT INTO tracks (spotify_id, name, album_id) VALUES
                    ('t1', 'One', (SELECT id FROM albums WHERE spotify_id = 'al1')),
                    ('t2', 'Two', (SELECT id FROM albums WHERE spotify_id = 'al1')),
                    ('t3', 'Three', (SELECT id FROM albums WHERE spotify_id = 'al2')),
                    ('t4', 'No album', NULL);
                SELECT ensure_listening_event_partitions('2023-01-01Z', '2023-03-31Z');
                INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source, skipped)
                SELECT u.id, t.id, timestamptz '2023-01-01Z' + make_interval(hours => g * 7 + length(t.spotify_id) + u.id::int),
                       1000 * g, 'IMPORT', g % 3 = 0
                FROM users u CROSS JOIN tracks t CROSS JOIN generate_series(1, 200) g
                WHERE g % (t.id::int + u.id::int) <> 0;
                INSERT INTO user_track_stats (user_id, track_id, play_count, total_ms, skip_count, first_played_at, last_played_at)
                SELECT user_id, track_id, count(*), sum(ms_played), count(*) FILTER (WHERE skipped), min(played_at), max(played_at)
                FROM listening_events GROUP BY user_id, track_id;
                """, conn);
            await seed.ExecuteNonQueryAsync(ct);
        }

        await MigrateAsync(cs, null, ct);

        await using var db = new TestDatabase(cluster, name, cs);
        const string Expected = """
            SELECT string_agg(concat_ws(',', user_id, album_id, plays, ms, skips, first, last), ';' ORDER BY user_id, album_id) FROM (
                SELECT e.user_id, t.album_id, count(*) AS plays, sum(e.ms_played) AS ms, count(*) FILTER (WHERE e.skipped) AS skips,
                       min(e.played_at) AS first, max(e.played_at) AS last
                FROM listening_events e JOIN tracks t ON t.id = e.track_id
                WHERE t.album_id IS NOT NULL GROUP BY 1, 2) x
            """;
        var stored = await db.ScalarAsync<string>("""
            SELECT string_agg(concat_ws(',', user_id, album_id, play_count, total_ms, skip_count, first_played_at, last_played_at), ';' ORDER BY user_id, album_id)
            FROM user_album_stats
            """);
        Assert.Equal(await db.ScalarAsync<string>(Expected), stored);
        Assert.Equal(4L, await db.ScalarAsync<long>("SELECT count(*) FROM user_album_stats"));

        var (_, stats, _) = EngineFactory.Create(db);
        foreach (var user in new[] { "u1", "u2" })
        {
            var id = await db.ScalarAsync<long>("SELECT id FROM users WHERE spotify_id = $1", user);
            // Only the tables this test seeded by hand can agree with a rebuild; the album stats must.
            var diffs = (await stats.VerifyAsync(id, ct)).Where(d => d.Table is "user_album_stats" or "user_track_stats").ToList();
            Assert.True(diffs.Count == 0, string.Join("\n", diffs.Take(10)));
        }
    }

    [Fact]
    public async Task Upgrading_to_month_arrays_keeps_every_month_entry_and_downgrading_brings_the_rows_back()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = PostgresCluster.Current;
        // The schema with a row per track (artist) and month, filled below as that build's engine did.
        var (name, cs) = await DatabaseAtAsync("arr", "20261125153102_MonthStatsWithoutForeignKeys", ct);
        const string OldRows = """
            SELECT string_agg(concat_ws(',', user_id, month, track_id, play_count, total_ms, skip_count), ';' ORDER BY user_id, month, track_id) FROM user_track_month_stats
            UNION ALL
            SELECT string_agg(concat_ws(',', user_id, month, artist_id, play_count, total_ms, skip_count), ';' ORDER BY user_id, month, artist_id) FROM user_artist_month_stats
            """;
        string before;
        await using (var conn = new NpgsqlConnection(cs))
        {
            await conn.OpenAsync(ct);
            await using (var seed = new NpgsqlCommand("""
                INSERT INTO users (spotify_id, display_name) VALUES ('u1', 'One'), ('u2', 'Two');
                INSERT INTO user_settings (user_id, time_zone, show_recent_plays) SELECT id, 'UTC', true FROM users;
                INSERT INTO artists (spotify_id, name) VALUES ('a1', 'First'), ('a2', 'Second');
                INSERT INTO tracks (spotify_id, name) SELECT 't' || g, 'Track ' || g FROM generate_series(1, 6) g;
                INSERT INTO track_artists (track_id, artist_id, position)
                SELECT t.id, a.id, 0 FROM tracks t JOIN artists a ON a.spotify_id = CASE WHEN t.id % 2 = 0 THEN 'a1' ELSE 'a2' END;
                INSERT INTO track_artists (track_id, artist_id, position)
                SELECT t.id, (SELECT id FROM artists WHERE spotify_id = 'a1'), 1 FROM tracks t WHERE t.id % 3 = 0 AND t.id % 2 = 1;
                SELECT ensure_listening_event_partitions('2023-01-01Z', '2023-06-30Z');
                INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source, skipped)
                SELECT u.id, t.id, timestamptz '2023-01-01Z' + make_interval(hours => g * 11 + t.id::int + u.id::int),
                       1000 * g, 'IMPORT', g % 4 = 0
                FROM users u CROSS JOIN tracks t CROSS JOIN generate_series(1, 300) g
                WHERE g % (t.id::int + u.id::int) <> 0;
                INSERT INTO user_track_month_stats (user_id, month, track_id, play_count, total_ms, skip_count)
                SELECT user_id, date_trunc('month', played_at AT TIME ZONE 'UTC')::date, track_id, count(*), sum(ms_played), count(*) FILTER (WHERE skipped)
                FROM listening_events GROUP BY 1, 2, 3;
                INSERT INTO user_artist_month_stats (user_id, month, artist_id, play_count, total_ms, skip_count)
                SELECT e.user_id, date_trunc('month', e.played_at AT TIME ZONE 'UTC')::date, ta.artist_id, count(*), sum(e.ms_played), count(*) FILTER (WHERE e.skipped)
                FROM listening_events e JOIN track_artists ta ON ta.track_id = e.track_id GROUP BY 1, 2, 3;
                """, conn))
            {
                await seed.ExecuteNonQueryAsync(ct);
            }

            before = await ReadRowsAsync(conn, OldRows, ct);
        }

        await MigrateAsync(cs, null, ct);

        await using (var db = new TestDatabase(cluster, name, cs))
        {
            Assert.Equal(
                await db.ScalarAsync<long>("SELECT count(DISTINCT (user_id, date_trunc('month', played_at AT TIME ZONE 'UTC'))) FROM listening_events"),
                await db.ScalarAsync<long>("SELECT count(*) FROM user_month_tracks"));
            var (_, stats, _) = EngineFactory.Create(db);
            foreach (var user in new[] { "u1", "u2" })
            {
                var id = await db.ScalarAsync<long>("SELECT id FROM users WHERE spotify_id = $1", user);
                var diffs = (await stats.VerifyAsync(id, ct)).Where(d => d.Table.StartsWith("user_month_", StringComparison.Ordinal)).ToList();
                Assert.True(diffs.Count == 0, string.Join("\n", diffs.Take(10)));
            }

            await MigrateAsync(cs, "20261125153102_MonthStatsWithoutForeignKeys", ct);
            await using var conn = new NpgsqlConnection(cs);
            await conn.OpenAsync(ct);
            Assert.Equal(before, await ReadRowsAsync(conn, OldRows, ct));
        }
    }

    private static async Task<string> ReadRowsAsync(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var parts = new List<string>();
        while (await reader.ReadAsync(ct))
        {
            parts.Add(reader.GetString(0));
        }

        return string.Join("\n", parts);
    }

    /// <summary>A new database of the test cluster, migrated up to <paramref name="migration"/>.</summary>
    private static async Task<(string Name, string ConnectionString)> DatabaseAtAsync(string prefix, string migration, CancellationToken ct)
    {
        var cluster = PostgresCluster.Current;
        var name = $"{prefix}_{Guid.NewGuid():N}"[..20];
        var cs = new NpgsqlConnectionStringBuilder(cluster.Server.ConnectionStringFor(name)) { Pooling = false }.ConnectionString;
        await cluster.Server.EnsureDatabaseAsync(name, ct);
        await MigrateAsync(cs, migration, ct);
        return (name, cs);
    }

    // A fresh data source per step: migrations create types.
    private static async Task MigrateAsync(string connectionString, string? target, CancellationToken ct)
    {
        await using var dataSource = MyiDatabase.CreateDataSource(connectionString);
        var options = new DbContextOptionsBuilder<MyiDbContext>();
        MyiDatabase.Configure(options, dataSource);
        await using var db = new MyiDbContext(options.Options);
        await db.GetService<IMigrator>().MigrateAsync(target, ct);
    }

    [Fact]
    public async Task A_first_start_migrates_an_empty_database_without_an_error_in_the_log()
    {
        var ct = TestContext.Current.CancellationToken;
        var cluster = PostgresCluster.Current;
        var name = $"first_{Guid.NewGuid():N}"[..20];
        await cluster.Server.EnsureDatabaseAsync(name, ct);
        var logs = new LogCapture();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Information));
        await using var dataSource = MyiDatabase.CreateDataSource(cluster.Server.ConnectionStringFor(name));
        services.AddSingleton(dataSource);
        services.AddPooledDbContextFactory<MyiDbContext>(o => MyiDatabase.Configure(o, dataSource));
        await using var provider = services.BuildServiceProvider();

        await provider.MigrateMyiDatabaseAsync(ct);
        await provider.MigrateMyiDatabaseAsync(ct); // the second start: nothing to do, still quiet

        Assert.DoesNotContain(logs.Lines, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
        await using var db = await provider.GetRequiredService<IDbContextFactory<MyiDbContext>>().CreateDbContextAsync(ct);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(ct));
    }

    [Fact]
    public async Task The_app_never_uses_EnsureCreated()
    {
        var root = SolutionRoot();
        var offenders = Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains("MyiV3.Tests", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("EnsureCreated", StringComparison.Ordinal))
            .ToList();
        Assert.Empty(offenders);
        await Task.CompletedTask;
    }

    internal static string SolutionRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MyiV3.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MyiV3.sln not found above the test folder.");
    }
}
