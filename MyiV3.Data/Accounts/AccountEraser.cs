using Microsoft.Extensions.Logging;
using MyiV3.Data.Ingestion;
using Npgsql;

namespace MyiV3.Data.Accounts;

/// <summary>
/// Deletes a user and every row that belongs to them, in one transaction that holds the same
/// per-user lock as ingestion (so no batch of theirs commits half-way through), then the upload
/// files of their import jobs. Shared catalog rows (tracks, artists, albums) are not theirs and stay.
/// </summary>
public sealed partial class AccountEraser(NpgsqlDataSource dataSource, ILogger<AccountEraser> logger)
{
    // Children first: explicit deletes keep the big tables' work visible rather than hidden in cascades.
    private static readonly string[] UserTables =
    [
        "listening_events", "user_month_tracks", "user_month_artists", "user_track_stats", "user_artist_stats",
        "user_album_stats", "user_time_bucket_stats", "user_hour_stats", "user_weekday_hour_stats", "spotify_top_tracks", "spotify_top_artists",
        "import_jobs", "spotify_auth", "user_settings",
    ];

    /// <returns>False when there was no such user.</returns>
    public async Task<bool> DeleteAsync(long userId, CancellationToken ct)
    {
        var files = new List<string>();
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            await SqlCommands.LockUserAsync(conn, userId, ct);
            await using (var cmd = new NpgsqlCommand("SELECT storage_path FROM import_jobs WHERE user_id = @u AND storage_path IS NOT NULL", conn))
            {
                cmd.Parameters.Add(new NpgsqlParameter("u", userId));
                await using var r = await cmd.ExecuteReaderAsync(ct);
                while (await r.ReadAsync(ct))
                {
                    files.Add(r.GetString(0));
                }
            }

            foreach (var table in UserTables)
            {
                await SqlCommands.ExecAsync(conn, $"DELETE FROM {table} WHERE user_id = @u", ct, ("u", userId));
            }

            var deleted = await SqlCommands.ExecAsync(conn, "DELETE FROM users WHERE id = @u", ct, ("u", userId));
            await tx.CommitAsync(ct);
            if (deleted == 0)
            {
                return false;
            }
        }

        foreach (var file in files)
        {
            try
            {
                File.Delete(file);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                LogFileNotDeleted(logger, ex, file);
            }
        }

        LogDeleted(logger, userId);
        return true;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Deleted user {UserId} and all their data")]
    private static partial void LogDeleted(ILogger logger, long userId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not delete upload file {Path}")]
    private static partial void LogFileNotDeleted(ILogger logger, Exception ex, string path);
}
