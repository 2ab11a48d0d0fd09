-- Self-inspection (自查): per org and year, every withheld item with its ground and the
-- information requests concentrated on, each with a recommendation the org answers.
-- Paired across backends.

CREATE TABLE inspections (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    year         INTEGER NOT NULL,
    started_by   TEXT NOT NULL,
    started_at   TEXT NOT NULL,
    submitted_by TEXT,
    submitted_at TEXT,
    UNIQUE (org_id, year)
);

CREATE TABLE inspection_entries (
    id             INTEGER PRIMARY KEY,
    inspection_id  INTEGER NOT NULL REFERENCES inspections(id),
    kind           TEXT NOT NULL,
    item_id        INTEGER REFERENCES items(id),
    subject        TEXT NOT NULL,
    ground         TEXT NOT NULL DEFAULT '',
    requests       INTEGER NOT NULL DEFAULT 0,
    recommendation TEXT NOT NULL,
    why            TEXT NOT NULL DEFAULT '',
    decision       TEXT,
    reason         TEXT NOT NULL DEFAULT '',
    decided_by     TEXT,
    decided_at     TEXT
);
CREATE INDEX inspection_entries_inspection ON inspection_entries(inspection_id, id);
