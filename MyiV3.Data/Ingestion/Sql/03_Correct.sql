-- An import replaces the same play recorded from the API with an estimated duration.
-- The API's played_at is usually the end of playback but sometimes the start (spotify/web-api
-- #613, #1083); the export's ts is always the end. So an API play of the same track matches an
-- imported play ending at T after m ms when it lies in [T - m - 15 s, T + 15 s]: the end, or the
-- start, give or take 15 s of clock skew between Spotify's two systems. Each side matches once.
-- An account-data play (no id, platform or reason) names its track by names and its end to the
-- minute: it is matched to API plays of every track with its name key (03_Twins.sql), a minute wider.
WITH incoming AS (
    SELECT DISTINCT ON (it.track_id, s.played_at) it.track_id, it.name_key, s.played_at, s.ms_played,
           it.track_key LIKE 'myi:%' AND s.platform IS NULL AND s.reason_start IS NULL AS by_minute
    FROM ingest_stage s
    JOIN ingest_tracks it USING (track_no)
    ORDER BY it.track_id, s.played_at, s.ms_played DESC
), matches AS (
    SELECT e.id, e.played_at AS api_played_at, i.track_id, i.played_at
    FROM incoming i
    JOIN listening_events e
      ON e.user_id = @user_id AND e.track_id = i.track_id AND e.source = 'API'
     AND e.played_at BETWEEN i.played_at - (i.ms_played * interval '1 millisecond') - @clock_skew
                         AND i.played_at + @clock_skew
    UNION ALL
    SELECT e.id, e.played_at, i.track_id, i.played_at
    FROM incoming i
    JOIN tracks t ON t.name_key = i.name_key AND t.id <> i.track_id
    JOIN listening_events e
      ON e.user_id = @user_id AND e.track_id = t.id AND e.source = 'API'
     AND e.played_at BETWEEN i.played_at - (i.ms_played * interval '1 millisecond') - @clock_skew - interval '1 minute'
                         AND i.played_at + @clock_skew + interval '1 minute'
    WHERE i.by_minute
), candidates AS (
    SELECT DISTINCT ON (id) id, api_played_at, track_id, played_at,
           abs(extract(epoch FROM api_played_at - played_at)) AS distance
    FROM matches
    ORDER BY id, distance
), picked AS (
    SELECT DISTINCT ON (track_id, played_at) id, api_played_at
    FROM candidates
    ORDER BY track_id, played_at, distance
), removed AS (
    DELETE FROM listening_events e
    USING picked p
    WHERE e.user_id = @user_id AND e.id = p.id AND e.played_at = p.api_played_at
    RETURNING e.track_id, e.played_at, e.ms_played, e.skipped, e.incognito
)
INSERT INTO ingest_delta (sign, track_id, played_at, ms, skip, local_ts)
SELECT -1, track_id, played_at, ms_played, CASE WHEN skipped THEN 1 ELSE 0 END, played_at AT TIME ZONE @time_zone
FROM removed
WHERE NOT (@exclude_incognito AND incognito IS TRUE);
