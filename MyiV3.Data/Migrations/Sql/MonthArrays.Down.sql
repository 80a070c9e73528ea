-- Back to a row per track (artist) and month.
ALTER TABLE user_track_month_stats SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);
ALTER TABLE user_artist_month_stats SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);

INSERT INTO user_track_month_stats (user_id, month, track_id, play_count, total_ms, skip_count)
SELECT m.user_id, m.month, e.id, e.plays, e.ms, e.skips
FROM user_month_tracks m CROSS JOIN LATERAL unnest(m.track_ids, m.play_counts, m.total_ms, m.skip_counts) AS e(id, plays, ms, skips);

INSERT INTO user_artist_month_stats (user_id, month, artist_id, play_count, total_ms, skip_count)
SELECT m.user_id, m.month, e.id, e.plays, e.ms, e.skips
FROM user_month_artists m CROSS JOIN LATERAL unnest(m.artist_ids, m.play_counts, m.total_ms, m.skip_counts) AS e(id, plays, ms, skips);
