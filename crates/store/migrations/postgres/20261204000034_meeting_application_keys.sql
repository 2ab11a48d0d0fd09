-- Meeting applications are idempotent (issue 24): a double click or a resent API call with
-- the same key answers the application filed then instead of filing a second. Paired.

ALTER TABLE meeting_applications ADD COLUMN idempotency_key TEXT;
CREATE UNIQUE INDEX meeting_applications_key ON meeting_applications (idempotency_key);
