using MyiV3.Tests.Fixtures;
using Npgsql;

namespace MyiV3.Tests.Data;

/// <summary>The database itself refuses what the model forbids, whatever the application does.</summary>
public sealed class ConstraintRejectionTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>, IAsyncLifetime
{
    private TestDatabase Db => fixture.Db;
    private long _userId;
    private long _trackId;

    public async ValueTask InitializeAsync()
    {
        var suffix = Guid.NewGuid().ToString("N");
        _userId = (await Db.ScalarAsync<long>("INSERT INTO users (spotify_id, display_name) VALUES ($1, 'Ada') RETURNING id", "u" + suffix));
        _trackId = (await Db.ScalarAsync<long>("INSERT INTO tracks (spotify_id, name) VALUES ($1, 'Song') RETURNING id", "t" + suffix));
        await Db.ExecuteAsync("SELECT ensure_listening_event_partitions('2024-01-01T00:00:00Z', '2024-01-31T00:00:00Z')");
    }

    public ValueTask DisposeAsync() => ValueTask.CompletedTask;

    [Fact]
    public async Task A_duplicate_play_is_rejected()
    {
        const string insert = "INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source) VALUES ($1, $2, '2024-01-10T12:00:00Z', 1000, 'IMPORT')";
        await Db.ExecuteAsync(insert, _userId, _trackId);
        var ex = await Assert.ThrowsAsync<PostgresException>(() => Db.ExecuteAsync(insert, _userId, _trackId));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, ex.SqlState);
    }

    [Fact]
    public async Task An_hour_of_24_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            Db.ExecuteAsync("INSERT INTO user_hour_stats (user_id, hour, play_count, total_ms, skip_count) VALUES ($1, 24, 1, 1, 0)", _userId));
        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
    }

    [Fact]
    public async Task A_rank_of_51_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            Db.ExecuteAsync("INSERT INTO spotify_top_tracks (user_id, term, rank, track_id, fetched_at) VALUES ($1, 'SHORT_TERM', 51, $2, now())", _userId, _trackId));
        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
    }

    [Fact]
    public async Task An_unknown_enum_value_is_rejected()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            Db.ExecuteAsync("INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source) VALUES ($1, $2, '2024-01-11T12:00:00Z', 1000, 'RADIO')", _userId, _trackId));
        Assert.Equal(PostgresErrorCodes.InvalidTextRepresentation, ex.SqlState);
    }

    [Fact]
    public async Task A_play_with_no_partition_for_its_month_is_rejected_not_silently_kept()
    {
        // 2007 lies before the months the migration makes (PrecreatedPartitions) and was never ensured here.
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            Db.ExecuteAsync("INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source) VALUES ($1, $2, '2007-06-01T12:00:00Z', 1000, 'IMPORT')", _userId, _trackId));
        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState); // "no partition of relation found for row"
    }

    [Fact]
    public async Task A_play_far_in_the_future_or_before_2006_is_rejected()
    {
        await Assert.ThrowsAsync<PostgresException>(() =>
            Db.ExecuteAsync("INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source) VALUES ($1, $2, now() + interval '2 days', 1000, 'IMPORT')", _userId, _trackId));
        await Assert.ThrowsAsync<PostgresException>(() =>
            Db.ExecuteAsync("SELECT ensure_listening_event_partitions('2001-01-01T00:00:00Z', '2001-02-01T00:00:00Z')"));
    }

    [Fact]
    public async Task Negative_counters_and_processed_beyond_total_are_rejected()
    {
        var ex = await Assert.ThrowsAsync<PostgresException>(() =>
            Db.ExecuteAsync("INSERT INTO user_track_stats (user_id, track_id, play_count, total_ms, skip_count, first_played_at, last_played_at) VALUES ($1, $2, -1, 0, 0, now(), now())", _userId, _trackId));
        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
        ex = await Assert.ThrowsAsync<PostgresException>(() =>
            Db.ExecuteAsync("INSERT INTO import_jobs (user_id, file_name, content_hash, status, total_rows, processed_rows) VALUES ($1, 'a.json', repeat('a', 64), 'PROCESSING', 5, 6)", _userId));
        Assert.Equal(PostgresErrorCodes.CheckViolation, ex.SqlState);
    }
}
