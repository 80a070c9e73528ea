using Microsoft.EntityFrameworkCore;
using MyiV3.Data;
using MyiV3.Data.Entities;

namespace MyiV3.Web.Features.Import;

/// <summary>A user's import jobs, newest first (the (user_id, created_at DESC) index).</summary>
public sealed class ImportJobsQuery(IDbContextFactory<MyiDbContext> factory)
{
    public async Task<List<ImportJob>> RecentAsync(long userId, int limit, CancellationToken ct)
    {
        await using var db = await factory.CreateDbContextAsync(ct);
        return await db.ImportJobs.AsNoTracking()
            .Where(j => j.UserId == userId)
            .OrderByDescending(j => j.CreatedAt).ThenByDescending(j => j.Id)
            .Take(limit)
            .ToListAsync(ct);
    }
}
