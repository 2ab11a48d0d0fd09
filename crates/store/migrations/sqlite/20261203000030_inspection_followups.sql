-- Self-inspection that changes something: each entry the org answered 予以公开 gets the item
-- that will publish it (the withheld item itself, or a new draft for information its
-- requests concentrated on) and a deadline; it is done when that item is public. Paired.

CREATE TABLE inspection_followups (
    entry_id    INTEGER PRIMARY KEY REFERENCES inspection_entries(id),
    item_id     INTEGER NOT NULL REFERENCES items(id),
    due_on      TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX inspection_followups_item ON inspection_followups(item_id);
