-- Per-org request counts kept at write, by year, for the annual report's table 三: the
-- requests grouped by applicant type, the year received, the year concluded (0 while open)
-- and the outcome ('' for none). The template counts a request by where its two dates fall
-- against the report's year and nothing finer (core's `report::count_requests`), so a
-- report of a whole tree reads a few rows per org instead of grouping every request the
-- tree ever received.
--
-- Kept by triggers as the monthly tallies of migration 56 are: every write to a request, by
-- any path, moves them in its own transaction; a row whose count falls to nothing is
-- removed, so the table is exactly the requests grouped (the store test holds it to it).
-- Paired with the PostgreSQL migration of the same name.
CREATE TABLE request_year_tallies (
    org_id         INTEGER NOT NULL,
    received_year  INTEGER NOT NULL,
    replied_year   INTEGER NOT NULL,
    applicant_type TEXT NOT NULL,
    outcome        TEXT NOT NULL,
    n              INTEGER NOT NULL,
    PRIMARY KEY (org_id, received_year, replied_year, applicant_type, outcome)
);
INSERT INTO request_year_tallies (org_id, received_year, replied_year, applicant_type, outcome, n)
SELECT org_id, CAST(strftime('%Y', received_on) AS INTEGER), COALESCE(CAST(strftime('%Y', replied_on) AS INTEGER), 0),
    applicant_type, COALESCE(outcome, ''), COUNT(*)
FROM requests WHERE true GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER requests_year_in AFTER INSERT ON requests BEGIN
    INSERT INTO request_year_tallies (org_id, received_year, replied_year, applicant_type, outcome, n)
    VALUES (NEW.org_id, CAST(strftime('%Y', NEW.received_on) AS INTEGER),
        COALESCE(CAST(strftime('%Y', NEW.replied_on) AS INTEGER), 0), NEW.applicant_type, COALESCE(NEW.outcome, ''), 1)
    ON CONFLICT (org_id, received_year, replied_year, applicant_type, outcome) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER requests_year_out AFTER DELETE ON requests BEGIN
    UPDATE request_year_tallies SET n = n - 1
    WHERE org_id = OLD.org_id AND received_year = CAST(strftime('%Y', OLD.received_on) AS INTEGER)
        AND replied_year = COALESCE(CAST(strftime('%Y', OLD.replied_on) AS INTEGER), 0)
        AND applicant_type = OLD.applicant_type AND outcome = COALESCE(OLD.outcome, '');
    DELETE FROM request_year_tallies
    WHERE org_id = OLD.org_id AND received_year = CAST(strftime('%Y', OLD.received_on) AS INTEGER)
        AND replied_year = COALESCE(CAST(strftime('%Y', OLD.replied_on) AS INTEGER), 0)
        AND applicant_type = OLD.applicant_type AND outcome = COALESCE(OLD.outcome, '') AND n = 0;
END;
CREATE TRIGGER requests_year_moved AFTER UPDATE OF org_id, received_on, replied_on, applicant_type, outcome ON requests
WHEN OLD.org_id IS NOT NEW.org_id OR OLD.received_on IS NOT NEW.received_on OR OLD.replied_on IS NOT NEW.replied_on
    OR OLD.applicant_type IS NOT NEW.applicant_type OR OLD.outcome IS NOT NEW.outcome BEGIN
    UPDATE request_year_tallies SET n = n - 1
    WHERE org_id = OLD.org_id AND received_year = CAST(strftime('%Y', OLD.received_on) AS INTEGER)
        AND replied_year = COALESCE(CAST(strftime('%Y', OLD.replied_on) AS INTEGER), 0)
        AND applicant_type = OLD.applicant_type AND outcome = COALESCE(OLD.outcome, '');
    DELETE FROM request_year_tallies
    WHERE org_id = OLD.org_id AND received_year = CAST(strftime('%Y', OLD.received_on) AS INTEGER)
        AND replied_year = COALESCE(CAST(strftime('%Y', OLD.replied_on) AS INTEGER), 0)
        AND applicant_type = OLD.applicant_type AND outcome = COALESCE(OLD.outcome, '') AND n = 0;
    INSERT INTO request_year_tallies (org_id, received_year, replied_year, applicant_type, outcome, n)
    VALUES (NEW.org_id, CAST(strftime('%Y', NEW.received_on) AS INTEGER),
        COALESCE(CAST(strftime('%Y', NEW.replied_on) AS INTEGER), 0), NEW.applicant_type, COALESCE(NEW.outcome, ''), 1)
    ON CONFLICT (org_id, received_year, replied_year, applicant_type, outcome) DO UPDATE SET n = n + 1;
END;
