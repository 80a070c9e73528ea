using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MyiV3.Data.Configurations;

internal static class StatsChecks
{
    /// <summary>The checks every counter table shares: no negative counts, skips within plays.</summary>
    public static void AddCounterChecks<T>(this TableBuilder<T> t, string table, bool withPlayedRange)
        where T : class
    {
        t.HasCheckConstraint($"ck_{table}_counters_nonnegative", "play_count >= 0 AND total_ms >= 0 AND skip_count >= 0");
        t.HasCheckConstraint($"ck_{table}_skips_within_plays", "skip_count <= play_count");
        if (withPlayedRange)
        {
            t.HasCheckConstraint($"ck_{table}_played_range", "first_played_at <= last_played_at");
        }
    }
}
