-- Several nodes on one database (issue 27). Paired.
--
-- Attachment files kept in the database, so nodes share nothing else: one row per content
-- (SHA-256, as the file directory names them), its bytes in chunks of at most 1 MiB.
CREATE TABLE file_blobs (
    sha256     TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE file_chunks (
    sha256 TEXT NOT NULL REFERENCES file_blobs (sha256),
    seq    INTEGER NOT NULL,
    data   BLOB NOT NULL,
    PRIMARY KEY (sha256, seq)
);

-- Scheduled work done once across every node: a run of a job for a period (a day) is
-- claimed by one node; a claim not finished within its lease may be taken over.
CREATE TABLE job_runs (
    job         TEXT NOT NULL,
    period      TEXT NOT NULL,
    holder      TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    finished_at TEXT,
    PRIMARY KEY (job, period)
);

-- Rate limits that hold across nodes: hits per key in a fixed window.
CREATE TABLE rate_windows (
    key        TEXT NOT NULL,
    window_at  INTEGER NOT NULL,
    hits       INTEGER NOT NULL,
    PRIMARY KEY (key, window_at)
);
CREATE INDEX rate_windows_by_window ON rate_windows (window_at);
