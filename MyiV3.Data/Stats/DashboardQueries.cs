using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using Npgsql;

namespace MyiV3.Data.Stats;

/// <summary>
/// Everything the dashboard shows, each a small read of the pre-aggregated tables for one user and
/// period (never a GROUP BY over the whole of listening_events: only the days a range holds beyond its
/// whole months are counted there; "latest plays" reads it through its (user_id, played_at DESC) index
/// with a LIMIT). Stateless and callable outside Blazor, e.g. from
/// benchmarks: construct it with the app's data source.
/// </summary>
public sealed class DashboardQueries(NpgsqlDataSource dataSource, TimeProvider time)
{
    /// <summary>The user's time zone from their settings (UTC when unset or unknown to this machine).</summary>
    public async Task<TimeZoneInfo> TimeZoneAsync(long userId, CancellationToken ct)
    {
        var zoneId = await SqlReader.SingleAsync(dataSource,
            "SELECT time_zone FROM user_settings WHERE user_id = $1", r => r.GetString(0), ct, userId);
        return TimeZones.FindOrUtc(zoneId);
    }

    /// <summary>The user's current local date, in the time zone of their settings.</summary>
    public async Task<DateOnly> LocalTodayAsync(long userId, CancellationToken ct) =>
        TimeZones.LocalDate(time.GetUtcNow(), await TimeZoneAsync(userId, ct));

    public async Task<StatsPeriod> ResolveAsync(long userId, PeriodPreset preset, CancellationToken ct) =>
        preset == PeriodPreset.AllTime ? StatsPeriod.AllTime : StatsPeriod.For(preset, await LocalTodayAsync(userId, ct));

    public async Task<PeriodTotals> TotalsAsync(long userId, StatsPeriod period, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(period);
        if (period.Parts is not { } parts)
        {
            // All time: the denormalised user totals, skips from the 24 hour rows, distinct counts from the stats tables.
            return await SqlReader.SingleAsync(dataSource, """
                SELECT u.total_play_count, u.total_listening_ms,
                       (SELECT coalesce(sum(skip_count), 0)::bigint FROM user_hour_stats WHERE user_id = u.id),
                       (SELECT count(*) FROM user_track_stats WHERE user_id = u.id),
                       (SELECT count(*) FROM user_artist_stats WHERE user_id = u.id),
                       (SELECT coalesce(max(bucket_date) - min(bucket_date) + 1, 0)::bigint FROM user_time_bucket_stats
                        WHERE user_id = u.id AND bucket_type = 'DAY' AND play_count > 0)
                FROM users u WHERE u.id = $1
                """, ReadTotals, ct, userId) ?? PeriodTotals.None;
        }

        var args = await PeriodArgsAsync(userId, parts, ct);
        return await SqlReader.SingleAsync(dataSource, $"""
            SELECT coalesce(sum(play_count), 0)::bigint, coalesce(sum(total_ms), 0)::bigint, coalesce(sum(skip_count), 0)::bigint,
                   (SELECT count(*) FROM ({TrackPeriodSql}) t),
                   (SELECT count(*) FROM ({ArtistPeriodSql}) a),
                   ($11::date - $10::date + 1)::bigint
            FROM user_time_bucket_stats
            WHERE user_id = $1 AND bucket_type = 'DAY' AND bucket_date BETWEEN $10 AND $11
            """, ReadTotals, ct, [.. args, period.From!.Value, period.To!.Value])
            ?? PeriodTotals.None;
    }

    private static PeriodTotals ReadTotals(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetInt64(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5));

    public async Task<List<TopEntry>> TopTracksAsync(long userId, StatsPeriod period, int limit, CancellationToken ct)
    {
        var (src, args) = await TrackSourceAsync(userId, period, ct);
        return await SqlReader.ListAsync(dataSource, $"""
            WITH src AS ({src}),
                 top AS (SELECT track_id, plays, ms FROM src ORDER BY plays DESC, ms DESC, track_id LIMIT {Limit(limit)})
            SELECT t.id, t.name, ar.name, ar.id, al.image_url, top.plays, top.ms
            FROM top
            JOIN tracks t ON t.id = top.track_id
            LEFT JOIN albums al ON al.id = t.album_id
            LEFT JOIN LATERAL (SELECT a.id, a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
                               WHERE ta.track_id = t.id ORDER BY ta.position LIMIT 1) ar ON true
            ORDER BY top.plays DESC, top.ms DESC, t.id
            """, ReadTop, ct, args);
    }

    public async Task<List<TopEntry>> TopArtistsAsync(long userId, StatsPeriod period, int limit, CancellationToken ct)
    {
        var (src, args) = await ArtistSourceAsync(userId, period, ct);
        return await SqlReader.ListAsync(dataSource, $"""
            WITH src AS ({src}),
                 top AS (SELECT artist_id, plays, ms FROM src ORDER BY plays DESC, ms DESC, artist_id LIMIT {Limit(limit)})
            SELECT a.id, a.name, a.genres[1], NULL::bigint, a.image_url, top.plays, top.ms
            FROM top JOIN artists a ON a.id = top.artist_id
            ORDER BY top.plays DESC, top.ms DESC, a.id
            """, ReadTop, ct, args);
    }

    /// <summary>
    /// Albums. All time: user_album_stats, a top-N scan of its (user_id, play_count DESC) index. A
    /// period: its plays per track (exact to its days), summed through tracks.album_id.
    /// </summary>
    public async Task<List<TopEntry>> TopAlbumsAsync(long userId, StatsPeriod period, int limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(period);
        string top;
        object[] args;
        if (period.Months is null)
        {
            top = $"""
                SELECT album_id, play_count AS plays, total_ms AS ms FROM user_album_stats WHERE user_id = $1
                ORDER BY play_count DESC, total_ms DESC, album_id LIMIT {Limit(limit)}
                """;
            args = [userId];
        }
        else
        {
            (var src, args) = await TrackSourceAsync(userId, period, ct);
            top = $"""
                SELECT t.album_id, sum(src.plays::integer) AS plays, sum(src.ms::float8)::bigint AS ms
                FROM ({src}) src JOIN tracks t ON t.id = src.track_id
                WHERE t.album_id IS NOT NULL
                GROUP BY t.album_id
                ORDER BY plays DESC, ms DESC, t.album_id LIMIT {Limit(limit)}
                """;
        }

        return await SqlReader.ListAsync(dataSource, $"""
            WITH top AS ({top})
            SELECT al.id, al.name, ar.name, ar.id, al.image_url, top.plays, top.ms
            FROM top
            JOIN albums al ON al.id = top.album_id
            LEFT JOIN LATERAL (SELECT a.id, a.name FROM tracks t2
                               JOIN track_artists ta ON ta.track_id = t2.id
                               JOIN artists a ON a.id = ta.artist_id
                               WHERE t2.album_id = al.id ORDER BY ta.position, t2.id LIMIT 1) ar ON true
            ORDER BY top.plays DESC, top.ms DESC, al.id
            """, ReadTop, ct, args);
    }

    /// <summary>Genres of the artists played, each weighted by that artist's plays in the period.</summary>
    public async Task<List<GenreShare>> TopGenresAsync(long userId, StatsPeriod period, int limit, CancellationToken ct)
    {
        var (src, args) = await ArtistSourceAsync(userId, period, ct);
        return await SqlReader.ListAsync(dataSource, $"""
            WITH src AS ({src})
            SELECT g.genre, sum(src.plays)::bigint AS plays
            FROM src JOIN artists a ON a.id = src.artist_id
            CROSS JOIN LATERAL unnest(a.genres) AS g(genre)
            GROUP BY g.genre
            ORDER BY plays DESC, g.genre
            LIMIT {Limit(limit)}
            """, r => new GenreShare(r.GetString(0), r.GetInt64(1)), ct, args);
    }

    /// <summary>
    /// Plays per day, ISO week or month over the period (all time: from the first bucket to today),
    /// with empty buckets filled in so a chart's x axis is regular.
    /// </summary>
    public async Task<List<ActivityPoint>> ActivityAsync(long userId, StatsPeriod period, BucketType bucket, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(period);
        var type = BucketName(bucket);
        List<ActivityPoint> rows;
        DateOnly from, to;
        if (period.IsAllTime)
        {
            rows = await SqlReader.ListAsync(dataSource,
                $"SELECT bucket_date, play_count, total_ms FROM user_time_bucket_stats WHERE user_id = $1 AND bucket_type = '{type}' ORDER BY bucket_date",
                ReadActivity, ct, userId);
            if (rows.Count == 0)
            {
                return rows;
            }

            from = rows[0].Date;
            to = Max(rows[^1].Date, await LocalTodayAsync(userId, ct));
        }
        else
        {
            from = BucketStart(period.From!.Value, bucket);
            to = period.To!.Value;
            rows = await SqlReader.ListAsync(dataSource,
                $"SELECT bucket_date, play_count, total_ms FROM user_time_bucket_stats WHERE user_id = $1 AND bucket_type = '{type}' AND bucket_date BETWEEN $2 AND $3 ORDER BY bucket_date",
                ReadActivity, ct, userId, from, to);
        }

        return FillGaps(rows, BucketStart(from, bucket), BucketStart(to, bucket), bucket);
    }

    private static ActivityPoint ReadActivity(NpgsqlDataReader r) =>
        new(r.GetFieldValue<DateOnly>(0), r.GetInt64(1), r.GetInt64(2));

    /// <summary>All-time plays per local hour of day, 24 points.</summary>
    public async Task<List<HourPoint>> HoursAsync(long userId, CancellationToken ct)
    {
        var rows = await SqlReader.ListAsync(dataSource,
            "SELECT hour, play_count, total_ms FROM user_hour_stats WHERE user_id = $1",
            r => new HourPoint(r.GetInt16(0), r.GetInt64(1), r.GetInt64(2)), ct, userId);
        var byHour = rows.ToDictionary(h => h.Hour);
        return [.. Enumerable.Range(0, 24).Select(h => byHour.GetValueOrDefault(h) ?? new HourPoint(h, 0, 0))];
    }

    /// <summary>All-time plays per ISO weekday and local hour, 7 × 24.</summary>
    public async Task<WeekdayHourGrid> WeekdayHoursAsync(long userId, CancellationToken ct)
    {
        var grid = Enumerable.Range(0, 7).Select(_ => new long[24]).ToArray();
        var rows = await SqlReader.ListAsync(dataSource,
            "SELECT weekday, hour, play_count FROM user_weekday_hour_stats WHERE user_id = $1",
            r => (Weekday: r.GetInt16(0), Hour: r.GetInt16(1), Plays: r.GetInt64(2)), ct, userId);
        foreach (var (weekday, hour, plays) in rows)
        {
            grid[weekday - 1][hour] = plays;
        }

        return new WeekdayHourGrid(grid);
    }

    /// <summary>Spotify's own top tracks, per term in rank order; empty until the top-stats job has run.</summary>
    public Task<List<SpotifyTopEntry>> SpotifyTopTracksAsync(long userId, CancellationToken ct) =>
        SqlReader.ListAsync(dataSource, """
            SELECT st.term, st.rank, t.id, t.name, ar.name, al.image_url, st.fetched_at
            FROM spotify_top_tracks st
            JOIN tracks t ON t.id = st.track_id
            LEFT JOIN albums al ON al.id = t.album_id
            LEFT JOIN LATERAL (SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
                               WHERE ta.track_id = t.id ORDER BY ta.position LIMIT 1) ar ON true
            WHERE st.user_id = $1
            ORDER BY CASE st.term WHEN 'SHORT_TERM' THEN 0 WHEN 'MEDIUM_TERM' THEN 1 ELSE 2 END, st.rank
            """, ReadSpotifyTop, ct, userId);

    public Task<List<SpotifyTopEntry>> SpotifyTopArtistsAsync(long userId, CancellationToken ct) =>
        SqlReader.ListAsync(dataSource, """
            SELECT st.term, st.rank, a.id, a.name, a.genres[1], a.image_url, st.fetched_at
            FROM spotify_top_artists st
            JOIN artists a ON a.id = st.artist_id
            WHERE st.user_id = $1
            ORDER BY CASE st.term WHEN 'SHORT_TERM' THEN 0 WHEN 'MEDIUM_TERM' THEN 1 ELSE 2 END, st.rank
            """, ReadSpotifyTop, ct, userId);

    private static SpotifyTopEntry ReadSpotifyTop(NpgsqlDataReader r) =>
        new(r.GetFieldValue<Term>(0), r.GetInt16(1), r.GetInt64(2), r.GetString(3), r.NullableString(4), r.NullableString(5), r.GetFieldValue<DateTimeOffset>(6));

    /// <summary>The most recent plays, newest first (an index range scan with a limit).</summary>
    /// <summary>
    /// The user's latest plays. Bounded first to the last two months that hold plays (from the month
    /// buckets), so the planner prunes to those partitions instead of opening every month's index;
    /// widened to all time only when those months hold fewer plays than asked for.
    /// </summary>
    public async Task<List<LatestPlay>> LatestPlaysAsync(long userId, int limit, CancellationToken ct)
    {
        var lastMonth = await SqlReader.ListAsync(dataSource,
            "SELECT max(bucket_date) FROM user_time_bucket_stats WHERE user_id = $1 AND bucket_type = 'MONTH'",
            r => r.IsDBNull(0) ? DateOnly.MinValue : r.GetFieldValue<DateOnly>(0), ct, userId);
        if (lastMonth[0] is var month && month == DateOnly.MinValue)
        {
            return [];
        }

        // Month buckets are local; a day either side covers any time zone. Every counted play is in a
        // month bucket, so none lies after the last one: the upper bound keeps the scan off the empty
        // partitions between a history's last play and today (made ahead by the migrations).
        var since = new DateTimeOffset(month.AddMonths(-1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(-1);
        var until = new DateTimeOffset(month.AddMonths(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddDays(1);
        var recent = await LatestPlaysSinceAsync(userId, limit, since, until, ct);
        return recent.Count >= Math.Clamp(limit, 1, 500) ? recent : await LatestPlaysSinceAsync(userId, limit, DateTimeOffset.UnixEpoch, until, ct);
    }

    private Task<List<LatestPlay>> LatestPlaysSinceAsync(long userId, int limit, DateTimeOffset since, DateTimeOffset until, CancellationToken ct) =>
        SqlReader.ListAsync(dataSource, $"""
            SELECT e.played_at, e.ms_played, e.skipped, t.id, t.name, ar.id, ar.name, al.image_url
            FROM (SELECT track_id, played_at, ms_played, skipped FROM listening_events
                  WHERE user_id = $1 AND played_at >= $2 AND played_at < $3
                    -- Plays in a private session are left out here too while the user asks so.
                    AND NOT (incognito IS TRUE AND coalesce((SELECT exclude_incognito_plays FROM user_settings WHERE user_id = $1), false))
                  ORDER BY played_at DESC LIMIT {Limit(limit)}) e
            JOIN tracks t ON t.id = e.track_id
            LEFT JOIN albums al ON al.id = t.album_id
            LEFT JOIN LATERAL (SELECT a.id, a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id
                               WHERE ta.track_id = t.id ORDER BY ta.position LIMIT 1) ar ON true
            ORDER BY e.played_at DESC
            """,
            r => new LatestPlay(r.GetFieldValue<DateTimeOffset>(0), r.GetInt32(1), r.IsDBNull(2) ? null : r.GetBoolean(2),
                r.GetInt64(3), r.GetString(4), r.NullableInt64(5), r.NullableString(6), r.NullableString(7)),
            ct, userId, since, until);

    private static TopEntry ReadTop(NpgsqlDataReader r) =>
        new(r.GetInt64(0), r.GetString(1), r.NullableString(2), r.NullableInt64(3), r.NullableString(4), r.GetInt64(5), r.GetInt64(6));

    // The entries of the period's months (one row a month, see MonthArrays), unnested in the select
    // list: the arrays zip in step (a CHECK keeps them one length) without the tuplestore that
    // unnest in FROM fills first, 2.5x faster over a year. sum(bigint) would accumulate in numeric;
    // these sums stay exact: a month entry never holds 2^31 plays, and float8 adds integers exactly
    // up to 2^53 ms (285,000 years).
    private static string PeriodEntries(string table, string ids, string item) =>
        $"SELECT id AS {item}, sum(plays)::bigint AS plays, sum(ms::float8)::bigint AS ms " +
        $"FROM (SELECT unnest({ids}) AS id, unnest(play_counts) AS plays, unnest(total_ms) AS ms FROM {table} " +
        $"WHERE user_id = $1 AND month BETWEEN $2 AND $3) e GROUP BY id";

    // A period's plays per track or artist, exact to its days: its whole months from the month arrays, the
    // days before and after them from the events (at most two months' worth, pruned to their partitions),
    // counted as ingestion counts them (local days in the user's zone, private sessions left out when asked).
    // $1 user, $2–$3 the whole months, $4–$7 the local bounds of the days either side, $8 zone, $9 incognito.
    private static string EdgeEvents(string join = "") => $"""
        FROM listening_events e {join}
        WHERE e.user_id = $1
          AND ((e.played_at >= ($4::timestamp AT TIME ZONE $8) AND e.played_at < ($5::timestamp AT TIME ZONE $8))
            OR (e.played_at >= ($6::timestamp AT TIME ZONE $8) AND e.played_at < ($7::timestamp AT TIME ZONE $8)))
          AND NOT ($9 AND e.incognito IS TRUE)
        """;

    private static readonly string TrackPeriodSql =
        $"SELECT track_id, sum(plays)::bigint AS plays, sum(ms)::bigint AS ms FROM ({PeriodEntries("user_month_tracks", "track_ids", "track_id")} " +
        $"UNION ALL SELECT e.track_id, count(*), sum(e.ms_played)::bigint {EdgeEvents()} GROUP BY e.track_id) p GROUP BY track_id";

    private static readonly string ArtistPeriodSql =
        $"SELECT artist_id, sum(plays)::bigint AS plays, sum(ms)::bigint AS ms FROM ({PeriodEntries("user_month_artists", "artist_ids", "artist_id")} " +
        $"UNION ALL SELECT ta.artist_id, count(*), sum(e.ms_played)::bigint {EdgeEvents("JOIN track_artists ta ON ta.track_id = e.track_id")} " +
        "GROUP BY ta.artist_id) p GROUP BY artist_id";

    private async Task<(string Sql, object[] Args)> TrackSourceAsync(long userId, StatsPeriod period, CancellationToken ct) =>
        period.Parts is { } parts
            ? (TrackPeriodSql, await PeriodArgsAsync(userId, parts, ct))
            : ("SELECT track_id, play_count AS plays, total_ms AS ms FROM user_track_stats WHERE user_id = $1", [userId]);

    private async Task<(string Sql, object[] Args)> ArtistSourceAsync(long userId, StatsPeriod period, CancellationToken ct) =>
        period.Parts is { } parts
            ? (ArtistPeriodSql, await PeriodArgsAsync(userId, parts, ct))
            : ("SELECT artist_id, play_count AS plays, total_ms AS ms FROM user_artist_stats WHERE user_id = $1", [userId]);

    /// <summary>$1–$9 of the period queries above: the user, the whole months, the days either side, the user's counting settings.</summary>
    private async Task<object[]> PeriodArgsAsync(long userId, PeriodParts parts, CancellationToken ct)
    {
        (string Zone, bool ExcludeIncognito) settings;
        await using (var conn = await dataSource.OpenConnectionAsync(ct))
        {
            // The settings ingestion counts by, read the way it reads them.
            settings = await SqlCommands.StatsSettingsAsync(conn, userId, ct);
        }

        static DateTime Start(DateOnly day) => day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var none = (From: Start(new DateOnly(2000, 1, 1)), To: Start(new DateOnly(2000, 1, 1)));
        var head = parts.Head is { } h ? (From: Start(h.From), To: Start(h.To.AddDays(1))) : none;
        var tail = parts.Tail is { } t ? (From: Start(t.From), To: Start(t.To.AddDays(1))) : none;
        return [userId, parts.FirstMonth, parts.LastMonth, head.From, head.To, tail.From, tail.To, settings.Zone, settings.ExcludeIncognito];
    }

    // Inlined as a literal (an int, clamped) so the planner sees the limit.
    private static string Limit(int limit) => Math.Clamp(limit, 1, 500).ToString(System.Globalization.CultureInfo.InvariantCulture);

    internal static string BucketName(BucketType bucket) => bucket switch
    {
        BucketType.Day => "DAY",
        BucketType.Week => "WEEK",
        BucketType.Month => "MONTH",
        _ => throw new ArgumentOutOfRangeException(nameof(bucket)),
    };

    public static DateOnly BucketStart(DateOnly date, BucketType bucket) => bucket switch
    {
        BucketType.Day => date,
        BucketType.Week => date.AddDays(-(((int)date.DayOfWeek + 6) % 7)),
        BucketType.Month => new DateOnly(date.Year, date.Month, 1),
        _ => throw new ArgumentOutOfRangeException(nameof(bucket)),
    };

    private static DateOnly Next(DateOnly date, BucketType bucket) => bucket switch
    {
        BucketType.Day => date.AddDays(1),
        BucketType.Week => date.AddDays(7),
        _ => date.AddMonths(1),
    };

    private static DateOnly Max(DateOnly a, DateOnly b) => a > b ? a : b;

    private static List<ActivityPoint> FillGaps(List<ActivityPoint> rows, DateOnly from, DateOnly to, BucketType bucket)
    {
        var byDate = rows.ToDictionary(r => r.Date);
        var result = new List<ActivityPoint>();
        for (var d = from; d <= to; d = Next(d, bucket))
        {
            result.Add(byDate.GetValueOrDefault(d) ?? new ActivityPoint(d, 0, 0));
        }

        return result;
    }
}
