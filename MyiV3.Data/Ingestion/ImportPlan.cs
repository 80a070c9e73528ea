using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// The once-per-import work between staging and the first batch, each step on a connection of its
/// own so that they run side by side: the catalog of the file's distinct tracks, and the slices of
/// its rows in time order that the batches apply.
/// </summary>
internal sealed class ImportPlan(NpgsqlDataSource dataSource, ReferenceLocks references, long importJobId)
{
    private readonly string _rows = ImportStaging.TableName(importJobId);
    private readonly string _tracks = ImportStaging.TracksTableName(importJobId);

    /// <summary>
    /// The first and last play of the staged rows, their number, and whether any is an account-data
    /// play (no track id, platform or reason: minute precision, see 03_Twins.sql); null when none was staged.
    /// </summary>
    public async Task<(DateTimeOffset From, DateTimeOffset To, long Rows, bool AccountRows)?> RangeAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        // Staged by an earlier build (resumed after an upgrade): its tracks have no name key, so none is matched as a twin.
        await SqlCommands.ExecAsync(conn, $"ALTER TABLE {_tracks} ADD COLUMN IF NOT EXISTS name_key text", ct);
        await using var cmd = new NpgsqlCommand($"""
            SELECT min(played_at), max(played_at), count(*),
                   COALESCE(bool_or(platform IS NULL AND reason_start IS NULL
                                    AND track_no IN (SELECT track_no FROM {_tracks} WHERE track_key LIKE 'myi:%')), false)
            FROM {_rows}
            """, conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return await reader.IsDBNullAsync(0, ct)
            ? null
            : (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2), reader.GetBoolean(3));
    }

    /// <summary>
    /// Upserts the catalog of the file's distinct tracks (in its own transaction) and records each
    /// track's id. Run again on a resumed import, it finds everything in place and changes nothing.
    /// </summary>
    public async Task CatalogAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await CatalogStep.RunAsync(conn, references, _tracks, ct);
        // The batches join their rows to the tracks by number: the planner needs the count, not the names.
        await SqlCommands.ExecAsync(conn, $"ANALYZE {_tracks} (track_no)", ct);
    }

    private const int FirstSliceShare = 5;

    /// <summary>
    /// Returns the slices of <paramref name="batchSize"/> (the first a fifth of it) of the <paramref name="total"/> staged rows,
    /// in (played_at, ord) order, after the first <paramref name="appliedRows"/>: one sort of the rows'
    /// keys finds the first and last row of each. The order is fixed by the staged file, so a resumed
    /// import cuts the same slices.
    /// </summary>
    public async Task<List<StagedSlice>> SliceAsync(long total, long appliedRows, int batchSize, bool accountRows, CancellationToken ct)
    {
        var size = (long)Math.Max(1, batchSize);
        var bounds = new List<(long First, long Last)>();
        // The first slice is a fifth of the others: its batch is the one nothing overlaps (IngestionEngine), so a
        // small one starts the overlap, and shows open dashboards the first plays, sooner.
        var step = total - appliedRows > size ? Math.Max(1, size / FirstSliceShare) : size;
        for (var first = appliedRows + 1; first <= total; first += step, step = size)
        {
            bounds.Add((first, Math.Min(first + step - 1, total)));
        }

        if (bounds.Count == 0)
        {
            return [];
        }

        var keys = new Dictionary<long, (DateTimeOffset PlayedAt, long Ord)>();
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using (var tx = await conn.BeginTransactionAsync(ct))
        {
            // The slices read the staged rows through a range of (played_at, ord); the planner needs
            // their sizes. The keys of a few hundred thousand plays sort in memory (~20 MB).
            await SqlCommands.ExecAsync(conn, $"SET LOCAL work_mem = '64MB'; ANALYZE {_rows} (played_at, ord, track_no);", ct);
            await using var cmd = new NpgsqlCommand($"""
                SELECT rank, played_at, ord
                FROM (SELECT row_number() OVER (ORDER BY played_at, ord) AS rank, played_at, ord FROM {_rows}) r
                WHERE rank = ANY(@ranks)
                """, conn);
            cmd.Parameters.Add(new NpgsqlParameter("ranks", bounds.SelectMany(b => new[] { b.First, b.Last }).Distinct().ToArray()));
            await using (var reader = await cmd.ExecuteReaderAsync(ct))
            {
                while (await reader.ReadAsync(ct))
                {
                    keys[reader.GetInt64(0)] = (reader.GetFieldValue<DateTimeOffset>(1), reader.GetInt64(2));
                }
            }

            await tx.CommitAsync(ct);
        }

        return bounds.Select(b => new StagedSlice(b.First, b.Last, keys[b.First].PlayedAt, keys[b.Last].PlayedAt, keys[b.First].Ord, keys[b.Last].Ord)
        {
            AccountRows = accountRows,
        }).ToList();
    }
}
