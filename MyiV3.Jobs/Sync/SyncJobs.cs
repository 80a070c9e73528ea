using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MyiV3.Jobs.Spotify;
using Quartz;

namespace MyiV3.Jobs.Sync;

/// <summary>Every 15 minutes: sync every eligible user, then queue the follow-ups.</summary>
[DisallowConcurrentExecution]
public sealed partial class SpotifySyncJob(SpotifySyncService sync, SyncFollowUps followUps, ILogger<SpotifySyncJob> logger) : IJob
{
    public static readonly JobKey Key = new("spotify-sync", "spotify");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var outcomes = await sync.SyncEligibleAsync(cancellationToken);
        foreach (var o in outcomes)
        {
            await followUps.ScheduleAsync(context.Scheduler, o, cancellationToken);
        }

        var synced = outcomes.Count(o => o.Status == SyncStatus.Synced);
        var inserted = outcomes.Sum(o => o.Inserted);
        LogRun(logger, outcomes.Count, synced, inserted);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Spotify sync: {Users} users polled, {Synced} synced, {Inserted} new plays")]
    private static partial void LogRun(ILogger logger, int users, int synced, int inserted);
}

/// <summary>A one-off poll of one user (after a full page or a long Retry-After).</summary>
public sealed class SpotifySyncUserJob(SpotifySyncService sync, SyncFollowUps followUps) : IJob
{
    public static readonly JobKey Key = new("spotify-sync-user", "spotify");
    public const string UserIdKey = "userId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var userId = context.MergedJobDataMap.GetLong(UserIdKey);
        var outcome = await sync.SyncUserAsync(userId, cancellationToken);
        await followUps.ScheduleAsync(context.Scheduler, outcome, cancellationToken);
    }
}

/// <summary>Decides when a user is polled again outside the 15-minute round.</summary>
public sealed class SyncFollowUps(IOptions<SpotifyOptions> options, TimeProvider time)
{
    public async Task ScheduleAsync(IScheduler scheduler, SyncOutcome outcome, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(outcome);
        var delay = options.Value.FullPageRequeueDelay;
        DateTimeOffset? at = outcome switch
        {
            // More plays may wait behind a full page: soon, with jitter so users spread out.
            { Status: SyncStatus.Synced, FullPage: true } => time.GetUtcNow() + delay + delay * Random.Shared.NextDouble(),
            // Only this user waits out a long Retry-After; the round goes on for everyone else.
            { Status: SyncStatus.RateLimited, RetryAt: { } retryAt } => retryAt + TimeSpan.FromSeconds(Random.Shared.Next(1, 30)),
            _ => null,
        };
        if (at is null)
        {
            return;
        }

        var trigger = TriggerBuilder.Create()
            .WithIdentity($"sync-user-{outcome.UserId}", "spotify")
            .ForJob(SpotifySyncUserJob.Key)
            .UsingJobData(SpotifySyncUserJob.UserIdKey, outcome.UserId)
            .StartAt(at.Value)
            .Build();
        await scheduler.ScheduleTrigger(trigger, TriggerConflict.KeepEarlier, ct);
    }
}
