-- Self-inspection that changes something: each entry the org answered 予以公开 gets the item
-- that will publish it (the withheld item itself, or a new draft for information its
-- requests concentrated on) and a deadline; it is done when that item is public. Paired.

CREATE TABLE inspection_followups (
    entry_id    BIGINT PRIMARY KEY REFERENCES inspection_entries(id),
    item_id     BIGINT NOT NULL REFERENCES items(id),
    due_on      DATE NOT NULL,
    created_at  TIMESTAMPTZ NOT NULL
);
CREATE INDEX inspection_followups_item ON inspection_followups(item_id);
