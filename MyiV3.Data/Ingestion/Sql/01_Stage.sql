-- Per-connection staging for one batch. Keys are computed as the rows arrive (generated columns):
-- a real Spotify id when the source has one, otherwise a provisional key from normalised names,
-- so the same name always maps to the same catalog row.
CREATE TEMP TABLE IF NOT EXISTS ingest_stage (
    played_at     timestamp with time zone NOT NULL,
    ms_played     integer NOT NULL,
    track_sid     text,
    track_name    text NOT NULL,
    album_sid     text,
    album_name    text,
    artist_names  text[] NOT NULL,
    artist_sids   text[] NOT NULL,
    duration_ms   integer,
    skipped       boolean,
    shuffle       boolean,
    reason_start  text,
    reason_end    text,
    platform      text,
    conn_country  text,
    offline       boolean,
    incognito     boolean,
    track_key     text GENERATED ALWAYS AS (
        COALESCE(track_sid, 'myi:track:' || md5(lower(btrim(artist_names[1])) || chr(31) || lower(btrim(track_name))))) STORED,
    album_key     text GENERATED ALWAYS AS (
        CASE
            WHEN album_sid IS NOT NULL THEN album_sid
            WHEN btrim(COALESCE(album_name, '')) <> '' THEN 'myi:album:' || md5(lower(btrim(artist_names[1])) || chr(31) || lower(btrim(album_name)))
        END) STORED
);
CREATE TEMP TABLE IF NOT EXISTS ingest_tracks (
    track_key     text PRIMARY KEY,
    track_sid     text,
    track_name    text NOT NULL,
    album_key     text,
    album_name    text,
    album_sid     text,
    artist_names  text[] NOT NULL,
    artist_sids   text[] NOT NULL,
    duration_ms   integer,
    track_id      bigint
);
TRUNCATE ingest_stage, ingest_tracks;
