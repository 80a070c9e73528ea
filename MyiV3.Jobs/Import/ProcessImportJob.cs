using Microsoft.Extensions.Logging;
using Quartz;

namespace MyiV3.Jobs.Import;

/// <summary>Processes one uploaded file. One import at a time, so the dashboard keeps a core while it runs.</summary>
[DisallowConcurrentExecution]
public sealed partial class ProcessImportJob(ImportProcessor processor, ILogger<ProcessImportJob> logger) : IJob
{
    public const string ImportJobIdKey = "importJobId";
    public static readonly JobKey Key = new("process-import", "import");

    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!context.MergedJobDataMap.TryGetValue(ImportJobIdKey, out var value) || value is null)
        {
            LogMissingId(logger);
            return;
        }

        await processor.ProcessAsync(Convert.ToInt64(value, System.Globalization.CultureInfo.InvariantCulture), cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "An import was triggered without an import job id")]
    private static partial void LogMissingId(ILogger logger);
}
