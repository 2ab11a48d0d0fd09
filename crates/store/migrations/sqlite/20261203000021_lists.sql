-- Structured public lists (清单) as data: the kinds (schemas shipped in data/lists/ or added by
-- an admin, versioned), their rows with the values as JSON, the adjustments that change them
-- (新增/调整/取消/下放/承接 with their basis, reviewed and signed off before they apply) and
-- each row's history. A row removed or past its 公示期限 stays stored. Paired across backends.

CREATE TABLE list_kinds (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    position    INTEGER NOT NULL DEFAULT 0,
    schema      TEXT NOT NULL,
    shipped     BOOLEAN NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE list_adjustments (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL REFERENCES list_kinds(code),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    adjust        TEXT NOT NULL,
    basis         TEXT NOT NULL,
    effective_on  TEXT NOT NULL,
    state         TEXT NOT NULL,
    changes       TEXT NOT NULL,
    row_count     INTEGER NOT NULL,
    drafted_by    TEXT NOT NULL,
    reviewed_by   TEXT NOT NULL DEFAULT '',
    approved_by   TEXT NOT NULL DEFAULT '',
    return_reason TEXT NOT NULL DEFAULT '',
    version       INTEGER NOT NULL DEFAULT 1,
    created_at    TEXT NOT NULL,
    published_at  TEXT
);
CREATE INDEX list_adjustments_kind ON list_adjustments(kind, state, id);
CREATE INDEX list_adjustments_org ON list_adjustments(org_id, state);

CREATE TABLE list_rows (
    id            INTEGER PRIMARY KEY,
    kind          TEXT NOT NULL REFERENCES list_kinds(code),
    org_id        INTEGER NOT NULL REFERENCES orgs(id),
    row_values    TEXT NOT NULL,
    title         TEXT NOT NULL,
    haystack      TEXT NOT NULL,
    filter1       TEXT NOT NULL DEFAULT '',
    filter2       TEXT NOT NULL DEFAULT '',
    notice_until  TEXT,
    row_on        TEXT,
    created_on    TEXT NOT NULL,
    updated_on    TEXT NOT NULL,
    removed_on    TEXT,
    removed_as    TEXT NOT NULL DEFAULT ''
);
-- The public table counts from these indexes alone: the kind, the filters, removal and the
-- end of the notice period are all in them.
CREATE INDEX list_rows_public ON list_rows(kind, removed_on, notice_until, id);
CREATE INDEX list_rows_filter ON list_rows(kind, filter1, filter2, removed_on, notice_until, id);
CREATE INDEX list_rows_filter2 ON list_rows(kind, filter2, removed_on, notice_until, id);
CREATE INDEX list_rows_org ON list_rows(kind, org_id, id);
CREATE INDEX list_rows_dated ON list_rows(kind, row_on);

CREATE TABLE list_row_changes (
    id            INTEGER PRIMARY KEY,
    row_id        INTEGER NOT NULL REFERENCES list_rows(id),
    adjustment_id INTEGER NOT NULL REFERENCES list_adjustments(id),
    adjust        TEXT NOT NULL,
    before_values TEXT NOT NULL DEFAULT '',
    after_values  TEXT NOT NULL DEFAULT '',
    effective_on  TEXT NOT NULL
);
CREATE INDEX list_row_changes_row ON list_row_changes(row_id, id);
CREATE INDEX list_row_changes_adj ON list_row_changes(adjustment_id);
