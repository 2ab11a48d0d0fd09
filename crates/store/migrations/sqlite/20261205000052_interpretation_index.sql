-- The interpretation figures (the dashboard's 政策解读 alarms, supervision's responding
-- table) count every policy of a year: read from this index alone by publication time, not
-- from a million item rows with their bodies (0.29 s -> 0.12 s at the benchmark's city,
-- 17,500 policies a year among 52,600 items). Paired.
CREATE INDEX items_interpretation ON items(published_at, genre, org_id, public_rev, state);
