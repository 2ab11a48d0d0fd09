//! Work plans (任务分工), the use cases: importing a task table (CSV, XLSX or a document's
//! text) and assigning its rows to orgs, a plan as the supervising office or an assigned
//! org sees it, progress reports and reminders. The assignment lifecycle is
//! `core::workplan::AssignmentStatus`.

use crate::{AppError, AppState};
use gongkai_core::Actor;
pub use gongkai_core::workplan::AssignmentStatus;
use gongkai_core::workplan::{self, TaskRow};
use gongkai_store::AuditCtx;
pub use gongkai_store::Org;
pub use gongkai_store::workplans::{OrgProgress, Plan, PlanImport, Report, Task};

/// May this staff member import plans and remind orgs (supervisors and administrators)?
pub fn runs_plans(actor: &Actor) -> bool {
    actor.is_overseer()
}

/// A task table as uploaded.
pub enum Table<'a> {
    Csv(&'a str),
    Xlsx(&'a [u8]),
    /// A document's text with the table printed in it.
    Text(&'a str),
}

impl Table<'_> {
    /// The source's name as recorded with the plan.
    pub fn source(&self) -> &'static str {
        match self {
            Table::Csv(_) => "csv",
            Table::Xlsx(_) => "xlsx",
            Table::Text(_) => "text",
        }
    }

    /// The table's rows, due dates read against `year`.
    pub fn rows(&self, year: i32) -> Result<Vec<TaskRow>, AppError> {
        match self {
            Table::Csv(text) => gongkai_formats::tables::parse_csv(text, year),
            Table::Xlsx(bytes) => gongkai_formats::tables::parse_xlsx(bytes, year),
            Table::Text(text) => {
                let rows = workplan::parse_document_table(text, year);
                if rows.is_empty() {
                    Err("正文中未识别出任务分工表（须有“责任单位”表头和按序编号的行）".to_string())
                } else {
                    Ok(rows)
                }
            }
        }
        .map_err(|m| AppError::invalid("invalid_table", m))
    }
}

/// Imports a plan for `org` and assigns its tasks to the orgs below it named in each row.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    org: &Org,
    year: i32,
    title: &str,
    table: Table<'_>,
) -> Result<PlanImport, AppError> {
    let rows = table.rows(year)?;
    Ok(state.store.import_plan(ctx, Some(actor), org, year, title, table.source(), rows).await?)
}

/// The plans an org runs and the plans that assign it tasks.
pub async fn plans_of(state: &AppState, actor: &Actor) -> Result<(Org, Vec<Plan>, Vec<Plan>), AppError> {
    let org = super::orgs::own(state, actor).await?;
    let own = state.store.plans(org.id).await?;
    let assigned = state.store.plans_assigning(org.id).await?;
    Ok((org, own, assigned))
}

/// A plan as one staff member sees it.
pub struct PlanView {
    pub plan: Plan,
    pub owner: Org,
    /// The whole plan with every org's progress (staff over the owning org); otherwise only
    /// the actor's org's tasks.
    pub supervising: bool,
    pub tasks: Vec<Task>,
    pub progress: Vec<OrgProgress>,
}

/// A plan: whole for staff over the owning org, the actor's org's tasks for an assigned org,
/// not found for anyone else.
pub async fn plan(state: &AppState, actor: &Actor, id: i64) -> Result<PlanView, AppError> {
    let plan = state.store.plan(id).await?.ok_or_else(|| AppError::NotFound(format!("计划 {id}")))?;
    let owner = state.store.org_by_id(plan.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    let today = state.today();
    if actor.may_supervise(&owner.path).is_ok() {
        let tasks = state.store.plan_tasks(id, None, today).await?;
        let progress = state.store.plan_progress(id, today).await?;
        return Ok(PlanView { plan, owner, supervising: true, tasks, progress });
    }
    let tasks = state.store.plan_tasks(id, Some(actor.org_id), today).await?;
    if tasks.is_empty() {
        return Err(AppError::NotFound(format!("计划 {id}")));
    }
    Ok(PlanView { plan, owner, supervising: false, tasks, progress: Vec::new() })
}

/// The actor's org reports progress on its part of a task (`done`: the part is complete).
pub async fn report(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    task: i64,
    body: &str,
    evidence: &[String],
    done: bool,
) -> Result<Report, AppError> {
    Ok(state.store.report_task(ctx, actor, task, body, evidence, done).await?)
}

/// The responsible names of a plan's tasks the import could not match, each once, in the
/// order they first appear; and the orgs (within the plan's org) they may be settled on.
pub async fn unsettled(state: &AppState, view: &PlanView) -> Result<(Vec<String>, Vec<Org>), AppError> {
    let mut names: Vec<String> = Vec::new();
    for t in &view.tasks {
        for n in t.unmatched.split('、').map(str::trim).filter(|n| !n.is_empty()) {
            if !names.iter().any(|known| known == n) {
                names.push(n.to_string());
            }
        }
    }
    if names.is_empty() {
        return Ok((names, Vec::new()));
    }
    let orgs = super::accounts::orgs_kept(state).await?;
    let within = orgs.iter().filter(|o| o.path.is_within(&view.owner.path)).cloned().collect();
    Ok((names, within))
}

/// The office settles an unmatched responsible name: the org with `code` takes that part
/// of every task naming it, or, with no code, the name is confirmed as no org of the
/// platform's. Answers how many tasks changed.
pub async fn settle(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    plan: i64,
    name: &str,
    code: Option<&str>,
) -> Result<usize, AppError> {
    let org = match code.filter(|c| !c.is_empty()) {
        Some(c) => Some(super::orgs::by_code(state, c).await?),
        None => None,
    };
    Ok(state.store.settle_unmatched(ctx, actor, plan, name, org.as_ref()).await?)
}

/// The supervising office reminds the org with `code` of its open part of a task.
pub async fn remind(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    task: i64,
    code: &str,
    note: &str,
) -> Result<(), AppError> {
    let org = super::orgs::by_code(state, code).await?;
    Ok(state.store.remind_task(ctx, actor, task, org.id, note).await?)
}
