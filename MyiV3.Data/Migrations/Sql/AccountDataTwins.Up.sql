-- An account-data export (StreamingHistory*.json) names plays to the minute and says nothing of
-- platform, country or why playback started or ended; an extended export names the same plays to
-- the second with all of that. Imports recognise one play in both shapes (IngestionSql.Twins*); this
-- partial index finds a user's minute-precision plays near a batch in one probe, so a user who
-- never imported account data pays nothing, and the far more numerous extended rows stay out of it.
CREATE INDEX ix_listening_events_minute_user_id_played_at ON listening_events (user_id, played_at)
    WHERE source = 'IMPORT' AND platform IS NULL AND reason_start IS NULL;

-- A provisional track is keyed by its names already. A Spotify track learns its name key the next
-- time an import catalogs it (02_Catalog.sql): SQL cannot reproduce the key's normalisation exactly.
UPDATE tracks SET name_key = spotify_id WHERE is_provisional AND name_key IS NULL;
