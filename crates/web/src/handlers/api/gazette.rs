//! The gazette over the API: published issues by year and an issue's contents; the office
//! opens issues, adds articles and publishes; departments submit their 规范性文件.

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::gazette::{self, CreateBody, IssuePage, IssueView};
use crate::auth::{ApiActor, ClientIp, audit_ctx};
use crate::{ApiError, AppState};
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
        .routes(routes!(add_article))
        .routes(routes!(publish))
        .routes(routes!(submit))
}

#[derive(Deserialize, utoipa::IntoParams)]
struct YearQuery {
    /// 年度（缺省最近有公报的年度）.
    year: Option<i32>,
}

/// 某年已出版的各期公报。
#[utoipa::path(get, path = "/gazette", tag = "gazette", params(YearQuery),
    responses((status = 200, body = Vec<IssueView>)))]
async fn list(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<IssueView>>, ApiError> {
    Ok(Json(gazette::public_year(&state, q.year).await?.2))
}

/// 编辑新一期公报（本级政务公开办；期号按年度和总期数自动编排）。
#[utoipa::path(post, path = "/gazette", tag = "gazette", security(("bearer" = [])),
    request_body = CreateBody, responses((status = 201, body = IssueView), E401, E403))]
async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<CreateBody>,
) -> Result<(StatusCode, Json<IssueView>), ApiError> {
    Ok((StatusCode::CREATED, Json(gazette::create(&state, &actor, &audit_ctx(&actor, ip), b.year, &b.title).await?)))
}

/// 一期公报及其目录（按栏目）。
#[utoipa::path(get, path = "/gazette/{id}", tag = "gazette",
    params(("id" = i64, Path, description = "公报编号")), responses((status = 200, body = IssuePage), E404))]
async fn one(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<IssuePage>, ApiError> {
    Ok(Json(gazette::public_issue(&state, id).await?))
}

/// An article to add.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct ArticleBody {
    /// 已公开信息的编号.
    item_id: i64,
    /// rule、government、department、appointment、other.
    section: String,
}

/// 选登文章（编辑中的一期；已报送的文件同时标记为已选登）。
#[utoipa::path(post, path = "/gazette/{id}/articles", tag = "gazette", security(("bearer" = [])),
    params(("id" = i64, Path, description = "公报编号")), request_body = ArticleBody,
    responses((status = 204), E401, E403, E404, E409, E422))]
async fn add_article(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<ArticleBody>,
) -> Result<StatusCode, ApiError> {
    gazette::add_article(&state, &actor, &audit_ctx(&actor, ip), id, b.item_id, &b.section).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Publication.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
struct PublishBody {
    /// 本期 PDF 地址.
    #[serde(default)]
    pdf_url: String,
}

/// 出版（至少一篇文章）。
#[utoipa::path(post, path = "/gazette/{id}/publish", tag = "gazette", security(("bearer" = [])),
    params(("id" = i64, Path, description = "公报编号")), request_body = PublishBody,
    responses((status = 200, body = IssueView), E401, E403, E404, E409, E422))]
async fn publish(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<PublishBody>,
) -> Result<Json<IssueView>, ApiError> {
    Ok(Json(gazette::publish(&state, &actor, &audit_ctx(&actor, ip), id, &b.pdf_url).await?))
}

/// 报送公报：本单位已公开的规章或行政规范性文件（公开之日起 5 个工作日内）。
#[utoipa::path(post, path = "/items/{id}/gazette-submission", tag = "gazette", security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")),
    responses((status = 201, description = "已报送"), E401, E403, E409, E422))]
async fn submit(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    gazette::submit(&state, &actor, &audit_ctx(&actor, ip), id).await?;
    Ok(StatusCode::CREATED)
}
