-- Per-connection staging for one batch (ingest_stage's columns are defined in StageTable.cs,
-- shared with the per-import staging tables). Catalog keys arrive computed: a real Spotify id
-- when the source has one, otherwise a provisional key from normalised names (CatalogKeys.cs).
CREATE TEMP TABLE IF NOT EXISTS ingest_tracks (
    track_key     text PRIMARY KEY,
    track_name    text NOT NULL,
    album_key     text,
    album_name    text,
    artist_names  text[] NOT NULL,
    artist_keys   text[] NOT NULL,
    duration_ms   integer,
    track_id      bigint
);
TRUNCATE ingest_stage, ingest_tracks;
