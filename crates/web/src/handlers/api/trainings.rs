//! Training over the API: the sessions and hearings of the orgs the caller answers for,
//! recording one, and coverage per org and year.

use super::errors::*;
use super::{ApiJson, ApiPath, ApiQuery};
use crate::app::trainings::{self, CoverageRow, TrainingFields, TrainingPage, TrainingView};
use crate::auth::{ApiActor, ClientIp, audit_ctx};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list, create)).routes(routes!(coverage)).routes(routes!(one))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct YearQuery {
    /// 年度（默认今年）.
    year: Option<i32>,
}

/// 培训和听取工作汇报记录：本人负责的单位在该年度举办的，最新在前。
#[utoipa::path(get, path = "/trainings", tag = "supervision", security(("bearer" = [])),
    params(YearQuery), responses((status = 200, body = Vec<TrainingView>), E401))]
async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<TrainingView>>, ApiError> {
    let year = trainings::year_or_this(&state, q.year);
    Ok(Json(trainings::list(&state, &actor, year).await?))
}

/// 登记一次已举办的培训（附参训人员登录名）或主要负责人听取政务公开工作汇报。
#[utoipa::path(post, path = "/trainings", tag = "supervision", security(("bearer" = [])),
    request_body = TrainingFields, responses((status = 201, body = TrainingPage), E401, E403, E404, E422))]
async fn create(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(f): ApiJson<TrainingFields>,
) -> Result<(StatusCode, Json<TrainingPage>), ApiError> {
    let id = trainings::create(&state, &actor, &audit_ctx(&actor, ip), &f).await?;
    Ok((StatusCode::CREATED, Json(trainings::one(&state, &actor, id).await?)))
}

/// 培训覆盖情况：各单位政务公开工作人员数、当年参训人数和比例（目标全覆盖），及听取工作汇报日期。
#[utoipa::path(get, path = "/trainings/coverage", tag = "supervision", security(("bearer" = [])),
    params(YearQuery), responses((status = 200, body = Vec<CoverageRow>), E401))]
async fn coverage(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<CoverageRow>>, ApiError> {
    let year = trainings::year_or_this(&state, q.year);
    Ok(Json(trainings::coverage(&state, &actor, year).await?))
}

/// 一次培训或听取汇报：主题、日期、学时、主讲人和参训人员。
#[utoipa::path(get, path = "/trainings/{id}", tag = "supervision", security(("bearer" = [])),
    params(("id" = i64, Path, description = "记录编号")), responses((status = 200, body = TrainingPage), E401, E403, E404))]
async fn one(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<TrainingPage>, ApiError> {
    Ok(Json(trainings::one(&state, &actor, id).await?))
}
