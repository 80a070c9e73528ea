using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Metadata;
using MyiV3.Jobs.Spotify;

namespace MyiV3.Jobs.Sync;

public enum SyncStatus
{
    Synced,
    /// <summary>Credentials invalid (quarantined): skipped until the user signs in again.</summary>
    Quarantined,
    /// <summary>Spotify asked this user to wait; poll again at <see cref="SyncOutcome.RetryAt"/>.</summary>
    RateLimited,
    /// <summary>A retryable failure (5xx, timeout, open circuit) or an auth failure that counted.</summary>
    Failed,
}

public sealed record SyncOutcome(long UserId, SyncStatus Status, int Fetched = 0, int Inserted = 0, bool FullPage = false, DateTimeOffset? RetryAt = null);

/// <summary>Polls recently-played for users and writes the plays through the ingestion engine.</summary>
public sealed partial class SpotifySyncService(
    IDbContextFactory<MyiDbContext> dbFactory,
    SpotifyApiClient api,
    IIngestionEngine engine,
    ProvisionalMerger merger,
    IOptions<SpotifyOptions> options,
    TimeProvider time,
    ILogger<SpotifySyncService> logger)
{
    public const int PageSize = 50;

    /// <summary>Users with valid credentials whose last ingestion is older than the cooldown, longest-waiting first.</summary>
    public async Task<IReadOnlyList<long>> EligibleUsersAsync(CancellationToken ct)
    {
        var cutoff = time.GetUtcNow() - options.Value.SyncCooldown;
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.Users.AsNoTracking()
            .Where(u => u.SpotifyAuth != null && u.SpotifyAuth.IsValid && (u.LastIngestedAt == null || u.LastIngestedAt < cutoff))
            .OrderBy(u => u.LastIngestedAt ?? DateTimeOffset.MinValue).ThenBy(u => u.Id)
            .Select(u => u.Id)
            .ToListAsync(ct);
    }

    /// <summary>Every eligible user, a few at a time; one user's failure never stops the others.</summary>
    public async Task<IReadOnlyList<SyncOutcome>> SyncEligibleAsync(CancellationToken ct)
    {
        var users = await EligibleUsersAsync(ct);
        var outcomes = new SyncOutcome[users.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, users.Count),
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, options.Value.SyncParallelism), CancellationToken = ct },
            async (i, token) => outcomes[i] = await SyncUserAsync(users[i], token));
        return outcomes;
    }

    public async Task<SyncOutcome> SyncUserAsync(long userId, CancellationToken ct)
    {
        try
        {
            var after = await LastApiPlayAsync(userId, ct);
            var page = await api.GetRecentlyPlayedAsync(userId, after?.ToUnixTimeMilliseconds(), PageSize, ct);
            var plays = page.Items.Where(i => !string.IsNullOrEmpty(i.Track.Id) && i.Track.IsLocal != true).Select(ToPlay).ToList();
            var inserted = 0;
            if (plays.Count > 0)
            {
                // The engine records last_ingested_at and publishes StatsChanged with the batch.
                inserted = (await engine.IngestAsync(userId, PlaySource.Api, plays, ct)).Inserted;
                await merger.MergeAsync(page.Items.Select(i => i.Track), ct);
            }
            else
            {
                await MarkPolledAsync(userId, ct);
            }

            var full = page.Items.Count >= PageSize;
            LogSynced(logger, userId, page.Items.Count, inserted, full);
            return new SyncOutcome(userId, SyncStatus.Synced, page.Items.Count, inserted, full);
        }
        catch (SpotifyException ex) when (ex.Kind == SpotifyErrorKind.CredentialsInvalid)
        {
            return new SyncOutcome(userId, SyncStatus.Quarantined);
        }
        catch (SpotifyException ex) when (ex.Kind == SpotifyErrorKind.RateLimited)
        {
            LogRateLimited(logger, userId, ex.RetryAt);
            return new SyncOutcome(userId, SyncStatus.RateLimited, RetryAt: ex.RetryAt);
        }
        catch (SpotifyException ex)
        {
            LogFailed(logger, userId, ex.Kind, ex.StatusCode);
            return new SyncOutcome(userId, SyncStatus.Failed, RetryAt: ex.RetryAt);
        }
        catch (Exception ex) when (!ct.IsCancellationRequested)
        {
            // Anything unforeseen stays this user's problem: the round goes on for everyone else.
            LogCrashed(logger, userId, ex);
            return new SyncOutcome(userId, SyncStatus.Failed);
        }
    }

    /// <summary>The API's played_at is the end of playback (the engine tolerates the odd start time).</summary>
    internal static PlayRecord ToPlay(SpotifyPlayHistory item)
    {
        var t = item.Track;
        return new PlayRecord
        {
            PlayedAt = item.PlayedAt.ToUniversalTime(),
            // The API does not say how long the play lasted: the track's duration is the estimate an import corrects.
            MsPlayed = t.DurationMs,
            TrackSpotifyId = t.Id,
            TrackName = t.Name,
            Artists = [.. t.Artists.Select(a => new ArtistRef(a.Name, a.Id))],
            AlbumSpotifyId = t.Album?.Id,
            AlbumName = t.Album?.Name,
            TrackDurationMs = t.DurationMs,
        };
    }

    private async Task<DateTimeOffset?> LastApiPlayAsync(long userId, CancellationToken ct)
    {
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        return await db.ListeningEvents.AsNoTracking()
            .Where(e => e.UserId == userId && e.Source == PlaySource.Api)
            .MaxAsync(e => (DateTimeOffset?)e.PlayedAt, ct);
    }

    private async Task MarkPolledAsync(long userId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        await db.Users.Where(u => u.Id == userId).ExecuteUpdateAsync(s => s.SetProperty(u => u.LastIngestedAt, now), ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sync of user {UserId}: {Fetched} plays fetched, {Inserted} new, full page: {Full}")]
    private static partial void LogSynced(ILogger logger, long userId, int fetched, int inserted, bool full);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of user {UserId} rate limited until {RetryAt}")]
    private static partial void LogRateLimited(ILogger logger, long userId, DateTimeOffset? retryAt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Sync of user {UserId} failed unexpectedly")]
    private static partial void LogCrashed(ILogger logger, long userId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sync of user {UserId} failed: {Kind} ({Status})")]
    private static partial void LogFailed(ILogger logger, long userId, SpotifyErrorKind kind, int? status);
}
