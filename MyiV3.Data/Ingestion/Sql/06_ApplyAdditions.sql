-- Applies the added plays (and the net change of the totals) to the user's statistics, from the
-- sums of 06_Sums.sql, set-based, in the caller's transaction (which holds the user's advisory lock, so no
-- increment is lost or doubled). Removed plays were subtracted before (05_ApplyRemovals.sql):
-- a CHECK applies to the row an INSERT … ON CONFLICT proposes, so negative deltas cannot go here.
UPDATE users u
SET total_play_count = u.total_play_count + d.plays,
    total_listening_ms = u.total_listening_ms + d.ms,
    last_ingested_at = CASE WHEN @mark_ingested THEN now() ELSE u.last_ingested_at END,
    updated_at = now()
FROM (SELECT COALESCE(sum(net_plays), 0) AS plays, COALESCE(sum(net_ms), 0) AS ms FROM ingest_track_months) d
WHERE u.id = @user_id;

INSERT INTO user_track_stats AS t (user_id, track_id, play_count, total_ms, skip_count, first_played_at, last_played_at)
SELECT @user_id, track_id, sum(plays), sum(ms), sum(skips), min(first_played_at), max(last_played_at)
FROM ingest_track_months
WHERE plays > 0
GROUP BY track_id
ON CONFLICT (user_id, track_id) DO UPDATE
SET play_count = t.play_count + EXCLUDED.play_count,
    total_ms = t.total_ms + EXCLUDED.total_ms,
    skip_count = t.skip_count + EXCLUDED.skip_count,
    first_played_at = LEAST(t.first_played_at, EXCLUDED.first_played_at),
    last_played_at = GREATEST(t.last_played_at, EXCLUDED.last_played_at);

INSERT INTO user_artist_stats AS t (user_id, artist_id, play_count, total_ms, skip_count, first_played_at, last_played_at)
SELECT @user_id, ta.artist_id, sum(a.plays), sum(a.ms), sum(a.skips), min(a.first_played_at), max(a.last_played_at)
FROM ingest_track_months a
JOIN track_artists ta ON ta.track_id = a.track_id
WHERE a.plays > 0
GROUP BY ta.artist_id
ON CONFLICT (user_id, artist_id) DO UPDATE
SET play_count = t.play_count + EXCLUDED.play_count,
    total_ms = t.total_ms + EXCLUDED.total_ms,
    skip_count = t.skip_count + EXCLUDED.skip_count,
    first_played_at = LEAST(t.first_played_at, EXCLUDED.first_played_at),
    last_played_at = GREATEST(t.last_played_at, EXCLUDED.last_played_at);

-- Albums through tracks.album_id, which is fixed when a track is first cataloged (02_Catalog.sql),
-- so a play counts for the same album now and in any later rebuild.
INSERT INTO user_album_stats AS s (user_id, album_id, play_count, total_ms, skip_count, first_played_at, last_played_at)
SELECT @user_id, t.album_id, sum(a.plays), sum(a.ms), sum(a.skips), min(a.first_played_at), max(a.last_played_at)
FROM ingest_track_months a
JOIN tracks t ON t.id = a.track_id
WHERE a.plays > 0 AND t.album_id IS NOT NULL
GROUP BY t.album_id
ON CONFLICT (user_id, album_id) DO UPDATE
SET play_count = s.play_count + EXCLUDED.play_count,
    total_ms = s.total_ms + EXCLUDED.total_ms,
    skip_count = s.skip_count + EXCLUDED.skip_count,
    first_played_at = LEAST(s.first_played_at, EXCLUDED.first_played_at),
    last_played_at = GREATEST(s.last_played_at, EXCLUDED.last_played_at);

-- ISO weeks: date_trunc('week') starts on Monday.
INSERT INTO user_time_bucket_stats AS t (user_id, bucket_type, bucket_date, play_count, total_ms, skip_count)
SELECT @user_id, b.bucket_type, b.bucket_date, sum(h.plays), sum(h.ms), sum(h.skips)
FROM ingest_hours h
CROSS JOIN LATERAL (VALUES
    ('DAY'::bucket_type, h.day),
    ('WEEK'::bucket_type, date_trunc('week', h.day::timestamp)::date),
    ('MONTH'::bucket_type, date_trunc('month', h.day::timestamp)::date)) AS b(bucket_type, bucket_date)
GROUP BY b.bucket_type, b.bucket_date
ON CONFLICT (user_id, bucket_type, bucket_date) DO UPDATE
SET play_count = t.play_count + EXCLUDED.play_count,
    total_ms = t.total_ms + EXCLUDED.total_ms,
    skip_count = t.skip_count + EXCLUDED.skip_count;

INSERT INTO user_hour_stats AS t (user_id, hour, play_count, total_ms, skip_count)
SELECT @user_id, hour, sum(plays), sum(ms), sum(skips)
FROM ingest_hours
GROUP BY hour
ON CONFLICT (user_id, hour) DO UPDATE
SET play_count = t.play_count + EXCLUDED.play_count,
    total_ms = t.total_ms + EXCLUDED.total_ms,
    skip_count = t.skip_count + EXCLUDED.skip_count;

INSERT INTO user_weekday_hour_stats AS t (user_id, weekday, hour, play_count, total_ms)
SELECT @user_id, extract(isodow FROM day)::smallint, hour, sum(plays), sum(ms)
FROM ingest_hours
GROUP BY 2, 3
ON CONFLICT (user_id, weekday, hour) DO UPDATE
SET play_count = t.play_count + EXCLUDED.play_count,
    total_ms = t.total_ms + EXCLUDED.total_ms;
