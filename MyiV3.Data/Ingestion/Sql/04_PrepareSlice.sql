-- An import slice made ready on a connection of its own while the slice before it is applied (the
-- batch transaction runs on one core; this uses the other). What it computes depends only on the
-- staged rows, the catalog ids of their tracks and the user's two statistics settings, which the
-- batch checks again under the user's lock before it uses any of it:
--   {rows}   the slice's plays as a first import writes them: repeats within the slice removed
--            (DISTINCT ON, as 04_InsertFresh.sql), texts cut to their columns, local time computed;
--   {months} their sums per track and local month, as 06_Sums.sql makes them (ingest_track_months);
--   {hours}  their sums per local day and hour (ingest_hours).
-- Reads ingest_stage and ingest_tracks: the same temporary views over the import as the batch's.
CREATE UNLOGGED TABLE {rows} AS
SELECT DISTINCT ON (s.played_at, it.track_id)
       it.track_id, s.played_at, s.ms_played, s.skipped, s.shuffle,
       left(s.reason_start, 64) AS reason_start, left(s.reason_end, 64) AS reason_end,
       left(s.platform, 256) AS platform, left(s.conn_country, 2) AS conn_country, s.offline, s.incognito,
       s.played_at AT TIME ZONE @time_zone AS local_ts,
       -- A play in a private session is stored but left out of every statistic while the user asks so.
       NOT (@exclude_incognito AND s.incognito IS TRUE) AS counted
FROM ingest_stage s
JOIN ingest_tracks it USING (track_no)
ORDER BY s.played_at, it.track_id, s.ms_played DESC;

CREATE UNLOGGED TABLE {months} AS
SELECT track_id, date_trunc('month', local_ts)::date AS month,
       count(*)::integer AS net_plays, sum(ms_played)::bigint AS net_ms, count(*) FILTER (WHERE skipped)::integer AS net_skips,
       count(*)::integer AS plays, sum(ms_played)::bigint AS ms, count(*) FILTER (WHERE skipped)::integer AS skips,
       min(played_at) AS first_played_at, max(played_at) AS last_played_at
FROM {rows}
WHERE counted
GROUP BY 1, 2;

CREATE UNLOGGED TABLE {hours} AS
SELECT local_ts::date AS day, extract(hour FROM local_ts)::smallint AS hour,
       count(*)::integer AS plays, sum(ms_played)::bigint AS ms, count(*) FILTER (WHERE skipped)::integer AS skips
FROM {rows}
WHERE counted
GROUP BY 1, 2;
