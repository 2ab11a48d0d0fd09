//! The government gazette (政府公报): issues numbered per year and in total (2026年第3期，
//! 总第N期), each with its table of contents by section; articles are published items selected
//! into an issue. Departments submit their 规范性文件 to the gazette within 5 working days of
//! publication (seed 002 (十八)), and the office decides to carry it (选登) or not, with a reason.

use crate::calendar::{Calendar, CalendarError};
use crate::clock::{Completion, Urgency, WorkdayClock};
use crate::code_enum::code_enum;
use crate::{Actor, OrgPath, Role};
use chrono::NaiveDate;
use thiserror::Error;

/// Working days a department has to submit a 规范性文件 to the gazette after publishing it.
pub const SUBMIT_DAYS: u32 = 5;

/// Genres that must be submitted to the gazette.
pub const SUBMITTED_GENRES: &[&str] = &["规章", "行政规范性文件"];

code_enum! {
    /// A section of an issue's table of contents, in printing order.
    GazetteSection {
        /// 政府规章.
        Rule = ("rule", "政府规章"),
        /// 政府文件 (the government's and its office's documents).
        Government = ("government", "政府文件"),
        /// 部门文件 (departments' 规范性文件).
        Department = ("department", "部门文件"),
        /// 人事任免.
        Appointment = ("appointment", "人事任免"),
        /// 其他.
        Other = ("other", "其他"),
    }
}

code_enum! {
    /// Where an issue stands.
    IssueState {
        /// 编辑中.
        Draft = ("draft", "编辑中"),
        /// 已出版.
        Published = ("published", "已出版"),
    }
}

code_enum! {
    /// A department's submission of a document to the gazette.
    SubmissionState {
        /// 已报送, awaiting the office.
        Submitted = ("submitted", "已报送，待选登"),
        /// 已选登 into an issue.
        Selected = ("selected", "已选登"),
        /// 不选登, with the reason.
        Declined = ("declined", "不予选登"),
    }
}

/// An issue's number as printed: 2026年第3期（总第58期）.
pub fn issue_label(year: i32, number: i64, total: i64) -> String {
    format!("{year}年第{number}期（总第{total}期）")
}

/// The clock of a submission: 5 working days from the document's publication.
pub fn submit_clock(published_on: NaiveDate) -> WorkdayClock {
    WorkdayClock { start: published_on, days: SUBMIT_DAYS }
}

/// Where a document that must be submitted stands on `today`: the shared [`Completion`].
pub type SubmitStatus = Completion;

/// The label a submission status shows.
pub fn status_label(s: SubmitStatus) -> &'static str {
    match s {
        Completion::OnTime => "按时报送",
        Completion::Late => "逾期报送",
        Completion::Due(Urgency::Near) => "即将到期",
        Completion::Due(_) => "待报送",
        Completion::Overdue => "逾期未报送",
    }
}

/// The status of a document published on `published_on`, submitted on `submitted_on`.
pub fn submit_status(
    cal: &Calendar,
    published_on: NaiveDate,
    submitted_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<SubmitStatus, CalendarError> {
    submit_clock(published_on).completion(cal, submitted_on, today)
}

/// Why a gazette step is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum GazetteRefusal {
    #[error(transparent)]
    Denied(#[from] crate::Denied),
    #[error("请填写{0}")]
    Required(&'static str),
    #[error("本期已出版，不能再修改")]
    Published,
    #[error("本期尚无文章，不能出版")]
    Empty,
    #[error("只有已公开的信息才能刊登")]
    NotPublic,
    #[error("该信息已报送公报")]
    AlreadySubmitted,
    #[error("该报送已处理")]
    Decided,
    #[error("PDF 地址须以 http:// 或 https:// 开头，或为本站路径")]
    BadLink,
}

/// Who edits and publishes the gazette of `gov`: its office (a supervisor at or above it).
pub fn may_edit(actor: &Actor, gov: &OrgPath) -> Result<(), crate::Denied> {
    if !actor.has(Role::Supervisor) {
        return Err(crate::Denied::MissingRole(Role::Supervisor));
    }
    if gov.is_within(&actor.org_path) { Ok(()) } else { Err(crate::Denied::OutsideOrg) }
}

/// Who submits a document of `org` to the gazette: its editors or approvers.
pub fn may_submit(actor: &Actor, org: &OrgPath) -> Result<(), crate::Denied> {
    actor.may_work_in(Role::Editor, org).or_else(|_| actor.may_work_in(Role::Approver, org))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn five_working_days_across_a_holiday() {
        let cal = Calendar::shipped();
        // Published Tuesday 29 September 2026; 1–7 October is the National Day holiday and
        // Saturday 10 October a make-up working day: 30 Sep (1), 8 Oct (2), 9 Oct (3),
        // 10 Oct (4), 12 Oct (5).
        let on = d("2026-09-29");
        assert_eq!(submit_clock(on).due_on(&cal), Ok(d("2026-10-12")));
        assert_eq!(submit_status(&cal, on, Some(d("2026-10-12")), d("2026-10-20")), Ok(Completion::OnTime));
        assert_eq!(submit_status(&cal, on, Some(d("2026-10-13")), d("2026-10-20")), Ok(Completion::Late));
        assert_eq!(submit_status(&cal, on, None, d("2026-10-06")), Ok(Completion::Due(Urgency::Ok)));
        assert_eq!(submit_status(&cal, on, None, d("2026-10-13")), Ok(Completion::Overdue));
        assert_eq!(issue_label(2026, 3, 58), "2026年第3期（总第58期）");
    }
}
