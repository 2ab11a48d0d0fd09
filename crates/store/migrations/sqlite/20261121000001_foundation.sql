-- Foundation: orgs, users and roles, API tokens, web sessions, the audit trail.
-- Paired with postgres/20261121000001_foundation.sql: keep both in step.

CREATE TABLE orgs (
    id          INTEGER PRIMARY KEY,
    parent_id   INTEGER REFERENCES orgs(id),
    path        TEXT    NOT NULL DEFAULT '',
    code        TEXT    NOT NULL UNIQUE,
    name        TEXT    NOT NULL UNIQUE,
    short_name  TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    created_at  TEXT    NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id);
CREATE INDEX orgs_path ON orgs(path);

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    username      TEXT    NOT NULL UNIQUE,
    display_name  TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    active        BOOLEAN NOT NULL DEFAULT 1,
    created_at    TEXT    NOT NULL
);
CREATE INDEX users_org ON users(org_id);

CREATE TABLE user_roles (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    role    TEXT    NOT NULL,
    PRIMARY KEY (user_id, role)
);

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users(id),
    name         TEXT    NOT NULL,
    token_hash   TEXT    NOT NULL UNIQUE,
    created_at   TEXT    NOT NULL,
    last_used_at TEXT,
    revoked_at   TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

CREATE TABLE web_sessions (
    id_hash    TEXT    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at TEXT    NOT NULL,
    expires_at TEXT    NOT NULL
);
CREATE INDEX web_sessions_expiry ON web_sessions(expires_at);

CREATE TABLE audit_log (
    seq         INTEGER PRIMARY KEY,
    at          TEXT    NOT NULL,
    actor       TEXT    NOT NULL,
    action      TEXT    NOT NULL,
    object_kind TEXT    NOT NULL,
    object_id   TEXT    NOT NULL,
    origin      TEXT    NOT NULL,
    before      TEXT    NOT NULL,
    after       TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL
);
CREATE INDEX audit_log_object ON audit_log(object_kind, object_id);

-- The chain head: one row, updated first in every auditing transaction, so concurrent
-- writers take turns and each row links to the one committed before it.
CREATE TABLE audit_head (
    id   INTEGER PRIMARY KEY CHECK (id = 1),
    seq  INTEGER NOT NULL,
    hash TEXT    NOT NULL
);
INSERT INTO audit_head (id, seq, hash)
VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
