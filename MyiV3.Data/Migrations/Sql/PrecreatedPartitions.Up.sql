-- Every month from January 2008 (Spotify opened that autumn; an export holds nothing older) to three
-- months ahead gets its partition now, once, instead of during a person's first import. Creating a
-- partition takes an ACCESS EXCLUSIVE lock on listening_events and a SHARE ROW EXCLUSIVE lock on
-- tracks and users (its foreign keys): done during an import, a first history of eight years made
-- about a hundred of them, competing with the parser for the machine's cores and holding up the
-- catalog and the dashboards' reads for each. Empty partitions cost a few pages each, and queries
-- bounded in time prune them. Older months (the schema accepts plays from 2006) are still made on
-- demand by ensure_listening_event_partitions.
SELECT ensure_listening_event_partitions('2008-01-01T00:00:00Z', now() + interval '3 months');
