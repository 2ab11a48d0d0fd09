-- Interpretation and responding (解读回应): an interpretation is an item with a row here (its
-- form and details) linked to one or more policies through item_links (now keyed by the
-- target too); a policy's need for one is marked here when the editor overrides its genre,
-- with the drafting org that interprets it when that is not the issuing org. Press
-- conferences, briefings and online interviews with their linked items; questions to an
-- interview are letters carrying its id. Concerns (政务舆情) with their timeline, responses
-- and leaders' instructions. Paired across backends.

CREATE TABLE item_links_new (
    item_id    INTEGER NOT NULL REFERENCES items(id),
    kind       TEXT NOT NULL,
    target_id  INTEGER NOT NULL REFERENCES items(id),
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (item_id, kind, target_id)
);
INSERT INTO item_links_new (item_id, kind, target_id, created_by, created_at)
    SELECT item_id, kind, target_id, created_by, created_at FROM item_links;
DROP TABLE item_links;
ALTER TABLE item_links_new RENAME TO item_links;
CREATE INDEX item_links_target ON item_links(target_id, kind);

CREATE TABLE interpretations (
    item_id    INTEGER PRIMARY KEY REFERENCES items(id),
    form       TEXT NOT NULL,
    details    TEXT NOT NULL DEFAULT '{}',
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

CREATE TABLE interpretation_needs (
    item_id         INTEGER PRIMARY KEY REFERENCES items(id),
    needed          BOOLEAN,
    drafting_org_id INTEGER REFERENCES orgs(id),
    note            TEXT NOT NULL DEFAULT '',
    set_by          TEXT NOT NULL,
    set_at          TEXT NOT NULL
);

CREATE TABLE press_events (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    kind         TEXT NOT NULL,
    title        TEXT NOT NULL,
    starts_at    TEXT NOT NULL,
    place        TEXT NOT NULL DEFAULT '',
    summary      TEXT NOT NULL DEFAULT '',
    speakers     TEXT NOT NULL DEFAULT '[]',
    principal    BOOLEAN NOT NULL DEFAULT 0,
    transcript   TEXT NOT NULL DEFAULT '',
    video_url    TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL,
    published_at TEXT,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    version      INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX press_events_org ON press_events(org_id, starts_at);

CREATE TABLE press_links (
    press_id INTEGER NOT NULL REFERENCES press_events(id),
    item_id  INTEGER NOT NULL REFERENCES items(id),
    PRIMARY KEY (press_id, item_id)
);

ALTER TABLE letters ADD COLUMN interview_id INTEGER REFERENCES press_events(id);
CREATE INDEX letters_interview ON letters(interview_id);

CREATE TABLE concerns (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES orgs(id),
    logged_org_id     INTEGER NOT NULL REFERENCES orgs(id),
    source            TEXT NOT NULL,
    source_detail     TEXT NOT NULL DEFAULT '',
    first_seen_at     TEXT NOT NULL,
    topic             TEXT NOT NULL,
    summary           TEXT NOT NULL DEFAULT '',
    severity          TEXT NOT NULL,
    stage             TEXT NOT NULL,
    police            BOOLEAN NOT NULL DEFAULT 0,
    evaluation        TEXT NOT NULL DEFAULT '',
    first_response_at TEXT,
    first_press_at    TEXT,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    version           INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX concerns_org_stage ON concerns(org_id, stage);

CREATE TABLE concern_events (
    id         INTEGER PRIMARY KEY,
    concern_id INTEGER NOT NULL REFERENCES concerns(id),
    step       TEXT NOT NULL,
    actor      TEXT NOT NULL,
    org_id     INTEGER NOT NULL REFERENCES orgs(id),
    note       TEXT NOT NULL DEFAULT '',
    ref_kind   TEXT,
    ref_id     INTEGER,
    done_id    INTEGER,
    at         TEXT NOT NULL
);
CREATE INDEX concern_events_concern ON concern_events(concern_id, id);
CREATE INDEX concern_events_ref ON concern_events(step, ref_kind, ref_id);
