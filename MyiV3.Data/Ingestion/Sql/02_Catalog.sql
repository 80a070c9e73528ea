-- Catalog upsert for the distinct tracks of staged plays (ingest_tracks, one row per track, written
-- by StagingWriter), committed on its own before the events: catalog rows are global and harmless
-- if the event transaction fails, and this keeps that transaction short.
-- Rows go in key order so concurrent batches take their locks in the same order (byte order,
-- COLLATE "C": any fixed order will do, and it sorts far faster than the database's locale).
-- Keys of the form 'myi:…' are provisional (made from names before Spotify metadata is known).
-- Names are kept without the blanks around them, which their keys leave out too (CatalogKeys).
INSERT INTO albums (spotify_id, name, is_provisional)
SELECT DISTINCT ON (album_key COLLATE "C") album_key, left(COALESCE(NULLIF(btrim(album_name, E' \t\n\r\u00A0'), ''), album_key), 1024), album_key LIKE 'myi:%'
FROM ingest_tracks
WHERE album_key IS NOT NULL
ORDER BY album_key COLLATE "C"
ON CONFLICT (spotify_id) DO NOTHING;

INSERT INTO artists (spotify_id, name, is_provisional)
SELECT DISTINCT ON (a.key COLLATE "C") a.key, left(COALESCE(NULLIF(btrim(a.name, E' \t\n\r\u00A0'), ''), a.name), 1024), a.key LIKE 'myi:%'
FROM ingest_tracks t
CROSS JOIN LATERAL unnest(t.artist_names, t.artist_keys) AS a(name, key)
ORDER BY a.key COLLATE "C"
ON CONFLICT (spotify_id) DO NOTHING;

-- A track first seen without a duration learns it from a later source, and one without a name key
-- (made by the metadata job, or before keys were kept) learns that. Its album does not change
-- here: album statistics are keyed through tracks.album_id, so a played track moves to another
-- album only through CatalogRelinker (09_Relink.sql), which moves its statistics with it.
INSERT INTO tracks AS t (spotify_id, name, album_id, duration_ms, is_provisional, name_key)
SELECT it.track_key, left(COALESCE(NULLIF(btrim(it.track_name, E' \t\n\r\u00A0'), ''), it.track_name), 1024), al.id, it.duration_ms, it.track_key LIKE 'myi:%', it.name_key
FROM ingest_tracks it
LEFT JOIN albums al ON al.spotify_id = it.album_key
-- A provisional key whose track was merged into Spotify's (ProvisionalMerger) names that track now.
WHERE NOT EXISTS (SELECT 1 FROM track_aliases ta WHERE ta.spotify_id = it.track_key)
ORDER BY it.track_key COLLATE "C"
ON CONFLICT (spotify_id) DO UPDATE
    SET duration_ms = COALESCE(t.duration_ms, EXCLUDED.duration_ms),
        name_key = COALESCE(t.name_key, EXCLUDED.name_key),
        updated_at = now()
    WHERE (t.duration_ms IS NULL AND EXCLUDED.duration_ms IS NOT NULL)
       OR (t.name_key IS NULL AND EXCLUDED.name_key IS NOT NULL);

UPDATE ingest_tracks it SET track_id = t.id FROM tracks t WHERE t.spotify_id = it.track_key;
UPDATE ingest_tracks it SET track_id = ta.track_id FROM track_aliases ta WHERE ta.spotify_id = it.track_key;

-- Artists are attached once, when a track has none yet; later changes (Spotify's artists for a
-- track credited by name) go through CatalogRelinker, which moves the artist statistics too.
INSERT INTO track_artists (track_id, artist_id, position)
SELECT it.track_id, ar.id, (a.ord - 1)::smallint
FROM ingest_tracks it
CROSS JOIN LATERAL unnest(it.artist_keys) WITH ORDINALITY AS a(key, ord)
JOIN artists ar ON ar.spotify_id = a.key
WHERE NOT EXISTS (SELECT 1 FROM track_artists x WHERE x.track_id = it.track_id)
ORDER BY it.track_id, a.ord
ON CONFLICT DO NOTHING;
