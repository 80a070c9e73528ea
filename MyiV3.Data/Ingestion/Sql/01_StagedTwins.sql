-- One upload that holds both export kinds for the same months (an account-data StreamingHistory file
-- beside the extended Streaming_History_Audio files) holds each of those plays twice: once to the
-- minute, keyed by names, and once to the second, with the track's id. The account-data row goes;
-- the extended one, exact to the second and with platform, skips and shuffle, stays.
-- Twins (see 03_Twins.sql for the rule): the same names (name_key), the same ms_played, and minutes
-- at most one apart (an account-data endTime is the extended ts cut to the minute; one minute of
-- slack either side costs nothing, as ms_played must match too).
-- {rows}, {tracks}: the import's staging tables. Returns the number of rows removed.
WITH account AS (
    SELECT r.ord, r.played_at, r.ms_played, t.name_key
    FROM {rows} r JOIN {tracks} t USING (track_no)
    WHERE t.track_key LIKE 'myi:%' AND r.platform IS NULL AND r.reason_start IS NULL
), extended AS (
    SELECT r.played_at, r.ms_played, t.name_key
    FROM {rows} r JOIN {tracks} t USING (track_no)
    WHERE NOT (t.track_key LIKE 'myi:%' AND r.platform IS NULL AND r.reason_start IS NULL)
), removed AS (
    DELETE FROM {rows} r
    USING account a
    WHERE r.ord = a.ord
      AND EXISTS (SELECT 1 FROM extended x
                  WHERE x.name_key = a.name_key AND x.ms_played = a.ms_played
                    AND x.played_at >= date_trunc('minute', a.played_at) - interval '1 minute'
                    AND x.played_at < date_trunc('minute', a.played_at) + interval '2 minutes')
    RETURNING 1
)
SELECT count(*) FROM removed;
