-- Merges signed per (user, month, item) sums (the delta query) into a table of month arrays: each
-- touched month's entries are unnested (its row found by primary key), added to, and aggregated
-- again in id order, in one statement. An entry whose plays fall to zero goes, and so does a month
-- left without any. A negative count is not hidden: the table's CHECK refuses it.
WITH delta AS MATERIALIZED (
{delta}
), entries AS (
    SELECT user_id, month, item_id, sum(plays)::integer AS plays, sum(ms)::bigint AS ms, sum(skips)::integer AS skips
    FROM (
        SELECT user_id, month, item_id, plays, ms, skips FROM delta
        UNION ALL
        SELECT k.user_id, k.month, e.item_id, e.plays, e.ms, e.skips
        FROM (SELECT DISTINCT user_id, month FROM delta) k
        CROSS JOIN LATERAL (SELECT * FROM {table} x WHERE x.user_id = k.user_id AND x.month = k.month) m
        CROSS JOIN LATERAL unnest(m.{ids}, m.play_counts, m.total_ms, m.skip_counts) AS e(item_id, plays, ms, skips)
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
