-- 转载: an item republished from another government's site keeps its source, the org or site
-- that published it first and the original's address, in the working copy and in each
-- revision (a published source is what the public saw). Paired.
ALTER TABLE items ADD COLUMN reprinted_from TEXT NOT NULL DEFAULT '';
ALTER TABLE items ADD COLUMN reprint_url TEXT NOT NULL DEFAULT '';
ALTER TABLE item_revisions ADD COLUMN reprinted_from TEXT NOT NULL DEFAULT '';
ALTER TABLE item_revisions ADD COLUMN reprint_url TEXT NOT NULL DEFAULT '';
