using Microsoft.Extensions.Logging;
using MyiV3.Data.Entities;
using MyiV3.Data.Live;
using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// One engine for imports and sync. Per batch: stage the plays (binary COPY, or a slice of an
/// import's staging table), upsert the catalog (own transaction), then under the user's advisory
/// lock in one transaction: replace API estimates (imports only), insert events idempotently, move
/// every statistic by exactly what changed, and advance the import's checkpoint.
/// </summary>
public sealed partial class IngestionEngine(
    NpgsqlDataSource dataSource,
    TimeProvider time,
    IUserNotifier notifier,
    ILogger<IngestionEngine> logger) : IIngestionEngine
{
    private static readonly DateTimeOffset Earliest = new(2006, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly PartitionGuard _partitions = new(dataSource);

    public async Task<BatchResult> IngestAsync(long userId, PlaySource source, IReadOnlyList<PlayRecord> plays, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(plays);
        if (plays.Count == 0)
        {
            return default;
        }

        foreach (var p in plays)
        {
            if (p.MsPlayed < 0 || p.Artists.Count == 0 || string.IsNullOrWhiteSpace(p.TrackName))
            {
                throw new ArgumentException("Every play needs a track name, at least one artist and ms_played >= 0.", nameof(plays));
            }
        }

        var from = plays.Min(p => p.PlayedAt);
        var to = plays.Max(p => p.PlayedAt);
        return await RunAsync(userId, source, from, to, plays.Count,
            conn => StagingWriter.WriteAllAsync(conn, "ingest_stage", plays, ct), checkpoint: null, ct);
    }

    /// <summary>Applies staged rows (fromOrd, toOrd] of an import and advances its checkpoint in the same transaction.</summary>
    public async Task<BatchResult> ApplyStagedAsync(long userId, long importJobId, long fromOrd, long toOrd, CancellationToken ct)
    {
        var table = ImportStaging.TableName(importJobId);
        DateTimeOffset from, to;
        long count;
        await using (var cmd = dataSource.CreateCommand($"SELECT min(played_at), max(played_at), count(*) FROM {table} WHERE ord > $1 AND ord <= $2"))
        {
            cmd.Parameters.Add(new NpgsqlParameter { Value = fromOrd });
            cmd.Parameters.Add(new NpgsqlParameter { Value = toOrd });
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            count = reader.GetInt64(2);
            if (count == 0)
            {
                return default;
            }

            from = reader.GetFieldValue<DateTimeOffset>(0);
            to = reader.GetFieldValue<DateTimeOffset>(1);
        }

        return await RunAsync(userId, PlaySource.Import, from, to, (int)count,
            conn => SqlCommands.ExecAsync(conn,
                $"INSERT INTO ingest_stage ({StageTable.ColumnNames}) SELECT {StageTable.ColumnNames} FROM {table} WHERE ord > @from AND ord <= @to",
                ct, ("from", fromOrd), ("to", toOrd)),
            new Checkpoint(importJobId, toOrd), ct);
    }

    private sealed record Checkpoint(long ImportJobId, long AppliedRows);

    private async Task<BatchResult> RunAsync(
        long userId, PlaySource source, DateTimeOffset from, DateTimeOffset to, int count,
        Func<NpgsqlConnection, Task> fillStage, Checkpoint? checkpoint, CancellationToken ct)
    {
        if (from < Earliest || to > time.GetUtcNow().AddDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"{from:u} .. {to:u}", "A play must lie between 2006 and tomorrow.");
        }

        await _partitions.EnsureAsync(from, to, ct);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await SqlCommands.ExecAsync(conn, StageTable.CreateBatchStage + IngestionSql.Stage, ct);
        await fillStage(conn);
        await using (var catalogTx = await conn.BeginTransactionAsync(ct))
        {
            await SqlCommands.ExecAsync(conn, IngestionSql.Catalog, ct);
            await catalogTx.CommitAsync(ct);
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        await SqlCommands.LockUserAsync(conn, userId, ct);
        var zone = await SqlCommands.TimeZoneAsync(conn, userId, ct);
        await SqlCommands.ExecAsync(conn, IngestionSql.Delta, ct);

        var corrected = 0;
        if (source == PlaySource.Import && await HasApiPlaysAsync(conn, userId, from, to, ct))
        {
            corrected = await SqlCommands.ExecAsync(conn, IngestionSql.Correct, ct, ("user_id", userId), ("time_zone", zone));
        }

        var fresh = corrected == 0 && !await HasPlaysAsync(conn, userId, from, to, ct);
        var inserted = fresh
            ? await SqlCommands.ExecAsync(conn, IngestionSql.InsertFresh, ct, ("user_id", userId), ("source", source), ("time_zone", zone))
            : await SqlCommands.ExecAsync(conn, IngestionSql.Insert, ct,
                ("user_id", userId), ("source", source), ("is_api", source == PlaySource.Api), ("time_zone", zone));
        if (corrected > 0)
        {
            await SqlCommands.ExecAsync(conn, IngestionSql.ApplyRemovals, ct, ("user_id", userId));
        }

        // Also with nothing new: last_ingested_at records that the source was read.
        await SqlCommands.ExecAsync(conn, IngestionSql.ApplyAdditions, ct, ("user_id", userId), ("mark_ingested", true));
        if (corrected > 0)
        {
            await SqlCommands.ExecAsync(conn, IngestionSql.AfterRemovals, ct, ("user_id", userId));
        }

        var result = new BatchResult(inserted, count - inserted, corrected);
        if (checkpoint is not null)
        {
            await SqlCommands.ExecAsync(conn, """
                UPDATE import_jobs
                SET applied_rows = @applied, imported_rows = imported_rows + @inserted,
                    duplicate_rows = duplicate_rows + @duplicates, updated_at = now()
                WHERE id = @job_id
                """, ct, ("applied", checkpoint.AppliedRows), ("inserted", (long)result.Inserted),
                ("duplicates", (long)result.Duplicates), ("job_id", checkpoint.ImportJobId));
        }

        await tx.CommitAsync(ct);
        await SqlCommands.ExecAsync(conn, "DROP TABLE IF EXISTS ingest_stage, ingest_tracks", CancellationToken.None);

        LogBatch(logger, userId, source, count, result.Inserted, result.Duplicates, result.Corrected);
        if (inserted > 0)
        {
            notifier.Publish(new StatsChanged(userId, inserted - corrected));
        }

        return result;
    }

    private static async Task<bool> HasPlaysAsync(NpgsqlConnection conn, long userId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        await SqlCommands.ScalarAsync<bool>(conn, """
            SELECT EXISTS (SELECT 1 FROM listening_events WHERE user_id = @user_id AND played_at BETWEEN @from AND @to)
            """, ct, ("user_id", userId), ("from", from.AddHours(-1).ToUniversalTime()), ("to", to.AddHours(1).ToUniversalTime()));

    private static async Task<bool> HasApiPlaysAsync(NpgsqlConnection conn, long userId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        await SqlCommands.ScalarAsync<bool>(conn, """
            SELECT EXISTS (SELECT 1 FROM listening_events
                           WHERE user_id = @user_id AND source = 'API' AND played_at BETWEEN @from AND @to)
            """, ct, ("user_id", userId), ("from", from.AddDays(-1).ToUniversalTime()), ("to", to.AddDays(1).ToUniversalTime()));

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId}: {Source} batch of {Count}: {Inserted} inserted, {Duplicates} duplicates, {Corrected} API plays corrected")]
    private static partial void LogBatch(ILogger logger, long userId, PlaySource source, int count, int inserted, int duplicates, int corrected);
}
