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

    /// <summary>The import's distinct tracks with their catalog ids, resolved once before its batches.</summary>
    public static string TracksTableName(long importJobId) => $"import_tracks_{importJobId}";

    /// <summary>Starts staging (replacing any earlier attempt); rows stream in through the returned writer.</summary>
    public async Task<StagedImport> BeginAsync(long importJobId, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            var table = TableName(importJobId);
            await SqlCommands.ExecAsync(conn,
                $"DROP TABLE IF EXISTS {table}; CREATE UNLOGGED TABLE {table} (ord bigint GENERATED ALWAYS AS IDENTITY, {StageTable.ColumnDefinitions});", ct);
            var writer = await StagingWriter.BeginAsync(conn, table, ct);
            return new StagedImport(conn, writer);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    public async Task<bool> ExistsAsync(long importJobId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand("SELECT to_regclass($1) IS NOT NULL");
        cmd.Parameters.Add(new NpgsqlParameter { Value = TableName(importJobId) });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Rows staged for the import, or null when its table is gone. An unlogged table comes back
    /// empty after PostgreSQL recovers from a crash, so a resume must check, not assume.
    /// </summary>
    public async Task<long?> CountAsync(long importJobId, CancellationToken ct)
    {
        if (!await ExistsAsync(importJobId, ct))
        {
            return null;
        }

        await using var cmd = dataSource.CreateCommand($"SELECT count(*) FROM {TableName(importJobId)}");
        return (long)(await cmd.ExecuteScalarAsync(ct))!;
    }

    /// <summary>
    /// Whether an earlier build staged this import: it applied batches in file order and marked its
    /// staging table with a BRIN index on ord. Its checkpoint counts rows in that order, which this
    /// build (time order) cannot continue from exactly.
    /// </summary>
    public async Task<bool> StagedByEarlierBuildAsync(long importJobId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand(
            "SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexdef LIKE '% USING brin %')");
        cmd.Parameters.Add(new NpgsqlParameter { Value = TableName(importJobId) });
        return (bool)(await cmd.ExecuteScalarAsync(ct))!;
    }

    public async Task DropAsync(long importJobId, CancellationToken ct)
    {
        await using var cmd = dataSource.CreateCommand($"DROP TABLE IF EXISTS {TableName(importJobId)}, {TracksTableName(importJobId)}");
        await cmd.ExecuteNonQueryAsync(ct);
    }
}

/// <summary>An import being staged: write every play, then complete (or dispose to throw it all away).</summary>
public sealed class StagedImport : IAsyncDisposable
{
    private readonly NpgsqlConnection _conn;
    private readonly StagingWriter _writer;

    internal StagedImport(NpgsqlConnection conn, StagingWriter writer)
    {
        _conn = conn;
        _writer = writer;
    }

    public long Rows => _writer.Rows;

    public Task WriteAsync(PlayRecord play, CancellationToken ct) => _writer.WriteAsync(play, ct);

    public Task CompleteAsync(CancellationToken ct) => _writer.CompleteAsync(ct);

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _conn.DisposeAsync();
    }
}
