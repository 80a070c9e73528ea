using Quartz;

namespace MyiV3.Jobs.Metadata;

/// <summary>Every 30 minutes: a bounded batch of due catalog entities (about a third of a minute's budget).</summary>
[DisallowConcurrentExecution]
public sealed class MetadataRefreshJob(MetadataRefreshService service) : IJob
{
    public static readonly JobKey Key = new("spotify-metadata", "spotify");
    public const int BatchSize = 50;

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default) =>
        await service.RefreshDueAsync(BatchSize, cancellationToken);
}
