-- PostgreSQL's index of the interpretation figures gains the row's id; SQLite's indexes
-- hold the rowid already, so nothing changes here. Paired (the schema versions match).
SELECT 1;
