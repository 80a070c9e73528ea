-- Plays recorded from the recently-played API carry an estimated duration until an import
-- replaces them. This partial index finds them (per user and time range) without touching the
-- far more numerous imported rows, so an import can tell in one probe whether it has anything
-- to correct, and a user with no API plays pays nothing.
CREATE INDEX ix_listening_events_api_user_id_played_at ON listening_events (user_id, played_at) WHERE source = 'API';
