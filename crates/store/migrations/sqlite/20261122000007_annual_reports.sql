-- Annual reports (政府信息公开工作年度报告): the office's texts and entered figures while
-- drafting; at approval the whole computed report is frozen as a JSON snapshot, and the
-- published report is that snapshot. Paired across backends.

CREATE TABLE annual_reports (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    year         INTEGER NOT NULL,
    scope        TEXT NOT NULL,
    state        TEXT NOT NULL,
    overview     TEXT NOT NULL DEFAULT '',
    problems     TEXT NOT NULL DEFAULT '',
    other        TEXT NOT NULL DEFAULT '',
    restatement  TEXT NOT NULL DEFAULT '',
    entered      TEXT NOT NULL DEFAULT '{}',
    snapshot     TEXT,
    approved_by  TEXT,
    approved_at  TEXT,
    published_at TEXT,
    version      INTEGER NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    UNIQUE (org_id, year, scope)
);
