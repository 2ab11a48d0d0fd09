//! 公示 with notice periods: a public item that is put before the public for a period (公示期)
//! in which anyone may object through its objection channel (a letter to the org's 公示异议
//! mailbox, answered on the mailbox's clock like any letter). Staged disclosure (事前公示 →
//! 事后公告, seeds 001 六 and 004 #20) links the result announcement to the 公示 it concludes;
//! that result is due [`RESULT_DAYS`] working days after the period ends and is flagged when
//! late. Not the notices a request produces (告知书, [`crate::notice`]).

use crate::calendar::{Calendar, CalendarError};
use crate::clock::{Completion, Urgency, WorkdayClock};
use crate::code_enum::code_enum;
use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};
use thiserror::Error;

/// Working days after a 公示期 ends within which its result is announced (docs/DECISIONS.md:
/// objections filed on the period's last day are still looked into, and a week is what the
/// gazette and interpretation clocks allow for the same paperwork).
pub const RESULT_DAYS: u32 = 5;

/// The longest 公示期 a notice may set, in days of either unit.
pub const MAX_PERIOD_DAYS: u32 = 365;

code_enum! {
    /// The stage of a staged disclosure.
    NoticeStage {
        /// 公示 (事前公示): a period with an objection channel.
        Notice = ("notice", "公示"),
        /// 结果公告 (事后公告): the result of a 公示, published after its period.
        Result = ("result", "结果公告"),
    }
}

code_enum! {
    /// How a 公示期 is counted.
    PeriodUnit {
        /// 自然日: calendar days, the first day counted.
        Days = ("days", "日"),
        /// 工作日 on the official calendar, the first day counted when it is one.
        Workdays = ("workdays", "个工作日"),
    }
}

/// A 公示期: from its first day to its last, both included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticePeriod {
    /// 公示起始日.
    pub from: NaiveDate,
    /// 公示截止日 (the last day objections are received).
    pub until: NaiveDate,
    /// The length as set.
    pub days: u32,
    /// The unit of the length.
    pub unit: PeriodUnit,
}

impl NoticePeriod {
    /// The period of `days` days of `unit` starting on `from`. A period in working days ends
    /// on the `days`-th working day counted from `from` itself.
    pub fn new(cal: &Calendar, from: NaiveDate, days: u32, unit: PeriodUnit) -> Result<Self, NoticeRefusal> {
        if !(1..=MAX_PERIOD_DAYS).contains(&days) {
            return Err(NoticeRefusal::Length);
        }
        let until = match unit {
            PeriodUnit::Days => from.checked_add_days(Days::new(u64::from(days - 1))),
            PeriodUnit::Workdays => match from.pred_opt() {
                Some(eve) => Some(cal.add_workdays(eve, days)?),
                None => None,
            },
        }
        .ok_or(NoticeRefusal::Length)?;
        Ok(Self { from, until, days, unit })
    }

    /// True when objections are received on `today`.
    pub fn is_open(&self, today: NaiveDate) -> bool {
        self.from <= today && today <= self.until
    }

    /// True when the period was counted on a provisional calendar (暂定).
    pub fn is_provisional(&self, cal: &Calendar) -> bool {
        self.unit == PeriodUnit::Workdays && cal.provisional_between(self.from, self.until)
    }

    /// The clock of the result announcement: [`RESULT_DAYS`] working days after the last day.
    pub fn result_clock(&self) -> WorkdayClock {
        WorkdayClock { start: self.until, days: RESULT_DAYS }
    }

    /// 公示期：2026年12月4日至2026年12月10日（5个工作日）.
    pub fn label(&self) -> String {
        format!(
            "{}至{}（{}{}）",
            self.from.format("%Y年%-m月%-d日"),
            self.until.format("%Y年%-m月%-d日"),
            self.days,
            self.unit.label()
        )
    }
}

code_enum! {
    /// Where a 公示 stands on a day.
    NoticeStatus {
        /// 未开始.
        Upcoming = ("upcoming", "公示未开始"),
        /// 公示中: objections received.
        Open = ("open", "公示中"),
        /// 公示期满 (no result announcement is due).
        Ended = ("ended", "公示期满"),
        /// The period ended; the result is due.
        ResultDue = ("result_due", "公示期满，待公告结果"),
        /// The result's days are nearly used.
        ResultNear = ("result_near", "结果公告即将到期"),
        /// The result is overdue.
        ResultOverdue = ("result_overdue", "结果公告逾期"),
        /// The result was announced in time.
        Concluded = ("concluded", "已公告结果"),
        /// The result was announced late.
        ConcludedLate = ("concluded_late", "已公告结果（逾期）"),
    }
}

impl NoticeStatus {
    /// The status of a 公示 with `period` on `today`, its result (if one is due) announced
    /// on `result_on`.
    pub fn of(
        cal: &Calendar,
        period: &NoticePeriod,
        result_required: bool,
        result_on: Option<NaiveDate>,
        today: NaiveDate,
    ) -> Result<Self, CalendarError> {
        if today < period.from {
            return Ok(Self::Upcoming);
        }
        if today <= period.until {
            return Ok(Self::Open);
        }
        if !result_required && result_on.is_none() {
            return Ok(Self::Ended);
        }
        Ok(match period.result_clock().completion(cal, result_on, today)? {
            Completion::OnTime => Self::Concluded,
            Completion::Late => Self::ConcludedLate,
            Completion::Due(Urgency::Near) => Self::ResultNear,
            Completion::Due(_) => Self::ResultDue,
            Completion::Overdue => Self::ResultOverdue,
        })
    }

    /// True when the office has something to do about it.
    pub const fn needs_result(self) -> bool {
        matches!(self, Self::ResultDue | Self::ResultNear | Self::ResultOverdue)
    }
}

/// What an editor sets on an item to make it a 公示 or a result announcement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoticeSpec {
    /// A 公示 with its period and whether it has an objection channel and a result.
    Notice { period: NoticePeriod, objections: bool, result_required: bool },
    /// The result announcement of the 公示 `of` (an item id).
    Result { of: i64 },
}

impl NoticeSpec {
    /// The stage.
    pub fn stage(&self) -> NoticeStage {
        match self {
            Self::Notice { .. } => NoticeStage::Notice,
            Self::Result { .. } => NoticeStage::Result,
        }
    }
}

/// Why a 公示's settings are refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NoticeRefusal {
    /// The actor may not edit the item.
    #[error(transparent)]
    Denied(#[from] crate::Denied),
    /// The period's length is out of range.
    #[error("公示期限须为 1 至 365 天")]
    Length,
    /// The calendar cannot count it.
    #[error(transparent)]
    Calendar(#[from] CalendarError),
    /// A published 公示's period may be extended, never shortened or moved earlier.
    #[error("公示已发布：公示期只能延长，不能提前或缩短")]
    Shortened,
    /// A published 公示 keeps its objection channel and its result.
    #[error("公示已发布：不能关闭异议渠道或取消结果公告")]
    Narrowed,
    /// A published item cannot change stage.
    #[error("信息已发布：不能改变公示阶段")]
    StageChanged,
    /// The result names something that is not a 公示 of the same org.
    #[error("所关联的信息不是本单位的公示")]
    NotANotice,
    /// The 公示 already has its result announcement.
    #[error("该公示已有结果公告")]
    ResultTaken,
}

/// Checks a change of an item's 公示 settings from `before` to `after`. Once the item is
/// published, the public has relied on what it said: the period may grow but not shrink or
/// move earlier, the objection channel and the promised result stay, and the stage stays.
pub fn check_change(before: Option<&NoticeSpec>, after: &NoticeSpec, published: bool) -> Result<(), NoticeRefusal> {
    if !published {
        return Ok(());
    }
    match (before, after) {
        (None, _) => Ok(()),
        (
            Some(NoticeSpec::Notice { period: p0, objections: o0, result_required: r0 }),
            NoticeSpec::Notice { period: p1, objections: o1, result_required: r1 },
        ) => {
            if p1.from != p0.from || p1.until < p0.until {
                Err(NoticeRefusal::Shortened)
            } else if (*o0 && !o1) || (*r0 && !r1) {
                Err(NoticeRefusal::Narrowed)
            } else {
                Ok(())
            }
        }
        (Some(NoticeSpec::Result { .. }), NoticeSpec::Result { .. }) => Ok(()),
        _ => Err(NoticeRefusal::StageChanged),
    }
}

/// Why an objection is not received.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ObjectionRefusal {
    /// The notice has no objection channel.
    #[error("该公示未设异议渠道")]
    NoChannel,
    /// Before the period.
    #[error("公示尚未开始，{0} 起受理异议")]
    NotYet(String),
    /// After the period.
    #[error("公示期已于 {0} 结束，不再受理异议")]
    Ended(String),
}

/// Whether an objection to a 公示 is received on `today`.
pub fn may_object(period: &NoticePeriod, objections: bool, today: NaiveDate) -> Result<(), ObjectionRefusal> {
    if !objections {
        Err(ObjectionRefusal::NoChannel)
    } else if today < period.from {
        Err(ObjectionRefusal::NotYet(period.from.format("%Y年%-m月%-d日").to_string()))
    } else if today > period.until {
        Err(ObjectionRefusal::Ended(period.until.format("%Y年%-m月%-d日").to_string()))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn a_period_in_working_days_counts_its_first_day_and_skips_the_holiday() {
        let cal = Calendar::shipped();
        // From Tuesday 29 September 2026, 5 working days: 29 Sep (1), 30 Sep (2), then the
        // National Day holiday 1–7 October, 8 Oct (3), 9 Oct (4), Saturday 10 Oct a make-up
        // working day (5).
        let p = NoticePeriod::new(&cal, d("2026-09-29"), 5, PeriodUnit::Workdays).expect("period");
        assert_eq!(p.until, d("2026-10-10"));
        assert_eq!(p.label(), "2026年9月29日至2026年10月10日（5个工作日）");
        // A first day that is no working day is not counted: from Sunday 4 October, the first
        // working day is 8 October.
        let p = NoticePeriod::new(&cal, d("2026-10-04"), 1, PeriodUnit::Workdays).expect("period");
        assert_eq!(p.until, d("2026-10-08"));
        let p = NoticePeriod::new(&cal, d("2026-09-29"), 7, PeriodUnit::Days).expect("period");
        assert_eq!(p.until, d("2026-10-05"));
        assert_eq!(NoticePeriod::new(&cal, d("2026-09-29"), 0, PeriodUnit::Days), Err(NoticeRefusal::Length));
        assert_eq!(NoticePeriod::new(&cal, d("2026-09-29"), 366, PeriodUnit::Days), Err(NoticeRefusal::Length));
    }

    #[test]
    fn objections_are_received_within_the_period_only() {
        let cal = Calendar::shipped();
        let p = NoticePeriod::new(&cal, d("2026-12-07"), 5, PeriodUnit::Workdays).expect("period");
        assert_eq!(p.until, d("2026-12-11"));
        assert!(may_object(&p, true, d("2026-12-07")).is_ok());
        assert!(may_object(&p, true, d("2026-12-11")).is_ok());
        assert_eq!(may_object(&p, true, d("2026-12-06")), Err(ObjectionRefusal::NotYet("2026年12月7日".into())));
        assert_eq!(may_object(&p, true, d("2026-12-12")), Err(ObjectionRefusal::Ended("2026年12月11日".into())));
        assert_eq!(may_object(&p, false, d("2026-12-08")), Err(ObjectionRefusal::NoChannel));
    }

    #[test]
    fn the_result_is_due_five_working_days_after_the_period_and_flagged_when_late() {
        let cal = Calendar::shipped();
        // Ends Friday 11 December 2026; the result is due Friday 18 December.
        let p = NoticePeriod::new(&cal, d("2026-12-07"), 5, PeriodUnit::Workdays).expect("period");
        assert_eq!(p.result_clock().due_on(&cal), Ok(d("2026-12-18")));
        let at = |result: Option<&str>, today: &str| NoticeStatus::of(&cal, &p, true, result.map(d), d(today));
        assert_eq!(at(None, "2026-12-06"), Ok(NoticeStatus::Upcoming));
        assert_eq!(at(None, "2026-12-11"), Ok(NoticeStatus::Open));
        assert_eq!(at(None, "2026-12-14"), Ok(NoticeStatus::ResultDue));
        assert_eq!(at(None, "2026-12-18"), Ok(NoticeStatus::ResultNear));
        assert_eq!(at(None, "2026-12-21"), Ok(NoticeStatus::ResultOverdue));
        assert!(NoticeStatus::ResultOverdue.needs_result());
        assert_eq!(at(Some("2026-12-18"), "2026-12-30"), Ok(NoticeStatus::Concluded));
        assert_eq!(at(Some("2026-12-21"), "2026-12-30"), Ok(NoticeStatus::ConcludedLate));
        assert_eq!(NoticeStatus::of(&cal, &p, false, None, d("2026-12-30")), Ok(NoticeStatus::Ended));
    }

    #[test]
    fn a_published_notice_may_grow_but_not_shrink() {
        let cal = Calendar::shipped();
        let p = NoticePeriod::new(&cal, d("2026-12-07"), 5, PeriodUnit::Workdays).expect("period");
        let longer = NoticePeriod::new(&cal, d("2026-12-07"), 10, PeriodUnit::Workdays).expect("period");
        let shorter = NoticePeriod::new(&cal, d("2026-12-07"), 3, PeriodUnit::Workdays).expect("period");
        let spec = |period, objections| NoticeSpec::Notice { period, objections, result_required: true };
        let before = spec(p, true);
        assert_eq!(check_change(Some(&before), &spec(longer, true), true), Ok(()));
        assert_eq!(check_change(Some(&before), &spec(shorter, true), true), Err(NoticeRefusal::Shortened));
        assert_eq!(check_change(Some(&before), &spec(p, false), true), Err(NoticeRefusal::Narrowed));
        assert_eq!(check_change(Some(&before), &NoticeSpec::Result { of: 1 }, true), Err(NoticeRefusal::StageChanged));
        // Before publication anything goes.
        assert_eq!(check_change(Some(&before), &spec(shorter, false), false), Ok(()));
    }
}
