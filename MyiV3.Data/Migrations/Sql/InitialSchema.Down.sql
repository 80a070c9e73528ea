DROP FUNCTION IF EXISTS ensure_listening_event_partitions(timestamp with time zone, timestamp with time zone);
DROP TABLE IF EXISTS listening_events;
