-- 公示 with notice periods: an item put before the public for a period, with or without an
-- objection channel (letters to the org's 公示异议 mailbox carrying the notice's id) and a
-- result announcement (事后公告: an item whose row names the 公示 it concludes, one each).
-- Paired across backends.

CREATE TABLE public_notices (
    item_id         INTEGER PRIMARY KEY REFERENCES items(id),
    stage           TEXT NOT NULL,
    period_from     TEXT,
    period_until    TEXT,
    period_days     INTEGER,
    period_unit     TEXT,
    objections      BOOLEAN NOT NULL DEFAULT 0,
    result_required BOOLEAN NOT NULL DEFAULT 0,
    of_notice       INTEGER UNIQUE REFERENCES items(id),
    updated_by      TEXT NOT NULL,
    updated_at      TEXT NOT NULL
);
CREATE INDEX public_notices_period ON public_notices(stage, period_until);

ALTER TABLE letters ADD COLUMN notice_id INTEGER REFERENCES items(id);
CREATE INDEX letters_notice ON letters(notice_id);
