//! Annual reports over the API: read (the published report for anyone; the draft, computed
//! live with what stops its approval, for the org's staff and supervisors), save the
//! office's texts and entered figures, approve (refused unless the tables tie out), publish.

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::orgs;
use crate::app::reports::{self, Format, ReportDraft, Which};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppState};
use axum::extract::State;
use axum::response::Response;
use gongkai_core::report::EnteredFigures;
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

/// 年度报告：已发布的报告人人可读；草稿（按当前数据实时计算，附不能审核通过的原因）仅本单位及上级监督人员可读。`format=md|xlsx` 下载。
#[utoipa::path(get, path = "/orgs/{code}/reports/{year}", tag = "reports",
    params(("code" = String, Path, description = "机构代码"), ("year" = i32, Path, description = "年度"), ReadQuery),
    responses((status = 200, description = "{ state, published_on, due_on, problems, report }；report 的每张表为 { caption, columns, rows: [{ label, group, values }] }"), (status = 404, description = "不存在或尚未发布", body = super::ErrorBody), (status = 422, description = "参数有误", body = super::ErrorBody)))]
async fn read(
    State(state): State<AppState>,
    actor: Option<ApiActor>,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    ApiQuery(q): ApiQuery<ReadQuery>,
) -> Result<Response, ApiError> {
    let org = orgs::by_code(&state, &code).await?;
    let scope = reports::scope(q.scope.as_deref())?;
    let format = Format::parse(q.format.as_deref(), Format::Json)?;
    let body = reports::body_for(&state, actor.as_ref().map(|a| &a.0), Which { org: &org, year, scope }).await?;
    Ok(reports::respond(format, body)?)
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
#[utoipa::path(put, path = "/orgs/{code}/reports/{year}", tag = "reports",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "机构代码"), ("year" = i32, Path, description = "年度")),
    request_body = DraftBody,
    responses((status = 200, description = "保存后的报告（同 GET）"), E401, E403, (status = 409, description = "已发布", body = super::ErrorBody), E422))]
async fn save(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    ApiJson(b): ApiJson<DraftBody>,
) -> Result<Response, ApiError> {
    let org = orgs::by_code(&state, &code).await?;
    let scope = reports::scope(b.scope.as_deref())?;
    let draft = ReportDraft {
        overview: b.overview,
        problems: b.problems,
        other: b.other,
        restatement: b.restatement,
        entered: b.entered,
    };
    let body = reports::save(&state, &actor, &audit_ctx(&actor, ip), Which { org: &org, year, scope }, draft).await?;
    Ok(reports::respond(Format::Json, body)?)
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ScopeQuery {
    /// `org`（默认）或 `tree`.
    scope: Option<String>,
}

/// 审核通过：按当前数据重新计算，表格勾稽不符或内容不全时拒绝（422，附 problems），通过后冻结为快照。
#[utoipa::path(post, path = "/orgs/{code}/reports/{year}/approve", tag = "reports",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "机构代码"), ("year" = i32, Path, description = "年度"), ScopeQuery),
    responses((status = 200, description = "审核后的报告"), E403, (status = 404, description = "无草稿", body = super::ErrorBody), E409, (status = 422, description = "未通过校验，problems 列出原因", body = super::ErrorBody)))]
async fn approve(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Response, ApiError> {
    let org = orgs::by_code(&state, &code).await?;
    let scope = reports::scope(q.scope.as_deref())?;
    let body = reports::approve(&state, &actor, &audit_ctx(&actor, ip), Which { org: &org, year, scope }).await?;
    Ok(reports::respond(Format::Json, body)?)
}

/// 发布已审核的报告（发布的是审核时冻结的快照）。
#[utoipa::path(post, path = "/orgs/{code}/reports/{year}/publish", tag = "reports",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "机构代码"), ("year" = i32, Path, description = "年度"), ScopeQuery),
    responses((status = 200, description = "发布后的报告"), E403, (status = 409, description = "尚未审核或已发布", body = super::ErrorBody)))]
async fn publish(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath((code, year)): ApiPath<(String, i32)>,
    ApiQuery(q): ApiQuery<ScopeQuery>,
) -> Result<Response, ApiError> {
    let org = orgs::by_code(&state, &code).await?;
    let scope = reports::scope(q.scope.as_deref())?;
    let body = reports::publish(&state, &actor, &audit_ctx(&actor, ip), Which { org: &org, year, scope }).await?;
    Ok(reports::respond(Format::Json, body)?)
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
#[utoipa::path(get, path = "/orgs/{code}/reports", tag = "reports",
    params(("code" = String, Path, description = "机构代码")),
    responses((status = 200, body = Vec<Listed>), E404))]
async fn list(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<axum::Json<Vec<Listed>>, ApiError> {
    let org = orgs::by_code(&state, &code).await?;
    Ok(axum::Json(
        reports::published(&state, &org)
            .await?
            .into_iter()
            .map(|r| Listed {
                url: format!("/orgs/{}/reports/{}{}", org.code(), r.year, r.scope_query()),
                year: r.year,
                scope: r.scope.as_str().to_string(),
                title: r.title,
                published_on: r.published_on,
            })
            .collect(),
    ))
}
