using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MyiV3.Data.Configurations;

internal static class MonthArrayChecks
{
    /// <summary>
    /// The checks of a per-month array table: a month starts on its first day, the arrays are parallel,
    /// an entry counts at least one play (emptied entries are dropped), no counter is negative, and
    /// skips stay within plays (<c>myi_skips_within_plays</c>, created by the MonthArrays migration).
    /// </summary>
    public static void AddMonthArrayChecks<T>(this TableBuilder<T> t, string table, string ids)
        where T : class
    {
        t.HasCheckConstraint($"ck_{table}_month_aligned", "extract(day FROM month) = 1");
        t.HasCheckConstraint($"ck_{table}_parallel_arrays",
            $"cardinality(play_counts) = cardinality({ids}) AND cardinality(total_ms) = cardinality({ids}) AND cardinality(skip_counts) = cardinality({ids})");
        t.HasCheckConstraint($"ck_{table}_counters", "0 < ALL (play_counts) AND 0 <= ALL (total_ms) AND 0 <= ALL (skip_counts)");
        t.HasCheckConstraint($"ck_{table}_skips_within_plays", "myi_skips_within_plays(skip_counts, play_counts)");
    }
}
