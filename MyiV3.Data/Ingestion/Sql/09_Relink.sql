-- Spotify's metadata for tracks first cataloged from an export: the export names albums and
-- artists only, so those tracks hang on provisional rows. Here they move to the real album and
-- artists, and every statistic keyed through tracks.album_id or track_artists moves with them,
-- set-based, for every user who played them: the album and artist rows are exactly the sums of
-- the user's track rows (per month for the month arrays), so the moved tracks' track stats are
-- subtracted from the old rows and added to the new. The caller holds the catalog lock
-- exclusively; every ingestion, rebuild and verify holds it shared, so no play is in flight.
CREATE TEMP TABLE relink_input ON COMMIT DROP AS
SELECT t.id AS track_id, t.album_id AS old_album_id, al.id AS new_album_id,
       string_to_array(NULLIF(k.artists, ''), ',') AS artist_keys
FROM unnest(@tracks::text[], @albums::text[], @artists::text[]) AS k(track, album, artists)
JOIN tracks t ON t.spotify_id = k.track
LEFT JOIN albums al ON al.spotify_id = k.album;

-- From a provisional album (or none) to the one Spotify names; a real album is never replaced.
CREATE TEMP TABLE relink_albums ON COMMIT DROP AS
SELECT r.track_id, r.old_album_id, r.new_album_id
FROM relink_input r
LEFT JOIN albums old ON old.id = r.old_album_id
WHERE r.new_album_id IS NOT NULL AND r.old_album_id IS DISTINCT FROM r.new_album_id
  AND (r.old_album_id IS NULL OR old.is_provisional);

-- A track credited to a provisional artist gets Spotify's artists, in Spotify's order.
CREATE TEMP TABLE relink_artists ON COMMIT DROP AS
SELECT n.track_id, n.artist_id, (row_number() OVER (PARTITION BY n.track_id ORDER BY n.ord) - 1)::smallint AS position
FROM (
    SELECT DISTINCT ON (r.track_id, a.id) r.track_id, a.id AS artist_id, k.ord
    FROM relink_input r
    CROSS JOIN LATERAL unnest(r.artist_keys) WITH ORDINALITY AS k(key, ord)
    JOIN artists a ON a.spotify_id = k.key
    WHERE EXISTS (SELECT 1 FROM track_artists ta JOIN artists pa ON pa.id = ta.artist_id
                  WHERE ta.track_id = r.track_id AND pa.is_provisional)
    ORDER BY r.track_id, a.id, k.ord
) n;

CREATE TEMP TABLE relink_old_artists ON COMMIT DROP AS
SELECT ta.track_id, ta.artist_id
FROM track_artists ta
WHERE ta.track_id IN (SELECT track_id FROM relink_artists);

-- Take the moved tracks out of their old album and artist rows.
UPDATE user_album_stats x
SET play_count = x.play_count - d.plays, total_ms = x.total_ms - d.ms, skip_count = x.skip_count - d.skips
FROM (SELECT s.user_id, m.old_album_id AS album_id, sum(s.play_count) AS plays, sum(s.total_ms) AS ms, sum(s.skip_count) AS skips
      FROM user_track_stats s JOIN relink_albums m ON m.track_id = s.track_id
      WHERE m.old_album_id IS NOT NULL
      GROUP BY 1, 2) d
WHERE x.user_id = d.user_id AND x.album_id = d.album_id;

UPDATE user_artist_stats x
SET play_count = x.play_count - d.plays, total_ms = x.total_ms - d.ms, skip_count = x.skip_count - d.skips
FROM (SELECT s.user_id, o.artist_id, sum(s.play_count) AS plays, sum(s.total_ms) AS ms, sum(s.skip_count) AS skips
      FROM user_track_stats s JOIN relink_old_artists o ON o.track_id = s.track_id
      GROUP BY 1, 2) d
WHERE x.user_id = d.user_id AND x.artist_id = d.artist_id;

-- The moved tracks' month entries move from the old artists to the new, for every user whose months
-- hold them: the months between a user's first and last play of the track (a day wider each side,
-- as local months may start a day earlier or later than UTC ones), found through user_track_stats.
CREATE TEMP TABLE relink_months ON COMMIT DROP AS
SELECT DISTINCT s.user_id, g.month::date AS month
FROM user_track_stats s
CROSS JOIN LATERAL generate_series(date_trunc('month', (s.first_played_at AT TIME ZONE 'UTC') - interval '1 day'),
                                   date_trunc('month', (s.last_played_at AT TIME ZONE 'UTC') + interval '1 day'),
                                   interval '1 month') AS g(month)
WHERE s.track_id IN (SELECT track_id FROM relink_artists);

CREATE TEMP TABLE month_artist_delta ON COMMIT DROP AS
SELECT t.user_id, t.month, a.artist_id AS item_id,
       sum(a.sign * t.plays)::integer AS plays, sum(a.sign * t.ms)::bigint AS ms, sum(a.sign * t.skips)::integer AS skips
FROM (
    SELECT m.user_id, m.month, e.track_id, e.plays, e.ms, e.skips
    FROM relink_months k
    JOIN user_month_tracks m ON m.user_id = k.user_id AND m.month = k.month
    CROSS JOIN LATERAL unnest(m.track_ids, m.play_counts, m.total_ms, m.skip_counts) AS e(track_id, plays, ms, skips)
    WHERE e.track_id IN (SELECT track_id FROM relink_artists)
) t
JOIN (SELECT track_id, artist_id, -1 AS sign FROM relink_old_artists
      UNION ALL
      SELECT track_id, artist_id, 1 FROM relink_artists) a ON a.track_id = t.track_id
GROUP BY 1, 2, 3;
-- (merged into user_month_artists after this script: CatalogRelinker appends MonthArrays.MergeArtists)

-- The catalog change itself.
UPDATE tracks t SET album_id = m.new_album_id, updated_at = now()
FROM relink_albums m WHERE t.id = m.track_id;

DELETE FROM track_artists ta USING relink_old_artists o WHERE ta.track_id = o.track_id AND ta.artist_id = o.artist_id;

INSERT INTO track_artists (track_id, artist_id, position)
SELECT track_id, artist_id, position FROM relink_artists ORDER BY track_id, position;

-- Put them into their new rows.
INSERT INTO user_album_stats AS x (user_id, album_id, play_count, total_ms, skip_count, first_played_at, last_played_at)
SELECT s.user_id, m.new_album_id, sum(s.play_count), sum(s.total_ms), sum(s.skip_count), min(s.first_played_at), max(s.last_played_at)
FROM user_track_stats s JOIN relink_albums m ON m.track_id = s.track_id
GROUP BY 1, 2
ON CONFLICT (user_id, album_id) DO UPDATE
SET play_count = x.play_count + EXCLUDED.play_count, total_ms = x.total_ms + EXCLUDED.total_ms,
    skip_count = x.skip_count + EXCLUDED.skip_count,
    first_played_at = LEAST(x.first_played_at, EXCLUDED.first_played_at),
    last_played_at = GREATEST(x.last_played_at, EXCLUDED.last_played_at);

INSERT INTO user_artist_stats AS x (user_id, artist_id, play_count, total_ms, skip_count, first_played_at, last_played_at)
SELECT s.user_id, n.artist_id, sum(s.play_count), sum(s.total_ms), sum(s.skip_count), min(s.first_played_at), max(s.last_played_at)
FROM user_track_stats s JOIN relink_artists n ON n.track_id = s.track_id
GROUP BY 1, 2
ON CONFLICT (user_id, artist_id) DO UPDATE
SET play_count = x.play_count + EXCLUDED.play_count, total_ms = x.total_ms + EXCLUDED.total_ms,
    skip_count = x.skip_count + EXCLUDED.skip_count,
    first_played_at = LEAST(x.first_played_at, EXCLUDED.first_played_at),
    last_played_at = GREATEST(x.last_played_at, EXCLUDED.last_played_at);

-- The old rows' first and last plays come from the tracks they still hold; empty rows go.
UPDATE user_album_stats x SET first_played_at = m.first_played_at, last_played_at = m.last_played_at
FROM (SELECT s.user_id, t.album_id, min(s.first_played_at) AS first_played_at, max(s.last_played_at) AS last_played_at
      FROM user_track_stats s JOIN tracks t ON t.id = s.track_id
      WHERE t.album_id IN (SELECT old_album_id FROM relink_albums)
      GROUP BY 1, 2) m
WHERE x.user_id = m.user_id AND x.album_id = m.album_id;

UPDATE user_artist_stats x SET first_played_at = m.first_played_at, last_played_at = m.last_played_at
FROM (SELECT s.user_id, ta.artist_id, min(s.first_played_at) AS first_played_at, max(s.last_played_at) AS last_played_at
      FROM user_track_stats s JOIN track_artists ta ON ta.track_id = s.track_id
      WHERE ta.artist_id IN (SELECT artist_id FROM relink_old_artists)
      GROUP BY 1, 2) m
WHERE x.user_id = m.user_id AND x.artist_id = m.artist_id;

DELETE FROM user_album_stats WHERE album_id IN (SELECT old_album_id FROM relink_albums) AND play_count = 0;
DELETE FROM user_artist_stats WHERE artist_id IN (SELECT artist_id FROM relink_old_artists) AND play_count = 0;
