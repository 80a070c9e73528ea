-- The events themselves. The unique key (user_id, track_id, played_at) makes every batch
-- idempotent: a play seen before is a duplicate, not a second play. Rows repeated within the batch
-- (overlapping export files) collapse here too: ON CONFLICT also sees rows this statement inserted.
-- @fresh: the user has no event at all in this batch's time range, and the caller holds the
-- user's lock, so nothing can conflict but the batch's own repeats; those are removed up front and
-- the rows go in as a plain INSERT, the cheapest write the schema allows.
WITH inserted AS (
    INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source, skipped, shuffle,
                                  reason_start, reason_end, platform, conn_country, offline, incognito)
    SELECT @user_id, it.track_id, s.played_at, s.ms_played, @source, s.skipped, s.shuffle,
           left(s.reason_start, 64), left(s.reason_end, 64), left(s.platform, 256), left(s.conn_country, 2), s.offline, s.incognito
    FROM ingest_stage s
    JOIN ingest_tracks it USING (track_no)
    WHERE (NOT @is_api OR NOT EXISTS (
        -- An API play that an import already holds: the imported play ended at T after m ms, and the
        -- API says T or the start T - m, give or take 15 s (see 03_Correct.sql). Only imported plays
        -- count: two API plays of one track seconds apart are two plays (a replay skipped early),
        -- and the same API play polled twice is caught by the unique key.
        SELECT 1 FROM listening_events e
        WHERE e.user_id = @user_id AND e.track_id = it.track_id AND e.source <> 'API'
          AND e.played_at BETWEEN s.played_at - @clock_skew AND s.played_at + @longest_play
          AND s.played_at BETWEEN e.played_at - (e.ms_played * interval '1 millisecond') - @clock_skew
                              AND e.played_at + @clock_skew)
        -- Nor an API play that an account-data import holds: by names, and a minute wider, as its
        -- end is known to the minute (03_Correct.sql).
        AND NOT EXISTS (
        SELECT 1 FROM tracks t
        JOIN listening_events e ON e.user_id = @user_id AND e.track_id = t.id
        WHERE t.name_key = it.name_key AND e.source = 'IMPORT' AND e.platform IS NULL AND e.reason_start IS NULL
          AND e.played_at BETWEEN s.played_at - @clock_skew - interval '1 minute' AND s.played_at + @longest_play
          AND s.played_at BETWEEN e.played_at - (e.ms_played * interval '1 millisecond') - @clock_skew - interval '1 minute'
                              AND e.played_at + @clock_skew + interval '1 minute'))
    -- @twins: an account-data play (no id, no platform, no reason) whose extended twin is stored
    -- already is that play again (the rule of 03_Twins.sql, seen from the other side).
    AND NOT (@twins AND it.track_key LIKE 'myi:%' AND s.platform IS NULL AND s.reason_start IS NULL AND EXISTS (
        SELECT 1 FROM tracks t
        JOIN listening_events e ON e.user_id = @user_id AND e.track_id = t.id
        WHERE t.name_key = it.name_key AND e.source = 'IMPORT' AND NOT (e.platform IS NULL AND e.reason_start IS NULL)
          AND e.ms_played = s.ms_played
          AND e.played_at >= date_trunc('minute', s.played_at) - interval '1 minute'
          AND e.played_at < date_trunc('minute', s.played_at) + interval '2 minutes'))
    ON CONFLICT (user_id, track_id, played_at) DO NOTHING
    RETURNING track_id, played_at, ms_played, skipped, incognito
)
INSERT INTO ingest_delta (sign, track_id, played_at, ms, skip, local_ts)
SELECT 1, track_id, played_at, ms_played, CASE WHEN skipped THEN 1 ELSE 0 END, played_at AT TIME ZONE @time_zone
FROM inserted
-- A play in a private session is stored but left out of every statistic while the user asks so.
WHERE NOT (@exclude_incognito AND incognito IS TRUE);
