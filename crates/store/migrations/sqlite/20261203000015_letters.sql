-- Mailboxes and letters from the public (领导信箱, 咨询, 投诉, 建议): each mailbox belongs to
-- an org and has a reply period in working days; each letter is followed by the writer with
-- a tracking number and query code, handled by one org at a time, with its events (the
-- timeline the writer sees) and the FAQ entries promoted from good replies. Personal data of
-- writers is stored here and nowhere else. Paired across backends.

CREATE TABLE mailboxes (
    id             INTEGER PRIMARY KEY,
    org_id         INTEGER NOT NULL REFERENCES orgs(id),
    kind           TEXT NOT NULL,
    name           TEXT NOT NULL,
    reply_days     INTEGER NOT NULL,
    public_default BOOLEAN NOT NULL DEFAULT 1,
    intro          TEXT NOT NULL DEFAULT '',
    active         BOOLEAN NOT NULL DEFAULT 1,
    created_at     TEXT NOT NULL,
    UNIQUE (org_id, name)
);

CREATE TABLE letters (
    id               INTEGER PRIMARY KEY,
    tracking_no      TEXT NOT NULL UNIQUE,
    query_code       TEXT NOT NULL,
    mailbox_id       INTEGER NOT NULL REFERENCES mailboxes(id),
    org_id           INTEGER NOT NULL REFERENCES orgs(id),
    name             TEXT NOT NULL,
    phone            TEXT NOT NULL DEFAULT '',
    email            TEXT NOT NULL DEFAULT '',
    subject          TEXT NOT NULL,
    body             TEXT NOT NULL,
    consent          BOOLEAN NOT NULL DEFAULT 0,
    submitted_at     TEXT NOT NULL,
    received_on      TEXT NOT NULL,
    reply_days       INTEGER NOT NULL,
    state            TEXT NOT NULL,
    extension_days   INTEGER NOT NULL DEFAULT 0,
    reply            TEXT NOT NULL DEFAULT '',
    reply_public     BOOLEAN NOT NULL DEFAULT 0,
    drafted_by       TEXT NOT NULL DEFAULT '',
    replied_on       TEXT,
    closing          TEXT,
    closing_note     TEXT NOT NULL DEFAULT '',
    satisfaction     TEXT,
    satisfaction_note TEXT NOT NULL DEFAULT '',
    idempotency_key  TEXT UNIQUE,
    version          INTEGER NOT NULL DEFAULT 1,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL
);
CREATE INDEX letters_org_state ON letters(org_id, state);
CREATE INDEX letters_mailbox ON letters(mailbox_id, received_on);
CREATE INDEX letters_public ON letters(state, reply_public, replied_on);

CREATE TABLE letter_events (
    id        INTEGER PRIMARY KEY,
    letter_id INTEGER NOT NULL REFERENCES letters(id),
    step      TEXT NOT NULL,
    actor     TEXT NOT NULL,
    org_id    INTEGER NOT NULL REFERENCES orgs(id),
    note      TEXT NOT NULL DEFAULT '',
    at        TEXT NOT NULL
);
CREATE INDEX letter_events_letter ON letter_events(letter_id, id);

CREATE TABLE faq_entries (
    id         INTEGER PRIMARY KEY,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    topic      TEXT NOT NULL,
    question   TEXT NOT NULL,
    answer     TEXT NOT NULL,
    letter_id  INTEGER REFERENCES letters(id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX faq_entries_org ON faq_entries(org_id, topic);

-- A letter's attachments (images, PDF): content-addressed files, for staff only.
CREATE TABLE letter_files (
    id         INTEGER PRIMARY KEY,
    letter_id  INTEGER NOT NULL REFERENCES letters(id),
    name       TEXT NOT NULL,
    mime       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX letter_files_letter ON letter_files(letter_id);
