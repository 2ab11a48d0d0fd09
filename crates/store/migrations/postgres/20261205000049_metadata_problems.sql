-- Supervision counts the published items whose metadata core finds wanting
-- (core::supervision::metadata_problems). At a city's million items the count walked every
-- published row (1.2–1.7 s warm); this index holds only the rows with a problem, so the
-- count reads those. Its condition is store::supervision's METADATA_PROBLEM for this
-- backend, word for word: the planner uses the index only when the query states it
-- (the store test `metadata_problems_are_counted_from_their_index` checks the plan). Paired.
CREATE INDEX items_metadata_problems ON items(org_id)
WHERE state = 'published' AND public_rev IS NOT NULL AND published_at IS NOT NULL AND (
    TRIM(COALESCE(index_no, '')) = ''
    OR TRIM(COALESCE(topic, '')) = ''
    OR TRIM(COALESCE(genre, '')) = ''
    OR (genre IN ('规章', '行政规范性文件') AND TRIM(COALESCE(doc_no, '')) = '')
    OR (NOT TRIM(COALESCE(doc_no, '')) = '' AND doc_no_prefix IS NULL)
    OR (written_on IS NOT NULL AND written_on > ((published_at AT TIME ZONE 'UTC') + interval '8 hours')::date)
    OR (validity IN ('repealed', 'expired') AND repealed_on IS NULL)
    OR (repealed_on IS NOT NULL AND validity = 'valid')
);
