using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using MyiV3.Data.Ingestion;
using MyiV3.Jobs.Import;
using MyiV3.Jobs.Import.Parsers;
using MyiV3.Jobs.Maintenance;
using Quartz;

namespace MyiV3.Jobs.Hosting;

public static class JobsRegistration
{
    /// <summary>The import pipeline's services, without the scheduler (the command line uses these alone).</summary>
    public static IServiceCollection AddMyiImport(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddMyiIngestion();
        services.AddOptions<ImportOptions>().Bind(configuration.GetSection("Import"));
        services.AddSingleton(sp => (IngestionEngine)sp.GetRequiredService<IIngestionEngine>());
        services.AddSingleton<ImportStaging>();
        services.AddSingleton<HistoryReader>();
        // The reader's safety limits; a host (or a test) may register its own before this.
        services.TryAddSingleton(HistoryReaderOptions.Default);
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
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = false);
        return services;
    }
}
