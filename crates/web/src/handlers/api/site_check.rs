//! The website self-check over the API: the latest run's risks for the orgs the caller
//! answers for, and a run on demand (the office, administrators).

use super::ApiQuery;
use super::errors::*;
use crate::app::site_check::{self, ReportOut};
use crate::auth::ApiActor;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(latest)).routes(routes!(run))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct CheckQuery {
    /// 只看这个单位（机构代码）.
    org: Option<String>,
}

/// 网站自查的最近一次结果：单项否决风险、扣分项和预警，各附处理入口。
#[utoipa::path(get, path = "/site-check", tag = "supervision", security(("bearer" = [])),
    params(CheckQuery), responses((status = 200, body = ReportOut), E401, E403, E404))]
async fn latest(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<CheckQuery>,
) -> Result<Json<ReportOut>, ApiError> {
    Ok(Json(site_check::view(&state, &actor, q.org.as_deref()).await?.into()))
}

/// 立即进行一次网站自查（公开办、管理员），返回检查结果。
#[utoipa::path(post, path = "/site-check/runs", tag = "supervision", security(("bearer" = [])),
    responses((status = 201, body = ReportOut), E401, E403))]
async fn run(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
) -> Result<(StatusCode, Json<ReportOut>), ApiError> {
    site_check::run_now(&state, &actor).await?;
    Ok((StatusCode::CREATED, Json(site_check::view(&state, &actor, None).await?.into())))
}
