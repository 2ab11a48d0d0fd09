-- Information requests (依申请公开): the request with its applicant and clock, the
-- consultation pauses, the handling events (the public ones form the status timeline), and
-- administrative review and litigation records. Paired across backends.

CREATE TABLE requests (
    id                  INTEGER PRIMARY KEY,
    tracking_no         TEXT NOT NULL UNIQUE,
    query_code          TEXT NOT NULL,
    org_id              INTEGER NOT NULL REFERENCES orgs(id),
    channel             TEXT NOT NULL,
    applicant_type      TEXT NOT NULL,
    name                TEXT NOT NULL,
    id_type             TEXT NOT NULL DEFAULT '',
    id_number           TEXT NOT NULL DEFAULT '',
    credit_code         TEXT NOT NULL DEFAULT '',
    legal_rep           TEXT NOT NULL DEFAULT '',
    contact_person      TEXT NOT NULL DEFAULT '',
    phone               TEXT NOT NULL DEFAULT '',
    email               TEXT NOT NULL DEFAULT '',
    address             TEXT NOT NULL DEFAULT '',
    description         TEXT NOT NULL,
    doc_ref             TEXT NOT NULL DEFAULT '',
    purpose             TEXT NOT NULL DEFAULT '',
    form                TEXT NOT NULL,
    delivery            TEXT NOT NULL DEFAULT '',
    submitted_at        TEXT NOT NULL,
    received_on         TEXT NOT NULL,
    clock_start         TEXT NOT NULL,
    extension_days      INTEGER NOT NULL DEFAULT 0,
    clarification_asked BOOLEAN NOT NULL DEFAULT 0,
    state               TEXT NOT NULL,
    outcome             TEXT,
    reason              TEXT NOT NULL DEFAULT '',
    replied_on          TEXT,
    fee_basis           TEXT NOT NULL DEFAULT '',
    fee_amount          INTEGER NOT NULL DEFAULT 0,
    fee_notified_on     TEXT,
    fee_paid_on         TEXT,
    idempotency_key     TEXT UNIQUE,
    version             INTEGER NOT NULL DEFAULT 1,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX requests_org_state ON requests(org_id, state);
CREATE INDEX requests_received ON requests(received_on);

CREATE TABLE request_pauses (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests(id),
    started_on TEXT NOT NULL,
    ended_on   TEXT,
    party      TEXT NOT NULL DEFAULT ''
);
CREATE INDEX request_pauses_request ON request_pauses(request_id);

CREATE TABLE request_events (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests(id),
    step       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    comment    TEXT NOT NULL DEFAULT '',
    public     BOOLEAN NOT NULL DEFAULT 1,
    state_after TEXT NOT NULL,
    at         TEXT NOT NULL
);
CREATE INDEX request_events_request ON request_events(request_id, id);

-- 行政复议 / 行政诉讼 records (table 四 of the annual report).
CREATE TABLE request_remedies (
    id         INTEGER PRIMARY KEY,
    request_id INTEGER NOT NULL REFERENCES requests(id),
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL DEFAULT '',
    filed_on   TEXT NOT NULL,
    result     TEXT NOT NULL,
    decided_on TEXT,
    note       TEXT NOT NULL DEFAULT '',
    created_at TEXT NOT NULL
);
CREATE INDEX request_remedies_request ON request_remedies(request_id);
