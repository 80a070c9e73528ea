using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using MyiV3.Data;
using Npgsql;

namespace MyiV3.Tests.Fixtures;

/// <summary>A migrated database cloned from the template; dropped on dispose.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private readonly PostgresCluster _cluster;

    internal TestDatabase(PostgresCluster cluster, string name, string connectionString)
    {
        _cluster = cluster;
        Name = name;
        ConnectionString = connectionString;
        DataSource = MyiDatabase.CreateDataSource(connectionString);
        var options = new DbContextOptionsBuilder<MyiDbContext>();
        MyiDatabase.Configure(options, DataSource);
        Factory = new PooledDbContextFactory<MyiDbContext>(options.Options);
    }

    public string Name { get; }
    public string ConnectionString { get; }
    public NpgsqlDataSource DataSource { get; }
    public IDbContextFactory<MyiDbContext> Factory { get; }

    public async Task<T?> ScalarAsync<T>(string sql, params object[] args)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        var result = await cmd.ExecuteScalarAsync();
        return result is null or DBNull ? default : (T)result;
    }

    /// <summary>The user's stored play count of a track (its Spotify id or provisional key); 0 without a row.</summary>
    public Task<long> TrackPlayCountAsync(long userId, string spotifyId) => ScalarAsync<long>(
        "SELECT s.play_count FROM user_track_stats s JOIN tracks t ON t.id = s.track_id WHERE s.user_id = $1 AND t.spotify_id = $2", userId, spotifyId);

    public async Task<int> ExecuteAsync(string sql, params object[] args)
    {
        await using var cmd = DataSource.CreateCommand(sql);
        foreach (var a in args)
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = a });
        }

        return await cmd.ExecuteNonQueryAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await DataSource.DisposeAsync();
        await _cluster.DropDatabaseAsync(Name);
    }
}

/// <summary>Class fixture: one fresh database for all tests of a class.</summary>
public sealed class DatabaseFixture : IAsyncLifetime
{
    private TestDatabase? _db;

    public TestDatabase Db => _db ?? throw new InvalidOperationException("Not initialised.");

    public async ValueTask InitializeAsync() => _db = await PostgresCluster.Current.CreateDatabaseAsync();

    public async ValueTask DisposeAsync()
    {
        if (_db is not null)
        {
            await _db.DisposeAsync();
        }
    }
}
