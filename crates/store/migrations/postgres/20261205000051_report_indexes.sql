-- The annual report of an org with everything below counts its normative documents and its
-- requests over the whole tree. At a city's million items and 200,000 requests each was a
-- walk of the table's rows (2.4–3.6 s and 1.0–1.8 s). These indexes hold exactly what the
-- two grouped counts read (store::reports::report_facts), so each is read from an index
-- alone, org by org: the normative documents among the published items (the report's
-- condition word for word), and every request's type, dates and outcome. Paired.
CREATE INDEX items_normative ON items(org_id, genre, written_on, published_at, repealed_on, validity, public_rev, state)
WHERE genre IN ('规章', '行政规范性文件') AND public_rev IS NOT NULL AND state = 'published';
CREATE INDEX requests_report ON requests(org_id, received_on, applicant_type, replied_on, outcome);
