namespace MyiV3.Data.Ingestion;

/// <summary>
/// The shape of staged plays and their tracks, shared by the per-batch temp tables
/// (<c>ingest_stage</c>, <c>ingest_tracks</c>) and the per-import unlogged tables that hold a whole
/// parsed file, and its distinct tracks, before any of it is applied.
/// </summary>
/// <remarks>
/// A play row names its track by a small number (<c>track_no</c>) into the tracks table, which holds
/// each distinct track once with its names and catalog keys (<see cref="StagingWriter"/> collects
/// them while the rows stream in): the names of a track are written, parsed and sorted once per
/// track, not once per play.
/// </remarks>
internal static class StageTable
{
    public const string ColumnDefinitions = """
        ord           bigint NOT NULL,
        played_at     timestamp with time zone NOT NULL,
        ms_played     integer NOT NULL,
        track_no      integer NOT NULL,
        skipped       boolean,
        shuffle       boolean,
        reason_start  text,
        reason_end    text,
        platform      text,
        conn_country  text,
        offline       boolean,
        incognito     boolean
        """;

    public const string ColumnNames =
        "ord, played_at, ms_played, track_no, skipped, shuffle, reason_start, reason_end, platform, conn_country, offline, incognito";

    /// <summary>The distinct tracks of staged plays and the catalog ids they resolve to.</summary>
    public const string TrackColumnDefinitions = """
        track_no      integer PRIMARY KEY,
        track_key     text NOT NULL,
        track_name    text NOT NULL,
        album_key     text,
        album_name    text,
        artist_names  text[] NOT NULL,
        artist_keys   text[] NOT NULL,
        duration_ms   integer,
        name_key      text,
        track_id      bigint
        """;

    public const string TrackColumnNames = "track_no, track_key, track_name, album_key, album_name, artist_names, artist_keys, duration_ms, name_key";

    public const string CreateBatchStage =
        "CREATE TEMP TABLE IF NOT EXISTS ingest_stage (" + ColumnDefinitions + ");" +
        "CREATE TEMP TABLE IF NOT EXISTS ingest_tracks (" + TrackColumnDefinitions + ");";
}
