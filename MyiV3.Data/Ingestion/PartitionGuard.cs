using System.Collections.Concurrent;
using Npgsql;

namespace MyiV3.Data.Ingestion;

/// <summary>
/// Makes sure the monthly partitions a batch will write to exist, in a short transaction of its
/// own (creating a partition locks the parent table), remembering months already ensured.
/// </summary>
internal sealed class PartitionGuard(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<int, bool> _known = new();

    public async Task EnsureAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var first = MonthIndex(from);
        var last = MonthIndex(to);
        var missing = false;
        for (var m = first; m <= last && !missing; m++)
        {
            missing = !_known.ContainsKey(m);
        }

        if (!missing)
        {
            return;
        }

        await using var cmd = dataSource.CreateCommand("SELECT ensure_listening_event_partitions($1, $2)");
        cmd.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime() });
        cmd.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime() });
        await cmd.ExecuteNonQueryAsync(ct);
        for (var m = first; m <= last; m++)
        {
            _known[m] = true;
        }
    }

    public static int MonthIndex(DateTimeOffset t)
    {
        var u = t.UtcDateTime;
        return (u.Year * 12) + u.Month - 1;
    }
}
