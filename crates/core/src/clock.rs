//! Clocks: the one way a deadline is counted. Information requests, mailbox letters and every
//! other public message answered by a deadline count **working days on the official
//! calendar** from the day they were received ([`WorkdayClock`]); NPC suggestions and CPPCC
//! proposals count **calendar months** from assignment ([`MonthClock`]); public concerns
//! (政务舆情) count **hours** from the minute they were first seen, nights, weekends and
//! holidays included ([`HourClock`]); the urgency shown in
//! workspaces and dashboards ([`Urgency`]) and the long-open alarm ([`LONG_OPEN_DAYS`]) are
//! the same for all of them.

use crate::calendar::{Calendar, CalendarError};
use crate::code_enum::code_enum;
use chrono::{DateTime, NaiveDate, Utc};

/// Working days left at or under which an open request is shown as due soon.
pub const NEAR_DAYS: i64 = 5;

/// Calendar days after which anything from the public still open raises the hard alarm on
/// the dashboards of its org, the disclosure office and every supervisor above: the national
/// website inspection (国办秘函〔2019〕19号) fails a site outright for a valid message left
/// unanswered for 3 months, and this alarm comes a month before that.
pub const LONG_OPEN_DAYS: i64 = 60;

code_enum! {
    /// How pressing an open matter is, by the working days left.
    Urgency {
        /// Past its deadline.
        Overdue = ("overdue", "已逾期"),
        /// Due soon.
        Near = ("near", "即将到期"),
        /// Time enough.
        Ok = ("ok", "期限内"),
    }
}

impl Urgency {
    /// The urgency of a request with `days_left` working days left (negative: overdue).
    pub fn of(days_left: i64) -> Self {
        Self::within(days_left, NEAR_DAYS)
    }

    /// The urgency with `days_left` working days left, near at `near` days or fewer.
    pub fn within(days_left: i64, near: i64) -> Self {
        match days_left {
            l if l < 0 => Self::Overdue,
            l if l <= near => Self::Near,
            _ => Self::Ok,
        }
    }
}

/// Whether something due on a [`WorkdayClock`] was done: the shared answer of the
/// interpretation and gazette clocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Completion {
    /// Done within the period.
    OnTime,
    /// Done after it.
    Late,
    /// Not done, still within it.
    Due(Urgency),
    /// Not done and the period is over.
    Overdue,
}

/// A deadline of `days` working days counted from the day after `start`: a reply is due on
/// the `days`-th working day after the day the message was received.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkdayClock {
    /// The day the clock starts (the receipt day, not counted).
    pub start: NaiveDate,
    /// Working days allowed, extensions included.
    pub days: u32,
}

impl WorkdayClock {
    /// The last day of the period.
    pub fn due_on(&self, cal: &Calendar) -> Result<NaiveDate, CalendarError> {
        cal.add_workdays(self.start, self.days)
    }

    /// True when the deadline was computed on a provisional schedule (暂定).
    pub fn is_provisional(&self, cal: &Calendar) -> bool {
        self.due_on(cal).is_ok_and(|due| cal.provisional_between(self.start, due))
    }

    /// Working days used from the start to `day` (the start not counted).
    pub fn used(&self, cal: &Calendar, day: NaiveDate) -> Result<u32, CalendarError> {
        cal.elapsed(self.start, day)
    }

    /// Working days left on `today` (negative when overdue).
    pub fn days_left(&self, cal: &Calendar, today: NaiveDate) -> Result<i64, CalendarError> {
        Ok(i64::from(self.days) - i64::from(self.used(cal, today)?))
    }

    /// True when something done on `day` was done within the period.
    pub fn in_time(&self, cal: &Calendar, day: NaiveDate) -> Result<bool, CalendarError> {
        Ok(day <= self.due_on(cal)?)
    }

    /// Whether something due on this clock was done, on `today`: on time, late, still due
    /// (with its urgency, near on the last working day), or overdue.
    pub fn completion(
        &self,
        cal: &Calendar,
        done_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Completion, CalendarError> {
        Ok(match done_on {
            Some(d) if self.in_time(cal, d)? => Completion::OnTime,
            Some(_) => Completion::Late,
            None => match self.days_left(cal, today)? {
                l if l < 0 => Completion::Overdue,
                l => Completion::Due(Urgency::within(l, 1)),
            },
        })
    }

    /// How pressing it is on `today`: near in the last fifth of the period (at least the last
    /// working day, at most [`NEAR_DAYS`]).
    pub fn urgency(&self, cal: &Calendar, today: NaiveDate) -> Result<Urgency, CalendarError> {
        let near = (i64::from(self.days) / 5).clamp(1, NEAR_DAYS);
        Ok(Urgency::within(self.days_left(cal, today)?, near))
    }
}

/// A deadline in calendar months from a day (proposals: 3 months from assignment). The
/// month after 30 November is 28 February (or the 29th), never 2 March: the last day of a
/// shorter month stands for a day it lacks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MonthClock {
    /// The day the period starts.
    pub start: NaiveDate,
    /// Months allowed.
    pub months: u32,
}

impl MonthClock {
    /// The last day of the period.
    pub fn due_on(&self) -> NaiveDate {
        self.start.checked_add_months(chrono::Months::new(self.months)).unwrap_or(NaiveDate::MAX)
    }

    /// Calendar days left on `today` (negative when overdue).
    pub fn days_left(&self, today: NaiveDate) -> i64 {
        (self.due_on() - today).num_days()
    }

    /// True when something done on `day` was within the period.
    pub fn in_time(&self, day: NaiveDate) -> bool {
        day <= self.due_on()
    }

    /// How pressing it is on `today`: near in the last 15 calendar days.
    pub fn urgency(&self, today: NaiveDate) -> Urgency {
        Urgency::within(self.days_left(today), MONTH_NEAR_DAYS)
    }
}

/// Calendar days left at or under which a matter on a month clock is due soon.
pub const MONTH_NEAR_DAYS: i64 = 15;

/// A deadline in hours from an instant (政务舆情: 5 hours for authoritative information on a
/// major emergency, 24 hours for its press conference, 48 hours for any other concern). The
/// clock runs through nights, weekends and holidays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HourClock {
    /// When the clock starts (the concern first seen).
    pub start: DateTime<Utc>,
    /// Hours allowed.
    pub hours: u32,
}

impl HourClock {
    /// The instant the period ends.
    pub fn due_at(&self) -> DateTime<Utc> {
        self.start + chrono::Duration::hours(i64::from(self.hours))
    }

    /// Minutes left at `now` (negative when overdue).
    pub fn minutes_left(&self, now: DateTime<Utc>) -> i64 {
        (self.due_at() - now).num_minutes()
    }

    /// True when something done at `at` was done within the period.
    pub fn in_time(&self, at: DateTime<Utc>) -> bool {
        at <= self.due_at()
    }

    /// How pressing it is at `now`: near in the last quarter of the period (at least the last
    /// hour).
    pub fn urgency(&self, now: DateTime<Utc>) -> Urgency {
        let near = (i64::from(self.hours) * 60 / 4).max(60);
        match self.minutes_left(now) {
            m if m < 0 => Urgency::Overdue,
            m if m <= near => Urgency::Near,
            _ => Urgency::Ok,
        }
    }

    /// The time left (or past) at `now` in words: 「剩余 3 小时 20 分」, 「超时 1 小时 5 分」.
    pub fn left_label(&self, now: DateTime<Utc>) -> String {
        let m = self.minutes_left(now);
        let (word, m) = if m < 0 { ("超时", -m) } else { ("剩余", m) };
        match (m / 60, m % 60) {
            (0, min) => format!("{word} {min} 分钟"),
            (h, 0) => format!("{word} {h} 小时"),
            (h, min) => format!("{word} {h} 小时 {min} 分"),
        }
    }
}

/// The last day of a reply period that has ended by `on`, when one has: an extension asked
/// for then is refused (article 33 read for the applicant: an expired period is not
/// extended, so a late reply is not counted on time). The last day itself is within; a
/// period whose last day cannot be told (`None`) blocks nothing. Requests and mailbox
/// letters both hold their extensions to it.
pub fn ended_before(due_on: Option<NaiveDate>, on: NaiveDate) -> Option<NaiveDate> {
    due_on.filter(|due| on > *due)
}

/// Calendar days a matter received on `received_on` has been open on `today`.
pub fn open_days(received_on: NaiveDate, today: NaiveDate) -> i64 {
    (today - received_on).num_days().max(0)
}

/// True when a matter received on `received_on` and still open on `today` raises the
/// long-open alarm ([`LONG_OPEN_DAYS`]).
pub fn long_open(received_on: NaiveDate, today: NaiveDate) -> bool {
    open_days(received_on, today) >= LONG_OPEN_DAYS
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn five_working_days_cross_the_national_day_holiday() {
        let cal = Calendar::shipped();
        // Received on Friday 2025-09-26: the 国庆/中秋 holiday runs 1-8 October 2025, with
        // make-up workdays on Sunday 28 September and Saturday 11 October.
        let clock = WorkdayClock { start: d("2025-09-26"), days: 5 };
        // 28 Sep (make-up), 29, 30 Sep, 9, 10 Oct.
        assert_eq!(clock.due_on(&cal).expect("due"), d("2025-10-10"));
        assert!(clock.in_time(&cal, d("2025-10-10")).expect("in time"));
        assert!(!clock.in_time(&cal, d("2025-10-11")).expect("late"));
        assert_eq!(clock.days_left(&cal, d("2025-09-30")).expect("left"), 2);
        assert_eq!(clock.urgency(&cal, d("2025-09-26")).expect("u"), Urgency::Ok);
        assert_eq!(clock.urgency(&cal, d("2025-10-10")).expect("u"), Urgency::Near);
        assert_eq!(clock.urgency(&cal, d("2025-10-13")).expect("u"), Urgency::Overdue);
        assert!(!clock.is_provisional(&cal));
    }

    #[test]
    fn a_deadline_in_a_year_without_its_notice_is_provisional() {
        // Only 2025 loaded: a deadline running into January 2026 is counted provisionally.
        let mut cal = Calendar::default();
        let (_, text) = crate::calendar::SHIPPED.iter().find(|(y, _)| *y == "2025").expect("2025 shipped");
        cal.add_year(crate::calendar::HolidayYear::parse(text).expect("parses"));
        let clock = WorkdayClock { start: d("2025-12-22"), days: 15 };
        assert!(clock.is_provisional(&cal));
    }

    #[test]
    fn the_long_open_alarm_rings_on_day_sixty() {
        assert!(!long_open(d("2026-01-01"), d("2026-03-01")));
        assert!(long_open(d("2026-01-01"), d("2026-03-02")));
        assert_eq!(open_days(d("2026-03-02"), d("2026-03-01")), 0);
    }

    #[test]
    fn three_months_end_on_the_last_day_of_a_shorter_month() {
        let c = MonthClock { start: d("2026-11-30"), months: 3 };
        assert_eq!(c.due_on(), d("2027-02-28"));
        assert_eq!(MonthClock { start: d("2027-11-30"), months: 3 }.due_on(), d("2028-02-29"));
        assert_eq!(MonthClock { start: d("2026-03-10"), months: 3 }.due_on(), d("2026-06-10"));
        assert!(c.in_time(d("2027-02-28")) && !c.in_time(d("2027-03-01")));
        assert_eq!(c.urgency(d("2027-02-13")), Urgency::Near);
        assert_eq!(c.urgency(d("2027-02-12")), Urgency::Ok);
        assert_eq!(c.urgency(d("2027-03-01")), Urgency::Overdue);
    }

    fn at(s: &str) -> DateTime<Utc> {
        // Beijing time, as staff type it.
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time").and_utc() - chrono::Duration::hours(8)
    }

    #[test]
    fn hour_clocks_run_across_midnight_and_the_weekend() {
        // First seen Friday 2026-12-04 22:30 Beijing time: 5 hours end Saturday 03:30, 48 hours
        // end Sunday 22:30 — the weekend counts.
        let five = HourClock { start: at("2026-12-04 22:30"), hours: 5 };
        assert_eq!(five.due_at(), at("2026-12-05 03:30"));
        assert!(five.in_time(at("2026-12-05 03:30")) && !five.in_time(at("2026-12-05 03:31")));
        assert_eq!(five.urgency(at("2026-12-04 23:00")), Urgency::Ok);
        assert_eq!(five.urgency(at("2026-12-05 02:30")), Urgency::Near);
        assert_eq!(five.urgency(at("2026-12-05 04:00")), Urgency::Overdue);
        assert_eq!(five.left_label(at("2026-12-05 01:10")), "剩余 2 小时 20 分");
        assert_eq!(five.left_label(at("2026-12-05 04:30")), "超时 1 小时");
        let two_days = HourClock { start: at("2026-12-04 22:30"), hours: 48 };
        assert_eq!(two_days.due_at(), at("2026-12-06 22:30"));
        assert_eq!(two_days.urgency(at("2026-12-06 10:30")), Urgency::Near);
        assert_eq!(two_days.urgency(at("2026-12-06 10:29")), Urgency::Ok);
        assert_eq!(two_days.left_label(at("2026-12-06 22:00")), "剩余 30 分钟");
    }

    #[test]
    fn urgency_thresholds() {
        assert_eq!(Urgency::of(-1), Urgency::Overdue);
        assert_eq!(Urgency::of(0), Urgency::Near);
        assert_eq!(Urgency::within(2, 1), Urgency::Ok);
        assert_eq!(Urgency::within(1, 1), Urgency::Near);
    }
}
