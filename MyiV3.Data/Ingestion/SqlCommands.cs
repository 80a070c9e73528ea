using Npgsql;

namespace MyiV3.Data.Ingestion;

internal static class SqlCommands
{
    public static async Task<int> ExecAsync(NpgsqlConnection conn, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter(name, value));
        }

        return await cmd.ExecuteNonQueryAsync(ct);
    }

    public static async Task<T> ScalarAsync<T>(NpgsqlConnection conn, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var cmd = new NpgsqlCommand(sql, conn);
        foreach (var (name, value) in parameters)
        {
            cmd.Parameters.Add(new NpgsqlParameter(name, value));
        }

        return (T)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Serialises everything that writes a user's events or statistics, until the transaction ends;
    /// also holds the catalog lock shared, so a relink (<see cref="CatalogRelinker"/>) never moves
    /// a track's album or artists while this transaction counts plays through them.
    /// </summary>
    /// <remarks>
    /// The catalog lock comes first: nobody then holds a user's lock while waiting for the catalog, so a transaction
    /// holding the catalog lock exclusively (a provisional merge) can take any user's lock after it without a deadlock.
    /// </remarks>
    public static Task<int> LockUserAsync(NpgsqlConnection conn, long userId, CancellationToken ct) =>
        LockUserAsync(conn, userId, "pg_advisory_xact_lock", ct);

    /// <summary>
    /// The user's lock shared, for the batches of one import while that import holds <see cref="ImportLock"/>: two of its
    /// batches may then run at once (the next one's events go in while this one's statistics are written), and every
    /// other writer of the user's plays or statistics, which takes the lock exclusively, still waits for both.
    /// </summary>
    public static Task<int> LockUserSharedAsync(NpgsqlConnection conn, long userId, CancellationToken ct) =>
        LockUserAsync(conn, userId, "pg_advisory_xact_lock_shared", ct);

    /// <summary>A user's key in a two-key advisory lock (namespace, key): the id folded into PostgreSQL's integer.</summary>
    public const string UserLockKey = "(@user_id % 2147483647)::integer";

    private static Task<int> LockUserAsync(NpgsqlConnection conn, long userId, string lockFunction, CancellationToken ct) =>
        ExecAsync(conn, $"SELECT pg_advisory_xact_lock_shared(@catalog_ns, 0); SELECT {lockFunction}(@ns, {UserLockKey})", ct,
            ("ns", IngestionSql.UserLockNamespace), ("user_id", userId), ("catalog_ns", IngestionSql.CatalogLockNamespace));

    /// <summary>Takes the catalog lock shared (the catalog step): a relink or an orphan clean-up waits for it and holds it off.</summary>
    public static Task<int> LockCatalogSharedAsync(NpgsqlConnection conn, CancellationToken ct) =>
        ExecAsync(conn, "SELECT pg_advisory_xact_lock_shared(@catalog_ns, 0)", ct, ("catalog_ns", IngestionSql.CatalogLockNamespace));

    /// <summary>Takes the catalog lock exclusively (a relink): waits for every ingestion in flight, holds off new ones.</summary>
    public static Task<int> LockCatalogAsync(NpgsqlConnection conn, CancellationToken ct) =>
        ExecAsync(conn, "SELECT pg_advisory_xact_lock(@catalog_ns, 0)", ct, ("catalog_ns", IngestionSql.CatalogLockNamespace));

    /// <summary>
    /// What shapes the user's statistics: the IANA zone (UTC when unset) and whether plays in a
    /// private session are left out. Read under the user lock, so a settings change cannot interleave.
    /// </summary>
    public static async Task<(string TimeZone, bool ExcludeIncognito)> StatsSettingsAsync(NpgsqlConnection conn, long userId, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(
            "SELECT COALESCE(s.time_zone, 'UTC'), COALESCE(s.exclude_incognito_plays, false) FROM (SELECT 1) one LEFT JOIN user_settings s ON s.user_id = @user_id", conn);
        cmd.Parameters.Add(new NpgsqlParameter("user_id", userId));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetString(0), reader.GetBoolean(1));
    }
}
