using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// Gives a played track without a name key (<c>tracks.name_key</c>, see <see cref="CatalogKeys.NameKey(string, string)"/>)
/// the key of its names: the tracks cataloged before the key existed (migration AccountDataTwins),
/// whose plays an account-data export uploaded after the upgrade must still find as its twins — else
/// that export's year would count twice. A track nobody has played is left to the first import or
/// sync that catalogs it, which keys it by the names its own source gives. Done in C#, not in the
/// migration's SQL: the key hashes names normalised (NFC, invariant lower case) as .NET does it,
/// which the database's locale need not reproduce.
/// </summary>
/// <remarks>
/// Run at start-up after the migrations, before any import can run. A track whose key is known
/// already is never touched, so later starts only look (the tracks without a key, and their statistics' index).
/// </remarks>
public static class NameKeyBackfill
{
    private const int BatchSize = 5_000;

    /// <summary>Returns the number of tracks given a key.</summary>
    public static async Task<int> RunAsync(NpgsqlDataSource dataSource, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var (total, after) = (0, 0L);
        while (true)
        {
            var (ids, keys) = (new List<long>(BatchSize), new List<string>(BatchSize));
            // The names an account-data export gives a play: the track's and its first artist's.
            await using (var read = new NpgsqlCommand("""
                SELECT t.id, t.name, a.name
                FROM tracks t
                JOIN track_artists ta ON ta.track_id = t.id AND ta.position = 0
                JOIN artists a ON a.id = ta.artist_id
                WHERE t.name_key IS NULL AND t.id > @after
                  AND EXISTS (SELECT 1 FROM user_track_stats s WHERE s.track_id = t.id)
                ORDER BY t.id
                LIMIT @limit
                """, conn))
            {
                read.Parameters.Add(new NpgsqlParameter("after", after));
                read.Parameters.Add(new NpgsqlParameter("limit", BatchSize));
                await using var reader = await read.ExecuteReaderAsync(ct);
                while (await reader.ReadAsync(ct))
                {
                    ids.Add(reader.GetInt64(0));
                    keys.Add(CatalogKeys.NameKey(artistName: reader.GetString(2), trackName: reader.GetString(1)));
                }
            }

            if (ids.Count == 0)
            {
                return total;
            }

            await using (var write = new NpgsqlCommand("""
                UPDATE tracks t SET name_key = k.name_key
                FROM unnest(@ids, @keys) AS k(id, name_key)
                WHERE t.id = k.id AND t.name_key IS NULL
                """, conn))
            {
                write.Parameters.Add(new NpgsqlParameter("ids", ids.ToArray()));
                write.Parameters.Add(new NpgsqlParameter("keys", keys.ToArray()));
                total += await write.ExecuteNonQueryAsync(ct);
            }

            after = ids[^1];
        }
    }
}
