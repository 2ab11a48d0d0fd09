-- 规范性文件清理: the documents a 清理 decision (itself an item, the 清理结果) lists with their
-- verdicts; applied when the decision is first published, in that transaction. Paired.

CREATE TABLE cleanup_entries (
    decision_id BIGINT NOT NULL REFERENCES items(id),
    target_id   BIGINT NOT NULL REFERENCES items(id),
    position    BIGINT NOT NULL,
    verdict     TEXT NOT NULL,
    note        TEXT NOT NULL DEFAULT '',
    applied_at  TIMESTAMPTZ,
    PRIMARY KEY (decision_id, target_id)
);
CREATE INDEX cleanup_entries_target ON cleanup_entries(target_id);
