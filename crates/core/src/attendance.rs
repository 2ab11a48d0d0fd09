//! Attendance at government meetings (列席, seeds 000, 002, 003, 004): a meeting such as the
//! 政府常务会议 announces its topics — each saying whether it was consulted on publicly — and
//! its seats for the public, experts, media and deputies; people apply before a day; the
//! organising org selects within the seats of each kind, declines with a reason, and
//! publishes the list of attendees.

use crate::Role;
use crate::code_enum::code_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use thiserror::Error;

code_enum! {
    /// Who attends.
    SeatKind {
        /// 公众代表.
        Public = ("public", "公众代表"),
        /// 专家学者.
        Expert = ("expert", "专家学者"),
        /// 新闻媒体.
        Media = ("media", "新闻媒体"),
        /// 人大代表、政协委员.
        Deputy = ("deputy", "人大代表、政协委员"),
    }
}

code_enum! {
    /// An application's state.
    ApplicationState {
        /// 待遴选.
        Pending = ("pending", "待遴选"),
        /// 已确定列席.
        Selected = ("selected", "确定列席"),
        /// 未安排, with the reason.
        Declined = ("declined", "未安排"),
    }
}

/// A topic on the agenda.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Topic {
    pub title: String,
    /// It was put out for public comment (意见征集) before the meeting.
    #[serde(default)]
    pub consulted: bool,
}

/// Seats per kind, in [`SeatKind::ALL`]'s order.
pub type Seats = [u32; 4];

/// Why an attendance step is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AttendanceRefusal {
    #[error(transparent)]
    Denied(#[from] crate::Denied),
    #[error("请填写{0}")]
    Required(&'static str),
    #[error("{}", crate::letter::FieldProblem::joined(.0))]
    Fields(Vec<crate::letter::FieldProblem>),
    #[error("报名截止日期须在会议日期之前")]
    Dates,
    #[error("本次会议不设{}席位", .0.label())]
    NoSeats(SeatKind),
    #[error("报名已截止")]
    Closed,
    #[error("{}席位已满（{} 个）", .0.label(), .1)]
    Full(SeatKind, u32),
    #[error("名单已公布，不能再调整")]
    Published,
    #[error("会议已经召开，不能再公布列席名单")]
    TooLate,
}

/// Who organises an org's meetings: its office (a supervisor) or its editors.
pub fn may_organise(actor: &crate::Actor, org: &crate::OrgPath) -> Result<(), crate::Denied> {
    if actor.may_work_in(Role::Supervisor, org).is_ok() {
        return Ok(());
    }
    actor.may_work_in(Role::Editor, org)
}

/// Checks a meeting's announcement.
pub fn check_meeting(
    title: &str,
    topics: &[Topic],
    seats: &Seats,
    apply_by: NaiveDate,
    held_on: NaiveDate,
) -> Result<(), AttendanceRefusal> {
    if title.trim().is_empty() {
        return Err(AttendanceRefusal::Required("会议名称"));
    }
    if topics.is_empty() || topics.iter().any(|t| t.title.trim().is_empty()) {
        return Err(AttendanceRefusal::Required("议题"));
    }
    if seats.iter().sum::<u32>() == 0 {
        return Err(AttendanceRefusal::Required("列席席位"));
    }
    if apply_by >= held_on {
        return Err(AttendanceRefusal::Dates);
    }
    Ok(())
}

/// Checks an application on `today`.
pub fn check_application(
    kind: SeatKind,
    seats: &Seats,
    name: &str,
    phone: &str,
    apply_by: NaiveDate,
    today: NaiveDate,
) -> Result<(), AttendanceRefusal> {
    if today > apply_by {
        return Err(AttendanceRefusal::Closed);
    }
    if seats[kind as usize] == 0 {
        return Err(AttendanceRefusal::NoSeats(kind));
    }
    let problems = application_problems(name, phone);
    if !problems.is_empty() {
        return Err(AttendanceRefusal::Fields(problems));
    }
    Ok(())
}

/// What is wrong with an application's fields, each named: the name (real, up to 50
/// characters) and a telephone number the office can call about the selection.
pub fn application_problems(name: &str, phone: &str) -> Vec<crate::letter::FieldProblem> {
    let mut out = Vec::new();
    let mut err = |field, message: &str| out.push(crate::letter::FieldProblem { field, message: message.into() });
    match name.trim().chars().count() {
        0 => err("name", "请填写姓名"),
        n if n > 50 => err("name", "姓名不超过 50 个字"),
        _ => {}
    }
    let phone = phone.trim();
    if phone.is_empty() {
        err("phone", "请填写联系电话，用于告知遴选结果");
    } else if !crate::letter::valid_phone(phone) {
        err("phone", "电话号码格式不正确（手机 11 位，或区号加座机号码）");
    }
    out
}

/// Checks selecting one more attendee of `kind` when `selected` of that kind are already.
pub fn check_select(kind: SeatKind, seats: &Seats, selected: u32, published: bool) -> Result<(), AttendanceRefusal> {
    if published {
        return Err(AttendanceRefusal::Published);
    }
    let n = seats[kind as usize];
    if selected >= n {
        return Err(AttendanceRefusal::Full(kind, n));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn meetings_and_applications_are_checked() {
        let topics = vec![Topic { title: "审议《城市停车管理办法》".into(), consulted: true }];
        let seats = [2, 1, 1, 0];
        assert!(check_meeting("区政府第45次常务会议", &topics, &seats, d("2026-12-10"), d("2026-12-15")).is_ok());
        assert_eq!(
            check_meeting("x", &topics, &seats, d("2026-12-15"), d("2026-12-15")),
            Err(AttendanceRefusal::Dates)
        );
        assert_eq!(
            check_meeting("x", &topics, &[0; 4], d("2026-12-10"), d("2026-12-15")),
            Err(AttendanceRefusal::Required("列席席位"))
        );
        assert!(
            check_application(SeatKind::Public, &seats, "李四", "13800000000", d("2026-12-10"), d("2026-12-10"))
                .is_ok()
        );
        assert_eq!(
            check_application(SeatKind::Public, &seats, "李四", "1", d("2026-12-10"), d("2026-12-11")),
            Err(AttendanceRefusal::Closed)
        );
        assert_eq!(
            check_application(SeatKind::Deputy, &seats, "李四", "1", d("2026-12-10"), d("2026-12-01")),
            Err(AttendanceRefusal::NoSeats(SeatKind::Deputy))
        );
        // Every wrong field is named at once.
        let Err(AttendanceRefusal::Fields(f)) =
            check_application(SeatKind::Public, &seats, " ", "12", d("2026-12-10"), d("2026-12-01"))
        else {
            panic!("both fields are wrong")
        };
        assert_eq!(f.iter().map(|p| p.field).collect::<Vec<_>>(), ["name", "phone"]);
    }

    #[test]
    fn selection_stays_within_the_seats() {
        let seats = [2, 1, 1, 0];
        assert!(check_select(SeatKind::Public, &seats, 1, false).is_ok());
        assert_eq!(check_select(SeatKind::Public, &seats, 2, false), Err(AttendanceRefusal::Full(SeatKind::Public, 2)));
        assert_eq!(check_select(SeatKind::Expert, &seats, 0, true), Err(AttendanceRefusal::Published));
    }
}
