-- An extended play replaces the same play imported before from an account-data export. Spotify's two
-- exports describe one play twice: the account-data file (StreamingHistory*.json) to the minute, by
-- the track's and artist's names, with no platform, reason or shuffle; the extended file to the
-- second, with the track's id and all of that. Twins: the same names (tracks.name_key, the key the
-- account-data play was cataloged under, whichever track row either side landed on), the same
-- ms_played, and minutes at most one apart (endTime is ts cut to the minute; ms_played must match
-- too, so the slack costs nothing). The stored minute-precision play goes (-1 in the delta) and the
-- extended one goes in; each side matches once. Only plays from imports: an API play is matched by
-- 03_Correct.sql. Runs only when the user has minute-precision plays near the batch (one probe of a
-- partial index, IngestionEngine.HasMinutePlaysAsync).
WITH incoming AS (
    SELECT DISTINCT ON (it.name_key, s.played_at, s.ms_played) it.name_key, s.played_at, s.ms_played
    FROM ingest_stage s
    JOIN ingest_tracks it USING (track_no)
    WHERE it.name_key IS NOT NULL
      AND NOT (it.track_key LIKE 'myi:%' AND s.platform IS NULL AND s.reason_start IS NULL)
    ORDER BY it.name_key, s.played_at, s.ms_played
), candidates AS (
    SELECT DISTINCT ON (e.id) e.id, e.played_at AS stored_at, i.name_key, i.played_at, i.ms_played,
           abs(extract(epoch FROM e.played_at - i.played_at)) AS distance
    FROM incoming i
    JOIN tracks t ON t.name_key = i.name_key
    JOIN listening_events e
      ON e.user_id = @user_id AND e.track_id = t.id
     AND e.source = 'IMPORT' AND e.platform IS NULL AND e.reason_start IS NULL
     AND e.ms_played = i.ms_played
     AND e.played_at >= date_trunc('minute', i.played_at) - interval '1 minute'
     AND e.played_at < date_trunc('minute', i.played_at) + interval '2 minutes'
    ORDER BY e.id, distance
), picked AS (
    SELECT DISTINCT ON (name_key, played_at, ms_played) id, stored_at
    FROM candidates
    ORDER BY name_key, played_at, ms_played, distance
), removed AS (
    DELETE FROM listening_events e
    USING picked p
    WHERE e.user_id = @user_id AND e.id = p.id AND e.played_at = p.stored_at
    RETURNING e.track_id, e.played_at, e.ms_played, e.skipped, e.incognito
)
INSERT INTO ingest_delta (sign, track_id, played_at, ms, skip, local_ts)
SELECT -1, track_id, played_at, ms_played, CASE WHEN skipped THEN 1 ELSE 0 END, played_at AT TIME ZONE @time_zone
FROM removed
WHERE NOT (@exclude_incognito AND incognito IS TRUE);
