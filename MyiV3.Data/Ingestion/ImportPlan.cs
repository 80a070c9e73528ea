using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// The once-per-import work between staging and the first batch, each step on a connection of its
/// own so that they run side by side: the catalog of the file's distinct tracks, and its rows in
/// time order with the slices the batches apply.
/// </summary>
internal sealed class ImportPlan(NpgsqlDataSource dataSource, ReferenceLocks references, long importJobId)
{
    private readonly string _rows = ImportStaging.TableName(importJobId);
    private readonly string _tracks = ImportStaging.TracksTableName(importJobId);
    private readonly string _ordered = ImportStaging.OrderedTableName(importJobId);

    /// <summary>The first and last play of the staged rows; null when none was staged.</summary>
    public async Task<(DateTimeOffset From, DateTimeOffset To)?> RangeAsync(CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var cmd = new NpgsqlCommand($"SELECT min(played_at), max(played_at) FROM {_rows}", conn);
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return await reader.IsDBNullAsync(0, ct)
            ? null
            : (reader.GetFieldValue<DateTimeOffset>(0), reader.GetFieldValue<DateTimeOffset>(1));
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

    /// <summary>
    /// Writes the staged rows once more, sorted by (played_at, ord) and numbered in that order, so a
    /// batch reads its slice as one range of consecutive pages, and returns the slices of
    /// <paramref name="batchSize"/> rows after the first <paramref name="appliedRows"/>. The ordered
    /// table is derived: a resumed import whose table is gone or short rebuilds it, the same.
    /// </summary>
    public async Task<List<StagedSlice>> SliceAsync(long appliedRows, int batchSize, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var total = await SqlCommands.ScalarAsync<long>(conn, $"SELECT count(*) FROM {_rows}", ct);
        var ordered = await SqlCommands.ScalarAsync<bool>(conn, "SELECT to_regclass(@t) IS NOT NULL", ct, ("t", _ordered))
            && await SqlCommands.ScalarAsync<long>(conn, $"SELECT count(*) FROM {_ordered}", ct) == total;
        if (!ordered)
        {
            await using var tx = await conn.BeginTransactionAsync(ct);
            // The sort stays in memory for an export of a few hundred thousand plays (~25 MB).
            await SqlCommands.ExecAsync(conn, $"""
                SET LOCAL work_mem = '128MB';
                DROP TABLE IF EXISTS {_ordered};
                CREATE UNLOGGED TABLE {_ordered} AS
                    SELECT row_number() OVER (ORDER BY played_at, ord) AS rank, {StageTable.ColumnNames}
                    FROM {_rows}
                    ORDER BY played_at, ord;
                CREATE UNIQUE INDEX ON {_ordered} (rank);
                ANALYZE {_ordered} (rank, played_at, track_no);
                """, ct);
            await tx.CommitAsync(ct);
        }

        var size = (long)Math.Max(1, batchSize);
        var bounds = new List<(long First, long Last)>();
        for (var first = appliedRows + 1; first <= total; first += size)
        {
            bounds.Add((first, Math.Min(first + size - 1, total)));
        }

        if (bounds.Count == 0)
        {
            return [];
        }

        var times = new Dictionary<long, DateTimeOffset>();
        await using (var cmd = new NpgsqlCommand($"SELECT rank, played_at FROM {_ordered} WHERE rank = ANY(@ranks)", conn))
        {
            cmd.Parameters.Add(new NpgsqlParameter("ranks", bounds.SelectMany(b => new[] { b.First, b.Last }).Distinct().ToArray()));
            await using var reader = await cmd.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                times[reader.GetInt64(0)] = reader.GetFieldValue<DateTimeOffset>(1);
            }
        }

        return bounds.Select(b => new StagedSlice(b.First, b.Last, times[b.First], times[b.Last])).ToList();
    }
}
