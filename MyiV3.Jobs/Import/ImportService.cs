using MyiV3.Data.Entities;
using Quartz;

namespace MyiV3.Jobs.Import;

/// <summary>Accepts an upload into the store and schedules its processing.</summary>
public sealed class ImportService(UploadStore store, ISchedulerFactory schedulers) : IImportService
{
    public async Task<ImportJob> EnqueueAsync(long userId, string fileName, Stream content, CancellationToken ct)
    {
        var job = await store.StoreAsync(userId, fileName, content, ct);
        var scheduler = await schedulers.GetScheduler(ct);
        await scheduler.TriggerJob(ProcessImportJob.Key, new JobDataMap { [ProcessImportJob.ImportJobIdKey] = job.Id }, ct);
        return job;
    }
}
