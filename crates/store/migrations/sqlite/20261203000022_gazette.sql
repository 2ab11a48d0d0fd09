-- The government gazette (政府公报): issues numbered per year and in total, the published
-- items selected into each issue by section, and departments' submissions of their 规范性文件
-- (due within 5 working days of publication) with the office's 选登 decision. Paired.

CREATE TABLE gazette_issues (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    year         INTEGER NOT NULL,
    number       INTEGER NOT NULL,
    total        INTEGER NOT NULL,
    title        TEXT NOT NULL,
    state        TEXT NOT NULL,
    published_on TEXT,
    pdf_url      TEXT NOT NULL DEFAULT '',
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1,
    UNIQUE (org_id, year, number)
);

CREATE TABLE gazette_articles (
    issue_id  INTEGER NOT NULL REFERENCES gazette_issues(id),
    item_id   INTEGER NOT NULL REFERENCES items(id),
    section   TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (issue_id, item_id)
);
CREATE INDEX gazette_articles_item ON gazette_articles(item_id);

CREATE TABLE gazette_submissions (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL UNIQUE REFERENCES items(id),
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    gov_id       INTEGER NOT NULL REFERENCES orgs(id),
    submitted_by TEXT NOT NULL,
    submitted_on TEXT NOT NULL,
    state        TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    issue_id     INTEGER REFERENCES gazette_issues(id),
    decided_by   TEXT NOT NULL DEFAULT '',
    decided_on   TEXT
);
CREATE INDEX gazette_submissions_gov ON gazette_submissions(gov_id, state);
