//! Online surveys over the API: the public lists and reads them and answers once per voter
//! token (rate-limited); staff create them, read live results and publish the results with
//! how they were used.

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::surveys::{self, Answer, PhoneCode, SurveyBody, SurveyView};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(one))
        .routes(routes!(answer))
        .routes(routes!(code))
        .routes(routes!(staff_view))
        .routes(routes!(publish))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct OrgQuery {
    /// 单位代码（只列该单位的）.
    org: Option<String>,
}

/// 网上调查列表（进行中的在前）。
#[utoipa::path(get, path = "/surveys", tag = "surveys", params(OrgQuery),
    responses((status = 200, body = Vec<SurveyView>), E404))]
async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<OrgQuery>,
) -> Result<Json<Vec<SurveyView>>, ApiError> {
    let org = crate::app::orgs::sub_site(&state, q.org.as_deref()).await?;
    Ok(Json(surveys::public_list(&state, org.as_ref()).await?))
}

/// 发起网上调查（本单位信息编辑或公开办）。
#[utoipa::path(post, path = "/surveys", tag = "surveys",
    security(("bearer" = [])),
    request_body = SurveyBody,
    responses((status = 201, body = SurveyView), E401, E403, E422))]
async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<SurveyBody>,
) -> Result<(StatusCode, Json<SurveyView>), ApiError> {
    Ok((StatusCode::CREATED, Json(surveys::create(&state, &actor, &audit_ctx(&actor, ip), b).await?)))
}

/// 一项调查：题目；结果公布后含各题统计和图表。
#[utoipa::path(get, path = "/surveys/{id}", tag = "surveys",
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = SurveyView), E404))]
async fn one(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<SurveyView>, ApiError> {
    Ok(Json(surveys::public_one(&state, id, None).await?))
}

/// A person's answers.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct AnswerBody {
    /// 本浏览器（客户端）的随机令牌，每个令牌限答一次（须手机验证的调查不用）.
    #[serde(default)]
    pub voter: String,
    /// 须手机验证的调查：手机号码和发送到该号码的验证码（每个号码限答一次）.
    #[serde(default)]
    pub phone: String,
    #[serde(default)]
    pub code: String,
    /// 每题一项：选项序号数组（单选一个，评分为 1-5 的一个数）、文字，或 null.
    #[schema(value_type = Vec<Object>)]
    pub answers: Vec<Option<Answer>>,
}

/// 参加调查（每人限答一次，无需身份）。
#[utoipa::path(post, path = "/surveys/{id}/answers", tag = "surveys",
    params(("id" = i64, Path, description = "编号")),
    request_body = AnswerBody,
    responses((status = 201, description = "已提交"), E404, E409, E422, E429))]
async fn answer(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<AnswerBody>,
) -> Result<StatusCode, ApiError> {
    if !state.allow(crate::Limit::Post, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    if b.phone.trim().is_empty() && (b.voter.trim().len() < 16 || b.voter.len() > 200) {
        return Err(AppError::invalid("invalid_voter", "voter 须为 16 至 200 个字符的随机令牌").into());
    }
    let phone = PhoneCode { phone: b.phone, code: b.code };
    surveys::answer(&state, id, &surveys::voter_of(b.voter.trim()), &phone, b.answers).await?;
    Ok(StatusCode::CREATED)
}

/// A number to send a survey's confirmation code to.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct CodeBody {
    /// 11 位手机号码.
    pub phone: String,
}

/// Where the code went.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub(crate) struct CodeSent {
    /// 隐去中间四位的号码，如 138****5678.
    pub sent_to: String,
}

/// 获取验证码（须手机验证的调查）：验证码 10 分钟内有效，每个号码每分钟一次、每天五次。
#[utoipa::path(post, path = "/surveys/{id}/code", tag = "surveys",
    params(("id" = i64, Path, description = "编号")),
    request_body = CodeBody,
    responses((status = 202, description = "已发送", body = CodeSent), E404, E409, E422, E429))]
async fn code(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<CodeBody>,
) -> Result<(StatusCode, Json<CodeSent>), ApiError> {
    if !state.allow(crate::Limit::Post, &ip).await {
        return Err(AppError::TooManyRequests.into());
    }
    let sent_to = surveys::send_code(&state, id, &b.phone).await?;
    Ok((StatusCode::ACCEPTED, Json(CodeSent { sent_to })))
}

/// 调查详情（工作人员）：实时统计。
#[utoipa::path(get, path = "/surveys/{id}/results", tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    responses((status = 200, body = SurveyView), E401, E403, E404))]
async fn staff_view(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<SurveyView>, ApiError> {
    Ok(Json(surveys::for_staff(&state, &actor, id).await?))
}

/// How the results were used.
#[derive(Deserialize, utoipa::ToSchema)]
pub(crate) struct PublishBody {
    pub usage: String,
}

/// 公布调查结果及运用情况（调查结束后，本单位负责人）。
#[utoipa::path(post, path = "/surveys/{id}/results", tag = "surveys",
    security(("bearer" = [])),
    params(("id" = i64, Path, description = "编号")),
    request_body = PublishBody,
    responses((status = 200, body = SurveyView), E401, E403, E409, E422))]
async fn publish(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PublishBody>,
) -> Result<Json<SurveyView>, ApiError> {
    Ok(Json(surveys::publish_results(&state, &actor, &audit_ctx(&actor, ip), id, &b.usage).await?))
}
