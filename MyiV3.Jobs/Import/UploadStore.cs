using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using MyiV3.Data;
using MyiV3.Data.Entities;
using MyiV3.Data.Live;

namespace MyiV3.Jobs.Import;

/// <summary>Streams an upload to disk while hashing it and records its PENDING import job.</summary>
public sealed class UploadStore(
    IDbContextFactory<MyiDbContext> dbFactory,
    IOptions<ImportOptions> options,
    IUserNotifier notifier,
    TimeProvider time)
{
    /// <summary>Stores the upload and records its PENDING job; scheduling is the caller's (the command line processes it at once).</summary>
    public async Task<ImportJob> StoreAsync(long userId, string fileName, Stream content, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(content);
        var limit = options.Value.MaxUploadBytes;
        var directory = options.Value.StorageDirectory;
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, $"{Guid.NewGuid():N}.upload");
        long size = 0;
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = ArrayPool<byte>.Shared.Rent(128 * 1024);
        try
        {
            await using var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.Asynchronous);
            int read;
            while ((read = await content.ReadAsync(buffer, ct)) > 0)
            {
                size += read;
                if (size > limit)
                {
                    throw new ImportRejectedException(
                        $"{SafeName(fileName)} is larger than the upload limit of {FormatBytes(limit)}. Upload the ZIP Spotify sent, or its JSON files one by one.");
                }

                hash.AppendData(buffer, 0, read);
                await file.WriteAsync(buffer.AsMemory(0, read), ct);
            }
        }
        catch
        {
            File.Delete(path);
            throw;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }

        return await RecordAsync(userId, SafeName(fileName), size, hash.GetHashAndReset(), path, ct);
    }

    /// <summary>
    /// Records a PENDING job for a file already on this machine (the command line): it is imported
    /// where it lies, never copied, never deleted, and not subject to the upload limit.
    /// </summary>
    public async Task<ImportJob> RegisterLocalFileAsync(long userId, string path, CancellationToken ct)
    {
        var full = Path.GetFullPath(path);
        byte[] hash;
        await using (var file = new FileStream(full, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan))
        {
            hash = await SHA256.HashDataAsync(file, ct);
        }

        return await RecordAsync(userId, SafeName(Path.GetFileName(full)), new FileInfo(full).Length, hash, full, ct);
    }

    private async Task<ImportJob> RecordAsync(long userId, string fileName, long size, byte[] sha256, string path, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var job = new ImportJob
        {
            UserId = userId,
            FileName = fileName,
            FileSize = size,
            ContentHash = Convert.ToHexStringLower(sha256),
            StoragePath = path,
            Status = JobStatus.Pending,
            CreatedAt = now,
            UpdatedAt = now,
        };
        await using var db = await dbFactory.CreateDbContextAsync(ct);
        db.ImportJobs.Add(job);
        await db.SaveChangesAsync(ct);
        notifier.Publish(new ImportProgressed(userId, job.Id));
        return job;
    }

    /// <summary>Only the last path segment, printable, at most 200 characters: a name to show, never a path to use.</summary>
    public static string SafeName(string? fileName)
    {
        var name = Path.GetFileName((fileName ?? "").Replace('\\', '/'));
        name = new string(name.Where(c => !char.IsControl(c)).ToArray()).Trim();
        if (name.Length == 0)
        {
            name = "upload";
        }

        return name.Length > 200 ? name[..200] : name;
    }

    /// <summary>A byte count as a person reads it, in the largest whole unit: 1 GB, 1.5 GB, 300 MB, 12 KB, 512 bytes.</summary>
    public static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MB"),
        >= 1L << 10 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 10):0.#} KB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes} bytes"),
    };
}
