using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// Lets a batch write without PostgreSQL's per-row foreign-key triggers, doing their work set-based
/// instead (<c>02_References.sql</c>): every row the batch's writes reference must exist and is
/// locked FOR KEY SHARE — the trigger's own lock — until the batch commits. The foreign keys stay
/// declared and enforced for every other writer.
/// </summary>
/// <remarks>
/// Leaving the triggers out takes <c>session_replication_role = replica</c> for the transaction,
/// which a superuser may set (the embedded database) or a role granted it
/// (<c>GRANT SET ON PARAMETER session_replication_role TO …</c>, PostgreSQL 15+). Without the
/// privilege the triggers run as usual: the same result, slower.
/// </remarks>
internal sealed class ReferenceLocks
{
    private int _allowed = -1;

    /// <summary>
    /// Switches the current transaction to set-based reference checks when the role may; returns
    /// whether it did (then <see cref="LockAsync"/> must run before the batch writes).
    /// </summary>
    public async Task<bool> BeginAsync(NpgsqlConnection conn, CancellationToken ct)
    {
        if (_allowed < 0)
        {
            _allowed = await SqlCommands.ScalarAsync<bool>(conn, "SELECT has_parameter_privilege('session_replication_role', 'SET')", ct) ? 1 : 0;
        }

        if (_allowed == 0)
        {
            return false;
        }

        await SqlCommands.ExecAsync(conn, "SET LOCAL session_replication_role = replica", ct);
        return true;
    }

    /// <summary>The batch's tracks when it writes its staged plays (ingest_stage, ingest_tracks).</summary>
    public const string StagedTracks = "SELECT DISTINCT it.track_id FROM ingest_stage s JOIN ingest_tracks it USING (track_no)";

    /// <summary>
    /// Locks the user and every track, artist and album the batch's writes reference (the distinct
    /// track ids <paramref name="neededTracks"/> selects); throws when one is missing.
    /// </summary>
    public static async Task LockAsync(NpgsqlConnection conn, long userId, string neededTracks, CancellationToken ct)
    {
        await using var cmd = new NpgsqlCommand(IngestionSql.References.Replace("{needed}", neededTracks, StringComparison.Ordinal), conn);
        cmd.Parameters.Add(new NpgsqlParameter("user_id", userId));
        await using var reader = await cmd.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (users, needed, found) = (reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2));
        if (users != 1)
        {
            throw new InvalidOperationException($"User {userId} does not exist (foreign key users.id): the batch was not written.");
        }

        if (needed != found)
        {
            throw new CatalogChangedException($"{needed - found} of the batch's {needed} tracks do not exist (foreign key tracks.id): the batch was not written.");
        }
    }
}
