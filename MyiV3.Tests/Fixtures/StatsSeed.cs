namespace MyiV3.Tests.Fixtures;

/// <summary>
/// Writes catalog and stats rows directly, table by table, so a query test states exactly what the
/// pre-aggregated tables hold. (Tests of the ingestion path seed through the engine instead.)
/// </summary>
public sealed class StatsSeed(TestDatabase db)
{
    private int _n;

    public async Task<long> UserAsync(string? spotifyId = null, long totalPlays = 0, long totalMs = 0, string timeZone = "UTC")
    {
        var id = (await db.ScalarAsync<long>(
            "INSERT INTO users (spotify_id, display_name, total_play_count, total_listening_ms) VALUES ($1, $2, $3, $4) RETURNING id",
            spotifyId ?? Unique("user"), "Test user", totalPlays, totalMs))!;
        await db.ExecuteAsync("INSERT INTO user_settings (user_id, time_zone, show_recent_plays) VALUES ($1, $2, true)", id, timeZone);
        return id;
    }

    public async Task<long> ArtistAsync(string name, string[]? genres = null, string? imageUrl = null) =>
        await db.ScalarAsync<long>(
            "INSERT INTO artists (spotify_id, name, genres, image_url) VALUES ($1, $2, $3, $4) RETURNING id",
            Unique("artist"), name, genres ?? [], (object?)imageUrl ?? DBNull.Value);

    public async Task<long> AlbumAsync(string name, string? imageUrl = null) =>
        await db.ScalarAsync<long>(
            "INSERT INTO albums (spotify_id, name, image_url) VALUES ($1, $2, $3) RETURNING id",
            Unique("album"), name, (object?)imageUrl ?? DBNull.Value);

    public async Task<long> TrackAsync(string name, long? albumId, params long[] artistIds)
    {
        var id = await db.ScalarAsync<long>(
            "INSERT INTO tracks (spotify_id, name, album_id, duration_ms) VALUES ($1, $2, $3, 200000) RETURNING id",
            Unique("track"), name, (object?)albumId ?? DBNull.Value);
        for (var i = 0; i < artistIds.Length; i++)
        {
            await db.ExecuteAsync("INSERT INTO track_artists (track_id, artist_id, position) VALUES ($1, $2, $3)", id, artistIds[i], (short)i);
        }

        return id;
    }

    public Task TrackStatsAsync(long user, long track, long plays, long ms, long skips, DateTimeOffset first, DateTimeOffset last) =>
        db.ExecuteAsync("""
            INSERT INTO user_track_stats (user_id, track_id, play_count, total_ms, skip_count, first_played_at, last_played_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, user, track, plays, ms, skips, first, last);

    public Task ArtistStatsAsync(long user, long artist, long plays, long ms, long skips = 0) =>
        db.ExecuteAsync("""
            INSERT INTO user_artist_stats (user_id, artist_id, play_count, total_ms, skip_count, first_played_at, last_played_at)
            VALUES ($1, $2, $3, $4, $5, '2020-01-01Z', '2024-01-01Z')
            """, user, artist, plays, ms, skips);

    public Task AlbumStatsAsync(long user, long album, long plays, long ms, long skips, DateTimeOffset first, DateTimeOffset last) =>
        db.ExecuteAsync("""
            INSERT INTO user_album_stats (user_id, album_id, play_count, total_ms, skip_count, first_played_at, last_played_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7)
            """, user, album, plays, ms, skips, first, last);

    public Task TrackMonthAsync(long user, DateOnly month, long track, long plays, long ms, long skips = 0) =>
        MonthEntryAsync("user_month_tracks", "track_ids", user, month, track, plays, ms, skips);

    public Task ArtistMonthAsync(long user, DateOnly month, long artist, long plays, long ms, long skips = 0) =>
        MonthEntryAsync("user_month_artists", "artist_ids", user, month, artist, plays, ms, skips);

    // One entry more in the month's arrays (a seed adds each item once, so appending keeps them parallel).
    private Task<int> MonthEntryAsync(string table, string ids, long user, DateOnly month, long item, long plays, long ms, long skips) =>
        db.ExecuteAsync($"""
            INSERT INTO {table} AS m (user_id, month, {ids}, play_counts, total_ms, skip_counts)
            VALUES ($1, $2, ARRAY[$3::bigint], ARRAY[$4::integer], ARRAY[$5::bigint], ARRAY[$6::integer])
            ON CONFLICT (user_id, month) DO UPDATE
            SET {ids} = m.{ids} || EXCLUDED.{ids}, play_counts = m.play_counts || EXCLUDED.play_counts,
                total_ms = m.total_ms || EXCLUDED.total_ms, skip_counts = m.skip_counts || EXCLUDED.skip_counts
            """, user, month, item, plays, ms, skips);

    public Task BucketAsync(long user, string type, DateOnly date, long plays, long ms, long skips = 0) =>
        db.ExecuteAsync($"INSERT INTO user_time_bucket_stats (user_id, bucket_type, bucket_date, play_count, total_ms, skip_count) VALUES ($1, '{type}', $2, $3, $4, $5)",
            user, date, plays, ms, skips);

    public Task HourAsync(long user, short hour, long plays, long ms, long skips = 0) =>
        db.ExecuteAsync("INSERT INTO user_hour_stats (user_id, hour, play_count, total_ms, skip_count) VALUES ($1, $2, $3, $4, $5)",
            user, hour, plays, ms, skips);

    public Task WeekdayHourAsync(long user, short weekday, short hour, long plays, long ms) =>
        db.ExecuteAsync("INSERT INTO user_weekday_hour_stats (user_id, weekday, hour, play_count, total_ms) VALUES ($1, $2, $3, $4, $5)",
            user, weekday, hour, plays, ms);

    public async Task EventAsync(long user, long track, DateTimeOffset playedAt, int ms, bool? skipped = null)
    {
        await db.ExecuteAsync("SELECT ensure_listening_event_partitions($1, $1)", playedAt);
        await db.ExecuteAsync("INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source, skipped) VALUES ($1, $2, $3, $4, 'IMPORT', $5)",
            user, track, playedAt, ms, (object?)skipped ?? DBNull.Value);
    }

    public Task SpotifyTopTrackAsync(long user, string term, short rank, long track) =>
        db.ExecuteAsync($"INSERT INTO spotify_top_tracks (user_id, term, rank, track_id, fetched_at) VALUES ($1, '{term}', $2, $3, now())", user, rank, track);

    public Task SpotifyTopArtistAsync(long user, string term, short rank, long artist) =>
        db.ExecuteAsync($"INSERT INTO spotify_top_artists (user_id, term, rank, artist_id, fetched_at) VALUES ($1, '{term}', $2, $3, now())", user, rank, artist);

    private string Unique(string kind) => $"test:{kind}:{Interlocked.Increment(ref _n)}:{Guid.NewGuid():N}"[..40];
}
