-- As 10_MonthTrackDelta.sql, per artist credited on the track (track_artists).
SELECT @user_id::bigint AS user_id, m.month, ta.artist_id AS item_id,
       sum(m.net_plays)::integer AS plays, sum(m.net_ms)::bigint AS ms, sum(m.net_skips)::integer AS skips
FROM ingest_track_months m
JOIN track_artists ta ON ta.track_id = m.track_id
GROUP BY 2, 3
