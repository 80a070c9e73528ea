using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MyiV3.Data;
using Quartz;

namespace MyiV3.Jobs.Maintenance;

/// <summary>Keeps the current month's and the next three months' event partitions in place.</summary>
[DisallowConcurrentExecution]
public sealed partial class PartitionMaintenanceJob(
    IDbContextFactory<MyiDbContext> dbFactory,
    TimeProvider time,
    ILogger<PartitionMaintenanceJob> logger) : IJob
{
    public static readonly JobKey Key = new("partition-maintenance", "maintenance");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var created = await db.Database
            .SqlQuery<int>($"SELECT ensure_listening_event_partitions({now}, {now.AddMonths(3)}) AS \"Value\"")
            .SingleAsync(cancellationToken);
        LogEnsured(logger, created);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Partition maintenance created {Created} new listening_events partitions")]
    private static partial void LogEnsured(ILogger logger, int created);
}
