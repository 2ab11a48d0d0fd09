//! Training and organisation, the use cases: the office (or an org's editors, for their own
//! org) records a training held, with the staff who attended, or a leaders' hearing of the
//! work report; coverage per org and year against 轮训全覆盖; and the year's milestones
//! (figures, report, self-inspection, hearing, training) on the dashboards as they come near.

use crate::{AppError, AppState};
use chrono::{Datelike, NaiveDate};
use gongkai_core::Actor;
use gongkai_core::milestones::{self, Milestone};
use gongkai_core::training::{Coverage, TrainingInput, TrainingKind};
use gongkai_store::trainings::Training;
use gongkai_store::{AuditCtx, Org};
use serde::Deserialize;
use std::collections::HashMap;

/// A session as pages and the API show it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TrainingView {
    pub id: i64,
    pub org_code: String,
    pub org_name: String,
    /// `training` or `hearing`.
    pub kind: String,
    pub kind_label: String,
    pub held_on: NaiveDate,
    pub topic: String,
    /// 学时.
    pub hours: i64,
    pub lecturer: String,
    pub place: String,
    pub note: String,
    /// Staff accounts who attended.
    pub staff: i64,
    /// Attendees without an account here.
    pub others: i64,
    pub created_by: String,
}

/// A staff member who attended.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct AttendeeView {
    pub username: String,
    pub display_name: String,
    pub org_name: String,
}

/// A session with its attendees.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct TrainingPage {
    pub training: TrainingView,
    pub attendees: Vec<AttendeeView>,
}

/// One org's coverage for a year.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct CoverageRow {
    pub org_code: String,
    pub org_name: String,
    /// Working staff (enabled accounts with a work role).
    pub staff: usize,
    pub trained: usize,
    /// Whole per cent; none when the org has no working staff (nothing to measure).
    pub percent: Option<u32>,
    pub full: bool,
    /// The latest hearing of the work report recorded this year.
    pub hearing_on: Option<NaiveDate>,
}

/// A session as a form or the API sends it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct TrainingFields {
    /// 举办（或听取汇报）的单位的机构代码.
    pub org: String,
    /// `training`（政务公开培训）或 `hearing`（听取政务公开工作汇报）.
    pub kind: String,
    /// 日期 YYYY-MM-DD（不晚于今天）.
    pub held_on: NaiveDate,
    pub topic: String,
    /// 学时.
    #[serde(default)]
    pub hours: i64,
    /// 主讲人或主持人.
    #[serde(default)]
    pub lecturer: String,
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub note: String,
    /// 参训人员的登录名.
    #[serde(default)]
    pub attendees: Vec<String>,
    /// 其他参训人数（无本平台账号者）.
    #[serde(default)]
    pub others: i64,
}

fn view(t: &Training, staff: i64, orgs: &HashMap<i64, &Org>) -> TrainingView {
    let org = orgs.get(&t.org_id);
    TrainingView {
        id: t.id,
        org_code: org.map(|o| o.code().to_string()).unwrap_or_default(),
        org_name: org.map(|o| o.name.clone()).unwrap_or_default(),
        kind: t.kind.as_str().into(),
        kind_label: t.kind.label().into(),
        held_on: t.held_on,
        topic: t.topic.clone(),
        hours: t.hours,
        lecturer: t.lecturer.clone(),
        place: t.place.clone(),
        note: t.note.clone(),
        staff,
        others: t.others,
        created_by: t.created_by.clone(),
    }
}

/// The sessions of the orgs a staff member answers for, in `year`, newest first.
pub async fn list(state: &AppState, actor: &Actor, year: i32) -> Result<Vec<TrainingView>, AppError> {
    let orgs = super::orgs::overseen(state, actor).await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let by_id: HashMap<i64, &Org> = orgs.iter().map(|o| (o.id, o)).collect();
    Ok(state.store.trainings_of(&ids, Some(year)).await?.iter().map(|(t, n)| view(t, *n, &by_id)).collect())
}

/// One session with its attendees, for the staff of its org or of an org whose staff
/// attended, and the office above either.
pub async fn one(state: &AppState, actor: &Actor, id: i64) -> Result<TrainingPage, AppError> {
    let (t, attendees) =
        state.store.training(id).await?.ok_or_else(|| AppError::NotFound("没有这次培训记录".into()))?;
    let orgs = state.store.orgs().await?;
    let by_id: HashMap<i64, &Org> = orgs.iter().map(|o| (o.id, o)).collect();
    // Its org's staff and the office above, or those over any org whose staff attended.
    let org = by_id.get(&t.org_id).ok_or_else(|| AppError::NotFound("单位".into()))?;
    if let Err(denied) = actor.may_supervise(&org.path) {
        let attended =
            attendees.iter().filter_map(|a| by_id.get(&a.org_id)).any(|o| actor.may_supervise(&o.path).is_ok());
        if !attended {
            return Err(denied.into());
        }
    }
    Ok(TrainingPage {
        training: view(&t, attendees.len() as i64, &by_id),
        attendees: attendees
            .into_iter()
            .map(|a| AttendeeView {
                username: a.username,
                display_name: a.display_name,
                org_name: by_id.get(&a.org_id).map(|o| o.name.clone()).unwrap_or_default(),
            })
            .collect(),
    })
}

/// The staff a session may list as attendees: the enabled accounts of the orgs the staff
/// member answers for, as (login name, "name（org）").
pub async fn candidates(state: &AppState, actor: &Actor) -> Result<Vec<(String, String)>, AppError> {
    let orgs = super::orgs::overseen(state, actor).await?;
    let by_id: HashMap<i64, &Org> = orgs.iter().map(|o| (o.id, o)).collect();
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    Ok(state
        .store
        .staff_of(&ids)
        .await?
        .into_iter()
        .map(|a| {
            let org = by_id.get(&a.org_id).map(|o| o.name.as_str()).unwrap_or_default();
            (a.username, format!("{}（{org}）", a.display_name))
        })
        .collect())
}

/// Records a session; answers its id.
pub async fn create(state: &AppState, actor: &Actor, ctx: &AuditCtx, f: &TrainingFields) -> Result<i64, AppError> {
    let org = super::orgs::by_code(state, &f.org).await?;
    let kind = TrainingKind::parse(&f.kind).ok_or_else(|| {
        AppError::invalid_field("invalid_kind", "kind", format!("「{}」不是可选的类型（training、hearing）", f.kind))
    })?;
    if f.attendees.len() > gongkai_core::training::MAX_ATTENDEES {
        return Err(AppError::invalid("too_many", gongkai_core::training::TrainingRefusal::TooMany.to_string()));
    }
    let mut attendees = Vec::with_capacity(f.attendees.len());
    for name in f.attendees.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
        let user = match gongkai_core::Username::parse(name) {
            Ok(u) => state.store.user_by_username(&u).await?,
            Err(_) => None,
        };
        let user = user.ok_or_else(|| {
            AppError::invalid_field("unknown_attendee", "attendees", format!("没有登录名为「{name}」的人员"))
        })?;
        attendees.push(user.id);
    }
    let input = TrainingInput {
        kind,
        held_on: f.held_on,
        topic: f.topic.clone(),
        hours: f.hours,
        lecturer: f.lecturer.clone(),
        place: f.place.clone(),
        note: f.note.clone(),
        attendees,
        others: f.others,
    };
    Ok(state.store.create_training(ctx, actor, org.id, &input).await?)
}

/// Coverage in `year` of the orgs a staff member answers for, with each org's hearing.
pub async fn coverage(state: &AppState, actor: &Actor, year: i32) -> Result<Vec<CoverageRow>, AppError> {
    let orgs = super::orgs::overseen(state, actor).await?;
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let (staff, trained) = state.store.training_coverage(&ids, year).await?;
    let hearings = state.store.hearings(year).await?;
    Ok(orgs
        .iter()
        .map(|o| {
            let c = Coverage::of(staff.get(&o.id).map(Vec::as_slice).unwrap_or_default(), &trained);
            CoverageRow {
                org_code: o.code().to_string(),
                org_name: o.name.clone(),
                staff: c.staff,
                trained: c.trained,
                percent: c.percent(),
                full: c.is_full(),
                hearing_on: hearings.get(&o.id).copied(),
            }
        })
        .collect())
}

/// A milestone near, for the dashboard: (text, link, urgent).
pub async fn milestones_near(state: &AppState, actor: &Actor) -> Result<Vec<(String, String, bool)>, AppError> {
    // The three administrators keep the system, not the disclosure work's calendar.
    if actor.roles.iter().all(|r| gongkai_core::Role::THREE_ADMINS.contains(r)) {
        return Ok(Vec::new());
    }
    let today = state.today();
    let own = super::orgs::own(state, actor).await?;
    let mut out = Vec::new();
    for due in milestones::near(own.kind, today) {
        let done = match due.milestone {
            Milestone::Report => super::reports::statuses(state, actor, due.year)
                .await?
                .iter()
                .all(|s| s.org.id != own.id || s.state == Some(super::reports::ReportState::Published)),
            Milestone::Hearing => state.store.hearings(due.year).await?.contains_key(&own.id),
            Milestone::Training => {
                coverage(state, actor, due.year).await?.iter().find(|r| r.org_code == own.code()).is_none_or(|r| r.full)
            }
            Milestone::Inspection | Milestone::Figures => false,
        };
        if done || (due.days_left < 0 && matches!(due.milestone, Milestone::Inspection | Milestone::Figures)) {
            continue;
        }
        let when = match due.days_left {
            d if d < 0 => format!("已过期 {} 天", -d),
            0 => "今天到期".to_string(),
            d => format!("还有 {d} 天"),
        };
        let href = match due.milestone {
            Milestone::Figures | Milestone::Report => format!("/admin/reports?year={}", due.year),
            Milestone::Inspection => "/admin/inspections".to_string(),
            Milestone::Hearing | Milestone::Training => format!("/admin/trainings?year={}", due.year),
        };
        let period = if due.year == today.year() { String::new() } else { format!("（{} 年度）", due.year) };
        out.push((
            format!("{}{period}：{} 前，{when}", due.milestone.label(), due.due.format("%-m月%-d日")),
            href,
            due.days_left <= 14,
        ));
    }
    Ok(out)
}

/// The year a `?year=` names, this year by default.
pub fn year_or_this(state: &AppState, year: Option<i32>) -> i32 {
    year.filter(|y| (2008..=2100).contains(y)).unwrap_or_else(|| state.today().year())
}
