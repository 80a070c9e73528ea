-- user_album_stats takes hot counter updates like the other stats tables: leave room on each page
-- for HOT updates and vacuum early (set before the backfill so the new pages get it).
ALTER TABLE user_album_stats SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);

-- Backfill for existing users from their track statistics through tracks.album_id, so an upgraded
-- database verifies clean: this is exactly what a rebuild from listening_events would produce
-- (user_track_stats already agree with the events; a track's album is fixed from now on).
INSERT INTO user_album_stats (user_id, album_id, play_count, total_ms, skip_count, first_played_at, last_played_at)
SELECT s.user_id, t.album_id, sum(s.play_count), sum(s.total_ms), sum(s.skip_count), min(s.first_played_at), max(s.last_played_at)
FROM user_track_stats s
JOIN tracks t ON t.id = s.track_id
WHERE t.album_id IS NOT NULL
GROUP BY s.user_id, t.album_id;
