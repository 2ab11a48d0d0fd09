-- 公示 with notice periods: an item put before the public for a period, with or without an
-- objection channel (letters to the org's 公示异议 mailbox carrying the notice's id) and a
-- result announcement (事后公告: an item whose row names the 公示 it concludes, one each).
-- Paired across backends.

CREATE TABLE public_notices (
    item_id         BIGINT PRIMARY KEY REFERENCES items(id),
    stage           TEXT NOT NULL,
    period_from     DATE,
    period_until    DATE,
    period_days     BIGINT,
    period_unit     TEXT,
    objections      BOOLEAN NOT NULL DEFAULT FALSE,
    result_required BOOLEAN NOT NULL DEFAULT FALSE,
    of_notice       BIGINT UNIQUE REFERENCES items(id),
    updated_by      TEXT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);
CREATE INDEX public_notices_period ON public_notices(stage, period_until);

ALTER TABLE letters ADD COLUMN notice_id BIGINT REFERENCES items(id);
CREATE INDEX letters_notice ON letters(notice_id);
