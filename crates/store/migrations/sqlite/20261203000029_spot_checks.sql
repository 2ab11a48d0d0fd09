-- 抽查 and 整改: a spot check of an org's items, requests or letters, drawn from a recorded
-- seed and population (so the draw can be replayed), and each record drawn with its finding
-- and, for a problem, its 整改: deadline, the org's answer, the office's acceptance. Paired.

CREATE TABLE spot_checks (
    id             INTEGER PRIMARY KEY,
    checker_org    INTEGER NOT NULL REFERENCES orgs(id),
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    kind           TEXT NOT NULL,
    seed           TEXT NOT NULL,
    population     TEXT NOT NULL,
    note           TEXT NOT NULL DEFAULT '',
    created_by     TEXT NOT NULL,
    created_at     TEXT NOT NULL
);
CREATE INDEX spot_checks_org ON spot_checks(org_id);

CREATE TABLE spot_check_records (
    check_id     INTEGER NOT NULL REFERENCES spot_checks(id),
    position     INTEGER NOT NULL,
    record_id    INTEGER NOT NULL,
    label        TEXT NOT NULL,
    state        TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    due_on       TEXT,
    answer       TEXT NOT NULL DEFAULT '',
    answered_by  TEXT NOT NULL DEFAULT '',
    updated_at   TEXT NOT NULL,
    PRIMARY KEY (check_id, position)
);
CREATE INDEX spot_check_records_state ON spot_check_records(state);
