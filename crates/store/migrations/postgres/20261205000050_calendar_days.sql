-- The working-day calendar as the figures' SQL reads it (supervision and the dashboards over
-- a city's 200,000 requests count their clocks in one query instead of reading each): for
-- each day of the unbroken run the calendar answers for, the working days from the run's
-- first day up to it, both included, and whether it is one. Written only by the store, from
-- core's calendar (core::calendar::Calendar::running_counts), and rewritten whenever the
-- calendar it was made from changes (`key`). Paired.
CREATE TABLE calendar_days (
    day     DATE PRIMARY KEY,
    upto    BIGINT NOT NULL,
    workday BOOLEAN NOT NULL
);
CREATE TABLE calendar_days_key (
    id  INTEGER PRIMARY KEY CHECK (id = 1),
    key TEXT NOT NULL
);
