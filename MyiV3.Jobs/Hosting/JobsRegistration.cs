using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Import;
using MyiV3.Jobs.Import.Parsers;
using MyiV3.Jobs.Maintenance;
using MyiV3.Jobs.Metadata;
using MyiV3.Jobs.Sync;
using MyiV3.Jobs.TopStats;
using Quartz;

namespace MyiV3.Jobs.Hosting;

public static class JobsRegistration
{
    /// <summary>The import pipeline's services, without the scheduler (the command line uses these alone).</summary>
    public static IServiceCollection AddMyiImport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMyiIngestion();
        services.AddOptions<ImportOptions>().Bind(configuration.GetSection("Import"))
            .Validate(o => o.BatchSize is >= ImportOptions.MinBatchSize and <= ImportOptions.MaxBatchSize,
                $"Import:BatchSize must be between {ImportOptions.MinBatchSize} and {ImportOptions.MaxBatchSize} plays per transaction.")
            .Validate(o => o.MaxUploadBytes > 0, "Import:MaxUploadBytes must be a positive number of bytes.")
            .ValidateOnStart();
        services.AddSingleton(sp => (IngestionEngine)sp.GetRequiredService<IIngestionEngine>());
        services.AddSingleton<ImportStaging>();
        services.AddSingleton<HistoryReader>();
        // The reader's safety limits; a host (or a test) may register its own before this.
        services.TryAddSingleton(HistoryReaderOptions.Default);
        // An import merges the provisional tracks that an export of this or another upload names as real ones.
        services.TryAddTransient<ProvisionalMerger>();
        services.AddTransient<ImportProcessor>();
        services.AddSingleton<UploadStore>();
        return services;
    }

    /// <summary>Every Quartz job and trigger of the app, registered in this one place.</summary>
    public static IServiceCollection AddMyiJobs(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMyiImport(configuration);
        services.AddSingleton<IImportService, ImportService>();
        services.AddQuartz(q =>
        {
            q.ScheduleJob<PartitionMaintenanceJob>(
                t => t.WithIdentity("partition-maintenance-daily", "maintenance")
                    .StartNow()
                    .WithSimpleSchedule(TimeSpan.FromHours(24)),
                j => j.WithIdentity(PartitionMaintenanceJob.Key).DisallowConcurrentExecution());
            q.AddJob<ProcessImportJob>(j => j.WithIdentity(ProcessImportJob.Key).StoreDurably().DisallowConcurrentExecution());
            q.ScheduleJob<ResumeImportsJob>(
                t => t.WithIdentity("resume-imports-at-start", "import").StartNow(),
                j => j.WithIdentity(ResumeImportsJob.Key));

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
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        return services;
    }
}
