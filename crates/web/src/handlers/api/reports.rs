//! Annual reports over the API: read (the published report for anyone; the draft, computed
//! live with what stops its approval, for the org's staff and supervisors), save the
//! office's texts and entered figures, approve (refused unless the tables tie out), publish.

use super::{ApiJson, ApiPath, ApiQuery};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::reports_view::{self, Format, ReportBody};
use crate::{ApiError, AppError, AppState};
use axum::extract::State;
use axum::response::Response;
use gongkai_core::report::{EnteredFigures, Scope};
use gongkai_core::{Actor, OrgPath};
use gongkai_store::{Org, ReportDraft};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(read, save))
        .routes(routes!(approve))
        .routes(routes!(publish))
        .routes(routes!(list))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ReadQuery {
    /// `org`（本单位，默认）或 `tree`（含所属单位）.
    scope: Option<String>,
    /// `json`（默认）、`md`、`xlsx`.
    format: Option<String>,
}

pub(crate) async fn org_by_code(state: &AppState, code: &str) -> Result<Org, AppError> {
    state.store.org_by_code(code).await?.ok_or_else(|| AppError::NotFound(format!("单位 {code}")))
}

fn may_see_draft(actor: Option<&Actor>, path: &OrgPath) -> bool {
    actor.is_some_and(|a| a.may_supervise(path).is_ok())
}

/// The report body for a caller: published reports for anyone, drafts for staff.
pub(crate) async fn body_for(
    state: &AppState,
    actor: Option<&Actor>,
    org: &Org,
    year: i32,
    scope: Scope,
) -> Result<ReportBody, AppError> {
    let (report, row) = state.store.annual_report(org, year, scope).await?;
    let published = row.as_ref().is_some_and(|r| r.state == "published");
    if !published && !may_see_draft(actor, &org.path) {
        return Err(AppError::NotFound(format!("{}{year}年度报告（尚未发布）", org.name)));
    }
    let problems = if row.as_ref().is_some_and(|r| r.state != "draft") {
        Vec::new()
    } else {
        state.store.report_problems(&report, org.id).await?
    };
    Ok(ReportBody {
        state: row.as_ref().map(|r| r.state.clone()).unwrap_or_else(|| "none".into()),
        published_on: reports_view::published_on(row.as_ref()),
        due_on: gongkai_core::report::due_on(org.kind, year),
        problems,
        report,
    })
}

/// 年度报告：已发布的报告人人可读；草稿（按当前数据实时计算，附不能审核通过的原因）仅本单位及上级监督人员可读。`format=md|xlsx` 下载。
#[utoipa::path(get, path = "/orgs/{code}/reports/{year}", tag = "reports", params(("code" = String, Path, description = "机构代码"), ("year" = i32, Path, description = "年度"), ReadQuery), responses((status = 200, description = "{ state, published_on, due_on, problems, report }；report 的每张表为 { caption, columns, rows: [{ label, group, values }] }"), (status = 404, description = "不存在或尚未发布", body = crate::handlers::api::ErrorBody), (status = 422, description = "参数有误", body = crate::handlers::api::ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    actor: Option<ApiActor>,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    ApiQuery(q): ApiQuery<ReadQuery>,
) -> Result<Response, ApiError> {
    let org = org_by_code(&state, &code).await?;
    let scope = reports_view::scope(q.scope.as_deref())?;
    let format = Format::parse(q.format.as_deref(), Format::Json)?;
    let body = body_for(&state, actor.as_ref().map(|a| &a.0), &org, year, scope).await?;
    Ok(reports_view::respond(format, body)?)
}

/// The office's part of a report.
#[derive(Deserialize, utoipa::ToSchema)]
struct DraftBody {
    /// `org` or `tree`.
    #[serde(default)]
    scope: Option<String>,
    /// 一、总体情况.
    #[serde(default)]
    overview: String,
    /// 五、存在的主要问题及改进情况.
    #[serde(default)]
    problems: String,
    /// 六、其他需要报告的事项.
    #[serde(default)]
    other: String,
    /// 上年结转数据说明（与上年度报告不一致时必填）.
    #[serde(default)]
    restatement: String,
    /// 行政许可、行政处罚、行政强制（件）和行政事业性收费（元），各带 `value` 与 `source`.
    #[serde(default)]
    #[schema(value_type = Object)]
    entered: EnteredFigures,
}

/// 保存年度报告草稿（文字部分与填报数据）。已审核的报告修改后退回草稿；已发布的不能修改。
#[utoipa::path(put, path = "/orgs/{code}/reports/{year}", tag = "reports", security(("bearer" = [])), params(("code" = String, Path, description = "机构代码"), ("year" = i32, Path, description = "年度")), request_body = DraftBody, responses((status = 200, description = "保存后的报告（同 GET）"), (status = 401, body = crate::handlers::api::ErrorBody), (status = 403, body = crate::handlers::api::ErrorBody), (status = 409, description = "已发布", body = crate::handlers::api::ErrorBody), (status = 422, body = crate::handlers::api::ErrorBody)))]
async fn save(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    ApiJson(b): ApiJson<DraftBody>,
) -> Result<Response, ApiError> {
    let org = org_by_code(&state, &code).await?;
    let scope = reports_view::scope(b.scope.as_deref())?;
    let draft = ReportDraft {
        overview: b.overview,
        problems: b.problems,
        other: b.other,
        restatement: b.restatement,
        entered: b.entered,
    };
    state.store.save_report(&audit_ctx(&actor, ip), Some(&actor), &org, year, scope, draft).await?;
    let body = body_for(&state, Some(&actor), &org, year, scope).await?;
    Ok(reports_view::respond(Format::Json, body)?)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ScopeQuery {
    /// `org`（默认）或 `tree`.
    scope: Option<String>,
}

/// 审核通过：按当前数据重新计算，表格勾稽不符或内容不全时拒绝（422，附 problems），通过后冻结为快照。
#[utoipa::path(post, path = "/orgs/{code}/reports/{year}/approve", tag = "reports", security(("bearer" = [])), params(("code" = String, Path, description = "机构代码"), ("year" = i32, Path, description = "年度"), ScopeQuery), responses((status = 200, description = "审核后的报告"), (status = 403, body = crate::handlers::api::ErrorBody), (status = 404, description = "无草稿", body = crate::handlers::api::ErrorBody), (status = 409, body = crate::handlers::api::ErrorBody), (status = 422, description = "未通过校验，problems 列出原因", body = crate::handlers::api::ErrorBody)))]
async fn approve(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Response, ApiError> {
    let org = org_by_code(&state, &code).await?;
    let scope = reports_view::scope(q.scope.as_deref())?;
    state.store.approve_report(&audit_ctx(&actor, ip), Some(&actor), &org, year, scope).await?;
    let body = body_for(&state, Some(&actor), &org, year, scope).await?;
    Ok(reports_view::respond(Format::Json, body)?)
}

/// 发布已审核的报告（发布的是审核时冻结的快照）。
#[utoipa::path(post, path = "/orgs/{code}/reports/{year}/publish", tag = "reports", security(("bearer" = [])), params(("code" = String, Path, description = "机构代码"), ("year" = i32, Path, description = "年度"), ScopeQuery), responses((status = 200, description = "发布后的报告"), (status = 403, body = crate::handlers::api::ErrorBody), (status = 409, description = "尚未审核或已发布", body = crate::handlers::api::ErrorBody)))]
async fn publish(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Response, ApiError> {
    let org = org_by_code(&state, &code).await?;
    let scope = reports_view::scope(q.scope.as_deref())?;
    state.store.publish_report(&audit_ctx(&actor, ip), Some(&actor), &org, year, scope).await?;
    let body = body_for(&state, Some(&actor), &org, year, scope).await?;
    Ok(reports_view::respond(Format::Json, body)?)
}

#[derive(serde::Serialize, utoipa::ToSchema)]
struct Listed {
    year: i64,
    scope: String,
    title: String,
    published_on: Option<chrono::NaiveDate>,
    url: String,
}

/// 某单位已发布的年度报告，按年度倒序。
#[utoipa::path(get, path = "/orgs/{code}/reports", tag = "reports", params(("code" = String, Path, description = "机构代码")), responses((status = 200, body = Vec<Listed>), (status = 404, body = crate::handlers::api::ErrorBody)))]
async fn list(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<axum::Json<Vec<Listed>>, ApiError> {
    let org = org_by_code(&state, &code).await?;
    let rows = state.store.published_reports(org.id).await?;
    Ok(axum::Json(
        rows.iter()
            .map(|r| Listed {
                year: r.year,
                scope: r.scope.clone(),
                title: r.frozen().map(|f| f.title).unwrap_or_default(),
                published_on: reports_view::published_on(Some(r)),
                url: format!(
                    "/orgs/{}/reports/{}{}",
                    org.code(),
                    r.year,
                    if r.scope == "tree" { "?scope=tree" } else { "" }
                ),
            })
            .collect(),
    ))
}
