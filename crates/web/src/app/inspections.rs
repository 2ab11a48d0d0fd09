//! Self-inspection (自查), the use cases: the year's overview of the orgs one oversees, starting
//! inspections (for one org or every org without one), an inspection with its entries,
//! answering an entry and submitting the result. The rules are `core::inspection`.

use crate::{AppError, AppState};
use gongkai_core::Actor;
pub use gongkai_core::inspection::{Advice, EntryKind};
use gongkai_store::AuditCtx;
pub use gongkai_store::Org;
pub use gongkai_store::inspections::FollowUp;
pub use gongkai_store::inspections::{Entry, Inspection};

/// May this staff member start inspections (supervisors and administrators)?
pub fn runs(actor: &Actor) -> bool {
    actor.is_overseer()
}

/// An org with its inspection of the year, if started.
pub struct OrgInspection {
    pub org: Org,
    pub inspection: Option<Inspection>,
    /// Entries not answered yet.
    pub open: usize,
    pub total: usize,
}

/// The orgs one oversees (one's own org for others) with their inspections of a year.
pub async fn overview(state: &AppState, actor: &Actor, year: i32) -> Result<Vec<OrgInspection>, AppError> {
    let orgs = super::orgs::overseen(state, actor).await?;
    let inspections = state.store.inspections_of_year(year).await?;
    let progress = state.store.inspection_progress(year).await?;
    Ok(orgs
        .into_iter()
        .map(|org| {
            let inspection = inspections.iter().find(|i| i.org_id == org.id).cloned();
            let (open, total) = inspection
                .as_ref()
                .and_then(|i| progress.iter().find(|p| p.0 == i.id))
                .map(|p| (p.1.max(0) as usize, p.2.max(0) as usize))
                .unwrap_or((0, 0));
            OrgInspection { org, inspection, open, total }
        })
        .collect())
}

/// Starts the year's inspection for the org with `code`, or (no code) for every org within
/// the actor's that has none yet.
pub async fn start(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    year: i32,
    code: Option<&str>,
) -> Result<(), AppError> {
    let today = state.today();
    let targets: Vec<Org> = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => vec![super::orgs::by_code(state, code).await?],
        None => {
            let started: Vec<i64> = state.store.inspections_of_year(year).await?.iter().map(|i| i.org_id).collect();
            state
                .store
                .orgs()
                .await?
                .into_iter()
                .filter(|o| o.path.is_within(&actor.org_path) && !started.contains(&o.id))
                .collect()
        }
    };
    for org in &targets {
        state.store.start_inspection(ctx, Some(actor), org, year, today).await?;
    }
    Ok(())
}

/// An inspection as its page shows it.
pub struct Detail {
    pub org: Org,
    pub inspection: Inspection,
    pub entries: Vec<Entry>,
    /// True when the actor's org answers it and it is not submitted yet.
    pub answering: bool,
    /// What its 予以公开 answers changed: the item to publish and by when.
    pub follow_ups: Vec<FollowUp>,
}

/// An inspection, for staff who oversee its org.
pub async fn detail(state: &AppState, actor: &Actor, id: i64) -> Result<Detail, AppError> {
    let inspection = state.store.inspection(id).await?.ok_or_else(|| AppError::NotFound(format!("自查 {id}")))?;
    let org = state.store.org_by_id(inspection.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    actor.may_supervise(&org.path)?;
    let answering = actor.org_id == org.id && inspection.submitted_at.is_none();
    let entries = state.store.inspection_entries(id).await?;
    let follow_ups =
        state.store.inspection_followups(&[org.id]).await?.into_iter().filter(|f| f.inspection_id == id).collect();
    Ok(Detail { org, inspection, entries, answering, follow_ups })
}

/// Answers an entry: `keep` (with the reason) or `publish`.
pub async fn answer(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    entry: i64,
    decision: &str,
    reason: &str,
) -> Result<Entry, AppError> {
    let decision = Advice::parse(decision)
        .ok_or_else(|| AppError::invalid("invalid_decision", "请选择处理意见：继续不予公开或予以公开"))?;
    Ok(state.store.answer_entry(ctx, actor, entry, decision, reason).await?)
}

/// Working days a 予以公开 answer has to be carried out: the 20 of 条例第二十六条.
pub const FOLLOW_UP_WORKDAYS: u32 = 20;

/// Submits the result to the disclosure office, and carries out each 予以公开 answer: the
/// withheld item, or a new draft for the much-requested information, to be public within
/// [`FOLLOW_UP_WORKDAYS`] working days (tracked as a 整改).
pub async fn submit(state: &AppState, actor: &Actor, ctx: &AuditCtx, id: i64) -> Result<Inspection, AppError> {
    let ins = state.store.submit_inspection(ctx, actor, id).await?;
    let cal = state.calendar().await?;
    let today = state.today();
    let due = cal.add_workdays(today, FOLLOW_UP_WORKDAYS).unwrap_or(today + chrono::Duration::days(28));
    state.store.follow_up_inspection(ctx, actor, id, due).await?;
    Ok(ins)
}

/// Self-inspection follow-ups for a dashboard: (owed by the staff member's org, overdue
/// among the orgs they oversee).
pub async fn alarms(state: &AppState, actor: &Actor) -> Result<(usize, usize), AppError> {
    let orgs: Vec<i64> = super::orgs::overseen(state, actor).await?.iter().map(|o| o.id).collect();
    let rows = state.store.inspection_followups(&orgs).await?;
    let today = state.today();
    let own = rows.iter().filter(|f| f.org_id == actor.org_id && !f.done).count();
    let late = rows.iter().filter(|f| !f.done && f.due_on < today).count();
    Ok((own, late))
}
