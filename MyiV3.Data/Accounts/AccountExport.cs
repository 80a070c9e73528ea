using System.Data;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Npgsql;

namespace MyiV3.Data.Accounts;

/// <summary>
/// Everything MyiV3 holds about a user, streamed straight from the database to a stream: the plays
/// as Spotify's extended-streaming-history JSON (which the import reads back) or as CSV, and the
/// profile (settings, import history, Spotify top lists) as JSON. Rows are written as they are read;
/// nothing is loaded whole.
/// </summary>
public sealed class AccountExport(NpgsqlDataSource dataSource)
{
    private const int FlushEvery = 2_000;

    // Oldest first, like Spotify's own files; the (user_id, played_at) index serves the order.
    private const string PlaysSql = """
        SELECT e.played_at, e.ms_played, t.name, ar.name, al.name, t.spotify_id, t.is_provisional,
               e.reason_start, e.reason_end, e.shuffle, e.skipped, e.platform, e.conn_country, e.offline, e.incognito, e.source::text
        FROM listening_events e
        JOIN tracks t ON t.id = e.track_id
        LEFT JOIN albums al ON al.id = t.album_id
        LEFT JOIN LATERAL (SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
                           WHERE ta.track_id = t.id ORDER BY ta.position LIMIT 1) ar ON true
        WHERE e.user_id = $1
        ORDER BY e.played_at
        """;

    /// <summary>
    /// Plays in the extended-streaming-history shape. Tracks known only by name (from the older
    /// account-data export) have no Spotify URI, so a re-import counts them as non-music.
    /// </summary>
    public async Task WritePlaysJsonAsync(long userId, Stream output, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = false });
        json.WriteStartArray();
        var n = 0;
        await foreach (var p in ReadPlaysAsync(userId, ct))
        {
            json.WriteStartObject();
            json.WriteString("ts", p.PlayedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            json.WriteString("platform", p.Platform);
            json.WriteNumber("ms_played", p.MsPlayed);
            json.WriteString("conn_country", p.ConnCountry);
            json.WriteString("master_metadata_track_name", p.TrackName);
            json.WriteString("master_metadata_album_artist_name", p.ArtistName);
            json.WriteString("master_metadata_album_album_name", p.AlbumName);
            json.WriteString("spotify_track_uri", p.TrackUri);
            json.WriteString("reason_start", p.ReasonStart);
            json.WriteString("reason_end", p.ReasonEnd);
            WriteBool(json, "shuffle", p.Shuffle);
            WriteBool(json, "skipped", p.Skipped);
            WriteBool(json, "offline", p.Offline);
            WriteBool(json, "incognito_mode", p.Incognito);
            json.WriteEndObject();
            if (++n % FlushEvery == 0)
            {
                await json.FlushAsync(ct);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(ct);
    }

    public async Task WritePlaysCsvAsync(long userId, Stream output, CancellationToken ct)
    {
        await using var w = new StreamWriter(output, new UTF8Encoding(false), 64 * 1024, leaveOpen: true) { NewLine = "\r\n" };
        await w.WriteLineAsync("ts,ms_played,track_name,artist_name,album_name,spotify_track_uri,reason_start,reason_end,shuffle,skipped,platform,conn_country,offline,incognito_mode,source");
        var n = 0;
        await foreach (var p in ReadPlaysAsync(userId, ct))
        {
            await w.WriteLineAsync(string.Join(',',
                p.PlayedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                p.MsPlayed.ToString(CultureInfo.InvariantCulture),
                Csv(p.TrackName), Csv(p.ArtistName), Csv(p.AlbumName), Csv(p.TrackUri),
                Csv(p.ReasonStart), Csv(p.ReasonEnd), Bool(p.Shuffle), Bool(p.Skipped),
                Csv(p.Platform), Csv(p.ConnCountry), Bool(p.Offline), Bool(p.Incognito), Csv(p.Source)));
            if (++n % FlushEvery == 0)
            {
                await w.FlushAsync(ct);
            }
        }

        await w.FlushAsync(ct);
    }

    /// <summary>Profile, settings, import history and Spotify top lists: the rest of what is stored.</summary>
    public async Task WriteProfileJsonAsync(long userId, Stream output, CancellationToken ct)
    {
        await using var json = new Utf8JsonWriter(output, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        await WriteRowsAsync(json, "user", """
            SELECT u.spotify_id, u.display_name, u.email, u.country, u.avatar_url, u.is_demo, u.total_play_count, u.total_listening_ms,
                   u.last_ingested_at, u.last_login_at, u.created_at,
                   s.time_zone, s.is_profile_public, s.show_recent_plays, s.exclude_incognito_plays, s.theme,
                   (a.user_id IS NOT NULL) AS spotify_connected, a.scopes AS spotify_scopes
            FROM users u LEFT JOIN user_settings s ON s.user_id = u.id LEFT JOIN spotify_auth a ON a.user_id = u.id
            WHERE u.id = $1
            """, userId, single: true, ct);
        await WriteRowsAsync(json, "imports", """
            SELECT file_name, file_size, content_hash, status::text AS status, total_rows, processed_rows, imported_rows, duplicate_rows,
                   skipped_non_music, skipped_zero_ms, skipped_invalid, error_message, created_at, completed_at
            FROM import_jobs WHERE user_id = $1 ORDER BY created_at
            """, userId, single: false, ct);
        await WriteRowsAsync(json, "spotify_top_tracks", """
            SELECT st.term::text AS term, st.rank, t.name, t.spotify_id, st.fetched_at
            FROM spotify_top_tracks st JOIN tracks t ON t.id = st.track_id WHERE st.user_id = $1 ORDER BY st.term, st.rank
            """, userId, single: false, ct);
        await WriteRowsAsync(json, "spotify_top_artists", """
            SELECT st.term::text AS term, st.rank, a.name, a.spotify_id, st.fetched_at
            FROM spotify_top_artists st JOIN artists a ON a.id = st.artist_id WHERE st.user_id = $1 ORDER BY st.term, st.rank
            """, userId, single: false, ct);
        json.WriteEndObject();
        await json.FlushAsync(ct);
    }

    private async Task WriteRowsAsync(Utf8JsonWriter json, string name, string sql, long userId, bool single, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var r = await cmd.ExecuteReaderAsync(ct);
        json.WritePropertyName(name);
        if (!single)
        {
            json.WriteStartArray();
        }

        var any = false;
        while (await r.ReadAsync(ct))
        {
            any = true;
            json.WriteStartObject();
            for (var i = 0; i < r.FieldCount; i++)
            {
                var value = r.IsDBNull(i) ? null : r.GetValue(i);
                json.WritePropertyName(r.GetName(i));
                switch (value)
                {
                    case null: json.WriteNullValue(); break;
                    case bool b: json.WriteBooleanValue(b); break;
                    case short s: json.WriteNumberValue(s); break;
                    case int v: json.WriteNumberValue(v); break;
                    case long l: json.WriteNumberValue(l); break;
                    case DateTime d: json.WriteStringValue(d.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture)); break;
                    case DateTimeOffset d: json.WriteStringValue(d.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)); break;
                    default: json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture)); break;
                }
            }

            json.WriteEndObject();
            if (single)
            {
                break;
            }
        }

        if (single && !any)
        {
            json.WriteNullValue();
        }

        if (!single)
        {
            json.WriteEndArray();
        }
    }

    private async IAsyncEnumerable<ExportedPlay> ReadPlaysAsync(long userId, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(PlaysSql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var r = await cmd.ExecuteReaderAsync(CommandBehavior.SequentialAccess, ct);
        while (await r.ReadAsync(ct))
        {
            var playedAt = r.GetFieldValue<DateTimeOffset>(0);
            var ms = r.GetInt32(1);
            var track = r.GetString(2);
            var artist = r.IsDBNull(3) ? null : r.GetString(3);
            var album = r.IsDBNull(4) ? null : r.GetString(4);
            var spotifyId = r.GetString(5);
            var provisional = r.GetBoolean(6);
            yield return new ExportedPlay(
                playedAt, ms, track, artist, album,
                provisional ? null : "spotify:track:" + spotifyId,
                Str(r, 7), Str(r, 8), Flag(r, 9), Flag(r, 10), Str(r, 11), Str(r, 12), Flag(r, 13), Flag(r, 14), r.GetString(15));
        }
    }

    private static string? Str(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetString(i);

    private static bool? Flag(NpgsqlDataReader r, int i) => r.IsDBNull(i) ? null : r.GetBoolean(i);

    private static void WriteBool(Utf8JsonWriter json, string name, bool? value)
    {
        if (value is { } v)
        {
            json.WriteBoolean(name, v);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static string Bool(bool? b) => b switch { true => "true", false => "false", null => "" };

    private static string Csv(string? s)
    {
        if (string.IsNullOrEmpty(s))
        {
            return "";
        }

        // Quote when needed; a leading formula character is neutralised so spreadsheets do not execute it.
        var value = s[0] is '=' or '+' or '-' or '@' ? "'" + s : s;
        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value != s ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private sealed record ExportedPlay(DateTimeOffset PlayedAt, int MsPlayed, string TrackName, string? ArtistName, string? AlbumName, string? TrackUri,
        string? ReasonStart, string? ReasonEnd, bool? Shuffle, bool? Skipped, string? Platform, string? ConnCountry, bool? Offline, bool? Incognito, string Source);
}
