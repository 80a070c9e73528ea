using System.Text;
using Microsoft.Extensions.Logging;
using MyiV3.Data.Live;
using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>A stored statistic that differs from what the user's events imply.</summary>
public sealed record StatsDifference(string Table, string Key, string? Stored, string? Expected);

public interface IStatsRebuilder
{
    /// <summary>Recomputes every statistic of the user from listening_events (e.g. after a time-zone change).</summary>
    Task RebuildAsync(long userId, CancellationToken ct);

    /// <summary>
    /// Recomputes every statistic of the user inside the caller's open transaction on <paramref name="conn"/>, under
    /// the user's lock, so that the change that made it necessary (a new time zone) and the statistics it implies
    /// commit together or not at all. After the commit, <see cref="Announce"/> tells open pages.
    /// </summary>
    Task RecomputeInTransactionAsync(NpgsqlConnection conn, long userId, CancellationToken ct);

    /// <summary>Tells the user's open pages that every statistic may have changed.</summary>
    void Announce(long userId);

    /// <summary>Compares stored statistics with a recomputation; empty when they agree. Changes nothing.</summary>
    Task<IReadOnlyList<StatsDifference>> VerifyAsync(long userId, CancellationToken ct);
}

public sealed partial class StatsRebuilder(NpgsqlDataSource dataSource, IUserNotifier notifier, ILogger<StatsRebuilder> logger) : IStatsRebuilder
{
    /// <summary>A statistics table as verify compares it: rows of keys and values, read from <paramref name="Source"/> (the table itself, or the unnested entries of a month array table).</summary>
    private sealed record StatsTable(string Name, string Keys, string Values, string? Source = null)
    {
        public string From => Source ?? Name;
    }

    private static readonly StatsTable[] Tables =
    [
        new("user_track_stats", "track_id", "play_count, total_ms, skip_count, first_played_at, last_played_at"),
        new("user_artist_stats", "artist_id", "play_count, total_ms, skip_count, first_played_at, last_played_at"),
        new("user_album_stats", "album_id", "play_count, total_ms, skip_count, first_played_at, last_played_at"),
        new("user_time_bucket_stats", "bucket_type, bucket_date", "play_count, total_ms, skip_count"),
        new("user_hour_stats", "hour", "play_count, total_ms, skip_count"),
        new("user_weekday_hour_stats", "weekday, hour", "play_count, total_ms"),
        new("user_month_tracks", "month, track_id", "play_count, total_ms, skip_count", MonthArrays.Entries("user_month_tracks", "track_ids", "track_id")),
        new("user_month_artists", "month, artist_id", "play_count, total_ms, skip_count", MonthArrays.Entries("user_month_artists", "artist_ids", "artist_id")),
    ];

    private static readonly string SnapshotSql = BuildSnapshotSql();
    private static readonly string CompareSql = BuildCompareSql();

    public async Task RebuildAsync(long userId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await RecomputeAsync(conn, userId, ct);
        await tx.CommitAsync(ct);
        LogRebuilt(logger, userId);
        Announce(userId);
    }

    public async Task RecomputeInTransactionAsync(NpgsqlConnection conn, long userId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conn);
        await RecomputeAsync(conn, userId, ct);
        LogRebuilt(logger, userId);
    }

    public void Announce(long userId) => notifier.Publish(new StatsChanged(userId, 0));

    public async Task<IReadOnlyList<StatsDifference>> VerifyAsync(long userId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await SqlCommands.LockUserAsync(conn, userId, ct);
        await SqlCommands.ExecAsync(conn, SnapshotSql, ct, ("user_id", userId));
        await RecomputeAsync(conn, userId, ct);

        var differences = new List<StatsDifference>();
        await using (var cmd = new NpgsqlCommand(CompareSql, conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter("user_id", userId));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                differences.Add(new StatsDifference(
                    reader.GetString(0),
                    reader.GetString(1),
                    reader.IsDBNull(2) ? null : reader.GetString(2),
                    reader.IsDBNull(3) ? null : reader.GetString(3)));
            }
        }

        // Verify only looks: the recomputation is thrown away.
        await tx.RollbackAsync(ct);
        return differences;
    }

    private static async Task RecomputeAsync(NpgsqlConnection conn, long userId, CancellationToken ct)
    {
        await SqlCommands.LockUserAsync(conn, userId, ct);
        var (zone, excludeIncognito) = await SqlCommands.StatsSettingsAsync(conn, userId, ct);
        await SqlCommands.ExecAsync(conn, IngestionSql.Delta, ct);
        await SqlCommands.ExecAsync(conn, IngestionSql.Rebuild, ct, ("user_id", userId), ("time_zone", zone), ("exclude_incognito", excludeIncognito));
        await SqlCommands.ExecAsync(conn, IngestionSql.Sums, ct);
        await SqlCommands.ExecAsync(conn, IngestionSql.ApplyAdditions, ct, ("user_id", userId), ("mark_ingested", false));
        await SqlCommands.ExecAsync(conn, MonthArrays.ApplyDelta, ct, ("user_id", userId));
    }

    private static string BuildSnapshotSql()
    {
        var sql = new StringBuilder("CREATE TEMP TABLE verify_users ON COMMIT DROP AS SELECT total_play_count, total_listening_ms FROM users WHERE id = @user_id;\n");
        foreach (var t in Tables)
        {
            sql.Append("CREATE TEMP TABLE verify_").Append(t.Name).Append(" ON COMMIT DROP AS SELECT ")
               .Append(t.Keys).Append(", ").Append(t.Values).Append(" FROM ").Append(t.From).Append(" s WHERE user_id = @user_id;\n");
        }

        return sql.ToString();
    }

    private static string BuildCompareSql()
    {
        var parts = new List<string>
        {
            """
            SELECT 'users'::text, 'totals'::text, s::text, r::text
            FROM verify_users s
            CROSS JOIN (SELECT total_play_count, total_listening_ms FROM users WHERE id = @user_id) r
            WHERE s::text IS DISTINCT FROM r::text
            """,
        };
        foreach (var t in Tables)
        {
            var keys = t.Keys.Split(", ");
            var on = string.Join(" AND ", keys.Select(k => $"s.{k} = r.{k}"));
            var key = string.Join(", ", keys.Select(k => $"COALESCE(s.{k}, r.{k})::text"));
            parts.Add($"""
                SELECT '{t.Name}'::text, concat_ws('/', {key}), s::text, r::text
                FROM verify_{t.Name} s
                FULL JOIN (SELECT {t.Keys}, {t.Values} FROM {t.From} x WHERE user_id = @user_id) r ON {on}
                WHERE s::text IS DISTINCT FROM r::text
                """);
        }

        return string.Join("\nUNION ALL\n", parts) + "\nORDER BY 1, 2";
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rebuilt the statistics of user {UserId} from their events")]
    private static partial void LogRebuilt(ILogger logger, long userId);
}
