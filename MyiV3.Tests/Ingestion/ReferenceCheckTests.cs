using Microsoft.Extensions.Logging.Abstractions;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Tests.Fixtures;
using Npgsql;
using static MyiV3.Tests.Fixtures.Plays;

namespace MyiV3.Tests.Ingestion;

/// <summary>
/// The engine writes without PostgreSQL's per-row foreign-key triggers where the role may, checking
/// and locking what the rows reference set-based instead. These tests hold it to what the triggers
/// guarantee, and check that a role without that privilege gets the same result through them.
/// </summary>
public sealed class ReferenceCheckTests(DatabaseFixture fixture) : IClassFixture<DatabaseFixture>
{
    private TestDatabase Db => fixture.Db;

    private static List<PlayRecord> History(int count, DateTimeOffset start, int tracks = 30, string prefix = "ref") =>
        Enumerable.Range(0, count)
            .Select(i => Track($"{prefix}{i % tracks:D19}", start.AddMinutes(7 * i), 120_000 + i, artist: $"Artist {i % 7}", album: $"Album {i % 5}"))
            .ToList();

    [Fact]
    public async Task The_test_role_is_allowed_to_leave_the_triggers_out()
    {
        Assert.True(await Db.ScalarAsync<bool>("SELECT has_parameter_privilege('session_replication_role', 'SET')"));
    }

    [Fact]
    public async Task A_role_without_the_privilege_writes_through_the_triggers_with_the_same_statistics()
    {
        var ct = TestContext.Current.CancellationToken;
        // Creating partitions takes the table's owner; the months this test writes are made here.
        await Db.ExecuteAsync("SELECT ensure_listening_event_partitions('2021-01-01', '2021-12-31')");
        var privileged = await TestUsers.CreateAsync(Db);
        var restricted = await TestUsers.CreateAsync(Db);
        await using var roleSource = (await RestrictedRoleAsync(ct)).Source;

        var first = History(400, At("2021-02-01T08:00:00Z"));
        var overlapping = History(600, At("2021-02-01T08:00:00Z"));
        var (engine, stats, _) = EngineFactory.Create(Db);
        var roleEngine = new IngestionEngine(roleSource, TimeProvider.System, new RecordingNotifier(), NullLogger<IngestionEngine>.Instance);
        var roleStats = new StatsRebuilder(roleSource, new RecordingNotifier(), NullLogger<StatsRebuilder>.Instance);

        Assert.Equal(new BatchResult(400, 0, 0), await engine.IngestAsync(privileged, PlaySource.Import, first, ct));
        Assert.Equal(new BatchResult(200, 400, 0), await engine.IngestAsync(privileged, PlaySource.Import, overlapping, ct));
        Assert.Equal(new BatchResult(400, 0, 0), await roleEngine.IngestAsync(restricted, PlaySource.Import, first, ct));
        Assert.Equal(new BatchResult(200, 400, 0), await roleEngine.IngestAsync(restricted, PlaySource.Import, overlapping, ct));

        Assert.Empty(await stats.VerifyAsync(privileged, ct));
        Assert.Empty(await roleStats.VerifyAsync(restricted, ct));
        const string Stats = """
            SELECT string_agg(concat_ws(',', t.spotify_id, s.play_count, s.total_ms, s.first_played_at), ';' ORDER BY t.spotify_id)
            FROM user_track_stats s JOIN tracks t ON t.id = s.track_id WHERE s.user_id = $1
            """;
        Assert.Equal(await Db.ScalarAsync<string>(Stats, privileged), await Db.ScalarAsync<string>(Stats, restricted));
    }

    [Fact]
    public async Task An_import_whose_track_was_deleted_after_cataloging_is_refused_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (user, job, slice, engine) = await StagedWithDeletedTrackAsync("del", At("2022-03-01T10:00:00Z"), ct);

        // The import's job resolves its tracks again on this exception and goes on (ImportMergeTests).
        var error = await Assert.ThrowsAsync<CatalogChangedException>(() => engine.ApplyStagedAsync(user, job, slice, ct));

        Assert.Contains("tracks", error.Message, StringComparison.Ordinal);
        await AssertNothingWrittenAsync(user, job, ct);
    }

    [Fact]
    public async Task A_role_without_the_privilege_meets_a_deleted_track_as_the_same_catalog_change_and_writes_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (user, job, slice, _) = await StagedWithDeletedTrackAsync("rdl", At("2022-04-01T10:00:00Z"), ct);
        var (role, source) = await RestrictedRoleAsync(ct);
        await using var roleSource = source;
        await Db.ExecuteAsync($"GRANT SELECT ON {ImportStaging.TableName(job)}, {ImportStaging.TracksTableName(job)} TO {role}");
        var roleEngine = new IngestionEngine(roleSource, TimeProvider.System, new RecordingNotifier(), NullLogger<IngestionEngine>.Instance);

        // Through the triggers the vanished track is a foreign-key violation: reported as the same catalog change.
        var error = await Assert.ThrowsAsync<CatalogChangedException>(() => roleEngine.ApplyStagedAsync(user, job, slice, ct));

        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, Assert.IsType<PostgresException>(error.InnerException).SqlState);
        await AssertNothingWrittenAsync(user, job, ct);
    }

    /// <summary>An import staged and cataloged, one of whose tracks (and its credits) someone then removes before the batch runs.</summary>
    private async Task<(long User, long Job, StagedSlice Slice, IngestionEngine Engine)> StagedWithDeletedTrackAsync(string prefix, DateTimeOffset start, CancellationToken ct)
    {
        var user = await TestUsers.CreateAsync(Db);
        var (engine, _, _) = EngineFactory.Create(Db);
        var job = await StageAsync(user, History(50, start, tracks: 5, prefix: prefix), ct);
        var slices = await engine.PrepareImportAsync(job, 0, 1_000, ct);
        await Db.ExecuteAsync($"DELETE FROM tracks WHERE id = (SELECT min(track_id) FROM {ImportStaging.TracksTableName(job)})");
        return (user, job, Assert.Single(slices), engine);
    }

    private async Task AssertNothingWrittenAsync(long user, long job, CancellationToken ct)
    {
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT count(*) FROM listening_events WHERE user_id = $1", user));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT total_play_count FROM users WHERE id = $1", user));
        Assert.Equal(0L, await Db.ScalarAsync<long>("SELECT applied_rows FROM import_jobs WHERE id = $1", job));
        Assert.Empty(await EngineFactory.Create(Db).Stats.VerifyAsync(user, ct));
    }

    [Fact]
    public async Task A_track_a_batch_references_cannot_be_deleted_until_the_batch_commits()
    {
        var ct = TestContext.Current.CancellationToken;
        var user = await TestUsers.CreateAsync(Db);
        var (engine, _, _) = EngineFactory.Create(Db);
        await engine.IngestAsync(user, PlaySource.Import, History(3, At("2022-05-01T10:00:00Z"), tracks: 3, prefix: "lck"), ct);
        var track = await Db.ScalarAsync<long>("SELECT min(track_id) FROM user_track_stats WHERE user_id = $1", user);
        var other = await TestUsers.CreateAsync(Db);

        // A batch of another user's plays of that track, stopped after its references are checked.
        await using var batch = await Db.DataSource.OpenConnectionAsync(ct);
        await using var tx = await batch.BeginTransactionAsync(ct);
        await Exec(batch, StageTableSql(track), ct);
        var references = new ReferenceLocks();
        Assert.True(await references.BeginAsync(batch, ct));
        await ReferenceLocks.LockAsync(batch, other, ReferenceLocks.StagedTracks, ct);

        await using var deleter = await Db.DataSource.OpenConnectionAsync(ct);
        await Exec(deleter, "SET lock_timeout = '300ms'", ct);
        var blocked = await Assert.ThrowsAsync<PostgresException>(() => Exec(deleter, $"DELETE FROM tracks WHERE id = {track}", ct));
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, blocked.SqlState);
        var userBlocked = await Assert.ThrowsAsync<PostgresException>(() => Exec(deleter, $"DELETE FROM users WHERE id = {other}", ct));
        Assert.Equal(PostgresErrorCodes.LockNotAvailable, userBlocked.SqlState);

        await tx.RollbackAsync(ct);
        // Released with the batch: the track itself is still protected by the first user's plays.
        var restricted = await Assert.ThrowsAsync<PostgresException>(() => Exec(deleter, $"DELETE FROM tracks WHERE id = {track}", ct));
        Assert.Equal(PostgresErrorCodes.ForeignKeyViolation, restricted.SqlState);
    }

    /// <summary>A login role with the app's table rights but not the privilege to leave the triggers out.</summary>
    private async Task<(string Role, NpgsqlDataSource Source)> RestrictedRoleAsync(CancellationToken ct)
    {
        var role = $"app_{Guid.NewGuid():N}"[..16];
        const string password = "app-role-password";
        await Db.ExecuteAsync($"""
            CREATE ROLE {role} LOGIN PASSWORD '{password}';
            GRANT USAGE, CREATE ON SCHEMA public TO {role};
            GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role};
            GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role};
            GRANT TEMPORARY ON DATABASE {Db.Name} TO {role};
            """);
        var cs = new NpgsqlConnectionStringBuilder(Db.ConnectionString) { Username = role, Password = password }.ConnectionString;
        var source = MyiDatabase.CreateDataSource(cs);
        await using (var conn = await source.OpenConnectionAsync(ct))
        await using (var cmd = new NpgsqlCommand("SELECT has_parameter_privilege('session_replication_role', 'SET')", conn))
        {
            Assert.False((bool)(await cmd.ExecuteScalarAsync(ct))!);
        }

        return (role, source);
    }

    private static string StageTableSql(long trackId) => $"""
        CREATE TEMP TABLE ingest_stage ON COMMIT DROP AS SELECT 1 AS track_no;
        CREATE TEMP TABLE ingest_tracks ON COMMIT DROP AS SELECT 1 AS track_no, {trackId}::bigint AS track_id;
        """;

    private static async Task Exec(NpgsqlConnection conn, string sql, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    private Task<long> StageAsync(long user, List<PlayRecord> plays, CancellationToken ct) => StagedImports.StageAsync(Db, user, plays, ct);
}
