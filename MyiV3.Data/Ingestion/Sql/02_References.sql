-- The foreign keys of everything a batch writes, checked once per referenced row instead of once
-- per written row. Runs only when the batch writes with session_replication_role = replica, which
-- leaves out PostgreSQL's per-row foreign-key triggers (each an SPI query: in a 250k-play import
-- they were about half the cost of writing the events). What those triggers would do is done here,
-- set-based: every referenced row must exist, and is locked FOR KEY SHARE, the lock the trigger
-- takes, until the batch commits, so no one can delete it (or change its key) in between.
-- Users: every table written is keyed by the user. Tracks: listening_events, user_track_stats.
-- Artists and albums (user_artist_stats, user_album_stats) are reached through track_artists and
-- tracks.album_id, whose own foreign keys say they exist; locking keeps them so.
-- {needed} is the batch's distinct track ids: from its staged plays, or from the rows of its
-- prepared slice (04_PrepareSlice.sql) when the batch writes those.
WITH needed AS (
    {needed}
), owner AS (
    SELECT id FROM users WHERE id = @user_id FOR KEY SHARE
), played AS (
    SELECT t.id, t.album_id FROM tracks t WHERE t.id IN (SELECT track_id FROM needed) FOR KEY SHARE
), credited AS (
    SELECT a.id FROM artists a
    WHERE a.id IN (SELECT ta.artist_id FROM track_artists ta WHERE ta.track_id IN (SELECT id FROM played))
    FOR KEY SHARE
), on_album AS (
    SELECT al.id FROM albums al WHERE al.id IN (SELECT album_id FROM played) FOR KEY SHARE
)
SELECT (SELECT count(*) FROM owner) AS users,
       (SELECT count(*) FROM needed) AS tracks_needed,
       (SELECT count(*) FROM played) AS tracks_found,
       (SELECT count(*) FROM credited) AS artists,
       (SELECT count(*) FROM on_album) AS albums;
