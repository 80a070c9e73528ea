-- Subtracts the removed plays of ingest_delta (API estimates an import replaced) from the
-- user's statistics. Each row keeps its invariants: a removed play was counted in it.
UPDATE user_track_stats t
SET play_count = t.play_count - d.plays, total_ms = t.total_ms - d.ms, skip_count = t.skip_count - d.skips
FROM (SELECT track_id, count(*) AS plays, sum(ms) AS ms, sum(skip) AS skips FROM ingest_delta WHERE sign < 0 GROUP BY track_id) d
WHERE t.user_id = @user_id AND t.track_id = d.track_id;

UPDATE user_artist_stats t
SET play_count = t.play_count - d.plays, total_ms = t.total_ms - d.ms, skip_count = t.skip_count - d.skips
FROM (SELECT ta.artist_id, count(*) AS plays, sum(x.ms) AS ms, sum(x.skip) AS skips
      FROM ingest_delta x JOIN track_artists ta ON ta.track_id = x.track_id
      WHERE x.sign < 0 GROUP BY ta.artist_id) d
WHERE t.user_id = @user_id AND t.artist_id = d.artist_id;

UPDATE user_album_stats t
SET play_count = t.play_count - d.plays, total_ms = t.total_ms - d.ms, skip_count = t.skip_count - d.skips
FROM (SELECT tr.album_id, count(*) AS plays, sum(x.ms) AS ms, sum(x.skip) AS skips
      FROM ingest_delta x JOIN tracks tr ON tr.id = x.track_id
      WHERE x.sign < 0 AND tr.album_id IS NOT NULL GROUP BY tr.album_id) d
WHERE t.user_id = @user_id AND t.album_id = d.album_id;

UPDATE user_time_bucket_stats t
SET play_count = t.play_count - d.plays, total_ms = t.total_ms - d.ms, skip_count = t.skip_count - d.skips
FROM (SELECT b.bucket_type, b.bucket_date, count(*) AS plays, sum(x.ms) AS ms, sum(x.skip) AS skips
      FROM ingest_delta x
      CROSS JOIN LATERAL (VALUES
          ('DAY'::bucket_type, x.local_ts::date),
          ('WEEK'::bucket_type, date_trunc('week', x.local_ts)::date),
          ('MONTH'::bucket_type, date_trunc('month', x.local_ts)::date)) AS b(bucket_type, bucket_date)
      WHERE x.sign < 0 GROUP BY b.bucket_type, b.bucket_date) d
WHERE t.user_id = @user_id AND t.bucket_type = d.bucket_type AND t.bucket_date = d.bucket_date;

UPDATE user_hour_stats t
SET play_count = t.play_count - d.plays, total_ms = t.total_ms - d.ms, skip_count = t.skip_count - d.skips
FROM (SELECT extract(hour FROM local_ts)::smallint AS hour, count(*) AS plays, sum(ms) AS ms, sum(skip) AS skips
      FROM ingest_delta WHERE sign < 0 GROUP BY 1) d
WHERE t.user_id = @user_id AND t.hour = d.hour;

UPDATE user_weekday_hour_stats t
SET play_count = t.play_count - d.plays, total_ms = t.total_ms - d.ms
FROM (SELECT extract(isodow FROM local_ts)::smallint AS weekday, extract(hour FROM local_ts)::smallint AS hour, count(*) AS plays, sum(ms) AS ms
      FROM ingest_delta WHERE sign < 0 GROUP BY 1, 2) d
WHERE t.user_id = @user_id AND t.weekday = d.weekday AND t.hour = d.hour;

-- The month arrays take the whole signed delta at once (MonthArrays.cs, 10_Month*Delta.sql, 11_MergeMonths.sql).
