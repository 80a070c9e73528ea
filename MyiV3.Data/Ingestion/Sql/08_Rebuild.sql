-- Recomputes a user's statistics from listening_events alone: clear them, then apply every
-- event of the user as one delta through the same statements an ingestion uses.
DELETE FROM user_track_stats WHERE user_id = @user_id;
DELETE FROM user_artist_stats WHERE user_id = @user_id;
DELETE FROM user_album_stats WHERE user_id = @user_id;
DELETE FROM user_time_bucket_stats WHERE user_id = @user_id;
DELETE FROM user_hour_stats WHERE user_id = @user_id;
DELETE FROM user_weekday_hour_stats WHERE user_id = @user_id;
DELETE FROM user_month_tracks WHERE user_id = @user_id;
DELETE FROM user_month_artists WHERE user_id = @user_id;
UPDATE users SET total_play_count = 0, total_listening_ms = 0 WHERE id = @user_id;

INSERT INTO ingest_delta (sign, track_id, played_at, ms, skip, local_ts)
SELECT 1, track_id, played_at, ms_played, CASE WHEN skipped THEN 1 ELSE 0 END, played_at AT TIME ZONE @time_zone
FROM listening_events
WHERE user_id = @user_id AND NOT (@exclude_incognito AND incognito IS TRUE);
