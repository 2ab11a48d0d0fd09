-- A staff member's e-mail address, for the daily reminder of requests due or overdue.
-- Paired across backends.

ALTER TABLE users ADD COLUMN email TEXT NOT NULL DEFAULT '';
