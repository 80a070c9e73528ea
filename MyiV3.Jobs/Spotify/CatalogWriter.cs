using MyiV3.Data.Ingestion;
using Npgsql;

namespace MyiV3.Jobs.Spotify;

/// <summary>
/// Upserts catalog rows from Spotify objects in one round trip per call. Unknown values
/// (genres and popularity that development-mode apps no longer get) never erase known ones.
/// </summary>
public sealed class CatalogWriter(NpgsqlDataSource dataSource)
{
    private const string AlbumSql = """
        INSERT INTO albums AS x (spotify_id, name, album_type, release_date, image_url, total_tracks, is_provisional)
        VALUES (@id, left(@name, 1024), @type, @date, @image, @total, false)
        ON CONFLICT (spotify_id) DO UPDATE SET name = EXCLUDED.name,
            album_type = COALESCE(EXCLUDED.album_type, x.album_type), release_date = COALESCE(EXCLUDED.release_date, x.release_date),
            image_url = COALESCE(EXCLUDED.image_url, x.image_url), total_tracks = COALESCE(EXCLUDED.total_tracks, x.total_tracks),
            is_provisional = false, updated_at = now()
        """;

    private const string ArtistSql = """
        INSERT INTO artists AS x (spotify_id, name, genres, popularity, image_url, is_provisional)
        VALUES (@id, left(@name, 1024), COALESCE(@genres, '{}'::text[]), @popularity, @image, false)
        ON CONFLICT (spotify_id) DO UPDATE SET name = EXCLUDED.name,
            genres = CASE WHEN @genres IS NULL THEN x.genres ELSE EXCLUDED.genres END,
            popularity = COALESCE(EXCLUDED.popularity, x.popularity), image_url = COALESCE(EXCLUDED.image_url, x.image_url),
            is_provisional = false, updated_at = now()
        """;

    // album_id is set only when the track row is created: moving a played track to another album
    // (or other artists) must move its statistics too, which CatalogRelinker does under the catalog lock.
    private const string TrackSql = """
        INSERT INTO tracks AS x (spotify_id, name, album_id, duration_ms, popularity, explicit, is_provisional)
        VALUES (@id, left(@name, 1024), (SELECT id FROM albums WHERE spotify_id = @album), @duration, @popularity, @explicit, false)
        ON CONFLICT (spotify_id) DO UPDATE SET name = EXCLUDED.name,
            duration_ms = EXCLUDED.duration_ms, popularity = COALESCE(EXCLUDED.popularity, x.popularity),
            explicit = COALESCE(EXCLUDED.explicit, x.explicit), is_provisional = false, updated_at = now()
        """;

    // Credits are written for a track that has none yet, all in one statement; a played track's
    // credits change only through CatalogRelinker, which moves the artist statistics with them.
    private const string TrackArtistSql = """
        INSERT INTO track_artists (track_id, artist_id, position)
        SELECT t.id, a.id, (k.ord - 1)::smallint
        FROM tracks t
        CROSS JOIN LATERAL unnest(@artists::text[]) WITH ORDINALITY AS k(sid, ord)
        JOIN artists a ON a.spotify_id = k.sid
        WHERE t.spotify_id = @track AND NOT EXISTS (SELECT 1 FROM track_artists x WHERE x.track_id = t.id)
        ON CONFLICT DO NOTHING
        """;

    public async Task UpsertTracksAsync(IEnumerable<SpotifyTrack> tracks, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        var list = tracks.DistinctBy(t => t.Id).OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        // Rows in key order, parents first, so concurrent writers lock in the same order.
        foreach (var album in list.Select(t => t.Album).OfType<SpotifySimpleAlbum>().DistinctBy(a => a.Id).OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            AddAlbum(batch, album);
        }

        foreach (var artist in list.SelectMany(t => t.Artists).DistinctBy(a => a.Id).OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            AddArtist(batch, new SpotifyArtist(artist.Id, artist.Name, null, null, null));
        }

        foreach (var t in list)
        {
            var cmd = batch.CreateBatchCommand();
            cmd.CommandText = TrackSql;
            cmd.Parameters.AddWithValue("id", t.Id);
            cmd.Parameters.AddWithValue("name", t.Name);
            cmd.Parameters.AddWithValue("album", (object?)t.Album?.Id ?? DBNull.Value);
            cmd.Parameters.AddWithValue("duration", t.DurationMs);
            cmd.Parameters.AddWithValue("popularity", NpgsqlTypes.NpgsqlDbType.Smallint, (object?)(short?)t.Popularity ?? DBNull.Value);
            cmd.Parameters.AddWithValue("explicit", NpgsqlTypes.NpgsqlDbType.Boolean, (object?)t.Explicit ?? DBNull.Value);
            batch.BatchCommands.Add(cmd);
            var ta = batch.CreateBatchCommand();
            ta.CommandText = TrackArtistSql;
            ta.Parameters.AddWithValue("track", t.Id);
            ta.Parameters.AddWithValue("artists", t.Artists.Select(a => a.Id).ToArray());
            batch.BatchCommands.Add(ta);
        }

        await ExecuteAsync(conn, batch, ct);
        await new CatalogRelinker(dataSource).RelinkAsync(
            [.. list.Select(t => new TrackLink(t.Id, t.Album?.Id, [.. t.Artists.Select(a => a.Id)]))], ct);
    }

    public async Task UpsertArtistsAsync(IEnumerable<SpotifyArtist> artists, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        foreach (var a in artists.DistinctBy(a => a.Id).OrderBy(a => a.Id, StringComparer.Ordinal))
        {
            AddArtist(batch, a);
        }

        await ExecuteAsync(conn, batch, ct);
    }

    public async Task UpsertAlbumAsync(SpotifySimpleAlbum album, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(conn);
        AddAlbum(batch, album);
        await ExecuteAsync(conn, batch, ct);
    }

    private static async Task ExecuteAsync(NpgsqlConnection conn, NpgsqlBatch batch, CancellationToken ct)
    {
        if (batch.BatchCommands.Count == 0)
        {
            return;
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        batch.Transaction = tx;
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static void AddAlbum(NpgsqlBatch batch, SpotifySimpleAlbum a)
    {
        var cmd = batch.CreateBatchCommand();
        cmd.CommandText = AlbumSql;
        cmd.Parameters.AddWithValue("id", a.Id);
        cmd.Parameters.AddWithValue("name", a.Name);
        cmd.Parameters.AddWithValue("type", NpgsqlTypes.NpgsqlDbType.Text, (object?)a.AlbumType ?? DBNull.Value);
        cmd.Parameters.AddWithValue("date", NpgsqlTypes.NpgsqlDbType.Text, (object?)a.ReleaseDate ?? DBNull.Value);
        cmd.Parameters.AddWithValue("image", NpgsqlTypes.NpgsqlDbType.Text, (object?)LargestImage(a.Images) ?? DBNull.Value);
        cmd.Parameters.AddWithValue("total", NpgsqlTypes.NpgsqlDbType.Integer, (object?)a.TotalTracks ?? DBNull.Value);
        batch.BatchCommands.Add(cmd);
    }

    private static void AddArtist(NpgsqlBatch batch, SpotifyArtist a)
    {
        var cmd = batch.CreateBatchCommand();
        cmd.CommandText = ArtistSql;
        cmd.Parameters.AddWithValue("id", a.Id);
        cmd.Parameters.AddWithValue("name", a.Name);
        cmd.Parameters.AddWithValue("genres", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, (object?)a.Genres?.ToArray() ?? DBNull.Value);
        cmd.Parameters.AddWithValue("popularity", NpgsqlTypes.NpgsqlDbType.Smallint, (object?)(short?)a.Popularity ?? DBNull.Value);
        cmd.Parameters.AddWithValue("image", NpgsqlTypes.NpgsqlDbType.Text, (object?)LargestImage(a.Images) ?? DBNull.Value);
        batch.BatchCommands.Add(cmd);
    }

    private static string? LargestImage(IReadOnlyList<SpotifyImage>? images) =>
        images?.OrderByDescending(i => i.Width ?? 0).FirstOrDefault()?.Url;
}
