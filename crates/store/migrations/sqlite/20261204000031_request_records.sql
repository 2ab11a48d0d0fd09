-- Requests as records (issue 21): a reply that refuses or withholds waits for an approver's
-- sign-off (答复审批); every notice is frozen when issued, with its 文号 (numbered per org and
-- year) and issue date; the reply's released files and the 送达 record. Paired.

-- 邮政编码 of the applicant's address, for replies by post.
ALTER TABLE requests ADD COLUMN postcode TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN proposed_outcome TEXT;
ALTER TABLE requests ADD COLUMN proposed_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE requests ADD COLUMN proposed_on TEXT;
ALTER TABLE requests ADD COLUMN proposed_by INTEGER;

-- The pattern of an org's notice numbers, e.g. 黔江府办信公开〔{年}〕{号}号 (empty: the
-- org's name followed by 信公开〔{年}〕{号}号).
ALTER TABLE orgs ADD COLUMN notice_no_pattern TEXT NOT NULL DEFAULT '';

CREATE TABLE notice_counters (
    org_id  INTEGER NOT NULL REFERENCES orgs(id),
    year    INTEGER NOT NULL,
    last    INTEGER NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- An issued notice as it went out: never rewritten. seq counts the notices of one kind of
-- one request (a second extension is a second notice).
CREATE TABLE request_notices (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    kind        TEXT NOT NULL,
    seq         INTEGER NOT NULL,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    doc_no      TEXT NOT NULL,
    issued_on   TEXT NOT NULL,
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL,
    UNIQUE (request_id, kind, seq)
);

-- Files released with a reply, downloaded by the applicant with the query code.
CREATE TABLE request_files (
    id          INTEGER PRIMARY KEY,
    request_id  INTEGER NOT NULL REFERENCES requests(id),
    name        TEXT NOT NULL,
    mime        TEXT NOT NULL,
    size        INTEGER NOT NULL,
    sha256      TEXT NOT NULL,
    added_by    TEXT NOT NULL,
    removed     BOOLEAN NOT NULL DEFAULT FALSE,
    created_at  TEXT NOT NULL
);
CREATE INDEX request_files_request ON request_files(request_id);

-- How the reply reached the applicant (送达): method, date, and the proof (送达回证 for paper,
-- the mail's receipt, the post's tracking number).
CREATE TABLE request_deliveries (
    id            INTEGER PRIMARY KEY,
    request_id    INTEGER NOT NULL REFERENCES requests(id),
    method        TEXT NOT NULL,
    delivered_on  TEXT NOT NULL,
    proof         TEXT NOT NULL DEFAULT '',
    recorded_by   TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX request_deliveries_request ON request_deliveries(request_id);
