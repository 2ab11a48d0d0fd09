-- Consultations on drafts (意见征集): the draft item, its period and channels, comments from
-- the public with their moderation, and the feedback report (意见采纳情况) as groups with
-- their adoption and reasons, drafted and published by different people; a final policy
-- item can be held back until the feedback is published. Paired across backends.

CREATE TABLE consultations (
    id                 INTEGER PRIMARY KEY,
    org_id             INTEGER NOT NULL REFERENCES orgs(id),
    kind               TEXT NOT NULL,
    title              TEXT NOT NULL,
    draft_item_id      INTEGER REFERENCES items(id),
    explanation        TEXT NOT NULL DEFAULT '',
    opens_on           TEXT NOT NULL,
    closes_on          TEXT NOT NULL,
    short_reason       TEXT NOT NULL DEFAULT '',
    channels           TEXT NOT NULL DEFAULT '',
    show_comments      BOOLEAN NOT NULL DEFAULT 1,
    final_item_id      INTEGER REFERENCES items(id),
    block_final        BOOLEAN NOT NULL DEFAULT 1,
    feedback           TEXT NOT NULL DEFAULT '[]',
    feedback_note      TEXT NOT NULL DEFAULT '',
    feedback_by        TEXT NOT NULL DEFAULT '',
    feedback_published_on TEXT,
    created_by         TEXT NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL
);
CREATE INDEX consultations_org ON consultations(org_id, closes_on);
CREATE INDEX consultations_final ON consultations(final_item_id);

CREATE TABLE consultation_comments (
    id              INTEGER PRIMARY KEY,
    consultation_id INTEGER NOT NULL REFERENCES consultations(id),
    name            TEXT NOT NULL DEFAULT '',
    contact         TEXT NOT NULL DEFAULT '',
    article         TEXT NOT NULL DEFAULT '',
    body            TEXT NOT NULL,
    state           TEXT NOT NULL,
    reason          TEXT NOT NULL DEFAULT '',
    idempotency_key TEXT UNIQUE,
    created_at      TEXT NOT NULL
);
CREATE INDEX consultation_comments_c ON consultation_comments(consultation_id, state);
