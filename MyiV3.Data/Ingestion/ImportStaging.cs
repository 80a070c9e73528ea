using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// A whole import is parsed into an unlogged table of its own before any of it is applied: a file
/// that turns out broken halfway is dropped with nothing of the user's data touched, and an import
/// interrupted while applying resumes from its table after a restart.
/// </summary>
public sealed class ImportStaging(NpgsqlDataSource dataSource)
{
    public static string TableName(long importJobId) => $"import_rows_{importJobId}";

    /// <summary>The import's distinct tracks, written with its rows, and their catalog ids once resolved.</summary>
    public static string TracksTableName(long importJobId) => $"import_tracks_{importJobId}";

    /// <summary>The staged rows written again in time order by earlier builds; only dropped now.</summary>
    private static string OrderedTableName(long importJobId) => $"import_ordered_{importJobId}";

    /// <summary>Starts staging (replacing any earlier attempt); rows stream in through the returned writer.</summary>
    public async Task<StagedImport> BeginAsync(long importJobId, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var (rows, tracks) = (TableName(importJobId), TracksTableName(importJobId));
            await SqlCommands.ExecAsync(conn, $"""
                DROP TABLE IF EXISTS {rows}, {tracks}, {OrderedTableName(importJobId)};
                CREATE UNLOGGED TABLE {rows} ({StageTable.ColumnDefinitions});
                CREATE UNLOGGED TABLE {tracks} ({StageTable.TrackColumnDefinitions});
                """, ct);
            var writer = await StagingWriter.BeginAsync(conn, rows, tracks, ct);
            return new StagedImport(conn, writer, rows, tracks);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// What is left of the import's staging: whether its rows and tracks are all there (an unlogged
    /// table comes back empty after PostgreSQL recovers from a crash, so a resume must check, not
    /// assume), and whether an earlier build staged them in a shape this one does not read.
    /// </summary>
    public async Task<StagingState> StateAsync(long importJobId, long? stagedRows, CancellationToken ct)
    {
        var (rows, tracks) = (TableName(importJobId), TracksTableName(importJobId));
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using (var shape = new NpgsqlCommand("""
            SELECT to_regclass(@rows) IS NOT NULL,
                   to_regclass(@tracks) IS NOT NULL,
                   EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND tablename = @rows AND indexdef LIKE '% USING brin %'),
                   EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = @rows AND column_name = 'track_no')
            """, conn))
        {
            shape.Parameters.Add(new NpgsqlParameter("rows", rows));
            shape.Parameters.Add(new NpgsqlParameter("tracks", tracks));
            await using var reader = await shape.ExecuteReaderAsync(ct);
            await reader.ReadAsync(ct);
            if (!reader.GetBoolean(0))
            {
                return StagingState.Missing;
            }

            // The build before the last applied batches in file order and marked its table with a BRIN
            // index on ord: its checkpoint counts rows in another order than this build's.
            if (reader.GetBoolean(2))
            {
                return StagingState.StagedInFileOrder;
            }

            // The last build staged the names with every row (no tracks table): the same file staged
            // again gives the same rows in the same order, so its checkpoint still holds.
            if (!reader.GetBoolean(1) || !reader.GetBoolean(3) || stagedRows is null)
            {
                return StagingState.Missing;
            }
        }

        var complete = await SqlCommands.ScalarAsync<bool>(conn, $"""
            SELECT (SELECT count(*) FROM {rows}) = @staged
               AND (SELECT count(*) FROM {tracks}) = (SELECT COALESCE(max(track_no), 0) FROM {rows})
            """, ct, ("staged", stagedRows.Value));
        return complete ? StagingState.Ready : StagingState.Missing;
    }

    public async Task<bool> ExistsAsync(long importJobId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
        cmd.Parameters.Add(new NpgsqlParameter { Value = TableName(importJobId) });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>The name keys of the upload's tracks (the names its export gave them), once each.</summary>
    public async Task<string[]> NameKeysAsync(long importJobId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            $"SELECT coalesce(array_agg(DISTINCT name_key) FILTER (WHERE name_key IS NOT NULL), '{{}}') FROM {TracksTableName(importJobId)}");
        return (string[])(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task DropAsync(long importJobId, CancellationToken ct)
    {
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        var tables = new List<string> { TableName(importJobId), TracksTableName(importJobId), OrderedTableName(importJobId) };
        // Slices made ready ahead that a crash left behind.
        await using (var leftovers = new NpgsqlCommand("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND starts_with(tablename, @prefix)", conn))
        {
            leftovers.Parameters.Add(new NpgsqlParameter("prefix", PreparedSlice.TablePrefix(importJobId)));
            await using var reader = await leftovers.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                tables.Add(reader.GetString(0));
            }
        }

        await SqlCommands.ExecAsync(conn, $"DROP TABLE IF EXISTS {string.Join(", ", tables)}", ct);
    }
}

/// <summary>What a resumed import finds of its staging.</summary>
public enum StagingState
{
    /// <summary>Not there, incomplete or in an older shape: stage the upload again.</summary>
    Missing,

    /// <summary>Every row and track is there: continue from the checkpoint.</summary>
    Ready,

    /// <summary>Staged by a build that applied batches in file order: its checkpoint cannot be continued exactly.</summary>
    StagedInFileOrder,
}

/// <summary>An import being staged: write every play, then complete (or dispose to throw it all away).</summary>
/// <remarks>
/// The month partitions the rows need are not made here: the migrations make every month from 2008
/// on, and the engine ensures the whole range before the catalog runs and each batch's months
/// before writing it.
/// </remarks>
public sealed class StagedImport : IAsyncDisposable
{
    private readonly NpgsqlConnection _conn;
    private readonly StagingWriter _writer;
    private readonly string _rows;
    private readonly string _tracks;

    internal StagedImport(NpgsqlConnection conn, StagingWriter writer, string rows, string tracks)
    {
        _conn = conn;
        _writer = writer;
        _rows = rows;
        _tracks = tracks;
    }

    /// <summary>The rows staged: once complete, without <see cref="Twins"/>.</summary>
    public long Rows => _writer.Rows - Twins;

    /// <summary>Account-data rows left out on completion because the same upload holds the same play from the extended export (<c>01_StagedTwins.sql</c>).</summary>
    public long Twins { get; private set; }

    /// <summary>Adds one play without an await (the COPY is sent, synchronously, every 64 KB of rows).</summary>
    public void Write(PlayRecord play)
    {
        ArgumentNullException.ThrowIfNull(play);
        _writer.Write(play);
    }

    /// <summary>Ends the COPY; then, if the upload holds plays both with and without track ids, leaves out the account-data twins of extended plays.</summary>
    public async Task CompleteAsync(CancellationToken ct)
    {
        await _writer.CompleteAsync(ct);
        var bothKinds = await SqlCommands.ScalarAsync<bool>(_conn, $"""
            SELECT EXISTS (SELECT 1 FROM {_tracks} WHERE track_key LIKE 'myi:%')
               AND EXISTS (SELECT 1 FROM {_tracks} WHERE track_key NOT LIKE 'myi:%')
            """, ct);
        if (bothKinds)
        {
            Twins = await SqlCommands.ScalarAsync<long>(_conn, IngestionSql.StagedTwins
                .Replace("{rows}", _rows, StringComparison.Ordinal).Replace("{tracks}", _tracks, StringComparison.Ordinal), ct);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _conn.DisposeAsync();
    }
}
