-- Passwords to 等保 2.0 level 3 (issue 20): a password an administrator set must be changed
-- by its owner at the next login; with a maximum age configured, an old one too. NULL
-- change time: the account's creation counts. Paired.

ALTER TABLE users ADD COLUMN must_change_password BOOLEAN NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN password_changed_at TEXT;
