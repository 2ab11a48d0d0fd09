-- The yearly plan of online interviews per org (年度在线访谈计划, issue 23): the lines (month,
-- topic, guests) as JSON, one plan per org and year, replaced as a whole. Paired.

CREATE TABLE interview_plans (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    year       INTEGER NOT NULL,
    entries    TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (org_id, year)
);
