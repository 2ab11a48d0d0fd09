//! Interpretation and responding over the API: public interpretations by form; an item's
//! interpretation side and a policy's need for one (its editors); coverage (the office);
//! the concern log and its steps (staff) and the published responses (public); press
//! conferences and interviews with their records, and questions to an interview
//! (rate-limited, like letters).

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::concerns::{self, ConcernView, EventView, LogBody, ResponseList};
use crate::app::interpretations::{self, CoverageRow, InterpBody, InterpList, NeedBody};
use crate::app::letters::{self, LetterFiled, LetterForm};
use crate::app::press::{self, PlanBody, PlanView, PressView, ProgressRow, QuestionView, RecordBody, ScheduleBody};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(interpretation_list))
        .routes(routes!(coverage))
        .routes(routes!(save_interpretation))
        .routes(routes!(set_need))
        .routes(routes!(concern_list, log_concern))
        .routes(routes!(concern_one))
        .routes(routes!(concern_step))
        .routes(routes!(responses))
        .routes(routes!(press_list, schedule))
        .routes(routes!(press_one))
        .routes(routes!(record))
        .routes(routes!(add_photo))
        .routes(routes!(remove_photo))
        .routes(routes!(interview_list))
        .routes(routes!(plan_list))
        .routes(routes!(save_plan))
        .routes(routes!(interview_one))
        .routes(routes!(ask))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct ListQuery {
    /// 单位代码（子站）.
    org: Option<String>,
    /// 解读形式代码.
    form: Option<String>,
    /// 页码，从 1 开始.
    page: Option<i64>,
}

/// 政策解读列表（可按单位、解读形式筛选）。
#[utoipa::path(get, path = "/interpretations", tag = "interpretations",
    params(ListQuery),
    responses((status = 200, body = InterpList), E404))]
async fn interpretation_list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<InterpList>, ApiError> {
    let org = q.org.as_deref().filter(|c| !c.trim().is_empty());
    let form = q.form.as_deref().filter(|c| !c.trim().is_empty());
    Ok(Json(interpretations::public_list(&state, org, form, q.page.unwrap_or(1)).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CoverageQuery {
    /// 年度（默认今年）.
    year: Option<i32>,
    /// 页码（从 1 开始，每页 200 件，按发布日期从新到旧）.
    page: Option<u32>,
}

/// 政策解读覆盖率和及时率：某年发布的须解读政策文件及其解读情况（公开办）：本单位（监督
/// 者为本单位及下级单位）发布或负责解读的文件，每页 200 件；响应头 `Link: rel="next"`
/// 指向下一页。
#[utoipa::path(get, path = "/interpretations/coverage", tag = "interpretations",
    security(("bearer" = [])),
    params(CoverageQuery),
    responses((status = 200, body = Vec<CoverageRow>,
        headers(("Link" = String, description = "下一页的地址（rel=\"next\"），最后一页没有"))), E401, E403))]
async fn coverage(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<CoverageQuery>,
) -> Result<(HeaderMap, Json<Vec<CoverageRow>>), ApiError> {
    let year = q.year.unwrap_or_else(|| press::this_year(&state));
    let page = q.page.unwrap_or(1).max(1);
    let scope = gongkai_store::CoverageScope {
        org: &actor.org_path,
        tree: actor.is_overseer(),
        answered_only: false,
        responsible: None,
        page,
    };
    let (rows, more) = interpretations::coverage(&state, year, scope).await?;
    let mut headers = HeaderMap::new();
    if more {
        let next = format!("</api/v1/interpretations/coverage?year={year}&page={}>; rel=\"next\"", page + 1);
        if let Ok(v) = axum::http::HeaderValue::from_str(&next) {
            headers.insert(axum::http::header::LINK, v);
        }
    }
    Ok((headers, Json(rows)))
}

/// 设置信息作为政策解读：解读的政策文件、解读形式、解读要素（本单位信息编辑）。
#[utoipa::path(put, path = "/items/{id}/interpretation", tag = "interpretations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    request_body = InterpBody,
    responses((status = 204, description = "已保存"), E401, E403, E404, E422))]
async fn save_interpretation(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<InterpBody>,
) -> Result<StatusCode, ApiError> {
    interpretations::save(&state, &actor, &audit_ctx(&actor, ip), id, b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 设置政策文件是否须同步解读及负责解读的起草单位（本单位信息编辑）。
#[utoipa::path(put, path = "/items/{id}/interpretation-need", tag = "interpretations",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    request_body = NeedBody,
    responses((status = 204, description = "已保存"), E401, E403, E404, E422))]
async fn set_need(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<NeedBody>,
) -> Result<StatusCode, ApiError> {
    interpretations::set_need(&state, &actor, &audit_ctx(&actor, ip), id, b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 舆情台账：本单位（公开办：本单位及下级单位）的舆情，最紧迫的在前。
#[utoipa::path(get, path = "/concerns", tag = "concerns",
    security(("bearer" = [])),
    params(concerns::Filter),
    responses((status = 200, body = Vec<ConcernView>), E401))]
async fn concern_list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<concerns::Filter>,
) -> Result<Json<Vec<ConcernView>>, ApiError> {
    Ok(Json(concerns::workspace(&state, &actor, &q).await?))
}

/// 登记舆情（来源、首次发现时间、主题、级别；责任单位按属地、主管、牵头规则确定）。
#[utoipa::path(post, path = "/concerns", tag = "concerns",
    security(("bearer" = [])),
    request_body = LogBody,
    responses((status = 201, body = ConcernView), E401, E403, E422))]
async fn log_concern(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<LogBody>,
) -> Result<(StatusCode, Json<ConcernView>), ApiError> {
    Ok((StatusCode::CREATED, Json(concerns::log(&state, &actor, &audit_ctx(&actor, ip), b).await?)))
}

/// A concern with its timeline.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct ConcernDetail {
    concern: ConcernView,
    events: Vec<EventView>,
}

/// 一条舆情及其处置记录。
#[utoipa::path(get, path = "/concerns/{id}", tag = "concerns",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = ConcernDetail), E401, E403, E404))]
async fn concern_one(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ConcernDetail>, ApiError> {
    let (concern, events, _, _) = concerns::one(&state, &actor, id).await?;
    Ok(Json(ConcernDetail { concern, events }))
}

/// 舆情处置：`{"step": "consult"|"assess"|"respond"|"evaluate"|"reassign"|"instruction"|"instruction_done"|"police", ...}`。
#[utoipa::path(post, path = "/concerns/{id}/steps", tag = "concerns",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    request_body(content = Object, description = "处置操作"),
    responses((status = 200, body = ConcernView), E401, E403, E404, E409, E422))]
async fn concern_step(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(step): ApiJson<gongkai_core::concern::ConcernStep>,
) -> Result<Json<ConcernView>, ApiError> {
    Ok(Json(concerns::step(&state, &actor, &audit_ctx(&actor, ip), id, step).await?))
}

/// 回应关切：已发布的回应（公开）。
#[utoipa::path(get, path = "/responses", tag = "concerns",
    params(ListQuery),
    responses((status = 200, body = ResponseList), E404))]
async fn responses(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<ResponseList>, ApiError> {
    let org = q.org.as_deref().filter(|c| !c.trim().is_empty());
    Ok(Json(concerns::public_responses(&state, org, q.page.unwrap_or(1)).await?))
}

/// Press events with each org's progress.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct PressIndex {
    events: Vec<PressView>,
    year: i32,
    progress: Vec<ProgressRow>,
}

/// 新闻发布会和政策吹风会（预告和实录），及各单位本年度完成情况。
#[utoipa::path(get, path = "/press-conferences", tag = "press",
    params(ListQuery),
    responses((status = 200, body = PressIndex), E404))]
async fn press_list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<PressIndex>, ApiError> {
    let org = q.org.as_deref().filter(|c| !c.trim().is_empty());
    let year = press::this_year(&state);
    let within = match org {
        Some(c) => Some(crate::app::orgs::by_code(&state, c).await?.path),
        None => None,
    };
    Ok(Json(PressIndex {
        events: press::public_list(&state, org, false).await?,
        year,
        progress: press::progress(&state, year, within.as_ref()).await?,
    }))
}

/// 安排新闻发布会、政策吹风会或在线访谈（本单位公开办或信息编辑）。
#[utoipa::path(post, path = "/press-conferences", tag = "press",
    security(("bearer" = [])),
    request_body = ScheduleBody,
    responses((status = 201, body = PressView), E401, E403, E422))]
async fn schedule(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<ScheduleBody>,
) -> Result<(StatusCode, Json<PressView>), ApiError> {
    Ok((StatusCode::CREATED, Json(press::schedule(&state, &actor, &audit_ctx(&actor, ip), b).await?)))
}

/// 一场新闻发布会或吹风会。
#[utoipa::path(get, path = "/press-conferences/{id}", tag = "press",
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = PressView), E404))]
async fn press_one(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<PressView>, ApiError> {
    let e = press::public_one(&state, id).await?;
    if e.kind == "interview" {
        return Err(AppError::NotFound("未找到该发布会".into()).into());
    }
    Ok(Json(e))
}

/// 发布实录：发布人（标明主要负责同志）、文字实录、视频、相关政策和解读。
#[utoipa::path(post, path = "/press-conferences/{id}/record", tag = "press",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    request_body = RecordBody,
    responses((status = 200, body = PressView), E401, E403, E404, E409, E422))]
async fn record(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<RecordBody>,
) -> Result<Json<PressView>, ApiError> {
    Ok(Json(press::publish_record(&state, &actor, &audit_ctx(&actor, ip), id, b).await?))
}

/// 在线访谈（预告和实录）。
#[utoipa::path(get, path = "/interviews", tag = "press",
    params(ListQuery),
    responses((status = 200, body = Vec<PressView>), E404))]
async fn interview_list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<Json<Vec<PressView>>, ApiError> {
    let org = q.org.as_deref().filter(|c| !c.trim().is_empty());
    Ok(Json(press::public_list(&state, org, true).await?))
}

/// An interview with its answered questions.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct InterviewDetail {
    interview: PressView,
    questions: Vec<QuestionView>,
}

/// 一场在线访谈及已答复的网友提问（隐去个人信息）。
#[utoipa::path(get, path = "/interviews/{id}", tag = "press",
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = InterviewDetail), E404))]
async fn interview_one(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<InterviewDetail>, ApiError> {
    let interview = press::public_one(&state, id).await?;
    if interview.kind != "interview" {
        return Err(AppError::NotFound("未找到该访谈".into()).into());
    }
    Ok(Json(InterviewDetail { questions: press::questions(&state, id, false).await?, interview }))
}

/// 向在线访谈提问（无需登录；可带 `Idempotency-Key`；限频）。
#[utoipa::path(post, path = "/interviews/{id}/questions", tag = "press",
    params(("id" = i64, Path, description = "编号")),
    request_body = LetterForm,
    responses((status = 201, body = LetterFiled), (status = 200, body = LetterFiled, description = "同一 Idempotency-Key 已提交过"), E404, E409, E422, E429))]
async fn ask(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiPath(id): ApiPath<i64>,
    ApiJson(form): ApiJson<LetterForm>,
) -> Result<(StatusCode, Json<LetterFiled>), ApiError> {
    let key = super::public_filing(&state, &ip, &headers).await?;
    let mailbox = press::question_mailbox(&state, id).await?;
    let (filed, created) =
        letters::file(&state, LetterForm { mailbox, interview: Some(id), ..form }, key, Vec::new()).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(filed)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PlanQuery {
    /// 年度（缺省为今年）.
    year: Option<i32>,
    /// 单位代码（只列该单位的计划）.
    org: Option<String>,
}

/// 年度在线访谈计划及执行情况（每行：已举办、待举办或未按计划举办）。
#[utoipa::path(get, path = "/interviews/plans", tag = "press",
    params(PlanQuery),
    responses((status = 200, body = Vec<PlanView>), E404))]
async fn plan_list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PlanQuery>,
) -> Result<Json<Vec<PlanView>>, ApiError> {
    let org = crate::app::orgs::sub_site(&state, q.org.as_deref()).await?;
    let year = q.year.unwrap_or_else(|| press::this_year(&state));
    Ok(Json(press::plans(&state, year, org.map(|o| o.id)).await?))
}

/// 编制本单位的年度在线访谈计划（整体替换；本单位信息编辑或公开办）。
#[utoipa::path(put, path = "/interviews/plans/{year}", tag = "press",
    security(("bearer" = [])),
    params(("year" = i32, Path, description = "年度")),
    request_body = PlanBody,
    responses((status = 204, description = "已保存"), E401, E403, E422))]
async fn save_plan(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(year): ApiPath<i32>,
    ApiJson(b): ApiJson<PlanBody>,
) -> Result<StatusCode, ApiError> {
    press::save_plan(&state, &actor, &audit_ctx(&actor, ip), year, b).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// 上传活动图片（已举行的活动；本单位公开办或信息编辑）：字段 file（JPEG、PNG 或 WebP）和 caption（图片说明，必填）。
#[utoipa::path(post, path = "/press-conferences/{id}/photos", tag = "press",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    request_body(content_type = "multipart/form-data", description = "字段 file：图片；字段 caption：图片说明"),
    responses((status = 201, body = PressView), E400, E401, E403, E404, E409, E422))]
async fn add_photo(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    mut form: axum::extract::Multipart,
) -> Result<(StatusCode, Json<PressView>), ApiError> {
    press::may_add_photo(&state, &actor, id, None).await?;
    let bad =
        |e: axum::extract::multipart::MultipartError| AppError::BadRequest { code: "bad_form", message: e.body_text() };
    let (mut caption, mut bytes) = (String::new(), Vec::new());
    while let Some(field) = form.next_field().await.map_err(bad)? {
        match field.name().unwrap_or("") {
            "file" => bytes = field.bytes().await.map_err(bad)?.to_vec(),
            "caption" => caption = field.text().await.map_err(bad)?,
            _ => {}
        }
    }
    press::add_photo(&state, &actor, &audit_ctx(&actor, ip), id, &caption, bytes).await?;
    Ok((StatusCode::CREATED, Json(press::public_one(&state, id).await?)))
}

/// 删除活动图片。
#[utoipa::path(delete, path = "/press-conferences/{id}/photos/{photo}", tag = "press",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号"), ("photo" = i64, Path, description = "图片编号")),
    responses((status = 204, description = "已删除"), E401, E403, E404))]
async fn remove_photo(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath((id, photo)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    press::remove_photo(&state, &actor, &audit_ctx(&actor, ip), id, photo).await?;
    Ok(StatusCode::NO_CONTENT)
}
