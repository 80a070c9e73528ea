using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Data.Live;
using MyiV3.Jobs.Metadata;
using MyiV3.Jobs.Spotify;
using Npgsql;
using Quartz;

namespace MyiV3.Jobs.TopStats;

/// <summary>The dashboard asks for a refresh of a stale user's Spotify top lists (non-blocking).</summary>
public interface ITopStatsRefresher
{
    /// <summary>Queues a refresh when the user's top lists are older than 24 h or missing; true when queued.</summary>
    Task<bool> RefreshIfStaleAsync(long userId, CancellationToken ct = default);
}

/// <summary>Spotify's top tracks and artists: 3 terms × 50 ranks, replaced atomically per user and term.</summary>
public sealed partial class TopStatsService(
    IDbContextFactory<MyiDbContext> dbFactory,
    NpgsqlDataSource dataSource,
    SpotifyApiClient api,
    CatalogWriter catalog,
    ProvisionalMerger merger,
    IUserNotifier notifier,
    TimeProvider time,
    ILogger<TopStatsService> logger)
{
    public static readonly TimeSpan ActiveEvery = TimeSpan.FromHours(24);
    public static readonly TimeSpan CasualEvery = TimeSpan.FromHours(72);

    private static readonly (SpotifyTerm Api, Term Db)[] Terms =
        [(SpotifyTerm.ShortTerm, Term.ShortTerm), (SpotifyTerm.MediumTerm, Term.MediumTerm), (SpotifyTerm.LongTerm, Term.LongTerm)];

    /// <summary>
    /// Tiers: active (signed in within 48 h) every 24 h; casual (within 7 days) every 72 h;
    /// inactive users only on demand.
    /// </summary>
    public async Task<IReadOnlyList<long>> DueUsersAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        var rows = await db.Users.AsNoTracking()
            .Where(u => u.SpotifyAuth != null && u.SpotifyAuth.IsValid && u.LastLoginAt != null && u.LastLoginAt > now.AddDays(-7))
            .Select(u => new
            {
                u.Id,
                u.LastLoginAt,
                Fetched = db.SpotifyTopTracks.Where(t => t.UserId == u.Id).Max(t => (DateTimeOffset?)t.FetchedAt),
            })
            .ToListAsync(ct);
        return [.. rows.Where(r => r.Fetched is null || r.Fetched < now - (r.LastLoginAt > now.AddHours(-48) ? ActiveEvery : CasualEvery)).Select(r => r.Id)];
    }

    public async Task<bool> IsStaleAsync(long userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        // Without valid Spotify credentials (the demo, import-only users, quarantined users) there is nothing to fetch.
        if (!await db.SpotifyAuth.AsNoTracking().AnyAsync(a => a.UserId == userId && a.IsValid, ct))
        {
            return false;
        }

        var fetched = await db.SpotifyTopTracks.AsNoTracking().Where(t => t.UserId == userId).MaxAsync(t => (DateTimeOffset?)t.FetchedAt, ct);
        return fetched is null || fetched < time.GetUtcNow() - ActiveEvery;
    }

    public async Task RefreshUserAsync(long userId, CancellationToken ct)
    {
        foreach (var (apiTerm, term) in Terms)
        {
            var tracks = (await api.GetTopTracksAsync(userId, apiTerm, ct)).Items.Take(50).ToList();
            var artists = (await api.GetTopArtistsAsync(userId, apiTerm, ct)).Items.Take(50).ToList();
            await catalog.UpsertTracksAsync(tracks, ct);
            await catalog.UpsertArtistsAsync(artists, ct);
            await ReplaceAsync(userId, term, tracks.Select(t => t.Id).ToArray(), artists.Select(a => a.Id).ToArray(), ct);
            await merger.MergeAsync(tracks, ct);
        }

        LogRefreshed(logger, userId);
        // Open dashboards of the user re-read their Spotify top lists.
        notifier.Publish(new StatsChanged(userId, 0));
    }

    private async Task ReplaceAsync(long userId, Term term, string[] trackIds, string[] artistIds, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        await using var batch = new NpgsqlBatch(conn, tx)
        {
            BatchCommands =
            {
                Command("DELETE FROM spotify_top_tracks WHERE user_id = @u AND term = @term", userId, term, now, null),
                Command("""
                    INSERT INTO spotify_top_tracks (user_id, term, rank, track_id, fetched_at)
                    SELECT @u, @term, r.rank, t.id, @now FROM unnest(@ids::text[]) WITH ORDINALITY AS r(sid, rank) JOIN tracks t ON t.spotify_id = r.sid
                    """, userId, term, now, trackIds),
                Command("DELETE FROM spotify_top_artists WHERE user_id = @u AND term = @term", userId, term, now, null),
                Command("""
                    INSERT INTO spotify_top_artists (user_id, term, rank, artist_id, fetched_at)
                    SELECT @u, @term, r.rank, a.id, @now FROM unnest(@ids::text[]) WITH ORDINALITY AS r(sid, rank) JOIN artists a ON a.spotify_id = r.sid
                    """, userId, term, now, artistIds),
            },
        };
        await batch.ExecuteNonQueryAsync(ct);
        await tx.CommitAsync(ct);
    }

    private static NpgsqlBatchCommand Command(string sql, long userId, Term term, DateTimeOffset now, string[]? ids)
    {
        var cmd = new NpgsqlBatchCommand(sql);
        cmd.Parameters.AddWithValue("u", userId);
        cmd.Parameters.AddWithValue("term", term);
        cmd.Parameters.AddWithValue("now", now);
        if (ids is not null)
        {
            cmd.Parameters.AddWithValue("ids", ids);
        }

        return cmd;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Spotify top lists of user {UserId} refreshed")]
    private static partial void LogRefreshed(ILogger logger, long userId);
}

/// <summary>Queues a one-off <see cref="TopStatsUserJob"/> for a stale user.</summary>
public sealed class TopStatsRefresher(TopStatsService service, ISchedulerFactory schedulers) : ITopStatsRefresher
{
    public async Task<bool> RefreshIfStaleAsync(long userId, CancellationToken ct = default)
    {
        if (!await service.IsStaleAsync(userId, ct))
        {
            return false;
        }

        var scheduler = await schedulers.GetScheduler(ct);
        var trigger = TriggerBuilder.Create()
            .WithIdentity($"top-stats-user-{userId}", "spotify")
            .ForJob(TopStatsUserJob.Key)
            .UsingJobData(TopStatsUserJob.UserIdKey, userId)
            .StartNow()
            .Build();
        await scheduler.ScheduleTrigger(trigger, TriggerConflict.Keep, ct);
        return true;
    }
}
