using Microsoft.Extensions.Logging;
using MyiV3.Data.Entities;
using MyiV3.Data.Live;
using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// One engine for imports and sync. Per batch: binary COPY into staging, catalog upsert (own
/// transaction), then under the user's advisory lock in one transaction: replace API estimates
/// (imports only), insert events idempotently, and move every statistic by exactly what changed.
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

        var (from, to) = Validate(plays);
        await _partitions.EnsureAsync(from, to, ct);

        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await SqlCommands.ExecAsync(conn, IngestionSql.Stage, ct);
        await StagingWriter.WriteAsync(conn, plays, ct);
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

        var inserted = await SqlCommands.ExecAsync(conn, IngestionSql.Insert, ct,
            ("user_id", userId), ("source", source), ("is_api", source == PlaySource.Api), ("time_zone", zone));
        if (corrected > 0)
        {
            await SqlCommands.ExecAsync(conn, IngestionSql.ApplyRemovals, ct, ("user_id", userId));
        }

        // Also with nothing new: the totals stay, and last_ingested_at records that sync looked.
        await SqlCommands.ExecAsync(conn, IngestionSql.ApplyAdditions, ct, ("user_id", userId), ("mark_ingested", true));
        if (corrected > 0)
        {
            await SqlCommands.ExecAsync(conn, IngestionSql.AfterRemovals, ct, ("user_id", userId));
        }

        await tx.CommitAsync(ct);
        await SqlCommands.ExecAsync(conn, "DROP TABLE IF EXISTS ingest_stage, ingest_tracks", CancellationToken.None);

        var result = new BatchResult(inserted, plays.Count - inserted, corrected);
        LogBatch(logger, userId, source, plays.Count, result.Inserted, result.Duplicates, result.Corrected);
        if (inserted > 0)
        {
            notifier.Publish(new StatsChanged(userId, inserted - corrected));
        }

        return result;
    }

    private (DateTimeOffset From, DateTimeOffset To) Validate(IReadOnlyList<PlayRecord> plays)
    {
        var latest = time.GetUtcNow().AddDays(1);
        var from = DateTimeOffset.MaxValue;
        var to = DateTimeOffset.MinValue;
        foreach (var p in plays)
        {
            if (p.PlayedAt < Earliest || p.PlayedAt > latest)
            {
                throw new ArgumentOutOfRangeException(nameof(plays), p.PlayedAt, "A play must lie between 2006 and tomorrow.");
            }

            if (p.MsPlayed < 0 || p.Artists.Count == 0 || string.IsNullOrWhiteSpace(p.TrackName))
            {
                throw new ArgumentException("Every play needs a track name, at least one artist and ms_played >= 0.", nameof(plays));
            }

            from = p.PlayedAt < from ? p.PlayedAt : from;
            to = p.PlayedAt > to ? p.PlayedAt : to;
        }

        return (from, to);
    }

    private static async Task<bool> HasApiPlaysAsync(NpgsqlConnection conn, long userId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        await SqlCommands.ScalarAsync<bool>(conn, """
            SELECT EXISTS (SELECT 1 FROM listening_events
                           WHERE user_id = @user_id AND source = 'API' AND played_at BETWEEN @from AND @to)
            """, ct, ("user_id", userId), ("from", from.AddDays(-1).ToUniversalTime()), ("to", to.AddDays(1).ToUniversalTime()));

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId}: {Source} batch of {Count}: {Inserted} inserted, {Duplicates} duplicates, {Corrected} API plays corrected")]
    private static partial void LogBatch(ILogger logger, long userId, PlaySource source, int count, int inserted, int duplicates, int corrected);
}
