-- Catalog and publishing: catalog sections, items with their working copy and published
-- revisions, workflow events, the publication register, index-number counters, and the
-- outbox that the search index follows. Paired across sqlite/ and postgres/.

CREATE TABLE catalog_sections (
    id          INTEGER PRIMARY KEY,
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    parent_id   INTEGER REFERENCES catalog_sections(id),
    name        TEXT NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    update_rule TEXT NOT NULL DEFAULT '',
    created_at  TEXT NOT NULL
);
CREATE INDEX catalog_sections_org ON catalog_sections(org_id, parent_id);

CREATE TABLE items (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES orgs(id),
    author_id          INTEGER REFERENCES users(id),
    state              TEXT NOT NULL,
    title              TEXT NOT NULL,
    doc_no             TEXT NOT NULL DEFAULT '',
    doc_no_prefix      TEXT,
    doc_no_year        INTEGER,
    doc_no_serial      INTEGER,
    index_no           TEXT UNIQUE,
    issuer_name        TEXT NOT NULL DEFAULT '',
    co_issuers         TEXT NOT NULL DEFAULT '[]',
    topic              TEXT NOT NULL DEFAULT '',
    genre              TEXT NOT NULL DEFAULT '',
    section_id         INTEGER REFERENCES catalog_sections(id),
    written_on         TEXT,
    published_at       TEXT,
    repealed_on        TEXT,
    validity           TEXT NOT NULL DEFAULT 'valid',
    summary            TEXT NOT NULL DEFAULT '',
    body               TEXT NOT NULL DEFAULT '',
    disclosure_attr    TEXT,
    withhold_reason    TEXT NOT NULL DEFAULT '',
    withheld_parts     TEXT NOT NULL DEFAULT '',
    withhold_review_on TEXT,
    channels           TEXT NOT NULL DEFAULT '["网站"]',
    privacy_exception  TEXT NOT NULL DEFAULT '',
    replaced_by        INTEGER REFERENCES items(id),
    withdrawn_reason   TEXT NOT NULL DEFAULT '',
    public_rev         INTEGER,
    source_key         TEXT UNIQUE,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL
);
CREATE INDEX items_org_state ON items(org_id, state);
CREATE INDEX items_public ON items(public_rev, published_at);
CREATE INDEX items_doc_no ON items(doc_no);

CREATE TABLE item_revisions (
    item_id         INTEGER NOT NULL REFERENCES items(id),
    rev             INTEGER NOT NULL,
    title           TEXT NOT NULL,
    doc_no          TEXT NOT NULL,
    issuer_name     TEXT NOT NULL,
    co_issuers      TEXT NOT NULL,
    topic           TEXT NOT NULL,
    genre           TEXT NOT NULL,
    section_id      INTEGER,
    written_on      TEXT,
    summary         TEXT NOT NULL,
    body            TEXT NOT NULL,
    disclosure_attr TEXT NOT NULL,
    withheld_parts  TEXT NOT NULL,
    channels        TEXT NOT NULL,
    content_hash    TEXT NOT NULL,
    created_at      TEXT NOT NULL,
    PRIMARY KEY (item_id, rev)
);

CREATE TABLE item_events (
    id          INTEGER PRIMARY KEY,
    item_id     INTEGER NOT NULL REFERENCES items(id),
    event       TEXT NOT NULL,
    actor_id    INTEGER REFERENCES users(id),
    actor       TEXT NOT NULL,
    comment     TEXT NOT NULL DEFAULT '',
    state_after TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX item_events_item ON item_events(item_id, id);

-- 信息发布登记: one row per publication, withdrawal or validity change.
CREATE TABLE publication_register (
    id           INTEGER PRIMARY KEY,
    item_id      INTEGER NOT NULL REFERENCES items(id),
    rev          INTEGER,
    event        TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    author       TEXT NOT NULL,
    reviewer     TEXT NOT NULL,
    approver     TEXT NOT NULL,
    publisher    TEXT NOT NULL,
    channel      TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    at           TEXT NOT NULL
);
CREATE INDEX publication_register_item ON publication_register(item_id, id);
CREATE INDEX publication_register_org ON publication_register(org_id, at);

CREATE TABLE index_counters (
    org_id INTEGER NOT NULL REFERENCES orgs(id),
    year   INTEGER NOT NULL,
    next   INTEGER NOT NULL,
    PRIMARY KEY (org_id, year)
);

-- Changes the search index must follow, written in the same transaction as the change.
CREATE TABLE outbox (
    id        INTEGER PRIMARY KEY,
    kind      TEXT NOT NULL,
    object_id INTEGER NOT NULL,
    at        TEXT NOT NULL
);
