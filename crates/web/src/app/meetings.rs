//! Meetings the public may attend (列席), the use cases: an org announces a meeting with its
//! topics and seats, people apply before the day, the org selects within the seats or
//! declines with a reason, and publishes the list of attendees. The rules are
//! `core::attendance`.

use crate::{AppError, AppState};
use chrono::NaiveDate;
use gongkai_core::Actor;
pub use gongkai_core::attendance::{ApplicationState, SeatKind, Seats, Topic};
use gongkai_store::{AuditCtx, Meeting};
use serde::{Deserialize, Serialize};

/// A meeting to announce.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct MeetingBody {
    pub title: String,
    /// [{title, consulted}].
    #[schema(value_type = Vec<Object>)]
    pub topics: Vec<Topic>,
    /// 席位：公众代表、专家学者、新闻媒体、人大代表政协委员.
    pub seats: [u32; 4],
    #[serde(default)]
    pub place: String,
    pub held_on: NaiveDate,
    pub apply_by: NaiveDate,
}

/// An application as shown: to the public only when selected and the list is published.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ApplicationView {
    pub id: i64,
    pub kind_label: &'static str,
    pub name: String,
    pub organisation: String,
    pub state: String,
    pub state_label: &'static str,
    /// Staff only.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub phone: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub reason: String,
    pub note: String,
}

/// A meeting as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingView {
    pub id: i64,
    pub org_name: String,
    pub title: String,
    #[schema(value_type = Vec<Object>)]
    pub topics: Vec<Topic>,
    /// (label, seats) per kind with seats.
    pub seats: Vec<(String, String, u32)>,
    pub place: String,
    pub held_on: NaiveDate,
    pub apply_by: NaiveDate,
    pub open: bool,
    pub list_published_on: Option<NaiveDate>,
    /// Public: the published list; staff: every application.
    pub attendees: Vec<ApplicationView>,
    /// Staff: may select and publish.
    pub may_organise: bool,
}

async fn view(state: &AppState, m: &Meeting, staff: Option<&Actor>) -> Result<MeetingView, AppError> {
    let org = state.store.org_by_id(m.org_id).await?;
    let seats = m.seats();
    let may_organise =
        staff.is_some_and(|a| org.as_ref().is_some_and(|o| gongkai_core::attendance::may_organise(a, &o.path).is_ok()));
    let attendees = state
        .store
        .applications(m.id)
        .await?
        .into_iter()
        .filter(|a| staff.is_some() || (m.list_published_on.is_some() && a.state == ApplicationState::Selected))
        .map(|a| ApplicationView {
            id: a.id,
            kind_label: a.kind.label(),
            name: a.name,
            organisation: a.organisation,
            state: a.state.as_str().into(),
            state_label: a.state.label(),
            phone: if staff.is_some() { a.phone } else { String::new() },
            reason: if staff.is_some() { a.reason } else { String::new() },
            note: if staff.is_some() { a.note } else { String::new() },
        })
        .collect();
    Ok(MeetingView {
        id: m.id,
        org_name: org.map(|o| o.name).unwrap_or_default(),
        title: m.title.clone(),
        topics: m.topics(),
        seats: SeatKind::ALL
            .iter()
            .map(|k| (k.as_str().to_string(), k.label().to_string(), seats[*k as usize]))
            .filter(|(_, _, n)| *n > 0)
            .collect(),
        place: m.place.clone(),
        held_on: m.held_on,
        apply_by: m.apply_by,
        open: state.today() <= m.apply_by,
        list_published_on: m.list_published_on,
        attendees,
        may_organise,
    })
}

/// Announces a meeting of the staff member's org.
pub async fn announce(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    b: MeetingBody,
) -> Result<MeetingView, AppError> {
    let m =
        state.store.announce_meeting(ctx, actor, &b.title, b.topics, b.seats, &b.place, b.held_on, b.apply_by).await?;
    view(state, &m, Some(actor)).await
}

/// Every meeting, the latest first.
pub async fn public_list(state: &AppState) -> Result<Vec<MeetingView>, AppError> {
    let mut out = Vec::new();
    for m in state.store.meetings().await? {
        out.push(view(state, &m, None).await?);
    }
    Ok(out)
}

/// One meeting for the public.
pub async fn public_one(state: &AppState, id: i64) -> Result<MeetingView, AppError> {
    let m = state.store.meeting(id).await?.ok_or_else(|| AppError::NotFound("未找到会议".into()))?;
    view(state, &m, None).await
}

/// One meeting for staff of its org and the office above.
pub async fn for_staff(state: &AppState, actor: &Actor, id: i64) -> Result<MeetingView, AppError> {
    let m = state.store.meeting(id).await?.ok_or_else(|| AppError::NotFound("未找到会议".into()))?;
    let org = state.store.org_by_id(m.org_id).await?.ok_or_else(|| AppError::NotFound("未找到单位".into()))?;
    actor.may_supervise(&org.path)?;
    view(state, &m, Some(actor)).await
}

/// The meetings of the orgs a staff member oversees.
pub async fn workspace(state: &AppState, actor: &Actor) -> Result<Vec<MeetingView>, AppError> {
    let mut out = Vec::new();
    for m in state.store.meetings().await? {
        let Some(org) = state.store.org_by_id(m.org_id).await? else { continue };
        if actor.may_supervise(&org.path).is_ok() {
            out.push(view(state, &m, Some(actor)).await?);
        }
    }
    Ok(out)
}

/// An application to attend.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ApplyBody {
    /// public、expert、media、deputy.
    pub kind: String,
    pub name: String,
    #[serde(default)]
    pub organisation: String,
    pub phone: String,
    /// 报名理由、关注的议题.
    #[serde(default)]
    pub reason: String,
}

/// Files an application.
pub async fn apply(state: &AppState, id: i64, b: ApplyBody, key: Option<String>) -> Result<bool, AppError> {
    let Some(kind) = SeatKind::parse(&b.kind) else {
        // Name every wrong field at once, the seat kind with the others.
        let mut fields = vec![("kind", "请选择列席类别".to_string())];
        let others = gongkai_core::attendance::application_problems(&b.name, &b.phone);
        fields.extend(others.into_iter().map(|p| (p.field, p.message)));
        return Err(AppError::invalid_fields("invalid_fields", fields));
    };
    let (_, created) = state
        .store
        .apply_to_attend(id, kind, &b.name, &b.organisation, &b.phone, &b.reason, key.as_deref(), state.today())
        .await?;
    Ok(created)
}

/// Selects or declines an applicant.
pub async fn decide(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    application: i64,
    select: bool,
    note: &str,
) -> Result<(), AppError> {
    state.store.decide_application(ctx, actor, application, select, note).await?;
    Ok(())
}

/// Publishes the list of attendees.
pub async fn publish(state: &AppState, actor: &Actor, ctx: &AuditCtx, id: i64) -> Result<MeetingView, AppError> {
    let m = state.store.publish_attendees(ctx, actor, id).await?;
    view(state, &m, Some(actor)).await
}
