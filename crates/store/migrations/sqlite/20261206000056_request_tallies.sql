-- Per-org request counts kept at write, by month: the requests received, and the concluded
-- ones with their kept figures (migration 55) summed under the stamp of the calendar they
-- were counted on. The supervision page and the dashboard sum a tree's months from these
-- instead of passing over every request of the tree. The days of a period outside whole
-- months are counted from the requests by their dates' indexes; the open requests, and the
-- concluded ones not kept on today's calendar, are counted from the requests as before.
--
-- Triggers keep the counts: every write to a request, by any path (a filing, a step, the
-- keeping job, a transfer to another org, a restore, an operator's SQL), moves them in its
-- own transaction, so they cannot drift from the rows. A concluded request is one with
-- kept figures: the store keeps them only on concluded requests (requests::keep_figures).
-- A row whose count falls to nothing is removed, so the tables are always exactly the
-- requests grouped (the store test holds them to it) and a copy's census matches. Paired with the PostgreSQL migration of the same name.
CREATE TABLE request_received_tallies (
    org_id INTEGER NOT NULL,
    month  TEXT NOT NULL,
    n      INTEGER NOT NULL,
    PRIMARY KEY (org_id, month)
);
CREATE TABLE request_concluded_tallies (
    org_id     INTEGER NOT NULL,
    month      TEXT NOT NULL,
    calendar   INTEGER NOT NULL,
    n          INTEGER NOT NULL,
    on_time    INTEGER NOT NULL,
    workdays   INTEGER NOT NULL,
    workdays_n INTEGER NOT NULL,
    PRIMARY KEY (org_id, month, calendar)
);
INSERT INTO request_received_tallies (org_id, month, n)
SELECT org_id, date(received_on, 'start of month'), COUNT(*) FROM requests WHERE true GROUP BY 1, 2;
INSERT INTO request_concluded_tallies (org_id, month, calendar, n, on_time, workdays, workdays_n)
SELECT org_id, date(replied_on, 'start of month'), kept_calendar, COUNT(*),
    COUNT(*) FILTER (WHERE kept_on_time), COALESCE(SUM(kept_workdays), 0), COUNT(kept_workdays)
FROM requests WHERE kept_calendar IS NOT NULL AND replied_on IS NOT NULL GROUP BY 1, 2, 3;

CREATE TRIGGER requests_received_in AFTER INSERT ON requests BEGIN
    INSERT INTO request_received_tallies (org_id, month, n) VALUES (NEW.org_id, date(NEW.received_on, 'start of month'), 1)
    ON CONFLICT (org_id, month) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER requests_received_out AFTER DELETE ON requests BEGIN
    UPDATE request_received_tallies SET n = n - 1 WHERE org_id = OLD.org_id AND month = date(OLD.received_on, 'start of month');
    DELETE FROM request_received_tallies WHERE org_id = OLD.org_id AND month = date(OLD.received_on, 'start of month') AND n = 0;
END;
CREATE TRIGGER requests_received_moved AFTER UPDATE OF org_id, received_on ON requests
WHEN OLD.org_id IS NOT NEW.org_id OR OLD.received_on IS NOT NEW.received_on BEGIN
    UPDATE request_received_tallies SET n = n - 1 WHERE org_id = OLD.org_id AND month = date(OLD.received_on, 'start of month');
    DELETE FROM request_received_tallies WHERE org_id = OLD.org_id AND month = date(OLD.received_on, 'start of month') AND n = 0;
    INSERT INTO request_received_tallies (org_id, month, n) VALUES (NEW.org_id, date(NEW.received_on, 'start of month'), 1)
    ON CONFLICT (org_id, month) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER requests_concluded_in AFTER INSERT ON requests
WHEN NEW.kept_calendar IS NOT NULL AND NEW.replied_on IS NOT NULL BEGIN
    INSERT INTO request_concluded_tallies (org_id, month, calendar, n, on_time, workdays, workdays_n)
    VALUES (NEW.org_id, date(NEW.replied_on, 'start of month'), NEW.kept_calendar, 1,
        CASE WHEN NEW.kept_on_time THEN 1 ELSE 0 END, COALESCE(NEW.kept_workdays, 0),
        CASE WHEN NEW.kept_workdays IS NULL THEN 0 ELSE 1 END)
    ON CONFLICT (org_id, month, calendar) DO UPDATE SET n = n + 1, on_time = on_time + excluded.on_time,
        workdays = workdays + excluded.workdays, workdays_n = workdays_n + excluded.workdays_n;
END;
CREATE TRIGGER requests_concluded_out AFTER DELETE ON requests
WHEN OLD.kept_calendar IS NOT NULL AND OLD.replied_on IS NOT NULL BEGIN
    UPDATE request_concluded_tallies SET n = n - 1,
        on_time = on_time - CASE WHEN OLD.kept_on_time THEN 1 ELSE 0 END,
        workdays = workdays - COALESCE(OLD.kept_workdays, 0),
        workdays_n = workdays_n - CASE WHEN OLD.kept_workdays IS NULL THEN 0 ELSE 1 END
    WHERE org_id = OLD.org_id AND month = date(OLD.replied_on, 'start of month') AND calendar = OLD.kept_calendar;
    DELETE FROM request_concluded_tallies
    WHERE org_id = OLD.org_id AND month = date(OLD.replied_on, 'start of month') AND calendar = OLD.kept_calendar AND n = 0;
END;
CREATE TRIGGER requests_concluded_moved AFTER UPDATE OF org_id, replied_on, kept_calendar, kept_on_time, kept_workdays ON requests
WHEN OLD.org_id IS NOT NEW.org_id OR OLD.replied_on IS NOT NEW.replied_on OR OLD.kept_calendar IS NOT NEW.kept_calendar
    OR OLD.kept_on_time IS NOT NEW.kept_on_time OR OLD.kept_workdays IS NOT NEW.kept_workdays BEGIN
    UPDATE request_concluded_tallies SET n = n - 1,
        on_time = on_time - CASE WHEN OLD.kept_on_time THEN 1 ELSE 0 END,
        workdays = workdays - COALESCE(OLD.kept_workdays, 0),
        workdays_n = workdays_n - CASE WHEN OLD.kept_workdays IS NULL THEN 0 ELSE 1 END
    WHERE OLD.kept_calendar IS NOT NULL AND OLD.replied_on IS NOT NULL
        AND org_id = OLD.org_id AND month = date(OLD.replied_on, 'start of month') AND calendar = OLD.kept_calendar;
    DELETE FROM request_concluded_tallies
    WHERE org_id = OLD.org_id AND month = date(OLD.replied_on, 'start of month') AND calendar = OLD.kept_calendar AND n = 0;
    INSERT INTO request_concluded_tallies (org_id, month, calendar, n, on_time, workdays, workdays_n)
    SELECT NEW.org_id, date(NEW.replied_on, 'start of month'), NEW.kept_calendar, 1,
        CASE WHEN NEW.kept_on_time THEN 1 ELSE 0 END, COALESCE(NEW.kept_workdays, 0),
        CASE WHEN NEW.kept_workdays IS NULL THEN 0 ELSE 1 END
    WHERE NEW.kept_calendar IS NOT NULL AND NEW.replied_on IS NOT NULL
    ON CONFLICT (org_id, month, calendar) DO UPDATE SET n = n + 1, on_time = on_time + excluded.on_time,
        workdays = workdays + excluded.workdays, workdays_n = workdays_n + excluded.workdays_n;
END;

-- The days at a period's ends, read by their dates; the concluded requests without figures
-- kept on today's calendar (none once the keeping job has run), read by their stamp.
CREATE INDEX requests_replied ON requests(replied_on);
CREATE INDEX requests_kept ON requests(kept_calendar) WHERE replied_on IS NOT NULL;
