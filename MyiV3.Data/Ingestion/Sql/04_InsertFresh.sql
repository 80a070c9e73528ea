-- The events of a batch for a time range in which the user has no event yet (checked under the
-- user's lock, so it stays true until commit): nothing can conflict but the batch's own repeats
-- (overlapping export files), which DISTINCT removes, so the rows go in with a plain INSERT,
-- the cheapest write the schema allows.
WITH inserted AS (
    INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source, skipped, shuffle,
                                  reason_start, reason_end, platform, conn_country, offline, incognito)
    SELECT DISTINCT ON (s.played_at, it.track_id)
           @user_id, it.track_id, s.played_at, s.ms_played, @source, s.skipped, s.shuffle,
           left(s.reason_start, 64), left(s.reason_end, 64), left(s.platform, 256), left(s.conn_country, 2), s.offline, s.incognito
    FROM ingest_stage s
    JOIN ingest_tracks it USING (track_no)
    -- In time order: rows then go to one partition after another and to the ends of the time indexes
    -- (and a slice read in time order needs only an incremental sort).
    ORDER BY s.played_at, it.track_id, s.ms_played DESC
    RETURNING track_id, played_at, ms_played, skipped, incognito
)
INSERT INTO ingest_delta (sign, track_id, played_at, ms, skip, local_ts)
SELECT 1, track_id, played_at, ms_played, CASE WHEN skipped THEN 1 ELSE 0 END, played_at AT TIME ZONE @time_zone
FROM inserted
-- A play in a private session is stored but left out of every statistic while the user asks so.
WHERE NOT (@exclude_incognito AND incognito IS TRUE);
