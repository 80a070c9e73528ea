using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// A user's import lock, held on a connection of its own while one import applies its batches: only one import of a
/// user applies at a time, so its batches may share the user's lock among themselves (<see cref="SqlCommands.LockUserSharedAsync"/>)
/// and overlap, while a sync, a rebuild or a settings change (the user's lock exclusively) still slots in between them.
/// </summary>
/// <remarks>
/// Session-level, not per transaction: it spans many batch transactions on other connections. Whoever waits for it
/// holds nothing else (an import takes it before its first batch), so it closes no cycle with the other locks. Should
/// the process die, the lock goes with its connection.
/// </remarks>
internal sealed class ImportLock : IAsyncDisposable
{
    private readonly NpgsqlConnection _conn;
    private readonly long _userId;

    private ImportLock(NpgsqlConnection conn, long userId) => (_conn, _userId) = (conn, userId);

    public static async Task<ImportLock> HoldAsync(NpgsqlDataSource dataSource, long userId, CancellationToken ct)
    {
        var conn = await dataSource.OpenConnectionAsync(ct);
        try
        {
            await SqlCommands.ExecAsync(conn, $"SELECT pg_advisory_lock(@ns, {SqlCommands.UserLockKey})", ct,
                ("ns", IngestionSql.ImportLockNamespace), ("user_id", userId));
            return new ImportLock(conn, userId);
        }
        catch
        {
            await conn.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await SqlCommands.ExecAsync(_conn, $"SELECT pg_advisory_unlock(@ns, {SqlCommands.UserLockKey})", CancellationToken.None,
                ("ns", IngestionSql.ImportLockNamespace), ("user_id", _userId));
        }
        catch (NpgsqlException)
        {
            // A broken connection has released the lock with itself.
        }
        finally
        {
            await _conn.DisposeAsync();
        }
    }
}
