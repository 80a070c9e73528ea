using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// The catalog upsert of staged tracks (<c>02_Catalog.sql</c>) in a transaction of its own, committed
/// before the events: catalog rows are global and harmless if the events then fail.
/// </summary>
internal static class CatalogStep
{
    public static async Task RunAsync(NpgsqlConnection conn, ReferenceLocks references, string tracksTable, CancellationToken ct)
    {
        await using var tx = await conn.BeginTransactionAsync(ct);
        // Shared with other ingestions; a relink's clean-up of emptied provisional rows waits, so no new track lands on one it deletes.
        await SqlCommands.LockCatalogSharedAsync(conn, ct);
        var triggerless = await references.BeginAsync(conn, ct);
        await SqlCommands.ExecAsync(conn, IngestionSql.Catalog.Replace("ingest_tracks", tracksTable, StringComparison.Ordinal), ct);
        if (triggerless && !await SqlCommands.ScalarAsync<bool>(conn, IngestionSql.CatalogReferences.Replace("ingest_tracks", tracksTable, StringComparison.Ordinal), ct))
        {
            throw new CatalogChangedException("A track, album or artist the staged plays name was deleted while they were cataloged: nothing was written.");
        }

        await tx.CommitAsync(ct);
    }
}
