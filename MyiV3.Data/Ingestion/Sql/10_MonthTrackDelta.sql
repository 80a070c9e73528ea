-- What the transaction's delta does to the user's month of each track: the signed sums of plays
-- added and removed. Both signs at once: an import replacing an API estimate of a play in the
-- same month moves that entry's milliseconds and leaves its plays. (Spliced into 11_MergeMonths.sql.)
SELECT @user_id::bigint AS user_id, date_trunc('month', local_ts)::date AS month, track_id AS item_id,
       sum(sign)::integer AS plays, sum(sign * ms)::bigint AS ms, sum(sign * skip)::integer AS skips
FROM ingest_delta
GROUP BY 2, 3
