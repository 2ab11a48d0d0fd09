-- API tokens end (issue 20, item 5): new tokens carry the time they expire; NULL for the
-- tokens made before, which end with a password reset, a disable or a revocation. Paired.

ALTER TABLE api_tokens ADD COLUMN expires_at TEXT;
