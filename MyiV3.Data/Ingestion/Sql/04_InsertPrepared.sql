-- A first-import batch whose slice was made ready ahead (04_PrepareSlice.sql), used only when the
-- batch, under the user's lock, finds what the preparation assumed: no event of the user in the
-- slice's range and no API play near it (so every row goes in, as with 04_InsertFresh.sql) and the
-- same time zone and private-session setting. Then the events go in as they are, and the sums the
-- statistics read (06_Sums.sql's relations) are the prepared ones.
INSERT INTO listening_events (user_id, track_id, played_at, ms_played, source, skipped, shuffle,
                              reason_start, reason_end, platform, conn_country, offline, incognito)
SELECT @user_id, track_id, played_at, ms_played, 'IMPORT', skipped, shuffle,
       reason_start, reason_end, platform, conn_country, offline, incognito
FROM {rows};

CREATE TEMP VIEW ingest_track_months AS SELECT * FROM {months};
CREATE TEMP VIEW ingest_hours AS SELECT * FROM {hours};
