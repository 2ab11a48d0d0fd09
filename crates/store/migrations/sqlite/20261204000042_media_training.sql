-- 政务新媒体 and training (issue 26). Paired.
--
-- An org's accounts on other platforms, registered with their operator and review
-- mechanism; closed (关停) or merged (整合), never deleted. `last_update` is the latest
-- update recorded, kept beside the account so the freshness check reads one row.
CREATE TABLE media_accounts (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    platform     TEXT NOT NULL,
    name         TEXT NOT NULL,
    handle       TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    operator     TEXT NOT NULL,
    review       TEXT NOT NULL,
    opened_on    TEXT,
    state        TEXT NOT NULL,
    ended_on     TEXT,
    end_reason   TEXT NOT NULL DEFAULT '',
    merged_into  INTEGER,  -- the account it went into (no foreign key: a copy in id order may meet it first)
    last_update  TEXT,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
);
CREATE INDEX media_accounts_org ON media_accounts(org_id);

-- What an account published: typed by the org, or an item republished there (item_id).
CREATE TABLE media_updates (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL,   -- the account it went into (no foreign key: a copy in id order may meet it first)
    posted_on    TEXT NOT NULL,
    title        TEXT NOT NULL DEFAULT '',
    url          TEXT NOT NULL DEFAULT '',
    item_id      INTEGER REFERENCES items(id),
    recorded_by  TEXT NOT NULL,
    recorded_at  TEXT NOT NULL
);
CREATE INDEX media_updates_account ON media_updates(account_id, posted_on);
CREATE INDEX media_updates_item ON media_updates(item_id);

-- Training sessions and the leaders' hearings of the work report (听取工作汇报), with the
-- staff who attended; coverage per org and year is counted from these rows.
CREATE TABLE trainings (
    id           INTEGER PRIMARY KEY,
    org_id       INTEGER NOT NULL REFERENCES orgs(id),
    kind         TEXT NOT NULL,
    held_on      TEXT NOT NULL,
    topic        TEXT NOT NULL,
    hours        INTEGER NOT NULL DEFAULT 0,
    lecturer     TEXT NOT NULL DEFAULT '',
    place        TEXT NOT NULL DEFAULT '',
    note         TEXT NOT NULL DEFAULT '',
    others       INTEGER NOT NULL DEFAULT 0,
    created_by   TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE INDEX trainings_org ON trainings(org_id, held_on);
CREATE TABLE training_attendees (
    training_id  INTEGER NOT NULL REFERENCES trainings(id),
    user_id      INTEGER NOT NULL REFERENCES users(id),
    PRIMARY KEY (training_id, user_id)
);
CREATE INDEX training_attendees_user ON training_attendees(user_id);
