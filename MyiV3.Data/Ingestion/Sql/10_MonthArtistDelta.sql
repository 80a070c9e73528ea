-- As 10_MonthTrackDelta.sql, per artist credited on the track (track_artists).
SELECT @user_id::bigint AS user_id, date_trunc('month', d.local_ts)::date AS month, ta.artist_id AS item_id,
       sum(d.sign)::integer AS plays, sum(d.sign * d.ms)::bigint AS ms, sum(d.sign * d.skip)::integer AS skips
FROM ingest_delta d
JOIN track_artists ta ON ta.track_id = d.track_id
GROUP BY 2, 3
