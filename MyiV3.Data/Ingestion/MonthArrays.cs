namespace MyiV3.Data.Ingestion;

/// <summary>
/// The per-month array tables (<c>user_month_tracks</c>, <c>user_month_artists</c>): a row per user and
/// local month holding every track (artist) played in it with its counters. They move by merging
/// signed sums into the touched months (<c>11_MergeMonths.sql</c>): one user's ingest_delta, or, in a
/// relink, the entries of every user whose months hold a moved track.
/// </summary>
internal static class MonthArrays
{
    /// <summary>Moves both tables by the transaction's ingest_delta; parameter @user_id.</summary>
    public static readonly string ApplyDelta =
        MergeTracks(IngestionSql.MonthTrackDelta) + ";\n" + MergeArtists(IngestionSql.MonthArtistDelta) + ";";

    public static string MergeTracks(string deltaQuery) => Merge("user_month_tracks", "track_ids", deltaQuery);

    public static string MergeArtists(string deltaQuery) => Merge("user_month_artists", "artist_ids", deltaQuery);

    /// <summary>The unnested entries of a table as rows (user_id, month, {item}, play_count, total_ms, skip_count).</summary>
    public static string Entries(string table, string ids, string item) =>
        $"(SELECT user_id, month, unnest({ids}) AS {item}, unnest(play_counts) AS play_count, unnest(total_ms) AS total_ms, unnest(skip_counts) AS skip_count FROM {table})";

    /// <param name="deltaQuery">A query of rows (user_id, month, item_id, plays, ms, skips), signed.</param>
    private static string Merge(string table, string ids, string deltaQuery) =>
        IngestionSql.MergeMonths.Replace("{table}", table, StringComparison.Ordinal)
            .Replace("{ids}", ids, StringComparison.Ordinal)
            .Replace("{delta}", deltaQuery.Trim().TrimEnd(';'), StringComparison.Ordinal);
}
