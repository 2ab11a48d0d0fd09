//! Information requests over the API: public filing (idempotent with `Idempotency-Key`,
//! rate-limited) and status (tracking number + query code; a wrong code answers like an
//! unknown number), and for staff the workspace list, recording letters and visits, every
//! handling step (409 from a wrong state) and review/litigation records.

use super::errors::*;
use super::{ApiJson, ApiQuery};
use crate::app::requests::{
    self as requests, Filed, FilingInput, RecordBody, RemedyBody, RemedyView, StatusView, StepBody, WorkItem,
    file_online, staff_request, status_view, workspace,
};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, file))
        .routes(routes!(record))
        .routes(routes!(status))
        .routes(routes!(apply_step))
        .routes(routes!(add_remedy))
        .routes(routes!(notice))
        .routes(upload_route())
        .routes(routes!(download_file, remove_file))
        .routes(routes!(deliver))
}

/// The upload route, without the body limit (the attachment limit applies as it arrives).
fn upload_route() -> utoipa_axum::router::UtoipaMethodRouter<AppState> {
    let (schemas, paths, router) = routes!(add_file);
    (schemas, paths, router.layer(axum::extract::DefaultBodyLimit::disable()))
}

/// 随答复提供的文件（依申请办理人员）：按内容判断类型；文件中有他人身份证号等个人信息的，须带
/// confirm_privacy 字段确认后才保存；有密级标志的不能提供。申请人凭查询码在答复后下载。
#[utoipa::path(post, path = "/requests/{tracking_no}/files", tag = "requests", security(("bearer" = [])),
    params(("tracking_no" = String, Path, description = "申请编号")),
    request_body(content_type = "multipart/form-data", description = "字段 file：文件；confirm_privacy：确认个人信息已处理"),
    responses((status = 201, body = requests::FileView), E400, E401, E403, E404, E409, E422))]
async fn add_file(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    mut multipart: axum::extract::Multipart,
) -> Result<(StatusCode, Json<requests::FileView>), ApiError> {
    requests::records::check_upload(&state, &actor, &tracking_no).await?;
    let upload = crate::handlers::files::read_upload(&state, &mut multipart).await?;
    if upload.name.is_empty() && upload.bytes.is_empty() {
        return Err(AppError::BadRequest { code: "bad_upload", message: "缺少名为 file 的文件字段".into() }.into());
    }
    let f = requests::records::add_file(&state, &actor, &audit_ctx(&actor, ip), &tracking_no, upload).await?;
    Ok((StatusCode::CREATED, Json(requests::FileView { id: f.id, name: f.name, size: f.size })))
}

/// 下载随答复提供的文件（工作人员）。
#[utoipa::path(get, path = "/requests/{tracking_no}/files/{id}", tag = "requests", security(("bearer" = [])),
    params(("tracking_no" = String, Path, description = "申请编号"), ("id" = i64, Path, description = "文件编号")),
    responses((status = 200, description = "文件"), E401, E404))]
async fn download_file(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((tracking_no, id)): Path<(String, i64)>,
) -> Result<axum::response::Response, ApiError> {
    let (f, bytes) = requests::records::staff_file(&state, &actor, &tracking_no, id).await?;
    Ok(crate::handlers::files::serve_bytes(f.id, &f.name, &f.mime, bytes, "private, no-store"))
}

/// 移除随答复提供的文件（留档，不再提供）。
#[utoipa::path(delete, path = "/requests/{tracking_no}/files/{id}", tag = "requests", security(("bearer" = [])),
    params(("tracking_no" = String, Path, description = "申请编号"), ("id" = i64, Path, description = "文件编号")),
    responses((status = 204), E401, E403, E404, E409))]
async fn remove_file(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    Path((tracking_no, id)): Path<(String, i64)>,
) -> Result<StatusCode, ApiError> {
    requests::records::remove_file(&state, &actor, &audit_ctx(&actor, ip), &tracking_no, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 登记送达：方式（online、email、post、in_person、fax）、日期（答复之日至今天）、凭证（邮寄、当面须填）。
#[utoipa::path(post, path = "/requests/{tracking_no}/deliveries", tag = "requests", security(("bearer" = [])),
    params(("tracking_no" = String, Path, description = "申请编号")),
    request_body = requests::records::DeliveryBody,
    responses((status = 201, body = requests::DeliveryView), E401, E403, E404, E409, E422))]
async fn deliver(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    ApiJson(body): ApiJson<requests::records::DeliveryBody>,
) -> Result<(StatusCode, Json<requests::DeliveryView>), ApiError> {
    let d = requests::records::deliver(&state, &actor, &audit_ctx(&actor, ip), &tracking_no, body).await?;
    Ok((StatusCode::CREATED, Json(requests::DeliveryView::from(d))))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct FormatQuery {
    /// html（默认）或 docx.
    format: Option<String>,
    /// 同类文书的第几份（从 1 起）；省略为最新一份.
    seq: Option<i64>,
}

/// 生成文书：acknowledgement、clarification、consultation、extension、fee、reply（网页或 DOCX）。
#[utoipa::path(get, path = "/requests/{tracking_no}/notices/{kind}", tag = "requests",
    security(("bearer" = [])),
    params(("tracking_no" = String, Path, description = "申请编号"), ("kind" = String, Path, description = "文书种类"), FormatQuery),
    responses((status = 200, description = "文书（text/html 或 DOCX）"), E401, E404))]
async fn notice(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    Path((tracking_no, kind)): Path<(String, String)>,
    ApiQuery(q): ApiQuery<FormatQuery>,
) -> Result<axum::response::Response, ApiError> {
    let r = staff_request(&state, &actor, &tracking_no).await?;
    let kind =
        gongkai_core::notice::NoticeKind::parse(&kind).ok_or_else(|| AppError::NotFound(format!("文书「{kind}」")))?;
    let n = requests::notices::issued(&state, &r, kind, q.seq).await?;
    Ok(requests::notices::respond(&n, kind, &r.tracking_no, q.format.as_deref() == Some("docx"))?)
}

/// 提交政府信息公开申请（公众，无需账号）。
#[utoipa::path(post, path = "/requests", tag = "requests", request_body = FilingInput,
    params(("Idempotency-Key" = Option<String>, Header, description = "重复提交同一键不会产生第二件申请")),
    responses((status = 201, body = Filed), (status = 200, description = "同一 Idempotency-Key 已提交过", body = Filed), E422, E429))]
async fn file(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(input): ApiJson<FilingInput>,
) -> Result<(StatusCode, Json<Filed>), ApiError> {
    let key = super::public_filing(&state, &ip, &headers).await?;
    let (r, created) = file_online(&state, input, key).await?;
    let status = if created { StatusCode::CREATED } else { StatusCode::OK };
    Ok((status, Json(requests::filed(&state, r).await?)))
}

/// 登记以信函、传真、电子邮件或当面提交的申请（依申请办理人员）。
#[utoipa::path(post, path = "/requests/record", tag = "requests",
    security(("bearer" = [])),
    request_body = RecordBody,
    responses((status = 201, body = Filed), E401, E403, E422))]
async fn record(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(body): ApiJson<RecordBody>,
) -> Result<(StatusCode, Json<Filed>), ApiError> {
    let ctx = audit_ctx(&actor, ip);
    Ok((StatusCode::CREATED, Json(requests::record(&state, &actor, &ctx, body).await?)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CodeQuery {
    /// 查询码（公众必填）.
    code: Option<String>,
}

/// 查询申请办理情况：公众凭申请编号和查询码；工作人员凭令牌。
#[utoipa::path(get, path = "/requests/{tracking_no}", tag = "requests",
    params(("tracking_no" = String, Path, description = "申请编号"), CodeQuery),
    responses((status = 200, body = StatusView), (status = 404, description = "编号或查询码不正确", body = super::ErrorBody), E429))]
async fn status(
    State(state): State<AppState>,
    actor: Option<ApiActor>,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    ApiQuery(q): ApiQuery<CodeQuery>,
) -> Result<Json<StatusView>, ApiError> {
    if let Some(ApiActor(actor)) = actor {
        let r = staff_request(&state, &actor, &tracking_no).await?;
        return Ok(Json(status_view(&state, &r, Some((&actor, &audit_ctx(&actor, ip.clone())))).await?));
    }
    if !state.allow(crate::Limit::Status, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    Ok(Json(requests::for_applicant(&state, &tracking_no, q.code.as_deref().unwrap_or("")).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// 机关代码（默认本单位，含下级）.
    org: Option<String>,
    /// 只列未办结的（默认 true）.
    open: Option<bool>,
}

/// 工作台：申请列表（按收到日期），含答复期限、剩余工作日和提示。
#[utoipa::path(get, path = "/requests", tag = "requests",
    security(("bearer" = [])),
    params(ListQuery),
    responses((status = 200, body = Vec<WorkItem>), E401, E403))]
async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<WorkItem>>, ApiError> {
    Ok(Json(workspace(&state, &actor, q.org.as_deref(), q.open.unwrap_or(true)).await?))
}

/// 办理步骤：accept、clarify、clarified、clarification-lapsed、consult、consulted、extend（审批人）、fee、fee-paid、fee-lapsed、reply（不予公开、部分公开等须审批：进入待审批）、sign、return（审批人签批或退回）、close、transfer、withdraw。
#[utoipa::path(post, path = "/requests/{tracking_no}/{step}", tag = "requests", security(("bearer" = [])),
    params(("tracking_no" = String, Path, description = "申请编号"), ("step" = String, Path, description = "步骤")),
    request_body(content = StepBody, description = "可省略"),
    responses((status = 200, body = StatusView), E401, E403, E404, E409, E422))]
async fn apply_step(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    Path((tracking_no, step_name)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Result<Json<StatusView>, ApiError> {
    let b: StepBody = super::items::optional_json(&body)?;
    let ctx = audit_ctx(&actor, ip);
    Ok(Json(requests::apply_step(&state, &actor, &ctx, &tracking_no, &step_name, b).await?))
}

/// 登记行政复议或行政诉讼。
#[utoipa::path(post, path = "/requests/{tracking_no}/remedies", tag = "requests",
    security(("bearer" = [])),
    params(("tracking_no" = String, Path, description = "申请编号")),
    request_body = RemedyBody,
    responses((status = 201, body = RemedyView), E401, E404, E422))]
async fn add_remedy(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    Path(tracking_no): Path<String>,
    ApiJson(b): ApiJson<RemedyBody>,
) -> Result<(StatusCode, Json<RemedyView>), ApiError> {
    let ctx = audit_ctx(&actor, ip);
    Ok((StatusCode::CREATED, Json(requests::add_remedy(&state, &actor, &ctx, &tracking_no, b).await?)))
}
