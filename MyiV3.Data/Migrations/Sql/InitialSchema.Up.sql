-- listening_events: the append-only play log, RANGE-partitioned by month on played_at.
-- EF Core has no words for PARTITION BY, so the table is created here; its columns and keys
-- match ListeningEventConfiguration exactly (the pending-model-changes test guards the model).
CREATE TABLE listening_events (
    id            bigint GENERATED ALWAYS AS IDENTITY,
    played_at     timestamp with time zone NOT NULL,
    user_id       bigint NOT NULL,
    track_id      bigint NOT NULL,
    ms_played     integer NOT NULL,
    source        source NOT NULL,
    skipped       boolean,
    shuffle       boolean,
    reason_start  character varying(64),
    reason_end    character varying(64),
    platform      character varying(256),
    conn_country  character varying(2),
    offline       boolean,
    incognito     boolean,
    created_at    timestamp with time zone NOT NULL DEFAULT now(),
    CONSTRAINT pk_listening_events PRIMARY KEY (id, played_at),
    CONSTRAINT ck_listening_events_ms_played_nonnegative CHECK (ms_played >= 0),
    CONSTRAINT ck_listening_events_played_at_after_2006 CHECK (played_at >= '2006-01-01 00:00:00+00'),
    CONSTRAINT ck_listening_events_played_at_not_future CHECK (played_at <= now() + interval '1 day'),
    CONSTRAINT fk_listening_events_tracks_track_id FOREIGN KEY (track_id) REFERENCES tracks (id) ON DELETE RESTRICT,
    CONSTRAINT fk_listening_events_users_user_id FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
) PARTITION BY RANGE (played_at);

CREATE UNIQUE INDEX ix_listening_events_user_id_track_id_played_at ON listening_events (user_id, track_id, played_at);
CREATE INDEX ix_listening_events_user_id_played_at ON listening_events (user_id, played_at DESC);
CREATE INDEX ix_listening_events_user_id_created_at ON listening_events (user_id, created_at DESC);
CREATE INDEX ix_listening_events_track_id ON listening_events (track_id);

-- Creates the monthly partitions listening_events_yYYYYmMM covering [from_ts, to_ts], idempotently.
-- Months are UTC months. There is deliberately no DEFAULT partition: a play outside every
-- partition fails loudly instead of landing somewhere unmaintained.
-- Callers run it in its own short transaction before writing (creating a partition locks the
-- parent), and it serialises concurrent creators on an advisory lock.
CREATE FUNCTION ensure_listening_event_partitions(from_ts timestamp with time zone, to_ts timestamp with time zone)
RETURNS integer
LANGUAGE plpgsql
AS $fn$
DECLARE
    month_start date := date_trunc('month', from_ts AT TIME ZONE 'UTC')::date;
    last_month  date := date_trunc('month', to_ts AT TIME ZONE 'UTC')::date;
    part_name   text;
    created     integer := 0;
BEGIN
    IF from_ts IS NULL OR to_ts IS NULL OR last_month < month_start THEN
        RAISE EXCEPTION 'ensure_listening_event_partitions: invalid range % .. %', from_ts, to_ts;
    END IF;
    IF month_start < DATE '2006-01-01' OR last_month > (now() AT TIME ZONE 'UTC')::date + 400 THEN
        RAISE EXCEPTION 'ensure_listening_event_partitions: range % .. % is outside 2006 .. next year', from_ts, to_ts;
    END IF;
    WHILE month_start <= last_month LOOP
        part_name := format('listening_events_y%sm%s', to_char(month_start, 'YYYY'), to_char(month_start, 'MM'));
        IF to_regclass(part_name) IS NULL THEN
            PERFORM pg_advisory_xact_lock(hashtext('myi:listening_events:partitions'));
            -- The catalog cache may not yet show a partition another session just committed,
            -- so a concurrent creator's work is recognised by its error, not only by to_regclass.
            BEGIN
                EXECUTE format(
                    'CREATE TABLE %I PARTITION OF listening_events FOR VALUES FROM (%L) TO (%L)',
                    part_name,
                    month_start::timestamp AT TIME ZONE 'UTC',
                    (month_start + interval '1 month')::timestamp AT TIME ZONE 'UTC');
                created := created + 1;
            EXCEPTION WHEN duplicate_table THEN
                NULL;
            END;
        END IF;
        month_start := (month_start + interval '1 month')::date;
    END LOOP;
    RETURN created;
END
$fn$;

-- The current month and the next three are always ready.
SELECT ensure_listening_event_partitions(now(), now() + interval '3 months');

-- Tables that take hot counter updates: leave room on each page for HOT updates and vacuum early.
ALTER TABLE users SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);
ALTER TABLE user_track_stats SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);
ALTER TABLE user_artist_stats SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);
ALTER TABLE user_time_bucket_stats SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);
ALTER TABLE user_hour_stats SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);
ALTER TABLE user_weekday_hour_stats SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);
ALTER TABLE user_track_month_stats SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);
ALTER TABLE user_artist_month_stats SET (fillfactor = 90, autovacuum_vacuum_scale_factor = 0.01);
