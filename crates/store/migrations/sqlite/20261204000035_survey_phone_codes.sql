-- Surveys may ask for phone confirmation (issue 24): one answer per mobile number, confirmed
-- by a code sent by SMS. The number is kept only as a hash (with the survey id), the code
-- only as a hash; each code has its send time, tries and whether it was used. Paired.

ALTER TABLE surveys ADD COLUMN confirm_phone BOOLEAN NOT NULL DEFAULT 0;

CREATE TABLE survey_codes (
    id         INTEGER PRIMARY KEY,
    survey_id  INTEGER NOT NULL REFERENCES surveys(id),
    phone_hash TEXT NOT NULL,
    code_hash  TEXT NOT NULL,
    sent_at    TEXT NOT NULL,
    attempts   INTEGER NOT NULL DEFAULT 0,
    used       BOOLEAN NOT NULL DEFAULT 0
);
CREATE INDEX survey_codes_phone ON survey_codes (survey_id, phone_hash, sent_at);
