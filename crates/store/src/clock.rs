//! The one clock: "now" and "today in Beijing" for the whole process come from here. The
//! system clock by default; tests (and a demo of a given day) set the time, and every part
//! that holds the store — the pages, the API, the deadlines, the reminders — sees it.

use chrono::{DateTime, NaiveDate, Utc};
use std::sync::{Arc, RwLock};

/// A clock shared by clones: setting it on one sets it for all.
#[derive(Debug, Clone, Default)]
pub struct Clock {
    fixed: Arc<RwLock<Option<DateTime<Utc>>>>,
}

impl Clock {
    /// The system's clock.
    pub fn system() -> Self {
        Self::default()
    }

    /// A clock standing at `at` until set again.
    pub fn fixed(at: DateTime<Utc>) -> Self {
        let c = Self::default();
        c.set(Some(at));
        c
    }

    /// Stands the clock at `at`, or (`None`) lets it follow the system's again.
    pub fn set(&self, at: Option<DateTime<Utc>>) {
        match self.fixed.write() {
            Ok(mut f) => *f = at,
            Err(poisoned) => *poisoned.into_inner() = at,
        }
    }

    /// The time the clock stands at, when it was set; `None` when it follows the system's.
    pub fn fixed_at(&self) -> Option<DateTime<Utc>> {
        match self.fixed.read() {
            Ok(f) => *f,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }

    /// The time now.
    pub fn now(&self) -> DateTime<Utc> {
        let fixed = self.fixed_at();
        #[expect(clippy::disallowed_methods, reason = "the one place the system clock is read")]
        fixed.unwrap_or_else(Utc::now)
    }

    /// Today's date in Beijing (Asia/Shanghai), the date every rule counts in.
    pub fn today(&self) -> NaiveDate {
        gongkai_core::index_no::beijing_date(self.now())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_set_clock_is_seen_by_every_clone_and_beijing_is_eight_hours_ahead() {
        let c = Clock::system();
        let other = c.clone();
        let at = DateTime::parse_from_rfc3339("2026-12-03T16:30:00Z").expect("time").with_timezone(&Utc);
        c.set(Some(at));
        assert_eq!(other.now(), at);
        assert_eq!(other.today(), NaiveDate::from_ymd_opt(2026, 12, 4).expect("date"));
        c.set(None);
        assert_ne!(other.now(), at);
    }
}
