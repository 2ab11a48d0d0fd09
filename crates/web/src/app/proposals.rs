//! NPC suggestions and CPPCC proposals (建议提案办理), the use cases: the office records and
//! assigns them, the lead org's leader records the signed reply, the proposer's rating is
//! recorded, the full reply is published (or the reason it is not); staff follow the 3-month
//! clock; the public reads the published replies and each org's yearly summary. The rules
//! are `core::proposal`, the clock `core::clock::MonthClock`.

use crate::{AppError, AppState};
use chrono::{Datelike, NaiveDate};
use gongkai_core::clock::Urgency;
pub use gongkai_core::letter::Satisfaction;
pub use gongkai_core::proposal::{ProposalKind, ProposalState, ProposalSummary, ReplyCategory};
use gongkai_core::{Actor, Role};
pub use gongkai_store::ProposalStep;
use gongkai_store::{AuditCtx, NewProposal, Org, Proposal};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// A record as the office enters it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct RecordBody {
    /// npc_suggestion（人大代表建议）或 cppcc_proposal（政协提案）.
    pub kind: String,
    /// 编号，如 第0123号.
    pub number: String,
    /// 届次会次，如 区十八届人大三次会议.
    #[serde(default)]
    pub session: String,
    pub title: String,
    /// 代表、委员或提出单位（党派、团体）.
    pub proposer: String,
    #[serde(default)]
    pub summary: String,
    /// 主办单位代码.
    pub lead_org: String,
    /// 协办单位代码.
    #[serde(default)]
    pub co_orgs: Vec<String>,
    /// 交办日期（缺省为今天）.
    pub assigned_on: Option<NaiveDate>,
    /// 办理期限（月，缺省 3）.
    pub months: Option<u32>,
}

/// A record as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ProposalView {
    pub id: i64,
    pub kind: String,
    pub kind_label: &'static str,
    pub number: String,
    pub session: String,
    pub title: String,
    pub proposer: String,
    pub summary: String,
    pub lead_org: String,
    pub lead_org_code: String,
    pub co_orgs: Vec<String>,
    pub assigned_on: NaiveDate,
    pub due_on: NaiveDate,
    /// Calendar days left while open (negative: overdue).
    pub days_left: Option<i64>,
    /// overdue, near, ok; empty once replied.
    pub status: String,
    pub status_label: &'static str,
    pub state: String,
    pub state_label: &'static str,
    pub reply: Option<String>,
    pub category_label: Option<&'static str>,
    pub replied_on: Option<NaiveDate>,
    pub replied_in_time: Option<bool>,
    pub rating_label: Option<&'static str>,
    pub published_on: Option<NaiveDate>,
    pub unpublished_reason: String,
    /// What this staff member may do now: reply, rate, publish.
    pub may: Vec<&'static str>,
}

async fn orgs_by_id(state: &AppState) -> Result<HashMap<i64, Org>, AppError> {
    Ok(state.store.orgs().await?.into_iter().map(|o| (o.id, o)).collect())
}

fn view(p: &Proposal, co: &[i64], orgs: &HashMap<i64, Org>, today: NaiveDate, actor: Option<&Actor>) -> ProposalView {
    let clock = p.clock();
    let open = p.state == ProposalState::Assigned;
    let urgency = open.then(|| clock.urgency(today));
    let name = |id: &i64| orgs.get(id).map(|o| o.name.clone()).unwrap_or_default();
    let may = match (actor, orgs.get(&p.office_org_id), orgs.get(&p.lead_org_id)) {
        (Some(a), Some(office), Some(lead)) => {
            let f = gongkai_core::proposal::ProposalFacts {
                state: p.state,
                office_org: &office.path,
                lead_org: &lead.path,
                published: p.published_on.is_some(),
            };
            let mut may = Vec::new();
            if gongkai_core::proposal::may_reply(&f, a, "x").is_ok() {
                may.push("reply");
            }
            if p.rating.0.is_none() && gongkai_core::proposal::may_record_rating(&f, a).is_ok() {
                may.push("rate");
            }
            if gongkai_core::proposal::may_publish(&f, a, true, "").is_ok() {
                may.push("publish");
            }
            may
        }
        _ => Vec::new(),
    };
    ProposalView {
        id: p.id,
        kind: p.kind.as_str().into(),
        kind_label: p.kind.label(),
        number: p.number.clone(),
        session: p.session.clone(),
        title: p.title.clone(),
        proposer: p.proposer.clone(),
        summary: p.summary.clone(),
        lead_org: name(&p.lead_org_id),
        lead_org_code: orgs.get(&p.lead_org_id).map(|o| o.code().to_string()).unwrap_or_default(),
        co_orgs: co.iter().map(name).collect(),
        assigned_on: p.assigned_on,
        due_on: clock.due_on(),
        days_left: open.then(|| clock.days_left(today)),
        status: urgency.map(|u| u.as_str().to_string()).unwrap_or_default(),
        status_label: urgency.map(Urgency::label).unwrap_or(""),
        state: p.state.as_str().into(),
        state_label: p.state.label(),
        reply: (p.state == ProposalState::Replied).then(|| p.reply.clone()),
        category_label: p.category.0.map(ReplyCategory::label),
        replied_on: p.replied_on,
        replied_in_time: p.replied_on.map(|d| clock.in_time(d)),
        rating_label: p.rating.0.map(Satisfaction::label),
        published_on: p.published_on,
        unpublished_reason: p.unpublished_reason.clone(),
        may,
    }
}

/// Records a suggestion or proposal (the office).
pub async fn record(state: &AppState, actor: &Actor, ctx: &AuditCtx, b: RecordBody) -> Result<ProposalView, AppError> {
    let kind = ProposalKind::parse(&b.kind)
        .ok_or_else(|| AppError::invalid_field("invalid_kind", "kind", "请选择人大代表建议或政协提案"))?;
    let lead = state
        .store
        .org_by_code(&b.lead_org)
        .await?
        .ok_or_else(|| AppError::invalid_field("invalid_org", "lead_org", "请选择主办单位"))?;
    let mut co = Vec::new();
    for code in b.co_orgs.iter().filter(|c| !c.trim().is_empty()) {
        let org =
            state.store.org_by_code(code).await?.ok_or_else(|| {
                AppError::invalid_field("invalid_org", "co_orgs", format!("协办单位「{code}」不存在"))
            })?;
        co.push(org.id);
    }
    let new = NewProposal {
        kind,
        number: b.number,
        session: b.session,
        title: b.title,
        proposer: b.proposer,
        summary: b.summary,
        lead_org_id: lead.id,
        co_org_ids: co,
        assigned_on: b.assigned_on.unwrap_or_else(|| state.today()),
        months: b.months.unwrap_or(gongkai_core::proposal::DEFAULT_MONTHS),
    };
    let p = state.store.record_proposal(ctx, actor, new).await?;
    one(state, &p, Some(actor)).await
}

async fn one(state: &AppState, p: &Proposal, actor: Option<&Actor>) -> Result<ProposalView, AppError> {
    let orgs = orgs_by_id(state).await?;
    let co = state.store.proposal_coorgs(p.id).await?;
    Ok(view(p, &co, &orgs, state.today(), actor))
}

/// A step on a record.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    step: ProposalStep,
) -> Result<ProposalView, AppError> {
    let p = state.store.proposal_step(ctx, actor, id, step).await?;
    one(state, &p, Some(actor)).await
}

/// May this staff member see the record: the office above it, or the lead or a
/// co-organising org's staff.
fn may_see(actor: &Actor, p: &Proposal, co: &[i64], orgs: &HashMap<i64, Org>) -> bool {
    let within = |id: &i64| orgs.get(id).is_some_and(|o| actor.may_supervise(&o.path).is_ok());
    within(&p.office_org_id) || within(&p.lead_org_id) || co.iter().any(within)
}

/// A record for staff.
pub async fn for_staff(state: &AppState, actor: &Actor, id: i64) -> Result<ProposalView, AppError> {
    let p = state.store.proposal(id).await?.ok_or_else(|| AppError::NotFound("未找到建议提案".into()))?;
    let orgs = orgs_by_id(state).await?;
    let co = state.store.proposal_coorgs(p.id).await?;
    if !may_see(actor, &p, &co, &orgs) {
        return Err(gongkai_core::Denied::OutsideOrg.into());
    }
    Ok(view(&p, &co, &orgs, state.today(), Some(actor)))
}

/// The records of a year a staff member sees, open ones first by due date.
pub async fn workspace(
    state: &AppState,
    actor: &Actor,
    year: i32,
    lead: Option<i64>,
) -> Result<Vec<ProposalView>, AppError> {
    let orgs = orgs_by_id(state).await?;
    let today = state.today();
    let mut out = Vec::new();
    for p in state
        .store
        .proposals_of_year(year, false)
        .await?
        .into_iter()
        .filter(|p| lead.is_none_or(|o| o == p.lead_org_id))
    {
        let co = state.store.proposal_coorgs(p.id).await?;
        if may_see(actor, &p, &co, &orgs) {
            out.push(view(&p, &co, &orgs, today, Some(actor)));
        }
    }
    out.sort_by_key(|v| (v.state != ProposalState::Assigned.as_str(), v.due_on));
    Ok(out)
}

/// Open records of the orgs a staff member answers for or oversees that are overdue or due
/// within 15 days: (overdue, near).
pub async fn alarms(state: &AppState, actor: &Actor) -> Result<(usize, usize), AppError> {
    if !(actor.has(Role::Approver) || actor.has(Role::Supervisor)) {
        return Ok((0, 0));
    }
    let orgs = orgs_by_id(state).await?;
    let today = state.today();
    let (mut overdue, mut near) = (0, 0);
    for p in state.store.open_proposals().await? {
        let mine = orgs.get(&p.lead_org_id).is_some_and(|o| {
            actor.may_work_in(Role::Approver, &o.path).is_ok()
                || (actor.has(Role::Supervisor) && o.path.is_within(&actor.org_path))
        });
        if mine {
            match p.clock().urgency(today) {
                Urgency::Overdue => overdue += 1,
                Urgency::Near => near += 1,
                Urgency::Ok => {}
            }
        }
    }
    Ok((overdue, near))
}

/// The published replies of a year, of one lead org or all.
pub async fn public_list(state: &AppState, year: i32, org: Option<&str>) -> Result<Vec<ProposalView>, AppError> {
    let orgs = orgs_by_id(state).await?;
    let today = state.today();
    let mut out = Vec::new();
    for p in state.store.proposals_of_year(year, true).await? {
        if org.is_some_and(|code| orgs.get(&p.lead_org_id).is_none_or(|o| o.code() != code)) {
            continue;
        }
        let co = state.store.proposal_coorgs(p.id).await?;
        out.push(view(&p, &co, &orgs, today, None));
    }
    Ok(out)
}

/// One published reply.
pub async fn public_one(state: &AppState, id: i64) -> Result<ProposalView, AppError> {
    let p = state
        .store
        .proposal(id)
        .await?
        .filter(|p| p.published_on.is_some())
        .ok_or_else(|| AppError::NotFound("未找到已公开的建议提案答复".into()))?;
    one(state, &p, None).await
}

/// One lead org's year.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgSummary {
    pub org_code: String,
    pub org_name: String,
    #[schema(value_type = Object)]
    pub summary: ProposalSummary,
}

/// 办理工作总体情况: per lead org, the records assigned in `year`.
pub async fn summary(state: &AppState, year: i32) -> Result<Vec<OrgSummary>, AppError> {
    let orgs = orgs_by_id(state).await?;
    let mut by_org: Vec<(i64, ProposalSummary)> = Vec::new();
    for p in state.store.proposals_of_year(year, false).await? {
        let idx = match by_org.iter().position(|(o, _)| *o == p.lead_org_id) {
            Some(i) => i,
            None => {
                by_org.push((p.lead_org_id, ProposalSummary::default()));
                by_org.len() - 1
            }
        };
        let in_time = p.replied_on.map(|d| p.clock().in_time(d));
        by_org[idx].1.add(p.kind, in_time, p.category.0, p.rating.0, p.published_on.is_some());
    }
    by_org.sort_by_key(|(o, _)| orgs.get(o).map(|o| o.path.as_str().to_string()));
    Ok(by_org
        .into_iter()
        .map(|(o, summary)| OrgSummary {
            org_code: orgs.get(&o).map(|o| o.code().to_string()).unwrap_or_default(),
            org_name: orgs.get(&o).map(|o| o.name.clone()).unwrap_or_default(),
            summary,
        })
        .collect())
}

/// This year, for pages.
pub fn this_year(state: &AppState) -> i32 {
    state.today().year()
}
