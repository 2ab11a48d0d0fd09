-- A responsible name an office settled on a task table (确认责任单位): the org it means, or
-- NULL for no org of the platform's. Remembered for the office's next imports. Paired.
CREATE TABLE settled_names (
    owner_org_id  INTEGER NOT NULL REFERENCES orgs(id),
    name          TEXT NOT NULL,
    org_id        INTEGER REFERENCES orgs(id),
    settled_by    TEXT NOT NULL,
    settled_at    TEXT NOT NULL,
    PRIMARY KEY (owner_org_id, name)
);
