-- 考核: the office's weighted scheme of a year (its indicators as JSON, checked by
-- core::assessment) and the office's adjustments of an org's score, each with its reason.
-- Both are audited. Paired.

CREATE TABLE assessment_schemes (
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    year        INTEGER NOT NULL,
    scheme      TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    PRIMARY KEY (org_id, year)
);

CREATE TABLE assessment_adjustments (
    id          INTEGER PRIMARY KEY,
    scheme_org  INTEGER NOT NULL REFERENCES orgs(id),
    year        INTEGER NOT NULL,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    points      REAL NOT NULL,
    reason      TEXT NOT NULL,
    by_user     TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX assessment_adjustments_year ON assessment_adjustments(scheme_org, year);
