using MyiV3.Data.Entities;

namespace MyiV3.Jobs.Import;

/// <summary>Accepts an upload: streams it to disk (hashing as it goes), records a PENDING job, schedules processing.</summary>
public interface IImportService
{
    /// <exception cref="ImportRejectedException">The upload is refused (too large, empty, …); nothing was kept.</exception>
    Task<ImportJob> EnqueueAsync(long userId, string fileName, Stream content, CancellationToken ct);
}

/// <summary>An upload refused with a message a person can act on.</summary>
public sealed class ImportRejectedException : Exception
{
    public ImportRejectedException()
    {
    }

    public ImportRejectedException(string message)
        : base(message)
    {
    }

    public ImportRejectedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
