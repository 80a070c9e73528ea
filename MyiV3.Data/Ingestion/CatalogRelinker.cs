using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>A track as Spotify describes it: its album and its artists in credit order (Spotify ids).</summary>
public sealed record TrackLink(string TrackId, string? AlbumId, IReadOnlyList<string> ArtistIds);

/// <summary>
/// Moves tracks first cataloged from an export (album and artists known by name only) onto the
/// album and artists Spotify names, with every statistic counted through them (09_Relink.sql), so
/// covers and artist images appear for imported history and verify still finds nothing to fix.
/// The catalog rows the links name must exist already.
/// </summary>
public sealed class CatalogRelinker(NpgsqlDataSource dataSource)
{
    private static readonly string RelinkSql = IngestionSql.Relink + "\n"
        + MonthArrays.MergeArtists("SELECT user_id, month, item_id, plays, ms, skips FROM month_artist_delta") + ";\n"
        + ProvisionalOrphans.DeleteSql("SELECT old_album_id FROM relink_albums", "SELECT artist_id FROM relink_old_artists");

    // Cheap test first: the exclusive catalog lock waits for every ingestion batch in flight.
    private const string ProbeSql = """
        SELECT EXISTS (
            SELECT 1
            FROM unnest(@tracks::text[], @albums::text[]) AS k(track, album)
            JOIN tracks t ON t.spotify_id = k.track
            LEFT JOIN albums old ON old.id = t.album_id
            WHERE (k.album IS NOT NULL AND (t.album_id IS NULL OR (old.is_provisional AND old.spotify_id <> k.album)))
               OR EXISTS (SELECT 1 FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
                          WHERE ta.track_id = t.id AND a.is_provisional))
        """;

    /// <summary>Relinks what needs it; true when anything moved.</summary>
    public async Task<bool> RelinkAsync(IReadOnlyCollection<TrackLink> links, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(links);
        var list = links.Where(l => l.ArtistIds.Count > 0 || l.AlbumId is not null).DistinctBy(l => l.TrackId).ToList();
        if (list.Count == 0)
        {
            return false;
        }

        var tracks = list.Select(l => l.TrackId).ToArray();
        var albums = list.Select(l => l.AlbumId).ToArray();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using (var probe = new NpgsqlCommand(ProbeSql, conn))
        {
            probe.Parameters.AddWithValue("tracks", tracks);
            probe.Parameters.AddWithValue("albums", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, albums);
            if (!(bool)(await probe.ExecuteScalarAsync(ct))!)
            {
                return false;
            }
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        await SqlCommands.LockCatalogAsync(conn, ct);
        await using (var cmd = new NpgsqlCommand(RelinkSql, conn, tx))
        {
            cmd.Parameters.AddWithValue("tracks", tracks);
            cmd.Parameters.AddWithValue("albums", NpgsqlTypes.NpgsqlDbType.Array | NpgsqlTypes.NpgsqlDbType.Text, albums);
            cmd.Parameters.AddWithValue("artists", list.Select(l => string.Join(',', l.ArtistIds)).ToArray());
            await cmd.ExecuteNonQueryAsync(ct);
        }

        await tx.CommitAsync(ct);
        return true;
    }
}
