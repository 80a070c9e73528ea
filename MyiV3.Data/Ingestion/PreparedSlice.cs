using System.Globalization;
using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// An import slice made ready ahead, on a connection of its own, while the slice before it is applied
/// (<c>04_PrepareSlice.sql</c>): its rows de-duplicated with their tracks' ids and local times, and the
/// sums its statistics need. The batch uses it only if, under the user's lock, the user's events and
/// settings are still what the preparation assumed (<c>04_InsertPrepared.sql</c>); otherwise it takes
/// the ordinary path and this is just dropped.
/// </summary>
internal sealed record PreparedSlice(string Rows, string Months, string Hours, string TimeZone, bool ExcludeIncognito)
{
    /// <summary>Prefix of every table a preparation of this import creates (for clean-up after a crash).</summary>
    public static string TablePrefix(long importJobId) => $"import_ready_{importJobId}_";

    public static async Task<PreparedSlice> PrepareAsync(NpgsqlDataSource dataSource, long userId, long importJobId, StagedSlice slice, CancellationToken ct)
    {
        var name = TablePrefix(importJobId) + slice.FirstRank.ToString(CultureInfo.InvariantCulture);
        var prepared = new PreparedSlice(name, name + "_m", name + "_h", "UTC", false);
        await using var conn = await dataSource.OpenConnectionAsync(ct);
        await using var tx = await conn.BeginTransactionAsync(ct);
        var (zone, excludeIncognito) = await SqlCommands.StatsSettingsAsync(conn, userId, ct);
        prepared = prepared with { TimeZone = zone, ExcludeIncognito = excludeIncognito };
        await SqlCommands.ExecAsync(conn, "SET LOCAL work_mem = '64MB';" + IngestionEngine.SliceViews(importJobId, slice) + "\n" + prepared.Sql(IngestionSql.PrepareSlice), ct,
            ("time_zone", zone), ("exclude_incognito", excludeIncognito));
        await SqlCommands.ExecAsync(conn, "DROP VIEW ingest_stage, ingest_tracks", ct);
        await tx.CommitAsync(ct);
        return prepared;
    }

    /// <summary>The distinct tracks of the prepared rows (what a batch writing them references).</summary>
    public string TracksQuery => $"SELECT DISTINCT track_id FROM {Rows}";

    /// <summary>The SQL with this slice's table names in place of {rows}, {months} and {hours}.</summary>
    public string Sql(string template) =>
        template.Replace("{rows}", Rows, StringComparison.Ordinal)
            .Replace("{months}", Months, StringComparison.Ordinal)
            .Replace("{hours}", Hours, StringComparison.Ordinal);

    public async Task DropAsync(NpgsqlDataSource dataSource)
    {
        await using var cmd = dataSource.CreateCommand($"DROP TABLE IF EXISTS {Rows}, {Months}, {Hours}");
        await cmd.ExecuteNonQueryAsync(CancellationToken.None);
    }
}
