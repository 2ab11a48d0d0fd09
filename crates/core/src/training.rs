//! Training and organisation (培训与组织领导). Seed 004 asks every org to plan training in
//! 政务公开 and to have "政务公开工作人员轮训全覆盖" — every official doing the work trained —
//! and its principal leader to hear a report on the work every year ("主要负责人每年要定期听取
//! 政务公开工作汇报"; seed 003: "每年委办公会听取并研究1次政务公开工作"). A session is recorded
//! after it was held, with the staff who attended; coverage per org and year is the share of
//! its working staff who attended at least one training that year.

use crate::code_enum::code_enum;
use chrono::NaiveDate;
use std::collections::HashSet;

/// Longest topic, lecturer or place, in characters.
pub const MAX_TOPIC: usize = 100;
/// Longest note, in characters.
pub const MAX_TEXT: usize = 1000;
/// Most 学时 one session may count.
pub const MAX_HOURS: i64 = 200;
/// Most staff recorded on one session.
pub const MAX_ATTENDEES: usize = 2000;
/// Most attendees from outside the platform (not staff accounts) on one session.
pub const MAX_OTHERS: i64 = 100_000;
/// The share of working staff to be trained each year, in per cent (轮训全覆盖).
pub const TARGET_PERCENT: u32 = 100;

code_enum! {
    /// What was held.
    TrainingKind {
        /// A training session on 政务公开.
        Training = ("training", "政务公开培训"),
        /// The leaders hearing and studying a report on the work (听取工作汇报).
        Hearing = ("hearing", "听取政务公开工作汇报"),
    }
}

/// Why a record is refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrainingRefusal {
    #[error("请填写主题，不超过 {MAX_TOPIC} 字")]
    Topic,
    #[error("「{0}」不超过 {MAX_TOPIC} 字")]
    TooLong(&'static str),
    #[error("说明不超过 {MAX_TEXT} 字")]
    Note,
    #[error("只能登记已经举办的活动：日期不能晚于今天")]
    Future,
    #[error("学时应为 0 到 {MAX_HOURS} 的整数")]
    Hours,
    #[error("培训须有参训人员：请选择本平台的参训人员，或填写其他参训人数")]
    NoOne,
    #[error("一次最多登记 {MAX_ATTENDEES} 名参训人员，其他参训人数不超过 {MAX_OTHERS}")]
    TooMany,
}

/// A session as it is recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrainingInput {
    pub kind: TrainingKind,
    pub held_on: NaiveDate,
    pub topic: String,
    /// 学时.
    pub hours: i64,
    /// 主讲人 (training) or 主持人 (hearing).
    pub lecturer: String,
    pub place: String,
    pub note: String,
    /// Staff accounts who attended.
    pub attendees: Vec<i64>,
    /// Attendees without an account here (village officials, staff of bodies not on the platform).
    pub others: i64,
}

/// Checks and tidies a record: trimmed, attendees sorted and once each.
pub fn check(input: &TrainingInput, today: NaiveDate) -> Result<TrainingInput, TrainingRefusal> {
    let mut out = input.clone();
    for s in [&mut out.topic, &mut out.lecturer, &mut out.place, &mut out.note] {
        *s = s.trim().to_string();
    }
    out.attendees.sort_unstable();
    out.attendees.dedup();
    let len = |s: &str| s.chars().count();
    if out.topic.is_empty() || len(&out.topic) > MAX_TOPIC {
        return Err(TrainingRefusal::Topic);
    }
    if len(&out.lecturer) > MAX_TOPIC {
        return Err(TrainingRefusal::TooLong(if out.kind == TrainingKind::Hearing {
            "主持人"
        } else {
            "主讲人"
        }));
    }
    if len(&out.place) > MAX_TOPIC {
        return Err(TrainingRefusal::TooLong("地点"));
    }
    if len(&out.note) > MAX_TEXT {
        return Err(TrainingRefusal::Note);
    }
    if out.held_on > today {
        return Err(TrainingRefusal::Future);
    }
    if !(0..=MAX_HOURS).contains(&out.hours) {
        return Err(TrainingRefusal::Hours);
    }
    if out.attendees.len() > MAX_ATTENDEES || !(0..=MAX_OTHERS).contains(&out.others) {
        return Err(TrainingRefusal::TooMany);
    }
    if out.kind == TrainingKind::Training && out.attendees.is_empty() && out.others == 0 {
        return Err(TrainingRefusal::NoOne);
    }
    Ok(out)
}

/// One org's training coverage for a year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
pub struct Coverage {
    /// Working staff (accounts with a work role, enabled).
    pub staff: usize,
    /// Of them, those who attended at least one training in the year.
    pub trained: usize,
}

impl Coverage {
    /// Counts the trained among `staff`.
    pub fn of(staff: &[i64], attended: &HashSet<i64>) -> Self {
        Self { staff: staff.len(), trained: staff.iter().filter(|u| attended.contains(u)).count() }
    }

    /// Whole per cent trained, rounded down (an org with no staff has nothing to measure).
    pub fn percent(&self) -> Option<u32> {
        (self.staff > 0).then(|| (self.trained * 100 / self.staff) as u32)
    }

    /// Every working official trained (or no one to train).
    pub fn is_full(&self) -> bool {
        self.percent().is_none_or(|p| p >= TARGET_PERCENT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn input() -> TrainingInput {
        TrainingInput {
            kind: TrainingKind::Training,
            held_on: d(2026, 6, 18),
            topic: " 新修订条例与依申请公开办理实务 ".into(),
            hours: 4,
            lecturer: "区政府办公室 张明".into(),
            place: "区行政中心 3 楼会议室".into(),
            note: String::new(),
            attendees: vec![5, 3, 5],
            others: 0,
        }
    }

    #[test]
    fn a_training_is_recorded_after_it_was_held_with_who_attended() {
        let today = d(2026, 12, 4);
        let ok = check(&input(), today).expect("valid");
        assert_eq!((ok.topic.as_str(), ok.attendees.as_slice()), ("新修订条例与依申请公开办理实务", &[3, 5][..]));
        assert_eq!(check(&TrainingInput { held_on: d(2026, 12, 5), ..input() }, today), Err(TrainingRefusal::Future));
        assert_eq!(check(&TrainingInput { topic: " ".into(), ..input() }, today), Err(TrainingRefusal::Topic));
        assert_eq!(check(&TrainingInput { hours: -1, ..input() }, today), Err(TrainingRefusal::Hours));
        assert_eq!(
            check(&TrainingInput { attendees: vec![], others: 0, ..input() }, today),
            Err(TrainingRefusal::NoOne)
        );
        assert!(check(&TrainingInput { attendees: vec![], others: 40, ..input() }, today).is_ok());
        let hearing = TrainingInput { kind: TrainingKind::Hearing, attendees: vec![], hours: 0, ..input() };
        assert!(check(&hearing, today).is_ok(), "a hearing needs no attendee list");
        let many = TrainingInput { attendees: (0..(MAX_ATTENDEES as i64 + 1)).collect(), ..input() };
        assert_eq!(check(&many, today), Err(TrainingRefusal::TooMany));
    }

    #[test]
    fn coverage_counts_working_staff_trained_at_least_once() {
        let attended: HashSet<i64> = [1, 2, 9].into_iter().collect();
        let c = Coverage::of(&[1, 2, 3, 4], &attended);
        assert_eq!((c.staff, c.trained, c.percent(), c.is_full()), (4, 2, Some(50), false));
        let all = Coverage::of(&[1, 2], &attended);
        assert!(all.is_full());
        let none = Coverage::of(&[], &attended);
        assert_eq!((none.percent(), none.is_full()), (None, true));
    }
}
