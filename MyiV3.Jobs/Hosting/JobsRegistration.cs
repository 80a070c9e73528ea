using Microsoft.Extensions.DependencyInjection;
using MyiV3.Jobs.Maintenance;
using MyiV3.Jobs.Metadata;
using MyiV3.Jobs.Sync;
using MyiV3.Jobs.TopStats;
using Quartz;

namespace MyiV3.Jobs.Hosting;

public static class JobsRegistration
{
    /// <summary>Every Quartz job and trigger of the app, registered in this one place.</summary>
    public static IServiceCollection AddMyiJobs(this IServiceCollection services)
    {
        services.AddQuartz(q =>
        {
            q.ScheduleJob<PartitionMaintenanceJob>(
                t => t.WithIdentity("partition-maintenance-daily", "maintenance")
                    .StartNow()
                    .WithSimpleSchedule(TimeSpan.FromHours(24)),
                j => j.WithIdentity(PartitionMaintenanceJob.Key).DisallowConcurrentExecution());

            // Spotify (services in SpotifyRegistration.AddMyiSpotify).
            q.ScheduleJob<SpotifySyncJob>(
                t => t.WithIdentity("spotify-sync-every-15-min", "spotify")
                    .StartNow()
                    .WithSimpleSchedule(TimeSpan.FromMinutes(15)),
                j => j.WithIdentity(SpotifySyncJob.Key).DisallowConcurrentExecution());
            q.AddJob<SpotifySyncUserJob>(j => j.WithIdentity(SpotifySyncUserJob.Key).StoreDurably());
            q.ScheduleJob<TopStatsJob>(
                t => t.WithIdentity("spotify-top-stats-hourly", "spotify")
                    .StartAt(DateTimeOffset.UtcNow.AddMinutes(2))
                    .WithSimpleSchedule(TimeSpan.FromHours(1)),
                j => j.WithIdentity(TopStatsJob.Key).DisallowConcurrentExecution());
            q.AddJob<TopStatsUserJob>(j => j.WithIdentity(TopStatsUserJob.Key).StoreDurably());
            q.ScheduleJob<MetadataRefreshJob>(
                t => t.WithIdentity("spotify-metadata-every-30-min", "spotify")
                    .StartAt(DateTimeOffset.UtcNow.AddMinutes(5))
                    .WithSimpleSchedule(TimeSpan.FromMinutes(30)),
                j => j.WithIdentity(MetadataRefreshJob.Key).DisallowConcurrentExecution());
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
