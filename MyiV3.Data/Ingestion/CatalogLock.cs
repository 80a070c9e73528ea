using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>The catalog lock for work outside this assembly that rewrites the catalog under every user's statistics.</summary>
public static class CatalogLock
{
    /// <summary>
    /// Takes the catalog lock exclusively until the open transaction on <paramref name="conn"/> ends: it waits for every
    /// ingestion batch, rebuild and settings change in flight and holds off new ones (each takes it shared before its
    /// user's lock), so the transaction may then take any user's lock, and recompute their statistics, without a deadlock.
    /// </summary>
    public static Task HoldExclusivelyAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(conn);
        return SqlCommands.LockCatalogAsync(conn, ct);
    }
}
