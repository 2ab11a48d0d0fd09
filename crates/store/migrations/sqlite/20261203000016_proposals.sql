-- NPC suggestions and CPPCC proposals (建议提案办理): recorded by the office, assigned to a
-- lead org with co-organising orgs, replied by a signed letter with its category, rated by
-- the proposer, and published in full (or not, with the reason). Paired across backends.

CREATE TABLE proposals (
    id                 INTEGER PRIMARY KEY,
    kind               TEXT NOT NULL,
    number             TEXT NOT NULL,
    session            TEXT NOT NULL DEFAULT '',
    title              TEXT NOT NULL,
    proposer           TEXT NOT NULL,
    summary            TEXT NOT NULL DEFAULT '',
    office_org_id      INTEGER NOT NULL REFERENCES orgs(id),
    lead_org_id        INTEGER NOT NULL REFERENCES orgs(id),
    assigned_on        TEXT NOT NULL,
    months             INTEGER NOT NULL,
    state              TEXT NOT NULL,
    reply              TEXT NOT NULL DEFAULT '',
    category           TEXT,
    replied_on         TEXT,
    signed_by          TEXT NOT NULL DEFAULT '',
    rating             TEXT,
    rating_note        TEXT NOT NULL DEFAULT '',
    published_on       TEXT,
    unpublished_reason TEXT NOT NULL DEFAULT '',
    version            INTEGER NOT NULL DEFAULT 1,
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    UNIQUE (office_org_id, kind, session, number)
);
CREATE INDEX proposals_lead ON proposals(lead_org_id, state);
CREATE INDEX proposals_assigned ON proposals(assigned_on);

CREATE TABLE proposal_coorgs (
    proposal_id INTEGER NOT NULL REFERENCES proposals(id),
    org_id      INTEGER NOT NULL REFERENCES orgs(id),
    PRIMARY KEY (proposal_id, org_id)
);
