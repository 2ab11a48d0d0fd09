-- Per-org counts of the public normative documents (规章, 行政规范性文件) kept at write, by
-- year, for the annual report's table 二: genre, the year made (成文日期, else the Beijing
-- day of publication), the year repealed (0: none) and whether it says it lapsed. The
-- table places a document by those years and nothing finer (core's
-- `report::proactive_tables`), so a report of a whole tree reads a few rows per org instead
-- of passing over every normative document the tree ever published.
--
-- Kept by triggers on `items` as the request tallies of migrations 56 and 57 are: every
-- write to an item, by any path, moves them in its own transaction; a row falling to
-- nothing is removed, so the table is exactly the documents grouped (the store test holds
-- it to it). The documents counted are those of the index `items_normative` (migration
-- 51). Paired with the PostgreSQL migration of the same name.
CREATE TABLE rule_year_tallies (
    org_id        INTEGER NOT NULL,
    genre         TEXT NOT NULL,
    made_year     INTEGER NOT NULL,
    repealed_year INTEGER NOT NULL,
    lapsed        INTEGER NOT NULL,
    n             INTEGER NOT NULL,
    PRIMARY KEY (org_id, genre, made_year, repealed_year, lapsed)
);
INSERT INTO rule_year_tallies (org_id, genre, made_year, repealed_year, lapsed, n)
SELECT org_id, genre, CAST(strftime('%Y', COALESCE(written_on, date(published_at, '+8 hours'))) AS INTEGER),
    COALESCE(CAST(strftime('%Y', repealed_on) AS INTEGER), 0), validity IN ('repealed', 'expired'), COUNT(*)
FROM items WHERE genre IN ('规章', '行政规范性文件') AND public_rev IS NOT NULL AND state = 'published'
GROUP BY 1, 2, 3, 4, 5;

CREATE TRIGGER items_rule_in AFTER INSERT ON items
WHEN NEW.genre IN ('规章', '行政规范性文件') AND NEW.public_rev IS NOT NULL AND NEW.state = 'published' BEGIN
    INSERT INTO rule_year_tallies (org_id, genre, made_year, repealed_year, lapsed, n)
    VALUES (NEW.org_id, NEW.genre, CAST(strftime('%Y', COALESCE(NEW.written_on, date(NEW.published_at, '+8 hours'))) AS INTEGER),
        COALESCE(CAST(strftime('%Y', NEW.repealed_on) AS INTEGER), 0), NEW.validity IN ('repealed', 'expired'), 1)
    ON CONFLICT (org_id, genre, made_year, repealed_year, lapsed) DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER items_rule_out AFTER DELETE ON items
WHEN OLD.genre IN ('规章', '行政规范性文件') AND OLD.public_rev IS NOT NULL AND OLD.state = 'published' BEGIN
    UPDATE rule_year_tallies SET n = n - 1
    WHERE org_id = OLD.org_id AND genre = OLD.genre
        AND made_year = CAST(strftime('%Y', COALESCE(OLD.written_on, date(OLD.published_at, '+8 hours'))) AS INTEGER)
        AND repealed_year = COALESCE(CAST(strftime('%Y', OLD.repealed_on) AS INTEGER), 0)
        AND lapsed = (OLD.validity IN ('repealed', 'expired'));
    DELETE FROM rule_year_tallies
    WHERE org_id = OLD.org_id AND genre = OLD.genre
        AND made_year = CAST(strftime('%Y', COALESCE(OLD.written_on, date(OLD.published_at, '+8 hours'))) AS INTEGER)
        AND repealed_year = COALESCE(CAST(strftime('%Y', OLD.repealed_on) AS INTEGER), 0)
        AND lapsed = (OLD.validity IN ('repealed', 'expired')) AND n = 0;
END;
CREATE TRIGGER items_rule_moved AFTER UPDATE OF org_id, genre, written_on, published_at, repealed_on, validity, public_rev, state ON items
WHEN (OLD.genre IN ('规章', '行政规范性文件') AND OLD.public_rev IS NOT NULL AND OLD.state = 'published')
    OR (NEW.genre IN ('规章', '行政规范性文件') AND NEW.public_rev IS NOT NULL AND NEW.state = 'published') BEGIN
    UPDATE rule_year_tallies SET n = n - 1
    WHERE OLD.genre IN ('规章', '行政规范性文件') AND OLD.public_rev IS NOT NULL AND OLD.state = 'published'
        AND org_id = OLD.org_id AND genre = OLD.genre
        AND made_year = CAST(strftime('%Y', COALESCE(OLD.written_on, date(OLD.published_at, '+8 hours'))) AS INTEGER)
        AND repealed_year = COALESCE(CAST(strftime('%Y', OLD.repealed_on) AS INTEGER), 0)
        AND lapsed = (OLD.validity IN ('repealed', 'expired'));
    DELETE FROM rule_year_tallies
    WHERE org_id = OLD.org_id AND genre = OLD.genre
        AND made_year = CAST(strftime('%Y', COALESCE(OLD.written_on, date(OLD.published_at, '+8 hours'))) AS INTEGER)
        AND repealed_year = COALESCE(CAST(strftime('%Y', OLD.repealed_on) AS INTEGER), 0)
        AND lapsed = (OLD.validity IN ('repealed', 'expired')) AND n = 0;
    INSERT INTO rule_year_tallies (org_id, genre, made_year, repealed_year, lapsed, n)
    SELECT NEW.org_id, NEW.genre, CAST(strftime('%Y', COALESCE(NEW.written_on, date(NEW.published_at, '+8 hours'))) AS INTEGER),
        COALESCE(CAST(strftime('%Y', NEW.repealed_on) AS INTEGER), 0), NEW.validity IN ('repealed', 'expired'), 1
    WHERE NEW.genre IN ('规章', '行政规范性文件') AND NEW.public_rev IS NOT NULL AND NEW.state = 'published'
    ON CONFLICT (org_id, genre, made_year, repealed_year, lapsed) DO UPDATE SET n = n + 1;
END;

-- The grouped pass over the documents it replaces read this index alone; nothing else does.
DROP INDEX items_normative;
