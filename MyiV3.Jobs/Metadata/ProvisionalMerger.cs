using Microsoft.Extensions.Logging;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Spotify;
using Npgsql;

namespace MyiV3.Jobs.Metadata;

/// <summary>
/// Merges provisional tracks (made from an account-data export: names only) into the real Spotify
/// track once Spotify names one with the same title and primary artist. Events move in set-based
/// SQL; the same play recorded by the API is dropped for the import's exact copy; the affected
/// users' statistics are recomputed from their events in the same transaction, so verify passes.
/// </summary>
public sealed partial class ProvisionalMerger(NpgsqlDataSource dataSource, IStatsRebuilder rebuilder, ILogger<ProvisionalMerger> logger)
{
    private const string ProbeSql = """
        SELECT EXISTS (SELECT 1 FROM tracks WHERE spotify_id = ANY(@keys) AND is_provisional)
        """;

    private const string MergeSql = """
        CREATE TEMP TABLE merge_pairs ON COMMIT DROP AS
        SELECT DISTINCT ON (p.id) p.id AS prov, r.id AS real
        FROM unnest(@keys::text[], @sids::text[]) AS k(key, sid)
        JOIN tracks p ON p.spotify_id = k.key AND p.is_provisional
        JOIN tracks r ON r.spotify_id = k.sid AND NOT r.is_provisional;

        CREATE TEMP TABLE merge_users ON COMMIT DROP AS
        SELECT DISTINCT e.user_id FROM listening_events e JOIN merge_pairs m ON e.track_id = m.prov;

        -- Import beats API: an API copy of an imported play (end or start time, ±15 s) goes.
        DELETE FROM listening_events a
        USING listening_events i, merge_pairs m
        WHERE i.track_id = m.prov AND a.track_id = m.real AND a.user_id = i.user_id AND a.source = 'API'
          AND a.played_at BETWEEN i.played_at - (i.ms_played * interval '1 millisecond') - interval '15 seconds'
                              AND i.played_at + interval '15 seconds';

        -- The same play under both tracks (an export without track ids beside one with them, both to the second) counts once.
        CREATE TEMP TABLE merge_repeats ON COMMIT DROP AS
        WITH gone AS (
            DELETE FROM listening_events e
            USING merge_pairs m
            WHERE e.track_id = m.prov
              AND EXISTS (SELECT 1 FROM listening_events x WHERE x.user_id = e.user_id AND x.track_id = m.real AND x.played_at = e.played_at)
            RETURNING e.user_id
        )
        SELECT user_id, count(*) AS plays FROM gone GROUP BY user_id;

        UPDATE listening_events e SET track_id = m.real FROM merge_pairs m WHERE e.track_id = m.prov;
        DELETE FROM metadata_refresh_log l USING merge_pairs m WHERE l.entity_type = 'track' AND l.entity_id = m.prov;
        -- The provisional rows' statistics go with them; the rebuild below recounts them on the real
        -- track (the month arrays of those users too: their entries carry no foreign key).
        DELETE FROM user_track_stats s USING merge_pairs m WHERE s.track_id = m.prov;
        -- The export that made the provisional track may be imported again: its key must find the
        -- real track, not make a new provisional one that counts the same plays twice.
        INSERT INTO track_aliases (spotify_id, track_id)
        SELECT p.spotify_id, m.real FROM merge_pairs m JOIN tracks p ON p.id = m.prov
        ON CONFLICT (spotify_id) DO UPDATE SET track_id = EXCLUDED.track_id;
        -- The real track is what those names mean: the merge matched them to Spotify's own names for it.
        -- An extended play of it then finds the account-data plays just moved onto it as its twins (03_Twins.sql).
        UPDATE tracks r SET name_key = p.spotify_id FROM merge_pairs m JOIN tracks p ON p.id = m.prov
        WHERE r.id = m.real;
        -- Their provisional album and artists may be left with no track: cleaned up once the stats are recomputed.
        CREATE TEMP TABLE merge_left ON COMMIT DROP AS
        SELECT p.album_id, ta.artist_id
        FROM merge_pairs m JOIN tracks p ON p.id = m.prov LEFT JOIN track_artists ta ON ta.track_id = p.id;
        -- Nothing refers to the provisional tracks once these go: their events were moved above (the exclusive
        -- catalog lock keeps every writer of events out), their track statistics deleted, and these are what
        -- the other foreign keys would cascade to (ImportMergeTests checks that this is every table that
        -- refers to tracks). So their delete may leave out the per-row foreign-key triggers, where the role may:
        -- each checks the partitioned listening_events, ≈ 20 ms per track (9 s for 416 tracks beside a
        -- 250,000-play history).
        DELETE FROM track_artists ta USING merge_pairs m WHERE ta.track_id = m.prov;
        DELETE FROM track_aliases a USING merge_pairs m WHERE a.track_id = m.prov;
        DELETE FROM spotify_top_tracks s USING merge_pairs m WHERE s.track_id = m.prov;
        DO $$ BEGIN
            IF has_parameter_privilege('session_replication_role', 'SET') THEN
                PERFORM set_config('session_replication_role', 'replica', true);
            END IF;
        END $$;
        DELETE FROM tracks t USING merge_pairs m WHERE t.id = m.prov;
        DO $$ BEGIN
            IF current_setting('session_replication_role') <> 'origin' THEN
                PERFORM set_config('session_replication_role', 'origin', true);
            END IF;
        END $$;

        SELECT user_id FROM merge_users;
        SELECT coalesce(array_agg(DISTINCT album_id) FILTER (WHERE album_id IS NOT NULL), '{}') AS albums,
               coalesce(array_agg(DISTINCT artist_id) FILTER (WHERE artist_id IS NOT NULL), '{}') AS artists
        FROM merge_left;
        SELECT coalesce(sum(plays), 0)::bigint FROM merge_repeats WHERE user_id = @counted_user;
        """;

    // A provisional track and the one real track that an export named with the same names (tracks.name_key):
    // the account-data export, or the first endsong files without track ids, and an extended export with them.
    // Names shared by several real tracks (an album's and a single's version) say nothing about which one, so
    // those stay apart until Spotify itself names the track.
    private const string NamedPairsSql = """
        SELECT p.spotify_id, min(r.spotify_id)
        FROM tracks p
        JOIN tracks r ON r.name_key = p.spotify_id AND NOT r.is_provisional
        WHERE p.is_provisional AND p.spotify_id = ANY(@keys)
        GROUP BY p.spotify_id
        HAVING count(*) = 1
        """;

    /// <summary>Merges provisional twins of these (real) tracks, if any exist.</summary>
    public async Task<int> MergeAsync(IEnumerable<SpotifyTrack> tracks, CancellationToken ct)
    {
        var real = tracks.Where(t => t.Artists.Count > 0).DistinctBy(t => t.Id).ToList();
        if (real.Count == 0)
        {
            return 0;
        }

        // The key the ingestion engine gives a track known by names only.
        var keys = real.Select(t => CatalogKeys.NameKey(t.Artists[0].Name, t.Name)).ToArray();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using (var probe = new NpgsqlCommand(ProbeSql, conn))
        {
            probe.Parameters.AddWithValue("keys", keys);
            if (!(bool)(await probe.ExecuteScalarAsync(ct))!)
            {
                return 0;
            }
        }

        var (users, _) = await MergePairsAsync(conn, keys, real.Select(t => t.Id).ToArray(), countedUser: 0, ct);
        return users;
    }

    /// <summary>
    /// After an import: merges each provisional track among these name keys into the one real track an export
    /// named the same way, so a play known by names only counts on the track itself (and the same play from two
    /// exports, once). Returns how many of <paramref name="userId"/>'s plays turned out to be repeats.
    /// </summary>
    public async Task<long> MergeNamedInExportsAsync(long userId, string[] nameKeys, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(nameKeys);
        if (nameKeys.Length == 0)
        {
            return 0;
        }

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var (keys, sids) = (new List<string>(), new List<string>());
        await using (var pairs = new NpgsqlCommand(NamedPairsSql, conn))
        {
            pairs.Parameters.AddWithValue("keys", nameKeys);
            await using var reader = await pairs.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                keys.Add(reader.GetString(0));
                sids.Add(reader.GetString(1));
            }
        }

        if (keys.Count == 0)
        {
            return 0;
        }

        var (_, repeats) = await MergePairsAsync(conn, [.. keys], [.. sids], userId, ct);
        return repeats;
    }

    private async Task<(int Users, long Repeats)> MergePairsAsync(NpgsqlConnection conn, string[] keys, string[] spotifyIds, long countedUser, CancellationToken ct)
    {
        // One transaction: the events move, every affected user's statistics are recomputed and the emptied
        // provisional rows go together, so no crash or cancellation leaves statistics counting the old tracks.
        // The catalog lock held exclusively keeps every ingestion batch, rebuild and settings change off all
        // users meanwhile, so the users found below stay the ones.
        await using var tx = await conn.BeginTransactionAsync(ct);
        await CatalogLock.HoldExclusivelyAsync(conn, ct);
        var moved = await MoveEventsAsync(conn, keys, spotifyIds, countedUser, ct);
        foreach (var user in moved.Users)
        {
            // The recomputation makes its own temporary tables (ON COMMIT DROP): the previous user's go first.
            await using (var discard = new NpgsqlCommand("DISCARD TEMP", conn))
            {
                await discard.ExecuteNonQueryAsync(ct);
            }

            await rebuilder.RecomputeInTransactionAsync(conn, user, ct);
        }

        // Only now: until the recomputations, the users' album and artist rows still counted the merged plays there.
        await ProvisionalOrphans.DeleteAsync(conn, moved.Albums, moved.Artists, ct);
        await tx.CommitAsync(ct);

        foreach (var user in moved.Users)
        {
            rebuilder.Announce(user);
        }

        LogMerged(logger, moved.Users.Count);
        return (moved.Users.Count, moved.Repeats);
    }

    private sealed record Moved(List<long> Users, long[] Albums, long[] Artists, long Repeats);

    private static async Task<Moved> MoveEventsAsync(NpgsqlConnection conn, string[] keys, string[] spotifyIds, long countedUser, CancellationToken ct)
    {
        var users = new List<long>();
        long[] albums = [], artists = [];
        long repeats = 0;
        await using var cmd = new NpgsqlCommand(MergeSql, conn);
        cmd.Parameters.AddWithValue("keys", keys);
        cmd.Parameters.AddWithValue("sids", spotifyIds);
        cmd.Parameters.AddWithValue("counted_user", countedUser);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        // The statements that return rows, in order: the users, the emptied album and artists, the repeats.
        var result = 0;
        do
        {
            if (reader.FieldCount == 0)
            {
                continue;
            }

            while (await reader.ReadAsync(ct))
            {
                switch (result)
                {
                    case 0:
                        users.Add(reader.GetInt64(0));
                        break;
                    case 1:
                        albums = reader.GetFieldValue<long[]>(0);
                        artists = reader.GetFieldValue<long[]>(1);
                        break;
                    default:
                        repeats = reader.GetInt64(0);
                        break;
                }
            }

            result++;
        }
        while (await reader.NextResultAsync(ct));
        return new Moved(users, albums, artists, repeats);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Merged provisional tracks into Spotify ids; stats rebuilt for {Users} users")]
    private static partial void LogMerged(ILogger logger, int users);
}
