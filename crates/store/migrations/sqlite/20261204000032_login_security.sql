-- Accounts to 等保 2.0 level 3 (issue 20, item 5): consecutive failed logins per account
-- and per client, with the time a lockout ends; and the last use of a web session, for
-- the idle timeout beside the absolute one. Paired.

CREATE TABLE login_failures (
    key           TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    locked_until  TEXT,
    updated_at    TEXT NOT NULL
);

ALTER TABLE web_sessions ADD COLUMN last_seen TEXT;
