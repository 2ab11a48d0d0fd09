//! Annual reports in the console: every org the staff member oversees with its report's
//! state and statutory deadline, and the editor — the office's texts with the template's
//! prompts, the entered figures with their sources, the tables computed live, what stops
//! approval, and the approve and publish actions.

use super::CsrfForm;
use crate::app::orgs::{self, Org};
use crate::app::reports::{self, Format, ReportDraft, ReportHtml, ReportState, Scope, Which};
use crate::auth::audit_ctx;
use crate::auth::{ClientIp, Staff};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Datelike;
use gongkai_core::report::{self, Entered, EnteredFigures, Problem};
use serde::Deserialize;

pub struct StatusRow {
    pub name: String,
    pub code: String,
    pub depth: usize,
    pub state: &'static str,
    pub due_on: String,
    pub overdue: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/reports.html")]
pub struct ListPage {
    pub csrf: String,
    pub year: i32,
    pub rows: Vec<StatusRow>,
    pub overdue: usize,
    pub published: usize,
}

#[derive(Deserialize)]
pub struct YearQuery {
    year: Option<String>,
}

/// A report's state as the console lists it.
pub fn state_label(state: Option<ReportState>) -> &'static str {
    match state {
        Some(ReportState::Draft) => "草稿",
        Some(ReportState::Approved) => "已审核待发布",
        Some(ReportState::Published) => "已发布",
        None => "未开始",
    }
}

/// The report statuses of the orgs a staff member sees, for a year.
pub async fn statuses(state: &AppState, staff: &Staff, year: i32) -> Result<Vec<StatusRow>, AppError> {
    let depth = staff.actor.org_path.depth();
    Ok(reports::statuses(state, &staff.actor, year)
        .await?
        .into_iter()
        .map(|s| StatusRow {
            depth: s.org.path.depth().saturating_sub(depth),
            code: s.org.code().to_string(),
            name: s.org.name,
            state: state_label(s.state),
            due_on: s.due_on.format("%Y-%m-%d").to_string(),
            overdue: s.overdue,
        })
        .collect())
}

/// `/admin/reports`.
pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<ListPage, PageError> {
    let default_year = state.today().year() - 1;
    let year = q.year.and_then(|y| y.trim().parse().ok()).filter(|y| (2008..=2100).contains(y)).unwrap_or(default_year);
    let rows = statuses(&state, &staff, year).await?;
    Ok(ListPage {
        csrf: staff.csrf.clone(),
        year,
        overdue: rows.iter().filter(|r| r.overdue).count(),
        published: rows.iter().filter(|r| r.state == "已发布").count(),
        rows,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "console/report.html")]
pub struct EditorPage {
    pub csrf: String,
    pub org: Org,
    pub year: i32,
    pub scope: &'static str,
    pub scope_qs: &'static str,
    pub state: &'static str,
    pub state_label: &'static str,
    pub due_on: String,
    pub problems: Vec<Problem>,
    pub message: Option<String>,
    pub overview: String,
    pub problems_text: String,
    pub other: String,
    pub restatement: String,
    pub entered: Vec<EnteredField>,
    pub editable: bool,
    pub may_approve: bool,
    pub v: ReportHtml,
}

pub struct EnteredField {
    pub key: &'static str,
    pub label: &'static str,
    pub unit: &'static str,
    pub value: String,
    pub source: String,
    /// Counted from a public list: shown, not typed.
    pub from_list: bool,
}

#[derive(Deserialize)]
pub struct ScopeQuery {
    scope: Option<String>,
    format: Option<String>,
}

fn year_of(s: &str) -> Result<i32, AppError> {
    s.parse::<i32>()
        .ok()
        .filter(|y| (2008..=2100).contains(y))
        .ok_or_else(|| AppError::NotFound(format!("{s}年度报告")))
}

async fn editor(
    state: &AppState,
    staff: &Staff,
    org: Org,
    year: i32,
    scope: Scope,
    message: Option<String>,
    draft: Option<ReportDraft>,
) -> Result<EditorPage, AppError> {
    staff.actor.may_supervise(&org.path)?;
    let body = reports::body_for(state, Some(&staff.actor), Which { org: &org, year, scope }).await?;
    let d = draft.unwrap_or_else(|| ReportDraft {
        overview: body.report.overview.clone(),
        problems: body.report.problems.clone(),
        other: body.report.other.clone(),
        restatement: body.report.restatement.clone(),
        entered: body.report.entered.clone(),
    });
    let overview = if d.overview.is_empty() { report::OVERVIEW_PROMPTS.join("\n\n\n") } else { d.overview };
    let entered = [
        ("licensing", "行政许可 本年处理决定数量", "件", &d.entered.licensing),
        ("penalty", "行政处罚 本年处理决定数量", "件", &d.entered.penalty),
        ("coercion", "行政强制 本年处理决定数量", "件", &d.entered.coercion),
        ("charges", "行政事业性收费 本年收费金额", "元", &d.entered.charges_yuan),
    ]
    .into_iter()
    .map(|(key, label, unit, e)| EnteredField {
        key,
        label,
        unit,
        value: e.value.map(|v| v.to_string()).unwrap_or_default(),
        source: e.source.clone(),
        from_list: e.is_from_list(),
    })
    .collect();
    let editable = body.state != ReportState::Published.as_str() && reports::may_draft(&staff.actor, &org);
    let may_approve = reports::may_approve(&staff.actor, &org);
    let v = ReportHtml::new(&org, body.report, body.published_on);
    Ok(EditorPage {
        csrf: staff.csrf.clone(),
        year,
        scope: scope.as_str(),
        scope_qs: if scope == Scope::Tree { "?scope=tree" } else { "" },
        state_label: state_label(ReportState::parse(body.state)),
        state: body.state,
        due_on: body.due_on.format("%Y-%m-%d").to_string(),
        problems: body.problems,
        message,
        overview,
        problems_text: d.problems,
        other: d.other,
        restatement: d.restatement,
        entered,
        editable,
        may_approve,
        v,
        org,
    })
}

/// `/admin/reports/{code}/{year}`: the editor, or a download with `?format=md|json|xlsx`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Path((code, year)): Path<(String, String)>,
    Query(q): Query<ScopeQuery>,
) -> Result<Response, PageError> {
    let org = orgs::by_code(&state, &code).await?;
    let year = year_of(&year)?;
    let scope = reports::scope(q.scope.as_deref())?;
    let format = Format::parse(q.format.as_deref(), Format::Html)?;
    if format != Format::Html {
        staff.actor.may_supervise(&org.path)?;
        let body = reports::body_for(&state, Some(&staff.actor), Which { org: &org, year, scope }).await?;
        return Ok(reports::respond(format, body)?);
    }
    Ok(editor(&state, &staff, org, year, scope, None, None).await?.into_response())
}

#[derive(Deserialize)]
pub struct DraftForm {
    csrf: String,
    #[serde(default)]
    overview: String,
    #[serde(default)]
    problems: String,
    #[serde(default)]
    other: String,
    #[serde(default)]
    restatement: String,
    #[serde(default)]
    licensing: String,
    #[serde(default)]
    licensing_source: String,
    #[serde(default)]
    penalty: String,
    #[serde(default)]
    penalty_source: String,
    #[serde(default)]
    coercion: String,
    #[serde(default)]
    coercion_source: String,
    #[serde(default)]
    charges: String,
    #[serde(default)]
    charges_source: String,
}

fn figure(label: &str, value: &str, source: &str) -> Result<Entered, AppError> {
    let v = value.trim().replace([',', '，'], "");
    let value = if v.is_empty() {
        None
    } else {
        Some(v.parse::<i64>().ok().filter(|n| *n >= 0).ok_or_else(|| {
            AppError::invalid("invalid_figure", format!("“{label}”须为不小于 0 的整数（收费金额以元为单位）"))
        })?)
    };
    Ok(Entered { value, source: source.trim().to_string() })
}

/// The form as typed, for showing it again after a refusal (unreadable figures left empty).
fn typed_draft(f: &DraftForm) -> ReportDraft {
    let lenient = |label: &str, v: &str, src: &str| {
        figure(label, v, src).unwrap_or_else(|_| Entered { value: None, source: src.trim().to_string() })
    };
    ReportDraft {
        overview: f.overview.clone(),
        problems: f.problems.clone(),
        other: f.other.clone(),
        restatement: f.restatement.clone(),
        entered: EnteredFigures {
            licensing: lenient("行政许可", &f.licensing, &f.licensing_source),
            penalty: lenient("行政处罚", &f.penalty, &f.penalty_source),
            coercion: lenient("行政强制", &f.coercion, &f.coercion_source),
            charges_yuan: lenient("行政事业性收费", &f.charges, &f.charges_source),
        },
    }
}

fn draft_of(f: &DraftForm) -> Result<ReportDraft, AppError> {
    // The untouched prompts are not a text.
    let overview = if f.overview.split_whitespace().collect::<Vec<_>>() == report::OVERVIEW_PROMPTS {
        String::new()
    } else {
        f.overview.clone()
    };
    Ok(ReportDraft {
        overview,
        problems: f.problems.clone(),
        other: f.other.clone(),
        restatement: f.restatement.clone(),
        entered: EnteredFigures {
            licensing: figure("行政许可", &f.licensing, &f.licensing_source)?,
            penalty: figure("行政处罚", &f.penalty, &f.penalty_source)?,
            coercion: figure("行政强制", &f.coercion, &f.coercion_source)?,
            charges_yuan: figure("行政事业性收费", &f.charges, &f.charges_source)?,
        },
    })
}

/// `POST /admin/reports/{code}/{year}`: save the draft.
pub async fn save(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((code, year)): Path<(String, String)>,
    Query(q): Query<ScopeQuery>,
    Form(f): Form<DraftForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let org = orgs::by_code(&state, &code).await?;
    let year = year_of(&year)?;
    let scope = reports::scope(q.scope.as_deref())?;
    let result = async {
        let draft = draft_of(&f)?;
        let ctx = audit_ctx(&staff.actor, ip);
        reports::save(&state, &staff.actor, &ctx, Which { org: &org, year, scope }, draft).await.map(|_| ())
    }
    .await;
    after(&state, &staff, org, year, scope, result, Some(&f)).await
}

/// `POST /admin/reports/{code}/{year}/{action}` with action `approve` or `publish`.
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path((code, year, action)): Path<(String, String, String)>,
    Query(q): Query<ScopeQuery>,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let org = orgs::by_code(&state, &code).await?;
    let year = year_of(&year)?;
    let scope = reports::scope(q.scope.as_deref())?;
    let ctx = audit_ctx(&staff.actor, ip);
    let which = Which { org: &org, year, scope };
    let result = match action.as_str() {
        "approve" => reports::approve(&state, &staff.actor, &ctx, which).await.map(|_| ()),
        "publish" => reports::publish(&state, &staff.actor, &ctx, which).await.map(|_| ()),
        _ => Err(AppError::NotFound("操作".into())),
    };
    after(&state, &staff, org, year, scope, result, None).await
}

/// Redirects back to the editor on success; shows the editor with the message (and the
/// form as typed) on a refusal.
async fn after(
    state: &AppState,
    staff: &Staff,
    org: Org,
    year: i32,
    scope: Scope,
    result: Result<(), AppError>,
    typed: Option<&DraftForm>,
) -> Result<Response, PageError> {
    let back = format!("/admin/reports/{}/{year}{}", org.code(), if scope == Scope::Tree { "?scope=tree" } else { "" });
    match result {
        Ok(()) => Ok(Redirect::to(&back).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let draft = typed.map(typed_draft);
            let message = match &e {
                AppError::Detailed { .. } => "年度报告未通过校验，不能审核通过，请按下列问题修改。".to_string(),
                other => other.to_string(),
            };
            Ok((status, editor(state, staff, org, year, scope, Some(message), draft).await?).into_response())
        }
    }
}
