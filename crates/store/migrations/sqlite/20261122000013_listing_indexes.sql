-- Public lists at a million items: newest first and counted without reading any row's
-- text. The item columns a public list filters on (and the published revision's) are in
-- the indexes, so lists and counts read index pages only. Paired across backends.

CREATE INDEX items_listing ON items(published_at, id, public_rev, state, org_id, validity);
CREATE INDEX items_org_listing ON items(org_id, published_at, id, public_rev, state, validity);
CREATE INDEX item_revisions_listing ON item_revisions(item_id, rev, disclosure_attr, section_id, topic, genre);
