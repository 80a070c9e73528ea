using Microsoft.Extensions.Logging;
using MyiV3.Jobs.Spotify;
using Quartz;

namespace MyiV3.Jobs.TopStats;

/// <summary>Hourly: refresh the top lists of every user whose tier says they are due.</summary>
[DisallowConcurrentExecution]
public sealed partial class TopStatsJob(TopStatsService service, ILogger<TopStatsJob> logger) : IJob
{
    public static readonly JobKey Key = new("spotify-top-stats", "spotify");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        foreach (var userId in await service.DueUsersAsync(cancellationToken))
        {
            try
            {
                await service.RefreshUserAsync(userId, cancellationToken);
            }
            catch (SpotifyException ex)
            {
                // One user's failure (rate limit, revoked token) never stops the others; next hour retries.
                LogFailed(logger, userId, ex.Kind);
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Top lists of user {UserId} not refreshed: {Kind}")]
    private static partial void LogFailed(ILogger logger, long userId, SpotifyErrorKind kind);
}

/// <summary>A one-off refresh for one user (a dashboard visit found the lists stale).</summary>
public sealed partial class TopStatsUserJob(TopStatsService service, ILogger<TopStatsUserJob> logger) : IJob
{
    public static readonly JobKey Key = new("spotify-top-stats-user", "spotify");
    public const string UserIdKey = "userId";

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var userId = context.MergedJobDataMap.GetLong(UserIdKey);
        try
        {
            await service.RefreshUserAsync(userId, cancellationToken);
        }
        catch (SpotifyException ex)
        {
            LogFailed(logger, userId, ex.Kind);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "On-demand top lists of user {UserId} not refreshed: {Kind}")]
    private static partial void LogFailed(ILogger logger, long userId, SpotifyErrorKind kind);
}
