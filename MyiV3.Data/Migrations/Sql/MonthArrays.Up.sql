-- One row per user and month with its tracks (artists) as parallel arrays sorted by id, instead of a
-- row per track (artist) and month. The old rows become the arrays unchanged, so an upgraded
-- database verifies clean.
ALTER TABLE user_month_tracks SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);
ALTER TABLE user_month_artists SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);

INSERT INTO user_month_tracks (user_id, month, track_ids, play_counts, total_ms, skip_counts)
SELECT user_id, month, array_agg(track_id ORDER BY track_id), array_agg(play_count::integer ORDER BY track_id),
       array_agg(total_ms ORDER BY track_id), array_agg(skip_count::integer ORDER BY track_id)
FROM user_track_month_stats
WHERE play_count > 0 AND user_id IN (SELECT id FROM users)
GROUP BY user_id, month;

INSERT INTO user_month_artists (user_id, month, artist_ids, play_counts, total_ms, skip_counts)
SELECT user_id, month, array_agg(artist_id ORDER BY artist_id), array_agg(play_count::integer ORDER BY artist_id),
       array_agg(total_ms ORDER BY artist_id), array_agg(skip_count::integer ORDER BY artist_id)
FROM user_artist_month_stats
WHERE play_count > 0 AND user_id IN (SELECT id FROM users)
GROUP BY user_id, month;
