-- What the transaction does to the user's month of each track: the signed sums of plays added and
-- removed (06_Sums.sql). Both signs at once: an import replacing an API estimate of a play in the
-- same month moves that entry's milliseconds and leaves its plays. Spliced into 11_MergeMonths.sql.
SELECT @user_id::bigint AS user_id, month, track_id AS item_id, net_plays AS plays, net_ms AS ms, net_skips AS skips
FROM ingest_track_months
