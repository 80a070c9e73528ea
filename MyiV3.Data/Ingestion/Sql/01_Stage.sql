-- Per-connection staging for one batch: ingest_stage holds the plays, ingest_tracks the distinct
-- tracks the catalog step resolves (both defined in StageTable.cs, shared with the per-import
-- tables). Catalog keys arrive computed: a real Spotify id when the source has one, otherwise a
-- provisional key from normalised names (CatalogKeys.cs).
TRUNCATE ingest_stage, ingest_tracks;
