-- What a concluded request counts in the supervision figures, kept on it when it concludes
-- (core's `Clock::concluded`): whether it was answered by its deadline, the working days it
-- used, and the stamp of the calendar they were counted on. A tree's concluded requests are
-- then summed from the figures' index instead of counted again on the calendar's day table
-- (at the benchmark's city most of the 0.25-0.3 s of the supervision page and the
-- dashboard). Rows without a stamp, or with another calendar's, are counted as before until
-- the daily job keeps them. The figures' index gains the three columns, so every count still
-- reads the index alone. Paired.
ALTER TABLE requests ADD COLUMN kept_calendar BIGINT;
ALTER TABLE requests ADD COLUMN kept_on_time BOOLEAN;
ALTER TABLE requests ADD COLUMN kept_workdays BIGINT;
DROP INDEX requests_figures;
CREATE INDEX requests_figures ON requests(org_id, state, clock_start, extension_days, received_on, replied_on, applicant_type, outcome, kept_calendar, kept_on_time, kept_workdays);
