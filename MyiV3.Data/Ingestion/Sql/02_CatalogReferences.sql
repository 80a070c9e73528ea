-- The catalog step's foreign keys (tracks.album_id, track_artists), checked set-based when it runs
-- with session_replication_role = replica (see 02_References.sql): every track of the staged
-- plays, its album and the artists credited on it must exist, and stay locked FOR KEY SHARE until
-- the catalog commits. Rows this transaction inserted are its own already; the lock matters for the
-- rows it found.
WITH played AS (
    SELECT t.id, t.album_id FROM tracks t WHERE t.id IN (SELECT track_id FROM ingest_tracks) FOR KEY SHARE
), credits AS (
    SELECT DISTINCT ta.artist_id FROM track_artists ta WHERE ta.track_id IN (SELECT id FROM played)
), credited AS (
    SELECT a.id FROM artists a WHERE a.id IN (SELECT artist_id FROM credits) FOR KEY SHARE
), on_album AS (
    SELECT al.id FROM albums al WHERE al.id IN (SELECT album_id FROM played) FOR KEY SHARE
)
-- Two staged keys may name one track (a merged provisional key and the track's own id).
SELECT NOT EXISTS (SELECT 1 FROM ingest_tracks WHERE track_id IS NULL)
   AND (SELECT count(DISTINCT track_id) FROM ingest_tracks) = (SELECT count(*) FROM played)
   AND (SELECT count(*) FROM credits) = (SELECT count(*) FROM credited)
   AND (SELECT count(DISTINCT album_id) FROM played) = (SELECT count(*) FROM on_album);
