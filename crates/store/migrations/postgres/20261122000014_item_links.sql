-- An interpretation (政策解读) names the policy it explains: the policy's page lists its
-- interpretations and the interpretation links back. One policy per interpretation.
-- Paired across backends.

CREATE TABLE item_links (
    item_id    BIGINT NOT NULL REFERENCES items(id),
    kind       TEXT NOT NULL,
    target_id  BIGINT NOT NULL REFERENCES items(id),
    created_by TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (item_id, kind)
);
CREATE INDEX item_links_target ON item_links(target_id, kind);
