using Npgsql;

namespace MyiV3.Data.Stats;

/// <summary>
/// The track, artist and album pages: one user's figures for one item, from user_track_stats,
/// user_artist_stats, user_album_stats and the month tables. Null when the item does not exist.
/// </summary>
public sealed class LibraryQueries(NpgsqlDataSource dataSource)
{
    public async Task<TrackDetail?> TrackAsync(long userId, long trackId, CancellationToken ct)
    {
        var head = await SqlReader.SingleAsync(dataSource, """
            SELECT t.name, t.duration_ms, al.id, al.name, al.image_url
            FROM tracks t LEFT JOIN albums al ON al.id = t.album_id
            WHERE t.id = $1
            """, r => new TrackHead(r.GetString(0), r.NullableInt32(1), r.IsDBNull(2) ? null : new NamedRef(r.GetInt64(2), r.GetString(3)), r.NullableString(4)), ct, trackId);
        if (head is null)
        {
            return null;
        }

        var artists = await SqlReader.ListAsync(dataSource, """
            SELECT a.id, a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
            WHERE ta.track_id = $1 ORDER BY ta.position, a.id
            """, r => new NamedRef(r.GetInt64(0), r.GetString(1)), ct, trackId);
        var stats = await StatsAsync("""
            SELECT s.play_count, s.total_ms, s.skip_count, s.first_played_at, s.last_played_at
            FROM user_track_stats s WHERE s.user_id = $1 AND s.track_id = $2
            """, userId, trackId, ct);
        var months = await MonthsAsync("""
            SELECT month, play_counts[i]::bigint, total_ms[i]
            FROM (SELECT month, play_counts, total_ms, array_position(track_ids, $2) AS i FROM user_month_tracks WHERE user_id = $1) m
            WHERE i IS NOT NULL ORDER BY month
            """, userId, trackId, ct);
        return new TrackDetail(trackId, head.Name, head.DurationMs, head.Album, head.ImageUrl, artists, stats, months);
    }

    public async Task<ArtistDetail?> ArtistAsync(long userId, long artistId, CancellationToken ct)
    {
        var head = await SqlReader.SingleAsync(dataSource,
            "SELECT name, image_url, genres FROM artists WHERE id = $1",
            r => new ArtistHead(r.GetString(0), r.NullableString(1), r.GetFieldValue<string[]>(2)), ct, artistId);
        if (head is null)
        {
            return null;
        }

        var stats = await StatsAsync("""
            SELECT s.play_count, s.total_ms, s.skip_count, s.first_played_at, s.last_played_at
            FROM user_artist_stats s WHERE s.user_id = $1 AND s.artist_id = $2
            """, userId, artistId, ct);
        var months = await MonthsAsync("""
            SELECT month, play_counts[i]::bigint, total_ms[i]
            FROM (SELECT month, play_counts, total_ms, array_position(artist_ids, $2) AS i FROM user_month_artists WHERE user_id = $1) m
            WHERE i IS NOT NULL ORDER BY month
            """, userId, artistId, ct);
        var tracks = await SqlReader.ListAsync(dataSource, """
            SELECT t.id, t.name, al.name, al.id, al.image_url, s.play_count, s.total_ms
            FROM track_artists ta
            JOIN user_track_stats s ON s.track_id = ta.track_id AND s.user_id = $1
            JOIN tracks t ON t.id = ta.track_id
            LEFT JOIN albums al ON al.id = t.album_id
            WHERE ta.artist_id = $2
            ORDER BY s.play_count DESC, s.total_ms DESC, t.id
            LIMIT 10
            """, ReadTop, ct, userId, artistId);
        var albums = await SqlReader.ListAsync(dataSource, """
            SELECT al.id, al.name, al.release_date, NULL::bigint, al.image_url, sum(s.play_count)::bigint AS plays, sum(s.total_ms)::bigint AS ms
            FROM track_artists ta
            JOIN user_track_stats s ON s.track_id = ta.track_id AND s.user_id = $1
            JOIN tracks t ON t.id = ta.track_id
            JOIN albums al ON al.id = t.album_id
            WHERE ta.artist_id = $2
            GROUP BY al.id
            ORDER BY plays DESC, ms DESC, al.id
            LIMIT 10
            """, ReadTop, ct, userId, artistId);
        return new ArtistDetail(artistId, head.Name, head.ImageUrl, head.Genres, stats, months, tracks, albums);
    }

    public async Task<AlbumDetail?> AlbumAsync(long userId, long albumId, CancellationToken ct)
    {
        var head = await SqlReader.SingleAsync(dataSource, """
            SELECT al.name, al.image_url, al.release_date, ar.id, ar.name
            FROM albums al
            LEFT JOIN LATERAL (SELECT a.id, a.name FROM tracks t JOIN track_artists ta ON ta.track_id = t.id
                               JOIN artists a ON a.id = ta.artist_id
                               WHERE t.album_id = al.id ORDER BY ta.position, t.id LIMIT 1) ar ON true
            WHERE al.id = $1
            """, r => new AlbumHead(r.GetString(0), r.NullableString(1), r.NullableString(2),
                r.IsDBNull(3) ? null : new NamedRef(r.GetInt64(3), r.GetString(4))), ct, albumId);
        if (head is null)
        {
            return null;
        }

        var stats = await StatsAsync("""
            SELECT s.play_count, s.total_ms, s.skip_count, s.first_played_at, s.last_played_at
            FROM user_album_stats s WHERE s.user_id = $1 AND s.album_id = $2
            """, userId, albumId, ct);
        var months = await MonthsAsync("""
            SELECT month, sum(plays)::bigint, sum(ms)::bigint
            FROM (SELECT month, unnest(track_ids) AS id, unnest(play_counts) AS plays, unnest(total_ms) AS ms
                  FROM user_month_tracks WHERE user_id = $1) e
            WHERE id IN (SELECT id FROM tracks WHERE album_id = $2)
            GROUP BY month ORDER BY month
            """, userId, albumId, ct);
        var tracks = await SqlReader.ListAsync(dataSource, """
            SELECT t.id, t.name, NULL::text, NULL::bigint, NULL::text, s.play_count, s.total_ms
            FROM tracks t JOIN user_track_stats s ON s.track_id = t.id AND s.user_id = $1
            WHERE t.album_id = $2
            ORDER BY s.play_count DESC, s.total_ms DESC, t.id
            LIMIT 50
            """, ReadTop, ct, userId, albumId);
        return new AlbumDetail(albumId, head.Name, head.ImageUrl, head.ReleaseDate, head.Artist, stats, months, tracks);
    }

    private async Task<ItemStats> StatsAsync(string sql, long userId, long itemId, CancellationToken ct)
    {
        var totals = await SqlReader.ListAsync(dataSource, "SELECT total_play_count FROM users WHERE id = $1", r => r.GetInt64(0), ct, userId);
        var userTotal = totals.Count == 0 ? 0 : totals[0];
        return await SqlReader.SingleAsync(dataSource, sql,
            r => new ItemStats(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.NullableTimestamp(3), r.NullableTimestamp(4), userTotal), ct, userId, itemId)
            ?? new ItemStats(0, 0, 0, null, null, userTotal);
    }

    /// <summary>Month points from the first played month to the last, gaps filled with zeros.</summary>
    private async Task<List<MonthPoint>> MonthsAsync(string sql, long userId, long itemId, CancellationToken ct)
    {
        var rows = await SqlReader.ListAsync(dataSource, sql,
            r => new MonthPoint(r.GetFieldValue<DateOnly>(0), r.GetInt64(1), r.GetInt64(2)), ct, userId, itemId);
        if (rows.Count == 0)
        {
            return rows;
        }

        var byMonth = rows.ToDictionary(m => m.Month);
        var result = new List<MonthPoint>();
        for (var m = rows[0].Month; m <= rows[^1].Month; m = m.AddMonths(1))
        {
            result.Add(byMonth.GetValueOrDefault(m) ?? new MonthPoint(m, 0, 0));
        }

        return result;
    }

    private static TopEntry ReadTop(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.NullableString(2), r.NullableInt64(3), r.NullableString(4), r.GetInt64(5), r.GetInt64(6));

    private sealed record TrackHead(string Name, int? DurationMs, NamedRef? Album, string? ImageUrl);

    private sealed record ArtistHead(string Name, string? ImageUrl, string[] Genres);

    private sealed record AlbumHead(string Name, string? ImageUrl, string? ReleaseDate, NamedRef? Artist);
}
