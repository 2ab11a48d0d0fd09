-- An org's own text for a kind of request notice (placeholders filled at printing; the
-- remedy paragraph of a reply is added whatever the text says). Paired across backends.

CREATE TABLE notice_templates (
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, kind)
);
