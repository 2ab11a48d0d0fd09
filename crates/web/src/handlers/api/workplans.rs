//! Work plans over the API: import a task table (CSV, XLSX as base64, or a document's text),
//! read a plan with its tasks and completion per org, report progress, send a reminder.

use super::errors::*;
use super::{ApiJson, ApiPath};
use crate::app::workplans::{self, Table};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use base64::Engine;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(import)).routes(routes!(read)).routes(routes!(report)).routes(routes!(remind))
}

/// A task table to import: exactly one of `csv`, `xlsx_base64`, `text`.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct ImportBody {
    /// 年度.
    pub year: i32,
    /// 计划名称.
    pub title: String,
    /// CSV（表头：目标、序号、任务、具体要求、责任单位、完成时限）.
    #[serde(default)]
    pub csv: Option<String>,
    /// XLSX 文件（base64），读取第一个工作表.
    #[serde(default)]
    pub xlsx_base64: Option<String>,
    /// 含任务分工表的文件正文（尽力识别）.
    #[serde(default)]
    pub text: Option<String>,
}

/// Reads the table of an import body.
/// 导入任务分工表，按“责任单位”分派到本单位所属各单位。
#[utoipa::path(post, path = "/orgs/{code}/workplans", tag = "workplans",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "牵头（督办）单位代码")),
    request_body = ImportBody,
    responses((status = 201, description = "{ plan_id, tasks, assignments, unmatched }"), E403, E422))]
async fn import(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<ImportBody>,
) -> Result<(StatusCode, Json<workplans::PlanImport>), ApiError> {
    let org = crate::app::orgs::by_code(&state, &code).await?;
    let bytes;
    let table = match (&b.csv, &b.xlsx_base64, &b.text) {
        (Some(csv), None, None) => Table::Csv(csv),
        (None, Some(x), None) => {
            bytes = base64::engine::general_purpose::STANDARD
                .decode(x.trim())
                .map_err(|_| AppError::invalid("invalid_base64", "xlsx_base64 不是有效的 base64"))?;
            Table::Xlsx(&bytes)
        }
        (None, None, Some(text)) => Table::Text(text),
        _ => return Err(AppError::invalid("one_source", "csv、xlsx_base64、text 须且只能提供一项").into()),
    };
    let done = workplans::import(&state, &actor, &audit_ctx(&actor, ip), &org, b.year, &b.title, table).await?;
    Ok((StatusCode::CREATED, Json(done)))
}

/// 读取计划：督办单位看到全部任务和各单位完成情况；被分派单位只看到本单位的任务。
#[utoipa::path(get, path = "/workplans/{id}", tag = "workplans",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "计划编号")),
    responses((status = 200, description = "{ plan, tasks, progress }"), E404))]
async fn read(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<serde_json::Value>, ApiError> {
    let v = workplans::plan(&state, &actor, id).await?;
    if v.supervising {
        return Ok(Json(serde_json::json!({ "plan": v.plan, "tasks": v.tasks, "progress": v.progress })));
    }
    Ok(Json(serde_json::json!({ "plan": v.plan, "tasks": v.tasks })))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct ReportBody {
    /// 进展情况.
    body: String,
    /// 佐证材料链接.
    #[serde(default)]
    evidence: Vec<String>,
    /// 本单位承担部分已完成.
    #[serde(default)]
    done: bool,
}

/// 被分派单位报送任务进展（附佐证材料链接），可标记完成。
#[utoipa::path(post, path = "/workplans/tasks/{id}/reports", tag = "workplans",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "任务编号")),
    request_body = ReportBody,
    responses((status = 201, description = "报送记录"), E403, E422))]
async fn report(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ReportBody>,
) -> Result<(StatusCode, Json<workplans::Report>), ApiError> {
    let r = workplans::report(&state, &actor, &audit_ctx(&actor, ip), id, &b.body, &b.evidence, b.done).await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[derive(Deserialize, utoipa::ToSchema)]
struct RemindBody {
    /// 被督办单位代码.
    org: String,
    /// 督办说明.
    #[serde(default)]
    note: String,
}

/// 督办：提醒被分派单位办理（已完成的不能督办）。
#[utoipa::path(post, path = "/workplans/tasks/{id}/reminders", tag = "workplans",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "任务编号")),
    request_body = RemindBody,
    responses((status = 204), E403, E409))]
async fn remind(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RemindBody>,
) -> Result<StatusCode, ApiError> {
    workplans::remind(&state, &actor, &audit_ctx(&actor, ip), id, &b.org, &b.note).await?;
    Ok(StatusCode::NO_CONTENT)
}
