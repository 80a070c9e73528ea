using MyiV3.Data.Entities;
using MyiV3.Data.Ingestion;

namespace MyiV3.Tests.Fixtures;

/// <summary>An import job whose plays are staged as the processor stages an upload, ready for the engine's prepare and apply.</summary>
public static class StagedImports
{
    public static async Task<long> StageAsync(TestDatabase db, long user, IReadOnlyList<PlayRecord> plays, CancellationToken ct)
    {
        long job;
        await using (var context = await db.Factory.CreateDbContextAsync(ct))
        {
            var row = new ImportJob { UserId = user, FileName = "test.json", ContentHash = new string('0', 64), FileSize = 1, Status = JobStatus.Processing };
            context.ImportJobs.Add(row);
            await context.SaveChangesAsync(ct);
            job = row.Id;
        }

        await using (var staged = await new ImportStaging(db.DataSource).BeginAsync(job, ct))
        {
            foreach (var p in plays)
            {
                staged.Write(p);
            }

            await staged.CompleteAsync(ct);
        }

        await db.ExecuteAsync("UPDATE import_jobs SET staged_rows = $2 WHERE id = $1", job, (long)plays.Count);
        return job;
    }
}
