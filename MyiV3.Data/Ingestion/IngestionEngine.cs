using System.Globalization;
using System.Runtime.CompilerServices;
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

    // An API play and an imported one are the same play when the API's time lies within ClockSkew of
    // the import's end or start (03_Correct.sql, 04_Insert.sql); an imported play is looked for up to
    // LongestPlay after an API play. One definition for the SQL and for the plain-INSERT check below.
    private static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan LongestPlay = TimeSpan.FromHours(6);

    // An account-data play and its extended twin lie in minutes at most one apart (03_Twins.sql): a
    // batch looks that far past its own range for the other side.
    private static readonly TimeSpan TwinReach = TimeSpan.FromMinutes(2);
    private readonly PartitionGuard _partitions = new(dataSource);
    private readonly ReferenceLocks _references = new();

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
        var accountRows = source == PlaySource.Import && plays.Any(p => p.TrackSpotifyId is null && p.Platform is null && p.ReasonStart is null);
        return await RunAsync(userId, source, from, to, plays.Count, accountRows, new BatchInput(
            async conn =>
            {
                await SqlCommands.ExecAsync(conn, StageTable.CreateBatchStage + IngestionSql.Stage, ct);
                await StagingWriter.WriteAllAsync(conn, "ingest_stage", "ingest_tracks", plays, ct);
                await CatalogStep.RunAsync(conn, _references, "ingest_tracks", ct);
            }, InTransaction: null, BeforeCommit: null), checkpoint: null, ct);
    }

    /// <summary>
    /// Readies a staged import for its batches, once, with two pieces of work on two connections at
    /// the same time (the machine's cores, not one backend, are the limit here): the month partitions
    /// of the whole range and then the catalog of every distinct track in the file (its own
    /// transaction; catalog rows are global and harmless if the import then fails), and the rows in
    /// time order, cut into slices of <paramref name="batchSize"/> after the first <paramref name="appliedRows"/>.
    /// </summary>
    /// <remarks>
    /// Time order, not file order: Spotify's files overlap in time, so slices in file order overlap
    /// too and each needs the conflict-checking insert; slices in time order meet only at their
    /// edges, so on a first import every batch finds its range empty and takes the plain INSERT
    /// (and open dashboards fill in from the oldest month on). Rows are ranked by (played_at, ord),
    /// which is deterministic for the same file, so <paramref name="appliedRows"/> — the count of
    /// rows applied so far — says exactly which rows a resumed import still has to apply.
    /// </remarks>
    public async Task<IReadOnlyList<StagedSlice>> PrepareImportAsync(long importJobId, long appliedRows, int batchSize, CancellationToken ct)
    {
        var plan = new ImportPlan(dataSource, _references, importJobId);
        var range = await plan.RangeAsync(ct);
        if (range is not var (from, to, rows, accountRows))
        {
            return [];
        }

        CheckRange(from, to);
        var slices = plan.SliceAsync(rows, appliedRows, batchSize, accountRows, ct);
        // Creating a partition locks tracks against the catalog's writes (its foreign key): the
        // catalog runs once the partitions are there (mostly made while the rows streamed in).
        var catalog = CatalogAfterPartitionsAsync(plan, from, to, ct);
        await Task.WhenAll(slices, catalog);
        return await slices;
    }

    private async Task CatalogAfterPartitionsAsync(ImportPlan plan, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        await _partitions.EnsureAsync(from, to, ct);
        await plan.CatalogAsync(ct);
    }

    /// <summary>
    /// Applies one slice of a prepared import (see <see cref="PrepareImportAsync"/>) and advances
    /// its checkpoint in the same transaction. The slice is read in place, through temporary views
    /// that exist only inside that transaction.
    /// </summary>
    public Task<BatchResult> ApplyStagedAsync(long userId, long importJobId, StagedSlice slice, CancellationToken ct) =>
        ApplyStagedAsync(userId, importJobId, slice, prepared: null, after: null, ct);

    /// <summary>
    /// Applies the slices of a prepared import in order, each committed with its checkpoint (see
    /// <see cref="ApplyStagedAsync(long, long, StagedSlice, CancellationToken)"/>), while the next
    /// slice is made ready on another connection (<see cref="PreparedSlice"/>) and, where the two
    /// slices cannot meet, the next batch's events go in while this batch writes its statistics.
    /// </summary>
    /// <remarks>
    /// One batch transaction keeps one backend, so one core, busy; the other core prepares the next
    /// slice and writes the next batch's events. The batches stay one transaction each and commit in
    /// order: the next one waits for this one's commit before it touches a statistic or the
    /// checkpoint. They share the user's lock while this import holds its <see cref="ImportLock"/>.
    /// </remarks>
    public async IAsyncEnumerable<BatchResult> ApplyStagedAsync(
        long userId, long importJobId, IReadOnlyList<StagedSlice> slices, [EnumeratorCancellation] CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(slices);
        if (slices.Count == 0)
        {
            yield break;
        }

        await using var importLock = await ImportLock.HoldAsync(dataSource, userId, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var next = PrepareAsync(userId, importJobId, slices[0], stop.Token);
        Task<BatchResult>? running = null;
        Task? runningLocked = null;
        try
        {
            for (var i = 0; i < slices.Count; i++)
            {
                var previous = running;
                var overlap = previous is not null && OverlapBatches && Apart(slices[i - 1], slices[i]);
                if (previous is not null && !overlap)
                {
                    // One after the other, as the caller sees them: this batch, and the preparation of the next,
                    // start once the caller has the last one's result.
                    running = null;
                    yield return await previous;
                    previous = null;
                }

                var prepared = await next!;
                next = i + 1 < slices.Count ? PrepareAsync(userId, importJobId, slices[i + 1], stop.Token) : null;
                var after = new BatchOrder(previous, runningLocked);
                running = ApplyPreparedAsync(userId, importJobId, slices[i], prepared, after, stop.Token);
                runningLocked = after.Locked;
                if (previous is not null)
                {
                    yield return await previous;
                }
            }

            var last = running!;
            running = null;
            yield return await last;
        }
        finally
        {
            if (running is not null)
            {
                // Left early (a failure, or the caller stopped reading): the batch in flight must not commit unseen.
                await stop.CancelAsync();
                await Task.WhenAny(running);
            }

            if (next is not null && await next is { } unused)
            {
                await unused.DropAsync(dataSource);
            }
        }
    }

    /// <summary>Whether the next batch may write its events while the one before is still open (see <see cref="Apart"/>); tests turn it off to make batches strictly one after another.</summary>
    internal bool OverlapBatches { get; init; } = true;

    /// <summary>
    /// Whether a batch of <paramref name="second"/> can write its events before the batch of <paramref name="first"/> has
    /// committed without either meeting the other's rows: no play of the first lies in any range the second looks at
    /// before it writes (its own, or two minutes wider for an account-data play's twin, 03_Twins.sql). Then their keys
    /// differ too, so neither waits for the other inside PostgreSQL while the second waits for the first's commit here.
    /// </summary>
    private static bool Apart(StagedSlice first, StagedSlice second) =>
        first.To + (first.AccountRows || second.AccountRows ? TwinReach : TimeSpan.Zero) < second.From;

    private async Task<BatchResult> ApplyPreparedAsync(long userId, long importJobId, StagedSlice slice, PreparedSlice? prepared, BatchOrder after, CancellationToken ct)
    {
        try
        {
            return await ApplyStagedAsync(userId, importJobId, slice, prepared, after, ct);
        }
        finally
        {
            after.HasLocked();
            if (prepared is not null)
            {
                await prepared.DropAsync(dataSource);
            }
        }
    }

    /// <summary>A slice made ready ahead, or null when that failed: the batch then does the work itself.</summary>
    private async Task<PreparedSlice?> PrepareAsync(long userId, long importJobId, StagedSlice slice, CancellationToken ct)
    {
        try
        {
            return await PreparedSlice.PrepareAsync(dataSource, userId, importJobId, slice, ct);
        }
        catch (Exception ex) when (ex is NpgsqlException or InvalidOperationException)
        {
            LogPrepareFailed(logger, ex, importJobId, slice.FirstRank);
            return null;
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private async Task<BatchResult> ApplyStagedAsync(long userId, long importJobId, StagedSlice slice, PreparedSlice? prepared, BatchOrder? after, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(slice);
        try
        {
            return await RunAsync(userId, PlaySource.Import, slice.From, slice.To, slice.Count, slice.AccountRows,
                new BatchInput(BeforeTransaction: null, InTransaction: SliceViews(importJobId, slice), BeforeCommit: "DROP VIEW ingest_stage, ingest_tracks;", prepared),
                new Checkpoint(importJobId, slice.LastRank), ct, after);
        }
        catch (PostgresException ex) when (ex.SqlState == PostgresErrorCodes.ForeignKeyViolation
                                           && ex.ConstraintName?.Contains("_tracks_", StringComparison.Ordinal) == true)
        {
            // A role that writes through the foreign-key triggers meets a vanished track here
            // instead of in the set-based reference check: the same case, the same remedy.
            throw new CatalogChangedException($"A track of the batch left the catalog ({ex.ConstraintName}): the batch was not written.", ex);
        }
    }

    /// <summary>The temporary views through which a batch (and its preparation) reads an import's slice.</summary>
    /// <remarks>
    /// The slice is a range of (played_at, ord) read from the staged rows as they are: scanning the
    /// whole table per slice costs less than writing it once more in order.
    /// </remarks>
    internal static string SliceViews(long importJobId, StagedSlice slice) => string.Create(CultureInfo.InvariantCulture, $"""
        CREATE TEMP VIEW ingest_stage AS SELECT {StageTable.ColumnNames} FROM {ImportStaging.TableName(importJobId)}
            WHERE (played_at, ord) >= ('{slice.From.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'::timestamptz, {slice.FirstOrd})
              AND (played_at, ord) <= ('{slice.To.UtcDateTime:yyyy-MM-dd HH:mm:ss.ffffff}+00'::timestamptz, {slice.LastOrd});
        CREATE TEMP VIEW ingest_tracks AS SELECT * FROM {ImportStaging.TracksTableName(importJobId)};
        """);

    private sealed record Checkpoint(long ImportJobId, long AppliedRows);

    /// <summary>
    /// Where a batch's ingest_stage and ingest_tracks come from: filled and cataloged before the
    /// transaction (sync), or views over a prepared import created inside it.
    /// </summary>
    private sealed record BatchInput(Func<NpgsqlConnection, Task>? BeforeTransaction, string? InTransaction, string? BeforeCommit, PreparedSlice? Prepared = null);

    private void CheckRange(DateTimeOffset from, DateTimeOffset to)
    {
        if (from < Earliest || to > time.GetUtcNow().AddDays(1))
        {
            throw new ArgumentOutOfRangeException(nameof(from), $"{from:u} .. {to:u}", "A play must lie between 2006 and tomorrow.");
        }
    }

    /// <param name="accountRows">The batch may hold account-data plays whose extended twin is stored (03_Twins.sql).</param>
    private async Task<BatchResult> RunAsync(
        long userId, PlaySource source, DateTimeOffset from, DateTimeOffset to, int count, bool accountRows,
        BatchInput input, Checkpoint? checkpoint, CancellationToken ct, BatchOrder? after = null)
    {
        CheckRange(from, to);
        await _partitions.EnsureAsync(from, to, ct);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        if (input.BeforeTransaction is { } before)
        {
            await before(conn);
        }

        await using var tx = await conn.BeginTransactionAsync(ct);
        // Every write before the join below is this batch's own events: nothing another batch of the
        // import, still open, reads or writes (see Apart). Everything else waits for that batch's commit.
        Task JoinPreviousAsync() => after?.JoinAsync() ?? Task.CompletedTask;
        if (after is null)
        {
            await SqlCommands.LockUserAsync(conn, userId, ct);
        }
        else
        {
            await after.BeforeLockAsync();
            await SqlCommands.LockUserSharedAsync(conn, userId, ct);
            after.HasLocked();
        }

        if (checkpoint is not null)
        {
            // An import batch commits with its checkpoint: should a crash lose the last commits
            // (at most wal_writer_delay × 3), the job resumes from the checkpoint they carried and
            // applies those rows again. So it need not wait for its commit to reach the disk.
            await SqlCommands.ExecAsync(conn, "SET LOCAL synchronous_commit = off", ct);
        }

        if (input.InTransaction is { } attach)
        {
            await SqlCommands.ExecAsync(conn, attach, ct);
        }

        var triggerless = await _references.BeginAsync(conn, ct);
        var (zone, excludeIncognito) = await SqlCommands.StatsSettingsAsync(conn, userId, ct);
        await SqlCommands.ExecAsync(conn, IngestionSql.Delta, ct);

        var corrected = 0;
        if (source == PlaySource.Import && await HasApiPlaysAsync(conn, userId, from, to, ct))
        {
            await JoinPreviousAsync();
            corrected = await SqlCommands.ExecAsync(conn, IngestionSql.Correct, ct,
                ("user_id", userId), ("time_zone", zone), ("exclude_incognito", excludeIncognito), ("clock_skew", ClockSkew));
        }

        if (source == PlaySource.Import && await HasMinutePlaysAsync(conn, userId, from - TwinReach, to + TwinReach, ct))
        {
            await JoinPreviousAsync();
            corrected += await SqlCommands.ExecAsync(conn, IngestionSql.Twins, ct,
                ("user_id", userId), ("time_zone", zone), ("exclude_incognito", excludeIncognito));
        }

        // An account-data play's extended twin may lie just outside the batch's range.
        var (reachFrom, reachTo) = accountRows ? (from - TwinReach, to + TwinReach) : (from, to);
        var fresh = corrected == 0 && !await HasPlaysAsync(conn, userId, source, reachFrom, reachTo, ct);
        var usePrepared = fresh && input.Prepared is { } p && p.TimeZone == zone && p.ExcludeIncognito == excludeIncognito;
        if (usePrepared)
        {
            LogUsingPrepared(logger, userId, from, to);
            if (after?.Previous is { IsCompleted: false })
            {
                LogOverlapping(logger, userId, from, to);
            }
        }
        else
        {
            await JoinPreviousAsync();
        }

        // Before the first write that references anything (the correction above only deletes).
        if (triggerless)
        {
            await ReferenceLocks.LockAsync(conn, userId, usePrepared ? input.Prepared!.TracksQuery : ReferenceLocks.StagedTracks, ct);
        }

        var inserted = usePrepared
            ? await SqlCommands.ExecAsync(conn, input.Prepared!.Sql(IngestionSql.InsertPrepared), ct, ("user_id", userId))
            : fresh
            ? await SqlCommands.ExecAsync(conn, IngestionSql.InsertFresh, ct,
                ("user_id", userId), ("source", source), ("time_zone", zone), ("exclude_incognito", excludeIncognito))
            : await SqlCommands.ExecAsync(conn, IngestionSql.Insert, ct,
                ("user_id", userId), ("source", source), ("is_api", source == PlaySource.Api), ("time_zone", zone), ("exclude_incognito", excludeIncognito),
                ("clock_skew", ClockSkew), ("longest_play", LongestPlay), ("twins", accountRows));
        await JoinPreviousAsync();
        if (corrected > 0)
        {
            await SqlCommands.ExecAsync(conn, IngestionSql.ApplyRemovals, ct, ("user_id", userId));
        }

        // Also with nothing new: last_ingested_at records that the source was read.
        if (!usePrepared)
        {
            await SqlCommands.ExecAsync(conn, IngestionSql.Sums, ct);
        }

        await SqlCommands.ExecAsync(conn, IngestionSql.ApplyAdditions, ct, ("user_id", userId), ("mark_ingested", true));
        await SqlCommands.ExecAsync(conn, MonthArrays.ApplyDelta, ct, ("user_id", userId));
        if (corrected > 0)
        {
            await SqlCommands.ExecAsync(conn, IngestionSql.AfterRemovals, ct, ("user_id", userId), ("exclude_incognito", excludeIncognito));
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

        if (input.BeforeCommit is { } detach)
        {
            await SqlCommands.ExecAsync(conn, usePrepared ? detach + "DROP VIEW ingest_track_months, ingest_hours;" : detach, ct);
        }

        await tx.CommitAsync(ct);
        if (input.BeforeTransaction is not null)
        {
            await SqlCommands.ExecAsync(conn, "DROP TABLE IF EXISTS ingest_stage, ingest_tracks", CancellationToken.None);
        }

        LogBatch(logger, userId, source, count, result.Inserted, result.Duplicates, result.Corrected);
        if (inserted > 0)
        {
            notifier.Publish(new StatsChanged(userId, inserted - corrected));
        }

        return result;
    }

    /// <summary>
    /// Whether a stored event could meet this batch's plays: one with the same key (only inside the
    /// batch's own range), or, for an API batch, an imported play that the API play may repeat —
    /// 04_Insert.sql looks for those from <see cref="ClockSkew"/> before to <see cref="LongestPlay"/>
    /// after each API play. Without such an event the batch goes in as a plain INSERT.
    /// </summary>
    private static async Task<bool> HasPlaysAsync(NpgsqlConnection conn, long userId, PlaySource source, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        // An API play looks a minute further back for an account-data play, whose end is known to the minute.
        var (lookBack, lookAhead) = source == PlaySource.Api ? (ClockSkew + TimeSpan.FromMinutes(1), LongestPlay) : (TimeSpan.Zero, TimeSpan.Zero);
        return await SqlCommands.ScalarAsync<bool>(conn, """
            SELECT EXISTS (SELECT 1 FROM listening_events WHERE user_id = @user_id AND played_at BETWEEN @from AND @to)
            """, ct, ("user_id", userId), ("from", (from - lookBack).ToUniversalTime()), ("to", (to + lookAhead).ToUniversalTime()));
    }

    /// <summary>Whether the user has imported minute-precision (account-data) plays in the range: one probe of their partial index.</summary>
    private static async Task<bool> HasMinutePlaysAsync(NpgsqlConnection conn, long userId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        await SqlCommands.ScalarAsync<bool>(conn, """
            SELECT EXISTS (SELECT 1 FROM listening_events
                           WHERE user_id = @user_id AND source = 'IMPORT' AND platform IS NULL AND reason_start IS NULL
                             AND played_at BETWEEN @from AND @to)
            """, ct, ("user_id", userId), ("from", from.ToUniversalTime()), ("to", to.ToUniversalTime()));

    private static async Task<bool> HasApiPlaysAsync(NpgsqlConnection conn, long userId, DateTimeOffset from, DateTimeOffset to, CancellationToken ct) =>
        await SqlCommands.ScalarAsync<bool>(conn, """
            SELECT EXISTS (SELECT 1 FROM listening_events
                           WHERE user_id = @user_id AND source = 'API' AND played_at BETWEEN @from AND @to)
            """, ct, ("user_id", userId), ("from", from.AddDays(-1).ToUniversalTime()), ("to", to.AddDays(1).ToUniversalTime()));

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId}: the import batch {From} .. {To} uses the slice made ready ahead")]
    private static partial void LogUsingPrepared(ILogger logger, long userId, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId}: the import batch {From} .. {To} writes its events while the batch before commits")]
    private static partial void LogOverlapping(ILogger logger, long userId, DateTimeOffset from, DateTimeOffset to);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Import {ImportJobId}: preparing the slice from rank {FirstRank} ahead failed; its batch does the work itself")]
    private static partial void LogPrepareFailed(ILogger logger, Exception exception, long importJobId, long firstRank);

    [LoggerMessage(Level = LogLevel.Debug, Message = "User {UserId}: {Source} batch of {Count}: {Inserted} inserted, {Duplicates} duplicates, {Corrected} API plays corrected")]
    private static partial void LogBatch(ILogger logger, long userId, PlaySource source, int count, int inserted, int duplicates, int corrected);
}
