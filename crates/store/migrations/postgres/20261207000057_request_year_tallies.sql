-- Per-org request counts kept at write, by year, for the annual report's table 三: the
-- requests grouped by applicant type, the year received, the year concluded (0 while open)
-- and the outcome ('' for none). The template counts a request by where its two dates fall
-- against the report's year and nothing finer (core's `report::count_requests`), so a
-- report of a whole tree reads a few rows per org instead of grouping every request the
-- tree ever received.
--
-- Kept by a trigger as the monthly tallies of migration 56 are: every write to a request,
-- by any path, moves them in its own transaction; a row whose count falls to nothing is
-- removed, so the table is exactly the requests grouped (the store test holds it to it).
-- Paired with the SQLite migration of the same name.
CREATE TABLE request_year_tallies (
    org_id         BIGINT NOT NULL,
    received_year  INTEGER NOT NULL,
    replied_year   INTEGER NOT NULL,
    applicant_type TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    n              BIGINT NOT NULL,
    PRIMARY KEY (org_id, received_year, replied_year, applicant_type, outcome)
);
INSERT INTO request_year_tallies (org_id, received_year, replied_year, applicant_type, outcome, n)
SELECT org_id, CAST(EXTRACT(YEAR FROM received_on) AS INTEGER), COALESCE(CAST(EXTRACT(YEAR FROM replied_on) AS INTEGER), 0),
    applicant_type, COALESCE(outcome, ''), COUNT(*)
FROM requests GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION request_year_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND (OLD.org_id, OLD.received_on, OLD.replied_on, OLD.applicant_type, OLD.outcome)
        IS NOT DISTINCT FROM (NEW.org_id, NEW.received_on, NEW.replied_on, NEW.applicant_type, NEW.outcome) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' THEN
        UPDATE request_year_tallies SET n = n - 1
        WHERE org_id = OLD.org_id AND received_year = CAST(EXTRACT(YEAR FROM OLD.received_on) AS INTEGER)
            AND replied_year = COALESCE(CAST(EXTRACT(YEAR FROM OLD.replied_on) AS INTEGER), 0)
            AND applicant_type = OLD.applicant_type AND outcome = COALESCE(OLD.outcome, '');
        DELETE FROM request_year_tallies
        WHERE org_id = OLD.org_id AND received_year = CAST(EXTRACT(YEAR FROM OLD.received_on) AS INTEGER)
            AND replied_year = COALESCE(CAST(EXTRACT(YEAR FROM OLD.replied_on) AS INTEGER), 0)
            AND applicant_type = OLD.applicant_type AND outcome = COALESCE(OLD.outcome, '') AND n = 0;
    END IF;
    IF TG_OP <> 'DELETE' THEN
        INSERT INTO request_year_tallies AS t (org_id, received_year, replied_year, applicant_type, outcome, n)
        VALUES (NEW.org_id, CAST(EXTRACT(YEAR FROM NEW.received_on) AS INTEGER),
            COALESCE(CAST(EXTRACT(YEAR FROM NEW.replied_on) AS INTEGER), 0), NEW.applicant_type, COALESCE(NEW.outcome, ''), 1)
        ON CONFLICT (org_id, received_year, replied_year, applicant_type, outcome) DO UPDATE SET n = t.n + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER requests_year_tally AFTER INSERT OR DELETE OR UPDATE OF org_id, received_on, replied_on, applicant_type, outcome
    ON requests FOR EACH ROW EXECUTE FUNCTION request_year_tally();
