-- The per-element CHECK of the month array tables that a plain expression cannot say: in every
-- entry, skips stay within plays (as skip_count <= play_count does for the other stats tables).
CREATE FUNCTION myi_skips_within_plays(skips integer[], plays integer[]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE
RETURN NOT EXISTS (SELECT 1 FROM unnest(skips, plays) AS e(s, p) WHERE e.s > e.p);
