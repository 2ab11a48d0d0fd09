//! The working-day calendar (工作日). A working day is a Monday-Friday that is not an
//! official holiday, or a make-up workday (调休上班). Holidays cannot be computed by rule:
//! they come from the State Council's yearly notice, shipped in `data/holidays/` (2008 on)
//! and loaded for new years by administrators.
//!
//! A year from 2025 on whose notice is not loaded yet (every December, next year's) gets a
//! **provisional** schedule (暂定) computed from the law alone: weekends, the statutory days of
//! the 2024 《全国年节及纪念日放假办法》 and, by its article 6, a weekday off for a statutory day
//! on a weekend. Dates computed on it say so ([`Calendar::provisional_between`]); loading the
//! notice replaces it. Years before 2025 without a schedule are refused, never guessed.
//!
//! Periods in working days do not count the start day (《民法典》第二百零一条): the deadline of
//! N working days from day D is the Nth working day after D.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::{BTreeMap, HashSet};
use thiserror::Error;

/// Why a calendar question has no answer.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CalendarError {
    /// The year's holiday schedule is not loaded.
    #[error("{0} 年的节假日安排尚未载入，无法计算工作日；请管理员依据国务院办公厅通知载入")]
    YearNotLoaded(i32),
    /// A line of a schedule file could not be read.
    #[error("节假日文件第 {line} 行有误：{message}")]
    BadLine { line: usize, message: String },
    /// The file names no year.
    #[error("节假日文件没有标明年份（title = 国务院办公厅关于XXXX年部分节假日安排的通知）")]
    NoYear,
    /// The range is backwards.
    #[error("起始日期晚于结束日期")]
    BadRange,
}

/// One day of a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DayKind {
    /// 休: a day off.
    Off,
    /// 班: a make-up workday on a weekend.
    Work,
}

/// One year's schedule as its notice gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HolidayYear {
    /// The year the notice is for.
    pub year: i32,
    /// The notice's title.
    pub title: String,
    /// Its 文号.
    pub notice: String,
    /// Later notices that changed the schedule.
    pub amended: Vec<String>,
    /// The days, in order.
    pub days: Vec<(NaiveDate, DayKind, String)>,
}

impl HolidayYear {
    /// Parses the `data/holidays/YYYY.txt` format (see its README).
    pub fn parse(text: &str) -> Result<Self, CalendarError> {
        let mut y =
            HolidayYear { year: 0, title: String::new(), notice: String::new(), amended: Vec::new(), days: Vec::new() };
        for (i, raw) in text.lines().enumerate() {
            let line = raw.trim();
            let bad = |m: &str| CalendarError::BadLine { line: i + 1, message: m.to_string() };
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some((key, value)) = line.split_once('=') {
                let value = value.trim().to_string();
                match key.trim() {
                    "title" => y.title = value,
                    "notice" => y.notice = value,
                    "amended" => y.amended.push(value),
                    other => return Err(bad(&format!("未知字段「{other}」"))),
                }
                continue;
            }
            let mut parts = line.split_whitespace();
            let date = parts
                .next()
                .and_then(|d| NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
                .ok_or_else(|| bad("日期应为 YYYY-MM-DD"))?;
            let kind = match parts.next() {
                Some("休") => DayKind::Off,
                Some("班") => DayKind::Work,
                _ => return Err(bad("日期后应为「休」或「班」")),
            };
            if kind == DayKind::Work && !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
                return Err(bad("调休上班日（班）应在周末"));
            }
            if y.days.iter().any(|(d, _, _)| *d == date) {
                return Err(bad("日期重复"));
            }
            y.days.push((date, kind, parts.collect::<Vec<_>>().join(" ")));
        }
        y.year = title_year(&y.title)
            .or_else(|| {
                // Without a title, the year most dates fall in.
                let mut counts: BTreeMap<i32, usize> = BTreeMap::new();
                for (d, _, _) in &y.days {
                    *counts.entry(d.year()).or_default() += 1;
                }
                counts.into_iter().max_by_key(|(_, n)| *n).map(|(year, _)| year)
            })
            .ok_or(CalendarError::NoYear)?;
        y.days.sort_by_key(|(d, _, _)| *d);
        Ok(y)
    }
}

fn title_year(title: &str) -> Option<i32> {
    let start = title.find("关于")? + "关于".len();
    title[start..].get(..4)?.parse().ok()
}

/// The schedules of the years in force.
#[derive(Debug, Clone, Default)]
pub struct Calendar {
    years: BTreeMap<i32, HolidayYear>,
    off: HashSet<NaiveDate>,
    work: HashSet<NaiveDate>,
    /// The running count of working days, made at the first question after a change.
    index: std::sync::OnceLock<std::sync::Arc<DayIndex>>,
}

/// Working days counted up to each day of an unbroken run of days the calendar can answer
/// for (loaded or provisional years), so that a deadline or the days used are a lookup,
/// not a walk day by day: the clocks of a city's 150,000 open requests were a second of
/// every dashboard. Days outside the run are answered by the walk, as before.
#[derive(Debug)]
struct DayIndex {
    first: NaiveDate,
    /// `upto[i]`: working days from `first` to `first + i`, both included.
    upto: Vec<u32>,
}

/// Years past the last loaded one (and past 2025) that the index reaches into.
const INDEX_YEARS_AHEAD: i32 = 5;

impl DayIndex {
    fn build(cal: &Calendar) -> Self {
        let last_loaded = cal.years.keys().next_back().copied().unwrap_or(PROVISIONAL_FROM);
        let end_year = (last_loaded.max(PROVISIONAL_FROM) + INDEX_YEARS_AHEAD).min(PROVISIONAL_TO);
        let answers = |y: i32| cal.covers(y) || provisional_off(y).is_some();
        let mut first_year = end_year;
        while answers(first_year - 1) {
            first_year -= 1;
        }
        let (Some(first), Some(last)) =
            (NaiveDate::from_ymd_opt(first_year, 1, 1), NaiveDate::from_ymd_opt(end_year, 12, 31))
        else {
            return Self { first: NaiveDate::MIN, upto: Vec::new() };
        };
        if !answers(end_year) {
            return Self { first, upto: Vec::new() };
        }
        let mut upto = Vec::with_capacity(((last - first).num_days() + 1) as usize);
        let mut n = 0u32;
        for d in first.iter_days().take_while(|d| *d <= last) {
            n += u32::from(cal.is_workday(d).unwrap_or(false));
            upto.push(n);
        }
        Self { first, upto }
    }

    fn pos(&self, d: NaiveDate) -> Option<usize> {
        usize::try_from((d - self.first).num_days()).ok().filter(|i| *i < self.upto.len())
    }
}

macro_rules! shipped_years {
    ($($y:literal),*) => { &[$(($y, include_str!(concat!("../../../data/holidays/", $y, ".txt")))),*] };
}

/// The schedules shipped with gongkai.
pub const SHIPPED: &[(&str, &str)] = shipped_years!(
    "2008", "2009", "2010", "2011", "2012", "2013", "2014", "2015", "2016", "2017", "2018", "2019", "2020", "2021",
    "2022", "2023", "2024", "2025", "2026"
);

impl Calendar {
    /// A calendar with the shipped schedules (parsed once per process).
    pub fn shipped() -> Self {
        static SHIPPED_CALENDAR: std::sync::LazyLock<Calendar> = std::sync::LazyLock::new(|| {
            let mut c = Calendar::default();
            for (_, text) in SHIPPED {
                // The shipped files are tested; a broken one would fail every test.
                if let Ok(y) = HolidayYear::parse(text) {
                    c.add_year(y);
                }
            }
            c
        });
        SHIPPED_CALENDAR.clone()
    }

    /// Adds (or replaces) a year's schedule.
    pub fn add_year(&mut self, year: HolidayYear) {
        if let Some(old) = self.years.remove(&year.year) {
            for (d, _, _) in &old.days {
                self.off.remove(d);
                self.work.remove(d);
            }
        }
        for (d, kind, _) in &year.days {
            match kind {
                DayKind::Off => self.off.insert(*d),
                DayKind::Work => self.work.insert(*d),
            };
        }
        self.years.insert(year.year, year);
        self.index = std::sync::OnceLock::new();
    }

    fn index(&self) -> &DayIndex {
        self.index.get_or_init(|| std::sync::Arc::new(DayIndex::build(self)))
    }

    /// The running count of working days over the unbroken run of days the calendar
    /// answers for: the run's first day, and for each day from it the working days from the
    /// first to that day, both included. The store writes it as a table so that figures over
    /// many clocks are counted in SQL (`elapsed(a, b)` is the difference of two counts).
    pub fn running_counts(&self) -> (NaiveDate, &[u32]) {
        let ix = self.index();
        (ix.first, &ix.upto)
    }

    /// Which calendar this is, as a number that changes whenever any day's count does:
    /// figures counted on one calendar and kept (a concluded request's working days, see
    /// [`crate::request::Clock::concluded`]) hold only while the calendar's stamp is the same.
    /// Stable across builds and machines (the first eight bytes of a SHA-256 of the running
    /// counts), so every node of a cluster agrees on it.
    pub fn stamp(&self) -> i64 {
        use sha2::{Digest, Sha256};
        let (first, upto) = self.running_counts();
        let mut h = Sha256::new();
        h.update(first.to_string().as_bytes());
        for n in upto {
            h.update(n.to_le_bytes());
        }
        let digest = h.finalize();
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(&digest[..8]);
        i64::from_le_bytes(bytes)
    }

    /// The running count on `day` (see [`Calendar::running_counts`]), or `None` outside the
    /// run of days the calendar answers for.
    pub fn running_count(&self, day: NaiveDate) -> Option<u32> {
        let (first, upto) = self.running_counts();
        usize::try_from((day - first).num_days()).ok().and_then(|i| upto.get(i).copied())
    }

    /// The years loaded, with their notices.
    pub fn years(&self) -> impl Iterator<Item = &HolidayYear> {
        self.years.values()
    }

    /// True when the year's schedule is loaded.
    pub fn covers(&self, year: i32) -> bool {
        self.years.contains_key(&year)
    }

    /// True when the year's working days come from the provisional schedule: no notice is
    /// loaded for it, and the 2024 放假办法 applies.
    pub fn is_provisional(&self, year: i32) -> bool {
        !self.covers(year) && provisional_off(year).is_some()
    }

    /// True when a computation over the days from `from` to `to` (either order) touched a
    /// provisional year, so its answer is 暂定.
    pub fn provisional_between(&self, from: NaiveDate, to: NaiveDate) -> bool {
        let (a, b) = if from <= to { (from.year(), to.year()) } else { (to.year(), from.year()) };
        (a..=b).any(|y| self.is_provisional(y))
    }

    /// The first year from `today`'s on whose notice is not loaded, when it is this year's or
    /// next year's and `today` is on or after 1 October (the notice usually comes in
    /// November): what the dashboards warn about.
    pub fn missing_notice(&self, today: NaiveDate) -> Option<i32> {
        if !self.covers(today.year()) {
            return Some(today.year());
        }
        (today.month() >= 10 && !self.covers(today.year() + 1)).then_some(today.year() + 1)
    }

    /// Is `d` a working day?
    pub fn is_workday(&self, d: NaiveDate) -> Result<bool, CalendarError> {
        if !self.covers(d.year()) {
            let off = provisional_off(d.year()).ok_or(CalendarError::YearNotLoaded(d.year()))?;
            return Ok(!off.contains_key(&d) && !is_weekend(d));
        }
        if self.work.contains(&d) {
            return Ok(true);
        }
        Ok(!self.off.contains(&d) && !is_weekend(d))
    }

    /// The Nth working day after `d` (`d` itself not counted); `d` for N = 0.
    pub fn add_workdays(&self, d: NaiveDate, n: u32) -> Result<NaiveDate, CalendarError> {
        if n == 0 {
            return Ok(d);
        }
        let ix = self.index();
        if let Some(i) = ix.pos(d) {
            let j = ix.upto.partition_point(|c| *c < ix.upto[i] + n);
            if j < ix.upto.len() {
                return Ok(ix.first + Duration::days(j as i64));
            }
        }
        let mut day = d;
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            if self.is_workday(day)? {
                left -= 1;
            }
        }
        Ok(day)
    }

    /// Every working day from `from` to `to`, both included.
    pub fn workdays(&self, from: NaiveDate, to: NaiveDate) -> Result<Vec<NaiveDate>, CalendarError> {
        if from > to {
            return Err(CalendarError::BadRange);
        }
        let mut out = Vec::new();
        let mut d = from;
        while d <= to {
            if self.is_workday(d)? {
                out.push(d);
            }
            d += Duration::days(1);
        }
        Ok(out)
    }

    /// How many working days from `from` to `to`, both included.
    pub fn count(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        let ix = self.index();
        if let (Some(a), Some(b)) = (ix.pos(from), ix.pos(to))
            && a <= b
        {
            let before = if a == 0 { 0 } else { ix.upto[a - 1] };
            return Ok(ix.upto[b] - before);
        }
        Ok(self.workdays(from, to)?.len() as u32)
    }

    /// Working days strictly after `start` up to and including `end` (0 when `end` <= `start`):
    /// how many working days of a period have been used by `end`.
    pub fn elapsed(&self, start: NaiveDate, end: NaiveDate) -> Result<u32, CalendarError> {
        if end <= start {
            return Ok(0);
        }
        self.count(start + Duration::days(1), end)
    }
}

fn is_weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The first year the 2024 《全国年节及纪念日放假办法》 (国务院令第795号, in force 2025-01-01)
/// governs: provisional schedules follow it, so none is made for earlier years.
pub const PROVISIONAL_FROM: i32 = 2025;
/// The last year a provisional schedule is made for (the lunar tables' reach, and a bound on
/// how far a computation may run).
pub const PROVISIONAL_TO: i32 = 2100;

/// The statutory days of a year by the 2024 放假办法 (第二条), each with its holiday's name:
/// 元旦 1, 春节 4 (除夕 to 正月初三, lunar), 清明 1 (the solar term), 劳动节 2, 端午 1 (五月初五),
/// 中秋 1 (八月十五), 国庆 3. Two can fall on one date (中秋 in 国庆); both are listed.
pub fn statutory_days(year: i32) -> Vec<(NaiveDate, &'static str)> {
    use tyme4rs::tyme::lunar::LunarDay;
    use tyme4rs::tyme::solar::SolarTerm;
    let ymd = |y: i32, m: u32, d: u32| NaiveDate::from_ymd_opt(y, m, d);
    let lunar = |m: isize, d: usize| {
        let solar = LunarDay::new(year as isize, m, d).ok()?.get_solar_day();
        ymd(solar.get_year() as i32, solar.get_month() as u32, solar.get_day() as u32)
    };
    let qingming = || {
        let solar = SolarTerm::from_name(year as isize, "清明").get_solar_day();
        ymd(solar.get_year() as i32, solar.get_month() as u32, solar.get_day() as u32)
    };
    let mut days = Vec::new();
    let mut push = |d: Option<NaiveDate>, name: &'static str| {
        if let Some(d) = d.filter(|d| d.year() == year) {
            days.push((d, name));
        }
    };
    push(ymd(year, 1, 1), "元旦");
    if let Some(new_year) = lunar(1, 1) {
        for i in -1..=2 {
            push(Some(new_year + Duration::days(i)), "春节");
        }
    }
    push(qingming(), "清明节");
    push(ymd(year, 5, 1), "劳动节");
    push(ymd(year, 5, 2), "劳动节");
    push(lunar(5, 5), "端午节");
    push(lunar(8, 15), "中秋节");
    for d in 1..=3 {
        push(ymd(year, 10, d), "国庆节");
    }
    days.sort_by_key(|(d, _)| *d);
    days
}

/// The provisional schedule of a year: its statutory days, and for each that falls on a
/// Saturday or Sunday — or on the same date as another — a weekday off (补假, article 6) on
/// the first free weekday after its holiday. Consecutive statutory days form one holiday;
/// the days off in lieu follow the whole of it. Make-up workdays (调休上班) and bridging
/// days are the State Council's yearly choice (article 7) and are not guessed.
pub fn provisional_year(year: i32) -> Option<HolidayYear> {
    if !(PROVISIONAL_FROM..=PROVISIONAL_TO).contains(&year) {
        return None;
    }
    let statutory = statutory_days(year);
    let mut off: BTreeMap<NaiveDate, String> = BTreeMap::new();
    // Holidays: runs of statutory dates at most a day apart.
    let mut runs: Vec<Vec<(NaiveDate, &str)>> = Vec::new();
    for (d, name) in &statutory {
        match runs.last_mut() {
            Some(run) if run.last().is_some_and(|(last, _)| (*d - *last).num_days() <= 1) => run.push((*d, name)),
            _ => runs.push(vec![(*d, name)]),
        }
    }
    for run in &runs {
        let mut in_lieu = 0;
        for (d, name) in run {
            if off.insert(*d, (*name).to_string()).is_some() || is_weekend(*d) {
                in_lieu += 1;
            }
        }
        let name = run[0].1;
        let mut day = run.last().map(|(d, _)| *d)?;
        while in_lieu > 0 {
            day += Duration::days(1);
            if !is_weekend(day) && !statutory.iter().any(|(d, _)| *d == day) && !off.contains_key(&day) {
                off.insert(day, format!("{name}（补假）"));
                in_lieu -= 1;
            }
        }
    }
    Some(HolidayYear {
        year,
        title: format!("依据《全国年节及纪念日放假办法》推算的{year}年节假日（暂定）"),
        notice: "暂定：国务院办公厅关于该年部分节假日安排的通知尚未载入".into(),
        amended: Vec::new(),
        days: off.into_iter().map(|(d, name)| (d, DayKind::Off, name)).collect(),
    })
}

/// The days off of a year's provisional schedule, computed once per process.
fn provisional_off(year: i32) -> Option<&'static BTreeMap<NaiveDate, String>> {
    const N: usize = (PROVISIONAL_TO - PROVISIONAL_FROM + 1) as usize;
    static YEARS: [std::sync::OnceLock<BTreeMap<NaiveDate, String>>; N] = [const { std::sync::OnceLock::new() }; N];
    let slot = YEARS.get(usize::try_from(year.checked_sub(PROVISIONAL_FROM)?).ok()?)?;
    Some(slot.get_or_init(|| {
        provisional_year(year).map(|y| y.days.into_iter().map(|(d, _, name)| (d, name)).collect()).unwrap_or_default()
    }))
}

/// 《条例》第二十六条: proactive information is published within 20 working days of being
/// formed or changed. Answers by how many working days a publication on `published_on` was
/// late for information formed on `formed_on` (0 when on time).
pub fn publication_delay(cal: &Calendar, formed_on: NaiveDate, published_on: NaiveDate) -> Result<u32, CalendarError> {
    let deadline = cal.add_workdays(formed_on, 20)?;
    cal.elapsed(deadline, published_on)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk day by day that the index stands in for.
    fn walked(cal: &Calendar, from: NaiveDate, to: NaiveDate) -> Result<u32, CalendarError> {
        let mut n = 0;
        for d in from.iter_days().take_while(|d| *d <= to) {
            n += u32::from(cal.is_workday(d)?);
        }
        Ok(n)
    }

    #[test]
    fn the_index_answers_as_the_walk_does() {
        let mut cal = Calendar::shipped();
        let check = |cal: &Calendar| {
            // Deterministic spread of days over the shipped years, the provisional ones and
            // the edges of the index (2007 is refused, 2100 the last provisional year).
            let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
            let base = d(2007, 6, 1);
            for _ in 0..4000 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let from = base + Duration::days((x % 12_000) as i64);
                let n = ((x >> 20) % 80) as u32;
                let span = ((x >> 30) % 400) as i64;
                let to = from + Duration::days(span);
                assert_eq!(cal.count(from, to), walked(cal, from, to), "count {from}..{to}");
                let slow = walked(cal, from + Duration::days(1), to).map(|_| ());
                let elapsed = cal.elapsed(from, to);
                match slow {
                    Ok(()) => assert_eq!(elapsed, walked(cal, from + Duration::days(1), to), "{from}..{to}"),
                    Err(e) if span > 0 => assert_eq!(elapsed, Err(e)),
                    Err(_) => {}
                }
                let fast = cal.add_workdays(from, n);
                let mut day = from;
                let mut left = n;
                let mut expect = Ok(from);
                while left > 0 {
                    day += Duration::days(1);
                    match cal.is_workday(day) {
                        Ok(true) => left -= 1,
                        Ok(false) => {}
                        Err(e) => {
                            expect = Err(e);
                            break;
                        }
                    }
                    expect = Ok(day);
                }
                assert_eq!(fast, expect, "{from} + {n}");
            }
            let far = d(2100, 12, 20);
            assert_eq!(cal.add_workdays(far, 30), Err(CalendarError::YearNotLoaded(2101)));
        };
        check(&cal);
        // A loaded year replaces its provisional schedule in the index too.
        let mut y2027 = provisional_year(2027).expect("2027");
        y2027.days.push((d(2027, 2, 20), DayKind::Work, "春节调休".into()));
        y2027.days.sort_by_key(|(d, _, _)| *d);
        let before = cal.count(d(2027, 2, 1), d(2027, 2, 28)).expect("count");
        cal.add_year(y2027);
        assert_eq!(cal.count(d(2027, 2, 1), d(2027, 2, 28)), Ok(before + 1));
        check(&cal);
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    #[test]
    fn every_shipped_year_parses_with_its_notice() {
        assert_eq!(SHIPPED.len(), 19);
        for (name, text) in SHIPPED {
            let y = HolidayYear::parse(text).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(y.year.to_string(), *name);
            assert!(y.title.contains(&format!("关于{name}年部分节假日安排的通知")), "{name}");
            assert!(y.days.len() >= 25, "{name} has its days");
        }
        assert_eq!(HolidayYear::parse(SHIPPED[16].1).map(|y| y.notice), Ok("国办发明电〔2023〕7号".into()));
    }

    #[test]
    fn known_days_from_the_official_schedules() {
        let c = Calendar::shipped();
        // 2024 (RULES §5): Sundays 02-04 and 02-18 worked; the National Day week off; 10-12 worked.
        assert_eq!(c.is_workday(d(2024, 2, 4)), Ok(true));
        assert_eq!(c.is_workday(d(2024, 2, 18)), Ok(true));
        for day in 1..=7 {
            assert_eq!(c.is_workday(d(2024, 10, day)), Ok(false), "2024-10-{day:02}");
        }
        assert_eq!(c.is_workday(d(2024, 10, 8)), Ok(true));
        assert_eq!(c.is_workday(d(2024, 10, 12)), Ok(true));
        // 2025: 01-26 (Sun) and 02-08 (Sat) worked, 01-28 off.
        assert_eq!(c.is_workday(d(2025, 1, 26)), Ok(true));
        assert_eq!(c.is_workday(d(2025, 2, 8)), Ok(true));
        assert_eq!(c.is_workday(d(2025, 1, 28)), Ok(false));
        // 2026 make-up workdays.
        for (m, day) in [(1, 4), (2, 14), (2, 28), (5, 9), (9, 20), (10, 10)] {
            assert_eq!(c.is_workday(d(2026, m, day)), Ok(true), "2026-{m:02}-{day:02}");
        }
        assert_eq!(c.is_workday(d(2026, 2, 23)), Ok(false), "the ninth day of the 2026 Spring Festival");
        // 2020: the Spring Festival was extended to 02-02, so 02-01 (Sat) was no longer worked.
        assert_eq!(c.is_workday(d(2020, 2, 1)), Ok(false));
        assert_eq!(c.is_workday(d(2020, 1, 19)), Ok(true));
        // 2015: the victory-day holiday.
        assert_eq!(c.is_workday(d(2015, 9, 3)), Ok(false));
        assert_eq!(c.is_workday(d(2015, 9, 6)), Ok(true));
        // 2008: the first Qingming holiday.
        assert_eq!(c.is_workday(d(2008, 4, 4)), Ok(false));
        // An ordinary Saturday and Wednesday.
        assert_eq!(c.is_workday(d(2026, 11, 21)), Ok(false));
        assert_eq!(c.is_workday(d(2026, 11, 18)), Ok(true));
    }

    #[test]
    fn every_day_of_every_shipped_schedule_is_honoured() {
        let c = Calendar::shipped();
        for y in c.years() {
            for (day, kind, name) in &y.days {
                if !c.covers(day.year()) {
                    continue; // a New Year break reaching into a year not shipped (2007)
                }
                let expected = *kind == DayKind::Work;
                assert_eq!(c.is_workday(*day), Ok(expected), "{day} {name} ({})", y.notice);
            }
            // Each year has between 245 and 252 working days.
            let n = c.count(d(y.year, 1, 1), d(y.year, 12, 31)).expect("count");
            assert!((245..=252).contains(&n), "{}: {n} working days", y.year);
        }
    }

    #[test]
    fn a_year_before_the_2024_rules_without_a_schedule_is_refused() {
        let c = Calendar::shipped();
        assert_eq!(c.is_workday(d(2007, 6, 1)), Err(CalendarError::YearNotLoaded(2007)));
        assert_eq!(c.is_workday(d(2101, 6, 1)), Err(CalendarError::YearNotLoaded(2101)));
        assert!(!c.is_provisional(2007) && !c.is_provisional(2026) && c.is_provisional(2027));
    }

    #[test]
    fn a_deadline_into_a_year_not_announced_is_provisional_by_the_law() {
        let c = Calendar::shipped();
        // RULES §6: 2027-01-01 is a Friday, so 2026-12-04 + 20 working days = 2027-01-04.
        assert_eq!(c.add_workdays(d(2026, 12, 4), 20), Ok(d(2027, 1, 4)));
        assert!(c.provisional_between(d(2026, 12, 4), d(2027, 1, 4)));
        assert!(!c.provisional_between(d(2026, 12, 3), d(2026, 12, 31)));
        // 2027: 除夕 02-05 (Fri), 初一 02-06 (Sat) and 初二 (Sun) give 02-09 and 02-10 in lieu.
        let off: Vec<_> = provisional_year(2027).expect("2027").days.into_iter().map(|(day, _, n)| (day, n)).collect();
        let expected = [
            ((1, 1), "元旦"),
            ((2, 5), "春节"),
            ((2, 6), "春节"),
            ((2, 7), "春节"),
            ((2, 8), "春节"),
            ((2, 9), "春节（补假）"),
            ((2, 10), "春节（补假）"),
            ((4, 5), "清明节"),
            ((5, 1), "劳动节"),
            ((5, 2), "劳动节"),
            ((5, 3), "劳动节（补假）"),
            ((5, 4), "劳动节（补假）"),
            ((6, 9), "端午节"),
            ((9, 15), "中秋节"),
            ((10, 1), "国庆节"),
            ((10, 2), "国庆节"),
            ((10, 3), "国庆节"),
            ((10, 4), "国庆节（补假）"),
            ((10, 5), "国庆节（补假）"),
        ]
        .map(|((m, day), n)| (d(2027, m, day), n.to_string()));
        assert_eq!(off, expected);
        assert_eq!(c.is_workday(d(2027, 2, 10)), Ok(false));
        assert_eq!(c.is_workday(d(2027, 2, 11)), Ok(true));
        assert_eq!(c.is_workday(d(2027, 2, 13)), Ok(false), "no make-up workday is guessed");
        // Loading the notice replaces the provisional schedule.
        let mut loaded = c.clone();
        loaded.add_year(
            HolidayYear::parse(
                "title = 国务院办公厅关于2027年部分节假日安排的通知\n2027-01-01 休 元旦\n2027-01-04 休 元旦\n",
            )
            .expect("valid"),
        );
        assert!(!loaded.is_provisional(2027));
        assert_eq!(loaded.add_workdays(d(2026, 12, 4), 20), Ok(d(2027, 1, 5)));
    }

    #[test]
    fn a_statutory_day_on_another_gives_a_day_in_lieu() {
        // 2020 and 2001: 中秋 fell on 10-01. In 2031 中秋 is 10-01 (Wed) again.
        let y = provisional_year(2031).expect("2031");
        let october: Vec<_> =
            y.days.iter().filter(|(day, _, _)| day.month() == 10).map(|(day, _, _)| day.day()).collect();
        assert_eq!(
            october,
            vec![1, 2, 3, 6],
            "10-01..03, and 10-06 (Mon) in lieu of the shared date after the weekend"
        );
    }

    #[test]
    fn the_lunar_and_solar_term_dates_match_every_shipped_schedule() {
        // The festivals computed for the provisional schedule fall on days off in every
        // official schedule shipped (2008, when 清明, 端午 and 中秋 became holidays, to 2026).
        let c = Calendar::shipped();
        for y in 2008..=2026 {
            let days = statutory_days(y);
            assert_eq!(days.len(), 13, "{y}");
            // The dates computed from the moon and the sun: 正月初一 to 初三, 清明, 端午, 中秋
            // (除夕 and 5-02 became statutory days only in 2025, so older schedules may work them).
            let spring = days_of(y, "春节");
            let computed = spring[1..].iter().map(|day| (*day, "春节")).chain(
                days.iter().filter(|(_, n)| ["清明节", "端午节", "中秋节"].contains(n)).map(|(day, n)| (*day, *n)),
            );
            for (day, name) in computed {
                assert_eq!(c.is_workday(day), Ok(false), "{y}: {day} {name}");
            }
        }
        fn days_of(y: i32, name: &str) -> Vec<NaiveDate> {
            statutory_days(y).into_iter().filter(|(_, n)| *n == name).map(|(d, _)| d).collect()
        }
        assert_eq!(days_of(2026, "春节"), vec![d(2026, 2, 16), d(2026, 2, 17), d(2026, 2, 18), d(2026, 2, 19)]);
        assert_eq!(days_of(2025, "清明节"), vec![d(2025, 4, 4)]);
        assert_eq!(days_of(2024, "中秋节"), vec![d(2024, 9, 17)]);
        assert_eq!(days_of(2028, "端午节"), vec![d(2028, 5, 28)]);
    }

    #[test]
    fn the_dashboard_warns_of_next_years_notice_from_october() {
        let c = Calendar::shipped();
        assert_eq!(c.missing_notice(d(2026, 9, 30)), None);
        assert_eq!(c.missing_notice(d(2026, 10, 1)), Some(2027));
        assert_eq!(c.missing_notice(d(2027, 3, 1)), Some(2027));
        assert_eq!(c.missing_notice(d(2025, 12, 1)), None);
    }

    #[test]
    fn deadlines_do_not_count_the_start_day_and_skip_holidays() {
        let c = Calendar::shipped();
        assert_eq!(c.add_workdays(d(2026, 11, 18), 1), Ok(d(2026, 11, 19)));
        assert_eq!(c.add_workdays(d(2026, 11, 20), 1), Ok(d(2026, 11, 23)), "Friday + 1 is Monday");
        // Received 2024-09-27 (Fri): 29 (Sun) is a make-up workday, 10-01..07 off, 10-12 (Sat) worked.
        assert_eq!(c.add_workdays(d(2024, 9, 27), 1), Ok(d(2024, 9, 29)));
        assert_eq!(c.add_workdays(d(2024, 9, 27), 2), Ok(d(2024, 9, 30)));
        assert_eq!(c.add_workdays(d(2024, 9, 27), 3), Ok(d(2024, 10, 8)));
        // 20 working days across the 2026 Spring Festival: received 2026-02-06 (Fri).
        // 02-09..13 (5), 02-14 Sat worked (6), 02-15..23 off, 02-24..27 (10), 02-28 Sat worked (11),
        // 03-02..06 (16), 03-09..12 (20).
        assert_eq!(c.add_workdays(d(2026, 2, 6), 20), Ok(d(2026, 3, 12)));
        assert_eq!(c.add_workdays(d(2026, 2, 6), 0), Ok(d(2026, 2, 6)));
    }

    #[test]
    fn ranges_and_counts_include_both_ends() {
        let c = Calendar::shipped();
        let days = c.workdays(d(2024, 9, 27), d(2024, 10, 12)).expect("range");
        assert_eq!(
            days,
            vec![
                d(2024, 9, 27),
                d(2024, 9, 29),
                d(2024, 9, 30),
                d(2024, 10, 8),
                d(2024, 10, 9),
                d(2024, 10, 10),
                d(2024, 10, 11),
                d(2024, 10, 12)
            ]
        );
        assert_eq!(c.count(d(2024, 9, 27), d(2024, 10, 12)), Ok(8));
        assert_eq!(c.count(d(2024, 10, 1), d(2024, 10, 7)), Ok(0));
        assert_eq!(c.workdays(d(2024, 10, 2), d(2024, 10, 1)), Err(CalendarError::BadRange));
    }

    #[test]
    fn publication_delay_follows_article_26() {
        let c = Calendar::shipped();
        // Formed 2026-02-06: the 20th working day after is 2026-03-12.
        assert_eq!(publication_delay(&c, d(2026, 2, 6), d(2026, 3, 12)), Ok(0));
        assert_eq!(publication_delay(&c, d(2026, 2, 6), d(2026, 3, 13)), Ok(1));
        assert_eq!(publication_delay(&c, d(2026, 2, 6), d(2026, 3, 16)), Ok(2), "the weekend does not count");
        assert_eq!(publication_delay(&c, d(2026, 2, 6), d(2026, 2, 7)), Ok(0));
    }

    #[test]
    fn schedules_are_checked_when_loaded() {
        let ok = "title = 国务院办公厅关于2027年部分节假日安排的通知\nnotice = 国办发明电〔2026〕1号\n2027-01-01 休 元旦\n2027-02-07 班 春节\n";
        let y = HolidayYear::parse(ok).expect("valid");
        assert_eq!((y.year, y.days.len()), (2027, 2));
        let mut c = Calendar::shipped();
        c.add_year(y);
        assert_eq!(c.is_workday(d(2027, 1, 1)), Ok(false));
        assert_eq!(c.is_workday(d(2027, 2, 7)), Ok(true), "a Sunday made a workday");
        assert_eq!(c.is_workday(d(2027, 1, 4)), Ok(true));
        assert!(
            matches!(HolidayYear::parse("2027-01-04 班 元旦\n"), Err(CalendarError::BadLine { line: 1, .. })),
            "a make-up day on a Monday"
        );
        assert!(matches!(HolidayYear::parse("2027-13-01 休\n"), Err(CalendarError::BadLine { .. })));
        assert!(matches!(HolidayYear::parse("2027-01-01 放假\n"), Err(CalendarError::BadLine { .. })));
        assert_eq!(HolidayYear::parse("# nothing\n"), Err(CalendarError::NoYear));
    }
}
