-- Photos of a held press conference, briefing or interview (issue 23): the image kept in the
-- file store by its SHA-256, its caption (read out in place of the image), who added it.
-- Removed photos are deleted from the event; the audit trail keeps the record. Paired.

CREATE TABLE press_photos (
    id         INTEGER PRIMARY KEY,
    event_id   INTEGER NOT NULL REFERENCES press_events(id),
    caption    TEXT NOT NULL,
    mime       TEXT NOT NULL,
    size       INTEGER NOT NULL,
    sha256     TEXT NOT NULL,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX press_photos_event ON press_photos (event_id);
