namespace MyiV3.Data.Ingestion;

/// <summary>
/// Provisional albums and artists (made from an export's names) that no track is on any more, once their
/// tracks moved to what Spotify names (<see cref="CatalogRelinker"/>) or were merged into Spotify's own track:
/// deleted, so the catalog keeps no shadow copy of every imported album. A later export naming them again makes
/// them anew by name. A statistics row still on one would mean a statistic was left behind; such a row is kept
/// for verify to see (the month arrays hold an artist exactly where <c>user_artist_stats</c> does).
/// </summary>
/// <remarks>
/// Run under the catalog lock held exclusively: the catalog step, which finds provisional rows by name and puts
/// new tracks on them, holds it shared, so it never puts a track on a row being deleted.
/// </remarks>
public static class ProvisionalOrphans
{
    /// <param name="albumIds">A query of the album ids that may have been left empty.</param>
    /// <param name="artistIds">A query of the artist ids that may have been left without a credit.</param>
    public static string DeleteSql(string albumIds, string artistIds) => $"""
        DELETE FROM albums a
        WHERE a.is_provisional
          AND a.id IN ({albumIds})
          AND NOT EXISTS (SELECT 1 FROM tracks t WHERE t.album_id = a.id)
          AND NOT EXISTS (SELECT 1 FROM user_album_stats s WHERE s.album_id = a.id);

        DELETE FROM artists a
        WHERE a.is_provisional
          AND a.id IN ({artistIds})
          AND NOT EXISTS (SELECT 1 FROM track_artists ta WHERE ta.artist_id = a.id)
          AND NOT EXISTS (SELECT 1 FROM user_artist_stats s WHERE s.artist_id = a.id);
        """;

    /// <summary>
    /// The given candidates (as left by a merge), in the caller's transaction: it holds the catalog lock exclusively
    /// and has already recomputed the affected users' statistics, which until then still count plays on them.
    /// </summary>
    public static async Task DeleteAsync(Npgsql.NpgsqlConnection conn, long[] albumIds, long[] artistIds, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conn);
        if (albumIds.Length == 0 && artistIds.Length == 0)
        {
            return;
        }

        await using var cmd = new Npgsql.NpgsqlCommand(DeleteSql("SELECT unnest(@albums::bigint[])", "SELECT unnest(@artists::bigint[])"), conn);
        cmd.Parameters.AddWithValue("albums", albumIds);
        cmd.Parameters.AddWithValue("artists", artistIds);
        await cmd.ExecuteNonQueryAsync(ct);
    }
}
