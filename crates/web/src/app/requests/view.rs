//! Shared views of requests for the API and the pages: the clock as of today, the colour of
//! the deadline, the public timeline, and the validation of a filing.

use crate::AppError;
use chrono::NaiveDate;
use gongkai_core::calendar::Calendar;
use gongkai_core::request::{ApplicantType, Application, Channel, Urgency, check_application};
use gongkai_store::{Pause, Request, RequestEvent};
use serde::{Deserialize, Serialize};

/// The deadline as the workspace shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClockView {
    /// 答复期限（暂停中为空）.
    pub due_on: Option<NaiveDate>,
    /// 剩余工作日（逾期为负）.
    pub days_left: Option<i64>,
    /// `ok`, `near` (5 working days or fewer), `overdue`, `paused`, `done`.
    pub status: &'static str,
    /// Why the clock cannot be computed, if it cannot.
    pub note: Option<String>,
    /// 暂定: the deadline runs into a year whose holiday notice is not loaded yet, and was
    /// computed from the statutory holidays alone.
    pub provisional: bool,
}

/// The clock of a request on `today`.
pub fn clock_view(cal: &Calendar, r: &Request, pauses: &[Pause], today: NaiveDate) -> ClockView {
    clock_view_of(cal, r.state(), r.clock(pauses), today)
}

/// The clock of a request in `state` as the workspace shows it (see [`clock_view`]).
pub fn clock_view_of(
    cal: &Calendar,
    state: gongkai_core::request::RequestState,
    clock: gongkai_core::request::Clock,
    today: NaiveDate,
) -> ClockView {
    if !state.is_open() {
        let due = clock.due_on(cal).ok().flatten();
        return ClockView { due_on: due, days_left: None, status: "done", note: None, provisional: false };
    }
    if state == gongkai_core::request::RequestState::Clarifying {
        // Article 30: the period runs again, from the start, on the day the completed
        // application arrives; until then there is no deadline to show.
        return ClockView {
            due_on: None,
            days_left: None,
            status: "paused",
            note: Some("待申请人补正：自收到补正材料之日起重新计算答复期限".into()),
            provisional: false,
        };
    }
    if clock.is_paused() {
        let left = clock.days_left(cal, today).ok().flatten();
        return ClockView {
            due_on: None,
            days_left: left,
            status: "paused",
            note: Some("征求意见期间不计入答复期限".into()),
            provisional: false,
        };
    }
    match (clock.due_on(cal), clock.days_left(cal, today)) {
        (Ok(due), Ok(left)) => {
            let status = left.map(Urgency::of).unwrap_or(Urgency::Ok).as_str();
            // Provisional when the days counted reach a year not announced (the due date is
            // not computed a second time for it).
            let provisional = matches!((clock.start, due), (Some(start), Some(d)) if cal.provisional_between(start, d));
            ClockView { due_on: due, days_left: left, status, note: None, provisional }
        }
        (Err(e), _) | (_, Err(e)) => {
            ClockView { due_on: None, days_left: None, status: "ok", note: Some(e.to_string()), provisional: false }
        }
    }
}

/// One entry of the public timeline (labels and dates only: comments stay internal).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TimelineEntry {
    pub step: String,
    pub label: &'static str,
    pub at: String,
    /// Who took the step and what they noted (staff only: the internal record).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub by: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
}

pub use gongkai_core::request::event_label as step_label;

/// The timeline: the applicant's (public steps, labels and dates) or staff's (every step,
/// with who took it and the comment).
pub fn timeline(events: &[RequestEvent], staff: bool) -> Vec<TimelineEntry> {
    events
        .iter()
        .filter(|e| staff || e.public)
        .map(|e| TimelineEntry {
            step: e.step.clone(),
            label: step_label(&e.step),
            at: crate::util::beijing(&e.at),
            // The platform's own steps (an online filing) name no one.
            by: staff.then(|| e.actor.clone()).filter(|a| !matches!(a.as_str(), "" | "system" | "cli")),
            comment: staff.then(|| e.comment.clone()).filter(|c| !c.is_empty()),
        })
        .collect()
}

pub use gongkai_core::request::{FORMS, ID_TYPES};

/// A filing as typed on the form or posted to the API.
#[derive(Debug, Clone, Default, Deserialize, Serialize, utoipa::ToSchema)]
pub struct FilingInput {
    /// natural_person, commercial, research, public_interest, legal_service, other_org.
    #[serde(default)]
    #[schema(required = true)]
    pub applicant_type: String,
    /// 姓名或名称（条例第二十九条）.
    #[serde(default)]
    #[schema(required = true)]
    pub name: String,
    #[serde(default)]
    pub id_type: String,
    #[serde(default)]
    pub id_number: String,
    #[serde(default)]
    pub credit_code: String,
    #[serde(default)]
    pub legal_rep: String,
    #[serde(default)]
    pub contact_person: String,
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub email: String,
    #[serde(default)]
    pub address: String,
    /// 邮政编码（6 位数字，选填）.
    #[serde(default)]
    pub postcode: String,
    /// 所需政府信息的名称、文号或者便于查询的其他特征性描述.
    #[serde(default)]
    #[schema(required = true)]
    pub description: String,
    /// 文号或标题（如知道）.
    #[serde(default)]
    pub doc_ref: String,
    #[serde(default)]
    pub purpose: String,
    /// 负责的机关代码；不确定可省略.
    #[serde(default)]
    pub org: String,
    /// 纸质, 电子邮件, 光盘/数据, 自行领取.
    #[serde(default)]
    #[schema(required = true)]
    pub form: String,
    #[serde(default)]
    pub delivery: String,
}

pub use crate::error::FieldError;

/// The checked parts of a filing.
pub struct Checked {
    pub applicant_type: ApplicantType,
    pub channel: Channel,
}

/// Checks a filing (article 29, `core::request::check_application`); every field in error
/// is reported at once.
pub fn check_filing(f: &FilingInput) -> Result<Checked, Vec<FieldError>> {
    let application = Application {
        applicant_type: &f.applicant_type,
        name: &f.name,
        id_type: &f.id_type,
        id_number: &f.id_number,
        credit_code: &f.credit_code,
        legal_rep: &f.legal_rep,
        contact_person: &f.contact_person,
        phone: &f.phone,
        email: &f.email,
        address: &f.address,
        postcode: &f.postcode,
        description: &f.description,
        form: &f.form,
    };
    match check_application(&application) {
        Ok(applicant_type) => Ok(Checked { applicant_type, channel: Channel::Online }),
        Err(problems) => Err(problems.into_iter().map(|(field, message)| FieldError { field, message }).collect()),
    }
}

/// The 422 for a filing with fields in error.
pub fn fields_error(errors: Vec<FieldError>) -> AppError {
    AppError::Detailed {
        status: 422,
        code: "invalid_fields",
        message: format!("申请有 {} 处需要修改", errors.len()),
        details: crate::error::Details::Fields(errors),
    }
}

/// The state label for the applicant.
pub fn state_label(r: &Request) -> &'static str {
    r.state.label()
}
