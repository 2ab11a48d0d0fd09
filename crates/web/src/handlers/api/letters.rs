//! Mailboxes and letters over the API: the public mailboxes, filing a letter (idempotent with
//! `Idempotency-Key`, rate-limited), the writer's status and rating (tracking number + query
//! code), public letters, figures and the FAQ; for staff the workspace, a letter with its
//! allowed steps, every step (409 from a wrong state), mailbox settings and FAQ promotion.

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::letters::{
    self, FaqEntry, LetterFiled, LetterForm, LetterStep, LetterView, Mailbox, MailboxInput, MailboxKind, MailboxStats,
    MailboxView, PublicLetter, PublicLetters, Satisfaction, Similar, WorkspaceLetter,
};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_mailboxes))
        .routes(routes!(create_mailbox))
        .routes(routes!(update_mailbox))
        .routes(routes!(file, workspace))
        .routes(routes!(status))
        .routes(routes!(rate))
        .routes(routes!(public_list))
        .routes(routes!(public_one))
        .routes(routes!(statistics))
        .routes(routes!(similar))
        .routes(routes!(faq))
        .routes(routes!(staff_letter))
        .routes(routes!(apply_step))
        .routes(routes!(promote))
}

/// 各单位开设的信箱（公众）。
#[utoipa::path(get, path = "/mailboxes", tag = "letters",
    responses((status = 200, body = Vec<MailboxView>)))]
async fn list_mailboxes(State(state): State<AppState>) -> Result<Json<Vec<MailboxView>>, ApiError> {
    Ok(Json(letters::mailboxes(&state).await?))
}

/// A mailbox's settings.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct MailboxBody {
    /// leader（领导信箱）、consult（咨询）、complaint（投诉）、suggestion（建议）.
    #[schema(value_type = String)]
    pub kind: MailboxKind,
    pub name: String,
    /// 答复期限（工作日）；缺省按类型：咨询 5、建议 10、投诉 15、领导信箱 10.
    pub reply_days: Option<u32>,
    /// 答复是否默认公开（来信人同意公开时）.
    #[serde(default = "yes")]
    pub public_default: bool,
    #[serde(default)]
    pub intro: String,
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

impl From<MailboxBody> for MailboxInput {
    fn from(b: MailboxBody) -> Self {
        MailboxInput {
            kind: b.kind,
            reply_days: b.reply_days.unwrap_or(b.kind.default_days()),
            name: b.name,
            public_default: b.public_default,
            intro: b.intro,
            active: b.active,
        }
    }
}

/// 开设信箱（本单位或下级单位的系统管理员）。
#[utoipa::path(post, path = "/orgs/{code}/mailboxes", tag = "letters",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "单位代码")),
    request_body = MailboxBody,
    responses((status = 201, description = "信箱"), E401, E403, E409, E422))]
async fn create_mailbox(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(code): ApiPath<String>,
    ApiJson(b): ApiJson<MailboxBody>,
) -> Result<(StatusCode, Json<Mailbox>), ApiError> {
    let m = letters::create_mailbox(&state, &actor, &audit_ctx(&actor, ip), &code, b.into()).await?;
    Ok((StatusCode::CREATED, Json(m)))
}

/// 修改信箱设置（新的答复期限适用于此后收到的来信）。
#[utoipa::path(put, path = "/mailboxes/{id}", tag = "letters",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "信箱编号")),
    request_body = MailboxBody,
    responses((status = 200, description = "信箱"), E401, E403, E404, E422))]
async fn update_mailbox(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<MailboxBody>,
) -> Result<Json<Mailbox>, ApiError> {
    Ok(Json(letters::update_mailbox(&state, &actor, &audit_ctx(&actor, ip), id, b.into()).await?))
}

/// A letter over the API: the form's fields and its attachments.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct LetterBody {
    #[serde(flatten)]
    pub form: LetterForm,
    /// 附件（图片或 PDF，最多 3 个）.
    #[serde(default)]
    pub attachments: Vec<AttachmentBody>,
}

/// An attachment as base64.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct AttachmentBody {
    pub name: String,
    pub base64: String,
}

/// 写信（公众，无需账号；须实名并留联系方式）。
#[utoipa::path(post, path = "/letters", tag = "letters", request_body = LetterBody,
    params(("Idempotency-Key" = Option<String>, Header, description = "重复提交同一键不会产生第二件来信")),
    responses((status = 201, body = LetterFiled), (status = 200, description = "同一 Idempotency-Key 已提交过", body = LetterFiled), E422, E429))]
async fn file(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LetterBody>,
) -> Result<(StatusCode, Json<LetterFiled>), ApiError> {
    let key = super::public_filing(&state, &ip, &headers).await?;
    let mut uploads = Vec::new();
    for a in body.attachments {
        use base64::Engine;
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(a.base64.trim())
            .map_err(|_| AppError::invalid("invalid_base64", format!("附件「{}」不是有效的 base64", a.name)))?;
        uploads.push(letters::LetterUpload { name: a.name, bytes });
    }
    let (filed, created) = letters::file(&state, body.form, key, uploads).await?;
    Ok((if created { StatusCode::CREATED } else { StatusCode::OK }, Json(filed)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct OpenQuery {
    /// 仅办理中的来信.
    open: Option<bool>,
}

/// 来信工作台：本单位办理的来信；公开办可见本单位及下级单位全部来信。
#[utoipa::path(get, path = "/letters", tag = "letters",
    security(("bearer" = [])),
    params(OpenQuery),
    responses((status = 200, body = Vec<WorkspaceLetter>), E401))]
async fn workspace(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<OpenQuery>,
) -> Result<Json<Vec<WorkspaceLetter>>, ApiError> {
    Ok(Json(letters::workspace(&state, &actor, q.open.unwrap_or(false)).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CodeQuery {
    /// 查询码.
    code: String,
}

/// 来信人查询办理进度和答复（来信编号 + 查询码；查询码错误与编号不存在的回答相同）。
#[utoipa::path(get, path = "/letters/{tracking_no}/status", tag = "letters",
    params(("tracking_no" = String, Path, description = "来信编号"), CodeQuery),
    responses((status = 200, body = LetterView), E404, E429))]
async fn status(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(tracking_no): ApiPath<String>,
    ApiQuery(q): ApiQuery<CodeQuery>,
) -> Result<Json<LetterView>, ApiError> {
    if !state.allow(crate::Limit::Status, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    Ok(Json(letters::for_writer(&state, &tracking_no, &q.code).await?))
}

/// The writer's rating.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct RateBody {
    pub code: String,
    /// satisfied（满意）、basic（基本满意）、dissatisfied（不满意）.
    #[schema(value_type = String)]
    pub rating: Satisfaction,
    #[serde(default)]
    pub note: String,
}

/// 来信人评价答复（每件一次）。
#[utoipa::path(post, path = "/letters/{tracking_no}/rating", tag = "letters",
    params(("tracking_no" = String, Path, description = "来信编号")),
    request_body = RateBody,
    responses((status = 200, body = LetterView), E404, E409, E429))]
async fn rate(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(tracking_no): ApiPath<String>,
    ApiJson(b): ApiJson<RateBody>,
) -> Result<Json<LetterView>, ApiError> {
    if !state.allow(crate::Limit::Status, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    Ok(Json(letters::rate(&state, &tracking_no, &b.code, b.rating, &b.note).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PublicQuery {
    /// 单位代码（信箱所属单位）.
    org: Option<String>,
    page: Option<i64>,
}

/// 已公开的来信及答复（姓名和个人信息已隐去）。
#[utoipa::path(get, path = "/letters/public", tag = "letters",
    params(PublicQuery),
    responses((status = 200, body = PublicLetters), E404))]
async fn public_list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<PublicQuery>,
) -> Result<Json<PublicLetters>, ApiError> {
    Ok(Json(letters::public_letters(&state, q.org.as_deref(), q.page.unwrap_or(1)).await?))
}

/// 一件已公开的来信及答复。
#[utoipa::path(get, path = "/letters/public/{id}", tag = "letters",
    params(("id" = i64, Path, description = "来信编号（数字）")),
    responses((status = 200, body = PublicLetter), E404))]
async fn public_one(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<PublicLetter>, ApiError> {
    Ok(Json(letters::public_letter_by_id(&state, id).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct YearQuery {
    /// 年度（缺省为今年）.
    year: Option<i32>,
}

/// 各信箱来信统计：收信、答复、按期答复、平均答复工作日，按月和全年。
#[utoipa::path(get, path = "/letters/statistics", tag = "letters",
    params(YearQuery),
    responses((status = 200, body = Vec<MailboxStats>), E422))]
async fn statistics(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<MailboxStats>>, ApiError> {
    let year = q.year.unwrap_or_else(|| chrono::Datelike::year(&state.today()));
    Ok(Json(letters::statistics(&state, year).await?))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct SimilarQuery {
    /// 正在填写的标题或内容.
    q: String,
}

/// 相似的已答复问题（写信前参考）。
#[utoipa::path(get, path = "/letters/similar", tag = "letters",
    params(SimilarQuery),
    responses((status = 200, body = Vec<Similar>)))]
async fn similar(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SimilarQuery>,
) -> Result<Json<Vec<Similar>>, ApiError> {
    Ok(Json(letters::similar(&state, &q.q).await?))
}

/// 咨询问答知识库，按主题。
#[utoipa::path(get, path = "/faq", tag = "letters",
    responses((status = 200, description = "[[主题, [条目]]]")))]
async fn faq(State(state): State<AppState>) -> Result<Json<Vec<(String, Vec<FaqEntry>)>>, ApiError> {
    Ok(Json(letters::faq(&state).await?))
}

/// 来信详情（工作人员）：来信人信息、办理记录、当前可办理的步骤。
#[utoipa::path(get, path = "/letters/{id}", tag = "letters",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "来信编号（数字）")),
    responses((status = 200, body = LetterView), E401, E403, E404))]
async fn staff_letter(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<LetterView>, ApiError> {
    Ok(Json(letters::for_staff(&state, &actor, id).await?))
}

/// 办理来信：`{"step": "assign", "org_id": 2}`、`transfer`（org_id, reason）、`close_invalid`
/// （ground, reason）、`hand_off`（route, reason）、`draft_reply`（text, public）、`approve_reply`、
/// `return_reply`（reason）、`extend`（days, reason）。
#[utoipa::path(post, path = "/letters/{id}/steps", tag = "letters",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "来信编号（数字）")),
    request_body(content = Object, description = "办理步骤"),
    responses((status = 200, body = LetterView), E401, E403, E404, E409, E422))]
async fn apply_step(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(step): ApiJson<LetterStep>,
) -> Result<Json<LetterView>, ApiError> {
    Ok(Json(letters::step(&state, &actor, &audit_ctx(&actor, ip), id, step).await?))
}

/// A FAQ entry from a letter.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct FaqBody {
    pub topic: String,
    pub question: String,
    pub answer: String,
}

/// 将已答复来信选入咨询问答知识库（个人信息自动隐去）。
#[utoipa::path(post, path = "/letters/{id}/faq", tag = "letters",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "来信编号（数字）")),
    request_body = FaqBody,
    responses((status = 201, description = "知识库条目"), E401, E403, E409, E422))]
async fn promote(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<FaqBody>,
) -> Result<(StatusCode, Json<FaqEntry>), ApiError> {
    let e = letters::promote_faq(&state, &actor, &audit_ctx(&actor, ip), id, &b.topic, &b.question, &b.answer).await?;
    Ok((StatusCode::CREATED, Json(e)))
}
