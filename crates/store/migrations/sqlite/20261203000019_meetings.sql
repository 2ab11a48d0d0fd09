-- Meetings the public may attend (列席): topics and seats per kind as JSON, applications with
-- their selection, and the published list. Paired across backends.

CREATE TABLE meetings (
    id                INTEGER PRIMARY KEY,
    org_id            INTEGER NOT NULL REFERENCES orgs(id),
    title             TEXT NOT NULL,
    topics            TEXT NOT NULL,
    seats             TEXT NOT NULL,
    place             TEXT NOT NULL DEFAULT '',
    held_on           TEXT NOT NULL,
    apply_by          TEXT NOT NULL,
    list_published_on TEXT,
    created_by        TEXT NOT NULL,
    created_at        TEXT NOT NULL
);

CREATE TABLE meeting_applications (
    id           INTEGER PRIMARY KEY,
    meeting_id   INTEGER NOT NULL REFERENCES meetings(id),
    kind         TEXT NOT NULL,
    name         TEXT NOT NULL,
    organisation TEXT NOT NULL DEFAULT '',
    phone        TEXT NOT NULL,
    reason       TEXT NOT NULL DEFAULT '',
    state        TEXT NOT NULL,
    note         TEXT NOT NULL DEFAULT '',
    created_at   TEXT NOT NULL
);
CREATE INDEX meeting_applications_m ON meeting_applications(meeting_id, state);
