//! Work plans in the console: the supervising office imports a task table (CSV, XLSX, or a
//! document's text as .txt) and follows completion per org, overdue tasks and reminders;
//! an assigned org sees its tasks, the reminders it got, and reports progress.

use crate::app::workplans::{self, Org, OrgProgress, Plan, Table, Task};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/workplans.html")]
pub struct ListPage {
    pub csrf: String,
    pub org: Org,
    pub runs_plans: bool,
    pub own: Vec<Plan>,
    pub assigned: Vec<Plan>,
    pub year: i32,
    pub message: Option<String>,
}

async fn list_page(state: &AppState, staff: &Staff, message: Option<String>) -> Result<ListPage, AppError> {
    let (org, own, assigned) = workplans::plans_of(state, &staff.actor).await?;
    Ok(ListPage {
        csrf: staff.csrf.clone(),
        runs_plans: workplans::runs_plans(&staff.actor),
        own,
        assigned,
        year: state.today().year(),
        message,
        org,
    })
}

/// `/admin/workplans`.
pub async fn list(State(state): State<AppState>, staff: Staff) -> Result<ListPage, PageError> {
    Ok(list_page(&state, &staff, None).await?)
}

/// `POST /admin/workplans`: a multipart form with csrf, year, title and the file.
pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    form: Multipart,
) -> Result<Response, PageError> {
    let up = super::Upload::read(form).await?;
    let (csrf, year, title) = (up.get("csrf"), up.get("year"), up.get("title"));
    let (file, name) = (&up.file, up.file_name.to_ascii_lowercase());
    staff.check_csrf(csrf)?;
    let result = async {
        let year: i32 = year.trim().parse().map_err(|_| AppError::invalid("invalid_year", "请填写年度"))?;
        if file.is_empty() {
            return Err(AppError::invalid("no_file", "请选择任务分工表文件（CSV、XLSX 或 TXT）"));
        }
        let text;
        let table = if name.ends_with(".xlsx") {
            Table::Xlsx(file)
        } else {
            text = String::from_utf8(file.clone()).map_err(|_| AppError::invalid("not_utf8", "文件须为 UTF-8 编码"))?;
            if name.ends_with(".csv") { Table::Csv(&text) } else { Table::Text(&text) }
        };
        let org = crate::app::orgs::own(&state, &staff.actor).await?;
        let ctx = audit_ctx(&staff.actor, ip);
        workplans::import(&state, &staff.actor, &ctx, &org, year, title, table).await
    }
    .await;
    match result {
        Ok(done) => Ok(Redirect::to(&format!("/admin/workplans/{}", done.plan_id)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, list_page(&state, &staff, Some(e.to_string())).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/workplan.html")]
pub struct PlanPage {
    pub csrf: String,
    pub plan: Plan,
    pub owner: Org,
    /// May remind orgs (and sees every org's progress).
    pub supervising: bool,
    /// The staff member's org: it reports on its own parts.
    pub my_org: i64,
    pub tasks: Vec<Task>,
    pub progress: Vec<OrgProgress>,
    /// Responsible names the import could not match, for the office to settle.
    pub unsettled: Vec<String>,
    /// The orgs they may be settled on.
    pub orgs: Vec<Org>,
}

impl PlanPage {
    pub fn links(&self, evidence: &str) -> Vec<String> {
        serde_json::from_str(evidence).unwrap_or_default()
    }
}

/// `/admin/workplans/{id}`.
pub async fn show(State(state): State<AppState>, staff: Staff, Path(id): Path<i64>) -> Result<PlanPage, PageError> {
    let view = workplans::plan(&state, &staff.actor, id).await?;
    let supervising = view.supervising && workplans::runs_plans(&staff.actor);
    let (unsettled, orgs) = if supervising { workplans::unsettled(&state, &view).await? } else { Default::default() };
    let workplans::PlanView { plan, owner, tasks, progress, .. } = view;
    Ok(PlanPage {
        csrf: staff.csrf.clone(),
        plan,
        owner,
        supervising,
        my_org: staff.actor.org_id,
        tasks,
        progress,
        unsettled,
        orgs,
    })
}

#[derive(Deserialize)]
pub struct SettleForm {
    csrf: String,
    name: String,
    /// The org's code; empty: not an org of the platform's.
    #[serde(default)]
    org: String,
}

/// `POST /admin/workplans/{id}/unmatched`: the office settles a responsible name.
pub async fn settle(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<i64>,
    Form(f): Form<SettleForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    workplans::settle(&state, &staff.actor, &ctx, id, &f.name, Some(f.org.as_str())).await?;
    Ok(Redirect::to(&format!("/admin/workplans/{id}")).into_response())
}

#[derive(Deserialize)]
pub struct ReportForm {
    csrf: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    evidence: String,
    #[serde(default)]
    done: Option<String>,
}

/// `POST /admin/workplans/{id}/tasks/{task}/report`.
pub async fn report(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((id, task)): Path<(i64, i64)>,
    Form(f): Form<ReportForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    let links: Vec<String> = f.evidence.lines().map(str::trim).filter(|l| !l.is_empty()).map(str::to_string).collect();
    workplans::report(&state, &staff.actor, &ctx, task, &f.body, &links, f.done.is_some()).await?;
    Ok(Redirect::to(&format!("/admin/workplans/{id}#task-{task}")).into_response())
}

#[derive(Deserialize)]
pub struct RemindForm {
    csrf: String,
    org: String,
    #[serde(default)]
    note: String,
}

/// `POST /admin/workplans/{id}/tasks/{task}/remind`.
pub async fn remind(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((id, task)): Path<(i64, i64)>,
    Form(f): Form<RemindForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    workplans::remind(&state, &staff.actor, &ctx, task, &f.org, &f.note).await?;
    Ok(Redirect::to(&format!("/admin/workplans/{id}#task-{task}")).into_response())
}
