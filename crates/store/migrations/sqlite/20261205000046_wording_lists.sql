-- A site's own 表述检查 list beside the shipped one (its wrong forms and its office holders
-- with their titles), kept by the office of the site's top-level org. Paired.
CREATE TABLE wording_lists (
    site_id     INTEGER PRIMARY KEY REFERENCES orgs(id),
    text        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    updated_by  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);
