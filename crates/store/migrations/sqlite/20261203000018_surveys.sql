-- Online surveys (网上调查): questions as JSON, a period, answers one per person (the hash of
-- a browser token), and the results published with how they were used. Paired across
-- backends.

CREATE TABLE surveys (
    id                   INTEGER PRIMARY KEY,
    org_id               INTEGER NOT NULL REFERENCES orgs(id),
    title                TEXT NOT NULL,
    intro                TEXT NOT NULL DEFAULT '',
    questions            TEXT NOT NULL,
    opens_on             TEXT NOT NULL,
    closes_on            TEXT NOT NULL,
    results_published_on TEXT,
    usage                TEXT NOT NULL DEFAULT '',
    created_by           TEXT NOT NULL,
    created_at           TEXT NOT NULL
);

CREATE TABLE survey_answers (
    id         INTEGER PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES surveys(id),
    voter      TEXT NOT NULL,
    answers    TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (survey_id, voter)
);
