using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using MyiV3.Data;
using MyiV3.Data.Entities;
using Quartz;

namespace MyiV3.Jobs.Import;

/// <summary>At start-up: imports left PENDING or PROCESSING by a previous process are picked up again.</summary>
public sealed partial class ResumeImportsJob(IDbContextFactory<MyiDbContext> dbFactory, ILogger<ResumeImportsJob> logger) : IJob
{
    public static readonly JobKey Key = new("resume-imports", "import");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var unfinished = await db.ImportJobs.AsNoTracking()
            .Where(j => j.Status == JobStatus.Pending || j.Status == JobStatus.Processing)
            .OrderBy(j => j.Id)
            .Select(j => j.Id)
            .ToListAsync(cancellationToken);
        foreach (var id in unfinished)
        {
            LogResuming(logger, id);
            await context.Scheduler.TriggerJob(ProcessImportJob.Key, new JobDataMap { [ProcessImportJob.ImportJobIdKey] = id }, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Resuming import {ImportJobId} left unfinished by the previous run")]
    private static partial void LogResuming(ILogger logger, long importJobId);
}
