-- Per-org counts of the public normative documents (规章, 行政规范性文件) kept at write, by
-- year, for the annual report's table 二: genre, the year made (成文日期, else the Beijing
-- day of publication), the year repealed (0: none) and whether it says it lapsed. The
-- table places a document by those years and nothing finer (core's
-- `report::proactive_tables`), so a report of a whole tree reads a few rows per org instead
-- of passing over every normative document the tree ever published.
--
-- Kept by a trigger on `items` as the request tallies of migrations 56 and 57 are: every
-- write to an item, by any path, moves them in its own transaction; a row falling to
-- nothing is removed, so the table is exactly the documents grouped (the store test holds
-- it to it). The documents counted are those of the index `items_normative` (migration
-- 51). Paired with the SQLite migration of the same name.
CREATE TABLE rule_year_tallies (
    org_id        BIGINT NOT NULL,
    genre         TEXT NOT NULL,
    made_year     INTEGER NOT NULL,
    repealed_year INTEGER NOT NULL,
    lapsed        BOOLEAN NOT NULL,
    n             BIGINT NOT NULL,
    PRIMARY KEY (org_id, genre, made_year, repealed_year, lapsed)
);
INSERT INTO rule_year_tallies (org_id, genre, made_year, repealed_year, lapsed, n)
SELECT org_id, genre,
    CAST(EXTRACT(YEAR FROM COALESCE(written_on, ((published_at AT TIME ZONE 'UTC') + interval '8 hours')::date)) AS INTEGER),
    COALESCE(CAST(EXTRACT(YEAR FROM repealed_on) AS INTEGER), 0), validity IN ('repealed', 'expired'), COUNT(*)
FROM items WHERE genre IN ('规章', '行政规范性文件') AND public_rev IS NOT NULL AND state = 'published'
GROUP BY 1, 2, 3, 4, 5;

CREATE FUNCTION rule_year_tally() RETURNS trigger AS $$
BEGIN
    IF TG_OP <> 'INSERT' AND OLD.genre IN ('规章', '行政规范性文件') AND OLD.public_rev IS NOT NULL AND OLD.state = 'published' THEN
        UPDATE rule_year_tallies SET n = n - 1
        WHERE org_id = OLD.org_id AND genre = OLD.genre
            AND made_year = CAST(EXTRACT(YEAR FROM COALESCE(OLD.written_on, ((OLD.published_at AT TIME ZONE 'UTC') + interval '8 hours')::date)) AS INTEGER)
            AND repealed_year = COALESCE(CAST(EXTRACT(YEAR FROM OLD.repealed_on) AS INTEGER), 0)
            AND lapsed = (OLD.validity IN ('repealed', 'expired'));
        DELETE FROM rule_year_tallies
        WHERE org_id = OLD.org_id AND genre = OLD.genre
            AND made_year = CAST(EXTRACT(YEAR FROM COALESCE(OLD.written_on, ((OLD.published_at AT TIME ZONE 'UTC') + interval '8 hours')::date)) AS INTEGER)
            AND repealed_year = COALESCE(CAST(EXTRACT(YEAR FROM OLD.repealed_on) AS INTEGER), 0)
            AND lapsed = (OLD.validity IN ('repealed', 'expired')) AND n = 0;
    END IF;
    IF TG_OP <> 'DELETE' AND NEW.genre IN ('规章', '行政规范性文件') AND NEW.public_rev IS NOT NULL AND NEW.state = 'published' THEN
        INSERT INTO rule_year_tallies AS t (org_id, genre, made_year, repealed_year, lapsed, n)
        VALUES (NEW.org_id, NEW.genre,
            CAST(EXTRACT(YEAR FROM COALESCE(NEW.written_on, ((NEW.published_at AT TIME ZONE 'UTC') + interval '8 hours')::date)) AS INTEGER),
            COALESCE(CAST(EXTRACT(YEAR FROM NEW.repealed_on) AS INTEGER), 0), NEW.validity IN ('repealed', 'expired'), 1)
        ON CONFLICT (org_id, genre, made_year, repealed_year, lapsed) DO UPDATE SET n = t.n + 1;
    END IF;
    RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER items_rule_tally AFTER INSERT OR DELETE OR UPDATE OF org_id, genre, written_on, published_at, repealed_on, validity, public_rev, state
    ON items FOR EACH ROW EXECUTE FUNCTION rule_year_tally();

-- The grouped pass over the documents it replaces read this index alone; nothing else does.
DROP INDEX items_normative;
