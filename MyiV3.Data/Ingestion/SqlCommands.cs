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
    public static Task<int> LockUserAsync(NpgsqlConnection conn, long userId, CancellationToken ct) =>
        ExecAsync(conn, "SELECT pg_advisory_xact_lock(@ns, (@user_id % 2147483647)::integer), pg_advisory_xact_lock_shared(@catalog_ns, 0)", ct,
            ("ns", IngestionSql.UserLockNamespace), ("user_id", userId), ("catalog_ns", IngestionSql.CatalogLockNamespace));

    /// <summary>The user's IANA zone (UTC when unset); read under the user lock so a zone change cannot interleave.</summary>
    public static Task<string> TimeZoneAsync(NpgsqlConnection conn, long userId, CancellationToken ct) =>
        ScalarAsync<string>(conn, "SELECT COALESCE((SELECT time_zone FROM user_settings WHERE user_id = @user_id), 'UTC')", ct, ("user_id", userId));
}
