-- What a transaction changes, as signed plays: +1 for each event inserted, -1 for each removed.
-- Every statistic moves by exactly this and nothing else. local_ts is the play in the user's zone.
CREATE TEMP TABLE ingest_delta (
    sign      integer NOT NULL,
    track_id  bigint NOT NULL,
    played_at timestamp with time zone NOT NULL,
    ms        bigint NOT NULL,
    skip      integer NOT NULL,
    local_ts  timestamp without time zone NOT NULL
) ON COMMIT DROP;
