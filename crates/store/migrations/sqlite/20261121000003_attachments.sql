-- Attachments of items: files stored content-addressed under the data dir, with the text
-- extracted from them. An attachment becomes public with the revision that publishes it
-- (added_rev) and leaves with the one that drops it (removed_rev). Paired across backends.

CREATE TABLE attachments (
    id             INTEGER PRIMARY KEY,
    item_id        INTEGER NOT NULL REFERENCES items(id),
    name           TEXT NOT NULL,
    mime           TEXT NOT NULL,
    size           INTEGER NOT NULL,
    sha256         TEXT NOT NULL,
    text           TEXT NOT NULL DEFAULT '',
    position       INTEGER NOT NULL DEFAULT 0,
    added_rev      INTEGER,
    removed_rev    INTEGER,
    remove_pending BOOLEAN NOT NULL DEFAULT 0,
    created_at     TEXT NOT NULL
);
CREATE INDEX attachments_item ON attachments(item_id);
