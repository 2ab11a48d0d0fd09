-- The matter of the 政务公开负面清单 (a row of the list kind 'negative') an item is withheld on.
-- Paired across backends.

CREATE TABLE withhold_grounds (
    item_id INTEGER PRIMARY KEY REFERENCES items(id),
    row_id  INTEGER NOT NULL REFERENCES list_rows(id),
    set_by  TEXT NOT NULL,
    set_at  TEXT NOT NULL
);
CREATE INDEX withhold_grounds_row ON withhold_grounds(row_id);
