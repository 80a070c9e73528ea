using Microsoft.Extensions.Logging;
using MyiV3.Jobs.Spotify;
using Npgsql;

namespace MyiV3.Jobs.Metadata;

/// <summary>
/// Fills in and refreshes catalog metadata one item per request (no batch endpoints in development
/// mode), within the global rate limit. Each entity backs off on its own after a failure
/// (base · 2^failures, capped) in metadata_refresh_log, and is reset by a success.
/// </summary>
public sealed partial class MetadataRefreshService(
    NpgsqlDataSource dataSource,
    SpotifyApiClient api,
    CatalogWriter catalog,
    TimeProvider time,
    ILogger<MetadataRefreshService> logger)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromDays(30);
    public static readonly TimeSpan BackoffBase = TimeSpan.FromMinutes(15);
    public static readonly TimeSpan BackoffCap = TimeSpan.FromDays(7);

    private const string DueSql = """
        SELECT kind, id, spotify_id FROM (
            SELECT 'track' AS kind, t.id, t.spotify_id, l.next_refresh_at
            FROM tracks t LEFT JOIN metadata_refresh_log l ON l.entity_type = 'track' AND l.entity_id = t.id
            WHERE NOT t.is_provisional AND ((l.id IS NULL AND (t.duration_ms IS NULL OR t.album_id IS NULL)) OR l.next_refresh_at <= @now)
            UNION ALL
            SELECT 'artist', a.id, a.spotify_id, l.next_refresh_at
            FROM artists a LEFT JOIN metadata_refresh_log l ON l.entity_type = 'artist' AND l.entity_id = a.id
            WHERE NOT a.is_provisional AND ((l.id IS NULL AND a.image_url IS NULL) OR l.next_refresh_at <= @now)
            UNION ALL
            SELECT 'album', al.id, al.spotify_id, l.next_refresh_at
            FROM albums al LEFT JOIN metadata_refresh_log l ON l.entity_type = 'album' AND l.entity_id = al.id
            WHERE NOT al.is_provisional AND ((l.id IS NULL AND al.image_url IS NULL) OR l.next_refresh_at <= @now)
        ) due
        ORDER BY next_refresh_at NULLS FIRST, kind, id
        LIMIT @limit
        """;

    private const string LogSql = """
        INSERT INTO metadata_refresh_log AS l (entity_type, entity_id, last_refreshed_at, next_refresh_at, failure_count, last_error)
        VALUES (@kind, @id, CASE WHEN @ok THEN @now END, @next, CASE WHEN @ok THEN 0 ELSE 1 END, @error)
        ON CONFLICT (entity_type, entity_id) DO UPDATE SET
            last_refreshed_at = COALESCE(EXCLUDED.last_refreshed_at, l.last_refreshed_at),
            failure_count = CASE WHEN @ok THEN 0 ELSE l.failure_count + 1 END,
            next_refresh_at = CASE WHEN @ok THEN EXCLUDED.next_refresh_at
                                   ELSE @now + least(@base * power(2, l.failure_count + 1), @cap) END,
            last_error = EXCLUDED.last_error
        """;

    /// <summary>Refreshes up to <paramref name="limit"/> due entities; returns how many succeeded.</summary>
    public async Task<int> RefreshDueAsync(int limit, CancellationToken ct)
    {
        var tokenUser = await TokenUserAsync(ct);
        if (tokenUser is null)
        {
            return 0;
        }

        var due = new List<(string Kind, long Id, string SpotifyId)>();
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        await using (var cmd = new NpgsqlCommand(DueSql, conn))
        {
            cmd.Parameters.AddWithValue("now", time.GetUtcNow());
            cmd.Parameters.AddWithValue("limit", limit);
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                due.Add((reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
            }
        }

        var ok = 0;
        foreach (var (kind, id, spotifyId) in due)
        {
            try
            {
                var found = kind switch
                {
                    "track" => await api.GetTrackAsync(tokenUser.Value, spotifyId, ct) is { } t && await Run(catalog.UpsertTracksAsync([t], ct)),
                    "artist" => await api.GetArtistAsync(tokenUser.Value, spotifyId, ct) is { } a && await Run(catalog.UpsertArtistsAsync([a], ct)),
                    _ => await api.GetAlbumAsync(tokenUser.Value, spotifyId, ct) is { } al && await Run(catalog.UpsertAlbumAsync(al, ct)),
                };
                await LogAsync(kind, id, found, found ? null : "not found", ct);
                ok += found ? 1 : 0;
            }
            catch (SpotifyException ex) when (ex.Kind is SpotifyErrorKind.RateLimited or SpotifyErrorKind.CredentialsInvalid || ex.IsAuthFailure && ex.Kind != SpotifyErrorKind.Forbidden)
            {
                // Not this entity's fault: stop the run; the next one starts where this one stopped.
                LogStopped(logger, ex.Kind);
                break;
            }
            catch (SpotifyException ex)
            {
                await LogAsync(kind, id, false, $"{ex.Kind} {ex.StatusCode}", ct);
            }
        }

        LogRun(logger, due.Count, ok);
        return ok;
    }

    private static async Task<bool> Run(Task task)
    {
        await task;
        return true;
    }

    private async Task<long?> TokenUserAsync(CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT user_id FROM spotify_auth WHERE is_valid ORDER BY last_refreshed_at DESC NULLS LAST LIMIT 1");
        return await cmd.ExecuteScalarAsync(ct) as long?;
    }

    private async Task LogAsync(string kind, long id, bool ok, string? error, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var cmd = dataSource.CreateCommand(LogSql);
        cmd.Parameters.AddWithValue("kind", kind);
        cmd.Parameters.AddWithValue("id", id);
        cmd.Parameters.AddWithValue("ok", ok);
        cmd.Parameters.AddWithValue("now", now);
        cmd.Parameters.AddWithValue("next", ok ? now + RefreshEvery : now + BackoffBase * 2);
        cmd.Parameters.AddWithValue("error", NpgsqlTypes.NpgsqlDbType.Text, (object?)error ?? DBNull.Value);
        cmd.Parameters.AddWithValue("base", BackoffBase);
        cmd.Parameters.AddWithValue("cap", BackoffCap);
        await cmd.ExecuteNonQueryAsync(ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metadata refresh: {Due} due, {Ok} refreshed")]
    private static partial void LogRun(ILogger logger, int due, int ok);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metadata refresh stopped early: {Kind}")]
    private static partial void LogStopped(ILogger logger, SpotifyErrorKind kind);
}
