-- Per-org request counts kept at write, by month: the requests received, and the concluded
-- ones with their kept figures (migration 55) summed under the stamp of the calendar they
-- were counted on. The supervision page and the dashboard sum a tree's months from these
-- instead of passing over every request of the tree (at the benchmark's city, 200,000
-- requests: 266-282 ms a page on PostgreSQL, where a bare per-org count over the tree's
-- index entries already takes 98 ms). The days of a period outside whole months are
-- counted from the requests by their dates' indexes; the open requests, and the concluded
-- ones not kept on today's calendar, are counted from the requests as before.
--
-- Triggers keep the counts: every write to a request, by any path (a filing, a step, the
-- keeping job, a transfer to another org, a restore, an operator's SQL), moves them in its
-- own transaction, so they cannot drift from the rows. A concluded request is one with
-- kept figures: the store keeps them only on concluded requests (requests::keep_figures).
-- A row whose count falls to nothing is removed, so the tables are always exactly the
-- requests grouped (the store test holds them to it) and a copy's census matches. Paired with the SQLite migration of the same name; `gongkai migrate-store` leaves these
-- tables to the triggers.
CREATE TABLE request_received_tallies (
    org_id BIGINT NOT NULL,
    month  DATE NOT NULL,
    n      BIGINT NOT NULL,
    PRIMARY KEY (org_id, month)
);
CREATE TABLE request_concluded_tallies (
    org_id     BIGINT NOT NULL,
    month      DATE NOT NULL,
    calendar   BIGINT NOT NULL,
    n          BIGINT NOT NULL,
    on_time    BIGINT NOT NULL,
    workdays   BIGINT NOT NULL,
    workdays_n BIGINT NOT NULL,
    PRIMARY KEY (org_id, month, calendar)
);
INSERT INTO request_received_tallies (org_id, month, n)
SELECT org_id, CAST(date_trunc('month', received_on) AS DATE), COUNT(*) FROM requests GROUP BY 1, 2;
INSERT INTO request_concluded_tallies (org_id, month, calendar, n, on_time, workdays, workdays_n)
SELECT org_id, CAST(date_trunc('month', replied_on) AS DATE), kept_calendar, COUNT(*),
    COUNT(*) FILTER (WHERE kept_on_time), COALESCE(SUM(kept_workdays), 0), COUNT(kept_workdays)
FROM requests WHERE kept_calendar IS NOT NULL AND replied_on IS NOT NULL GROUP BY 1, 2, 3;

CREATE FUNCTION request_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND (OLD.org_id, OLD.received_on) IS DISTINCT FROM (NEW.org_id, NEW.received_on)) THEN
        UPDATE request_received_tallies SET n = n - 1
        WHERE org_id = OLD.org_id AND month = CAST(date_trunc('month', OLD.received_on) AS DATE);
        DELETE FROM request_received_tallies
        WHERE org_id = OLD.org_id AND month = CAST(date_trunc('month', OLD.received_on) AS DATE) AND n = 0;
    END IF;
    IF TG_OP = 'INSERT' OR (TG_OP = 'UPDATE' AND (OLD.org_id, OLD.received_on) IS DISTINCT FROM (NEW.org_id, NEW.received_on)) THEN
        INSERT INTO request_received_tallies AS t (org_id, month, n)
        VALUES (NEW.org_id, CAST(date_trunc('month', NEW.received_on) AS DATE), 1)
        ON CONFLICT (org_id, month) DO UPDATE SET n = t.n + 1;
    END IF;
    IF TG_OP = 'UPDATE' AND (OLD.org_id, OLD.replied_on, OLD.kept_calendar, OLD.kept_on_time, OLD.kept_workdays)
        IS NOT DISTINCT FROM (NEW.org_id, NEW.replied_on, NEW.kept_calendar, NEW.kept_on_time, NEW.kept_workdays) THEN
        RETURN NULL;
    END IF;
    IF TG_OP <> 'INSERT' AND OLD.kept_calendar IS NOT NULL AND OLD.replied_on IS NOT NULL THEN
        UPDATE request_concluded_tallies SET n = n - 1,
            on_time = on_time - CASE WHEN OLD.kept_on_time THEN 1 ELSE 0 END,
            workdays = workdays - COALESCE(OLD.kept_workdays, 0),
            workdays_n = workdays_n - CASE WHEN OLD.kept_workdays IS NULL THEN 0 ELSE 1 END
        WHERE org_id = OLD.org_id AND month = CAST(date_trunc('month', OLD.replied_on) AS DATE)
            AND calendar = OLD.kept_calendar;
        DELETE FROM request_concluded_tallies
        WHERE org_id = OLD.org_id AND month = CAST(date_trunc('month', OLD.replied_on) AS DATE)
            AND calendar = OLD.kept_calendar AND n = 0;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.kept_calendar IS NOT NULL AND NEW.replied_on IS NOT NULL THEN
        INSERT INTO request_concluded_tallies AS t (org_id, month, calendar, n, on_time, workdays, workdays_n)
        VALUES (NEW.org_id, CAST(date_trunc('month', NEW.replied_on) AS DATE), NEW.kept_calendar, 1,
            CASE WHEN NEW.kept_on_time THEN 1 ELSE 0 END, COALESCE(NEW.kept_workdays, 0),
            CASE WHEN NEW.kept_workdays IS NULL THEN 0 ELSE 1 END)
        ON CONFLICT (org_id, month, calendar) DO UPDATE SET n = t.n + 1, on_time = t.on_time + excluded.on_time,
            workdays = t.workdays + excluded.workdays, workdays_n = t.workdays_n + excluded.workdays_n;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER requests_tally AFTER INSERT OR DELETE OR UPDATE OF org_id, received_on, replied_on, kept_calendar, kept_on_time, kept_workdays
    ON requests FOR EACH ROW EXECUTE FUNCTION request_tally();

-- The days at a period's ends, read by their dates; the concluded requests without figures
-- kept on today's calendar (none once the keeping job has run), read by their stamp.
CREATE INDEX requests_replied ON requests(replied_on);
CREATE INDEX requests_kept ON requests(kept_calendar) WHERE replied_on IS NOT NULL;

-- The open requests (17,747 of the city's 200,000), read by org without a pass over the
-- table: the list of states is core's open states (`RequestState::is_open`), word for word
-- the list the counts state (the store test `open_requests_are_read_from_their_index`
-- checks the plan). SQLite reads them from the figures' index, which leads with the state.
CREATE INDEX requests_open ON requests(org_id, clock_start)
WHERE state IN ('received', 'clarifying', 'in_progress', 'consulting', 'awaiting_fee', 'signing_off');
