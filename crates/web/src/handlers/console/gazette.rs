//! The gazette in the console. The office: issues (open the next one), an issue's contents
//! (add a published item by its number into a section, take one out, publish with the PDF's
//! address), and departments' submissions on the 5-working-day clock with per-org figures
//! and 不予选登 with a reason. A department: its 规章 and 规范性文件 with 报送.

use crate::app::gazette::{self, IssuePage, IssueView, SubmissionFigures, SubmissionView};
use crate::auth::{ClientIp, Staff, audit_ctx};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::gazette::GazetteSection;
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/gazette.html")]
pub struct IndexPage {
    pub csrf: String,
    pub edits: bool,
    pub issues: Vec<IssueView>,
    pub submissions: Vec<SubmissionView>,
    pub figures: Vec<SubmissionFigures>,
    pub year: i32,
    pub message: Option<String>,
    /// What the documents are narrowed to ("黔江区交通局 · 逾期未报送"), if anything.
    pub narrowed: Option<String>,
}

/// A figure of the per-org table followed to its documents.
#[derive(Deserialize, Default)]
pub struct Drill {
    org: Option<i64>,
    status: Option<String>,
}

async fn index_page(
    state: &AppState,
    staff: &Staff,
    message: Option<String>,
    drill: Drill,
) -> Result<IndexPage, AppError> {
    let (submissions, figures) = gazette::submissions(state, &staff.actor).await?;
    let status = drill.status.as_deref().filter(|s| ["on_time", "late", "overdue"].contains(s));
    let narrowed = (drill.org.is_some() || status.is_some()).then(|| {
        let org = drill.org.and_then(|o| figures.iter().find(|f| f.org_id == o)).map(|f| f.org_name.as_str());
        let status = match status {
            Some("on_time") => Some("按时报送"),
            Some("late") => Some("逾期报送"),
            Some("overdue") => Some("逾期未报送"),
            _ => None,
        };
        [org, status].into_iter().flatten().collect::<Vec<_>>().join(" · ")
    });
    let submissions = gazette::narrowed(submissions, drill.org, status);
    Ok(IndexPage {
        narrowed,
        csrf: staff.csrf.clone(),
        edits: gazette::edits(&staff.actor),
        issues: gazette::staff_issues(state, &staff.actor).await?,
        submissions,
        figures,
        year: chrono::Datelike::year(&state.today()),
        message,
    })
}

/// `/admin/gazette` (`?org=&status=`: the documents behind one figure of the per-org table).
pub async fn index(
    State(state): State<AppState>,
    staff: Staff,
    Query(drill): Query<Drill>,
) -> Result<IndexPage, PageError> {
    Ok(index_page(&state, &staff, None, drill).await?)
}

#[derive(Deserialize)]
pub struct IndexForm {
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    submission_id: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/gazette`: open an issue (office), submit a document (department), or
/// decline a submission (office).
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Form(f): Form<IndexForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let ctx = audit_ctx(&staff.actor, ip);
    let id = |s: &str| s.trim().parse::<i64>().map_err(|_| AppError::invalid("invalid", "编号有误"));
    let result = match f.action.as_str() {
        "create" => gazette::create(&state, &staff.actor, &ctx, f.year.trim().parse().ok(), &f.title)
            .await
            .map(|i| format!("/admin/gazette/{}", i.id)),
        "submit" => match id(&f.item_id) {
            Ok(item) => gazette::submit(&state, &staff.actor, &ctx, item).await.map(|_| "/admin/gazette".to_string()),
            Err(e) => Err(e),
        },
        "decline" => match id(&f.submission_id) {
            Ok(s) => {
                gazette::decline(&state, &staff.actor, &ctx, s, &f.reason).await.map(|_| "/admin/gazette".to_string())
            }
            Err(e) => Err(e),
        },
        _ => Err(AppError::invalid("invalid", "未知的操作")),
    };
    match result {
        Ok(to) => Ok(Redirect::to(&to).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, index_page(&state, &staff, Some(e.to_string()), Drill::default()).await?).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/gazette_issue.html")]
pub struct IssuePageT {
    pub csrf: String,
    pub p: IssuePage,
    pub sections: &'static [GazetteSection],
    pub message: Option<String>,
}

fn id_of(id: &str) -> Result<i64, AppError> {
    id.parse().map_err(|_| AppError::NotFound("未找到该期公报".into()))
}

async fn issue_page(state: &AppState, staff: &Staff, id: i64, message: Option<String>) -> Result<IssuePageT, AppError> {
    Ok(IssuePageT {
        csrf: staff.csrf.clone(),
        p: gazette::staff_issue(state, &staff.actor, id).await?,
        sections: GazetteSection::ALL,
        message,
    })
}

/// `/admin/gazette/{id}`.
pub async fn issue(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> Result<IssuePageT, PageError> {
    Ok(issue_page(&state, &staff, id_of(&id)?, None).await?)
}

#[derive(Deserialize)]
pub struct IssueForm {
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    item_id: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    pdf_url: String,
}

/// `POST /admin/gazette/{id}`: add or remove an article, or publish the issue.
pub async fn issue_act(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    Path(id): Path<String>,
    Form(f): Form<IssueForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let id = id_of(&id)?;
    let ctx = audit_ctx(&staff.actor, ip);
    let item = f.item_id.trim().parse::<i64>().map_err(|_| AppError::invalid("invalid", "请填写信息编号"));
    let result = match f.action.as_str() {
        "add" => match item {
            Ok(item) => gazette::add_article(&state, &staff.actor, &ctx, id, item, &f.section).await,
            Err(e) => Err(e),
        },
        "remove" => match item {
            Ok(item) => gazette::remove_article(&state, &staff.actor, &ctx, id, item).await,
            Err(e) => Err(e),
        },
        "publish" => gazette::publish(&state, &staff.actor, &ctx, id, &f.pdf_url).await.map(|_| ()),
        _ => Err(AppError::invalid("invalid", "未知的操作")),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/gazette/{id}")).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            Ok((status, issue_page(&state, &staff, id, Some(e.to_string())).await?).into_response())
        }
    }
}
