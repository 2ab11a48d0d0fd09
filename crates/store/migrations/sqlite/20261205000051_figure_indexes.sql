-- The office's summary pages count over a whole tree: at a city's million items and 200,000
-- requests each count walked the table's rows. These indexes hold exactly what the counts
-- read, so each is read from an index alone, org by org (measured on the benchmark's city):
-- the annual report's normative documents among the published items, under the report's
-- condition word for word (1.5–3.6 s -> 0.35 s); every request's clock, dates, type and
-- outcome, for the supervision and dashboard counts and the report's requests (0.8 s and
-- 0.7–1.8 s -> 0.2 s each); and the rare published rows without a publication time, which
-- the metadata count compares with today (1.0–1.4 s -> nothing). Paired.
CREATE INDEX items_normative ON items(org_id, genre, written_on, published_at, repealed_on, validity, public_rev, state)
WHERE genre IN ('规章', '行政规范性文件') AND public_rev IS NOT NULL AND state = 'published';
CREATE INDEX requests_figures ON requests(org_id, state, clock_start, extension_days, received_on, replied_on, applicant_type, outcome);
CREATE INDEX items_untimed ON items(org_id) WHERE published_at IS NULL AND public_rev IS NOT NULL;
