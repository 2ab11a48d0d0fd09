-- 机构概况 and 领导之窗 (条例第二十条第（二）项): one profile per org, its leaders in order;
-- saved together, the leaders replaced as a whole. Paired.
CREATE TABLE org_profiles (
    org_id        INTEGER PRIMARY KEY REFERENCES orgs(id),
    functions     TEXT NOT NULL DEFAULT '',
    departments   TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    office_hours  TEXT NOT NULL DEFAULT '',
    phone         TEXT NOT NULL DEFAULT '',
    fax           TEXT NOT NULL DEFAULT '',
    head          TEXT NOT NULL DEFAULT '',
    updated_by    TEXT NOT NULL,
    updated_at    TEXT NOT NULL
);
CREATE TABLE org_leaders (
    org_id    INTEGER NOT NULL REFERENCES orgs(id),
    position  INTEGER NOT NULL,
    name      TEXT NOT NULL,
    title     TEXT NOT NULL,
    duties    TEXT NOT NULL DEFAULT '',
    resume    TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (org_id, position)
);
