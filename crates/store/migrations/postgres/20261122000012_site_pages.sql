-- The site's settings (name, the footer's registration numbers, topic and genre additions)
-- and each org's own pages (its 政府信息公开制度 and an addition to its generated 指南),
-- kept by administrators in the console. Paired across backends.

CREATE TABLE site_settings (
    key        TEXT PRIMARY KEY,
    value      TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE org_pages (
    org_id     BIGINT NOT NULL REFERENCES orgs(id),
    kind       TEXT NOT NULL,
    body       TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (org_id, kind)
);
