-- Holiday schedules loaded by administrators (years after those shipped in data/holidays,
-- or corrections): the file as loaded, parsed again on every start. Paired across backends.

CREATE TABLE holiday_years (
    year      INTEGER PRIMARY KEY,
    title     TEXT NOT NULL,
    notice    TEXT NOT NULL,
    source    TEXT NOT NULL,
    loaded_by TEXT NOT NULL,
    loaded_at TEXT NOT NULL
);
