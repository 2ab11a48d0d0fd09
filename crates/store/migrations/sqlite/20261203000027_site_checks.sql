-- The website self-check (网站自查): each run, and what it found, by org. One daily run a
-- day across every node (the partial unique index); runs on demand besides. Paired.

CREATE TABLE site_check_runs (
    id            INTEGER PRIMARY KEY,
    checked_on    TEXT NOT NULL,
    trigger_kind  TEXT NOT NULL,
    by_user       TEXT NOT NULL DEFAULT '',
    ran_at        TEXT NOT NULL,
    items_checked INTEGER NOT NULL,
    links_checked INTEGER NOT NULL,
    files_checked INTEGER NOT NULL
);
CREATE UNIQUE INDEX site_check_runs_daily ON site_check_runs(checked_on) WHERE trigger_kind = 'daily';

CREATE TABLE site_check_findings (
    run_id     INTEGER NOT NULL REFERENCES site_check_runs(id) ON DELETE CASCADE,
    position   INTEGER NOT NULL,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    rule       TEXT NOT NULL,
    severity   TEXT NOT NULL,
    subject    TEXT NOT NULL,
    detail     TEXT NOT NULL,
    href       TEXT NOT NULL,
    days_left  INTEGER,
    PRIMARY KEY (run_id, position)
);
CREATE INDEX site_check_findings_org ON site_check_findings(org_id, run_id);
