-- PostgreSQL's indexes do not hold the row's id, as SQLite's hold the rowid: the
-- interpretation figures join each policy by its id, so they read the year's items from the
-- table (14,000 pages at the benchmark's city, 0.33-0.40 s) instead of from the index alone
-- (0.11 s). The id is the last column (not INCLUDE, which openGauss lacks). Paired.
DROP INDEX items_interpretation;
CREATE INDEX items_interpretation ON items(published_at, genre, org_id, public_rev, state, id);
