using Microsoft.Extensions.DependencyInjection;
using MyiV3.Jobs.Maintenance;
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
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }
}
