using System.Globalization;
using System.Text.Json;
using MyiV3.Data.Stats;
using Npgsql;

namespace MyiV3.Web.Cli;

/// <summary>A user's headline statistics, read from the pre-aggregated tables (never raw events).</summary>
internal static class StatsCommand
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public sealed record Ranked(string Name, string? Artist, long Plays, long Ms);
    public sealed record Totals(long Plays, long Ms, double Hours, long DistinctTracks, long DistinctArtists, long Skips);
    public sealed record Snapshot(string User, Totals Totals, IReadOnlyList<Ranked> TopTracks, IReadOnlyList<Ranked> TopArtists,
        IReadOnlyList<Ranked> TopAlbums, IReadOnlyList<long> Hours, IReadOnlyDictionary<string, long> Months);

    public static async Task<int> RunAsync(IServiceProvider services, CliArguments args, TextWriter output, TextWriter error, CancellationToken ct)
    {
        var user = await CliApp.FindUserAsync(services, args.User, create: false, ct);
        if (user is null)
        {
            await error.WriteLineAsync($"No user named {args.User}.");
            return 2;
        }

        var snapshot = await ReadAsync(services.GetRequiredService<NpgsqlDataSource>(), user.Id, user.DisplayName, ct);
        if (args.Json)
        {
            await output.WriteLineAsync(JsonSerializer.Serialize(snapshot, Json));
            return 0;
        }

        var t = snapshot.Totals;
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{snapshot.User}: {t.Plays:N0} plays, {t.Hours:N1} hours, {t.DistinctTracks:N0} tracks, {t.DistinctArtists:N0} artists"));
        foreach (var r in snapshot.TopTracks)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {r.Plays,6:N0}  {r.Name} — {r.Artist}"));
        }

        return 0;
    }

    public static async Task<Snapshot> ReadAsync(NpgsqlDataSource db, long userId, string name, CancellationToken ct)
    {
        var totals = await ReadRowsAsync(db, """
            SELECT u.total_play_count, u.total_listening_ms,
                   (SELECT count(*) FROM user_track_stats WHERE user_id = u.id),
                   (SELECT count(*) FROM user_artist_stats WHERE user_id = u.id),
                   COALESCE((SELECT sum(skip_count) FROM user_hour_stats WHERE user_id = u.id), 0)::bigint
            FROM users u WHERE u.id = $1
            """, userId, r => new Totals(r.GetInt64(0), r.GetInt64(1), r.GetInt64(1) / 3_600_000.0, r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)), ct);
        var tracks = await ReadRowsAsync(db, """
            SELECT t.name, (SELECT a.name FROM track_artists ta JOIN artists a ON a.id = ta.artist_id WHERE ta.track_id = t.id ORDER BY ta.position LIMIT 1),
                   s.play_count, s.total_ms
            FROM user_track_stats s JOIN tracks t ON t.id = s.track_id
            WHERE s.user_id = $1 ORDER BY s.play_count DESC, s.total_ms DESC, t.id LIMIT 10
            """, userId, r => new Ranked(r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.GetInt64(2), r.GetInt64(3)), ct);
        var artists = await ReadRowsAsync(db, """
            SELECT a.name, NULL, s.play_count, s.total_ms
            FROM user_artist_stats s JOIN artists a ON a.id = s.artist_id
            WHERE s.user_id = $1 ORDER BY s.play_count DESC, s.total_ms DESC, a.id LIMIT 10
            """, userId, r => new Ranked(r.GetString(0), null, r.GetInt64(2), r.GetInt64(3)), ct);
        // The dashboard's own query, so the album's artist is named the same way in both.
        var albums = (await new DashboardQueries(db, TimeProvider.System).TopAlbumsAsync(userId, StatsPeriod.AllTime, 10, ct))
            .Select(a => new Ranked(a.Name, a.Subtitle, a.Plays, a.TotalMs)).ToList();
        var hours = new long[24];
        foreach (var (hour, plays) in await ReadRowsAsync(db, "SELECT hour, play_count FROM user_hour_stats WHERE user_id = $1", userId,
                     r => (r.GetInt16(0), r.GetInt64(1)), ct))
        {
            hours[hour] = plays;
        }

        var months = (await ReadRowsAsync(db,
                "SELECT bucket_date, play_count FROM user_time_bucket_stats WHERE user_id = $1 AND bucket_type = 'MONTH' ORDER BY bucket_date", userId,
                r => (r.GetFieldValue<DateOnly>(0).ToString("yyyy-MM", CultureInfo.InvariantCulture), r.GetInt64(1)), ct))
            .ToDictionary(x => x.Item1, x => x.Item2, StringComparer.Ordinal);
        return new Snapshot(name, totals.Single(), tracks, artists, albums, hours, months);
    }

    private static async Task<List<T>> ReadRowsAsync<T>(NpgsqlDataSource db, string sql, long userId, Func<NpgsqlDataReader, T> map, CancellationToken ct)
    {
        await using var cmd = db.CreateCommand(sql);
        cmd.Parameters.Add(new NpgsqlParameter { Value = userId });
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        var list = new List<T>();
        while (await reader.ReadAsync(ct))
        {
            list.Add(map(reader));
        }

        return list;
    }
}
