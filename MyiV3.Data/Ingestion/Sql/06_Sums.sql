-- The transaction's delta summed twice — per track and local month, and per local day and hour —
-- so that every statistic reads these sums (a few thousand rows) instead of the plays again.
-- Signed sums (net_*) move the month arrays and the user's totals; the added plays alone (plays,
-- ms, skips, first and last played) move the counters, removed plays having been subtracted
-- before (05_ApplyRemovals.sql). An import batch prepared ahead (ImportBatchPlan) gives the same
-- two relations as views over sums it computed on another connection.
CREATE TEMP TABLE ingest_track_months ON COMMIT DROP AS
SELECT track_id, date_trunc('month', local_ts)::date AS month,
       sum(sign)::integer AS net_plays, sum(sign * ms)::bigint AS net_ms, sum(sign * skip)::integer AS net_skips,
       count(*) FILTER (WHERE sign > 0)::integer AS plays,
       COALESCE(sum(ms) FILTER (WHERE sign > 0), 0)::bigint AS ms,
       COALESCE(sum(skip) FILTER (WHERE sign > 0), 0)::integer AS skips,
       min(played_at) FILTER (WHERE sign > 0) AS first_played_at,
       max(played_at) FILTER (WHERE sign > 0) AS last_played_at
FROM ingest_delta
GROUP BY 1, 2;

CREATE TEMP TABLE ingest_hours ON COMMIT DROP AS
SELECT local_ts::date AS day, extract(hour FROM local_ts)::smallint AS hour,
       count(*)::integer AS plays, sum(ms)::bigint AS ms, sum(skip)::integer AS skips
FROM ingest_delta
WHERE sign > 0
GROUP BY 1, 2;
