-- Merges signed per (user, month, item) sums (the delta query, one row per item and month) into a
-- table of month arrays, in one statement: a month already stored is unnested (its row found by
-- primary key), added to and aggregated again; a month not stored yet takes the delta's rows as
-- they are. Entries are kept in id order; an entry whose plays fall to zero goes, and so does a
-- month left without any. A negative count is not hidden: the table's CHECK refuses it.
WITH delta AS MATERIALIZED (
{delta}
), stored AS MATERIALIZED (
    SELECT x.user_id, x.month, x.{ids} AS ids, x.play_counts, x.total_ms, x.skip_counts
    FROM (SELECT DISTINCT user_id, month FROM delta) k
    CROSS JOIN LATERAL (SELECT * FROM {table} t WHERE t.user_id = k.user_id AND t.month = k.month) x
), entries AS (
    SELECT d.user_id, d.month, d.item_id, d.plays, d.ms, d.skips
    FROM delta d
    WHERE NOT EXISTS (SELECT 1 FROM stored s WHERE s.user_id = d.user_id AND s.month = d.month)
    UNION ALL
    SELECT user_id, month, item_id, sum(plays)::integer, sum(ms)::bigint, sum(skips)::integer
    FROM (
        SELECT d.user_id, d.month, d.item_id, d.plays, d.ms, d.skips
        FROM delta d
        WHERE EXISTS (SELECT 1 FROM stored s WHERE s.user_id = d.user_id AND s.month = d.month)
        UNION ALL
        SELECT s.user_id, s.month, e.item_id, e.plays, e.ms, e.skips
        FROM stored s
        CROSS JOIN LATERAL unnest(s.ids, s.play_counts, s.total_ms, s.skip_counts) AS e(item_id, plays, ms, skips)
    ) x
    GROUP BY user_id, month, item_id
), months AS (
    SELECT user_id, month,
           array_agg(item_id ORDER BY item_id) FILTER (WHERE plays <> 0) AS ids,
           array_agg(plays ORDER BY item_id) FILTER (WHERE plays <> 0) AS plays,
           array_agg(ms ORDER BY item_id) FILTER (WHERE plays <> 0) AS ms,
           array_agg(skips ORDER BY item_id) FILTER (WHERE plays <> 0) AS skips
    FROM entries
    GROUP BY user_id, month
), emptied AS (
    DELETE FROM {table} t USING months m
    WHERE t.user_id = m.user_id AND t.month = m.month AND m.ids IS NULL
)
INSERT INTO {table} AS t (user_id, month, {ids}, play_counts, total_ms, skip_counts)
SELECT user_id, month, ids, plays, ms, skips FROM months WHERE ids IS NOT NULL
ON CONFLICT (user_id, month) DO UPDATE
SET {ids} = EXCLUDED.{ids}, play_counts = EXCLUDED.play_counts, total_ms = EXCLUDED.total_ms, skip_counts = EXCLUDED.skip_counts;
