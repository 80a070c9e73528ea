-- Only when the delta removed plays: first/last played may have been a removed play, and a
-- counter may have fallen to zero (a row a recomputation would not produce). Plays left out of
-- the statistics (private sessions, while the user asks so) do not count here either.
UPDATE user_track_stats t
SET first_played_at = m.first_played_at, last_played_at = m.last_played_at
FROM (
    SELECT e.track_id, min(e.played_at) AS first_played_at, max(e.played_at) AS last_played_at
    FROM listening_events e
    WHERE e.user_id = @user_id AND e.track_id IN (SELECT track_id FROM ingest_delta WHERE sign < 0)
      AND NOT (@exclude_incognito AND e.incognito IS TRUE)
    GROUP BY e.track_id
) m
WHERE t.user_id = @user_id AND t.track_id = m.track_id;

UPDATE user_artist_stats t
SET first_played_at = m.first_played_at, last_played_at = m.last_played_at
FROM (
    SELECT ta.artist_id, min(e.played_at) AS first_played_at, max(e.played_at) AS last_played_at
    FROM track_artists ta
    JOIN listening_events e ON e.user_id = @user_id AND e.track_id = ta.track_id
    WHERE ta.artist_id IN (SELECT ta2.artist_id FROM track_artists ta2 WHERE ta2.track_id IN (SELECT track_id FROM ingest_delta WHERE sign < 0))
      AND NOT (@exclude_incognito AND e.incognito IS TRUE)
    GROUP BY ta.artist_id
) m
WHERE t.user_id = @user_id AND t.artist_id = m.artist_id;

UPDATE user_album_stats s
SET first_played_at = m.first_played_at, last_played_at = m.last_played_at
FROM (
    SELECT t.album_id, min(e.played_at) AS first_played_at, max(e.played_at) AS last_played_at
    FROM tracks t
    JOIN listening_events e ON e.user_id = @user_id AND e.track_id = t.id
    WHERE t.album_id IN (SELECT t2.album_id FROM tracks t2 WHERE t2.id IN (SELECT track_id FROM ingest_delta WHERE sign < 0))
      AND NOT (@exclude_incognito AND e.incognito IS TRUE)
    GROUP BY t.album_id
) m
WHERE s.user_id = @user_id AND s.album_id = m.album_id;

DELETE FROM user_track_stats WHERE user_id = @user_id AND play_count = 0;
DELETE FROM user_artist_stats WHERE user_id = @user_id AND play_count = 0;
DELETE FROM user_album_stats WHERE user_id = @user_id AND play_count = 0;
DELETE FROM user_time_bucket_stats WHERE user_id = @user_id AND play_count = 0;
DELETE FROM user_hour_stats WHERE user_id = @user_id AND play_count = 0;
DELETE FROM user_weekday_hour_stats WHERE user_id = @user_id AND play_count = 0;
