-- The platform's home page opened from outside, every few minutes when an operator turns it
-- on: when, the HTTP status (0: no answer) and how long it took. 40 days are kept. Paired.
CREATE TABLE site_probes (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    status      INTEGER NOT NULL,
    elapsed_ms  INTEGER NOT NULL,
    detail      TEXT NOT NULL
);
CREATE INDEX site_probes_at ON site_probes (at);
