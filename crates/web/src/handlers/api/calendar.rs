//! The working-day calendar over the API: questions anyone may ask (is a day a working day,
//! what is the Nth working day after a date), the years loaded with their notices, and
//! loading a new year's schedule (administrators of a top-level org).

use super::errors::*;
use super::{ApiPath, ApiQuery};
use crate::auth::audit_ctx;
use crate::auth::{ApiActor, ClientIp};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(add_workdays))
        .routes(routes!(is_workday))
        .routes(routes!(years, load))
        .routes(routes!(year))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct AddQuery {
    /// 起始日期（不计入），YYYY-MM-DD.
    from: NaiveDate,
    /// 工作日数.
    n: u32,
}

#[derive(Serialize, utoipa::ToSchema)]
struct DateBody {
    date: NaiveDate,
    /// 暂定：计算经过节假日安排尚未公布的年度，按《全国年节及纪念日放假办法》的法定节假日推算。
    provisional: bool,
}

/// 起始日期后第 n 个工作日（起始日不计入）。
#[utoipa::path(get, path = "/calendar/add-workdays", tag = "calendar",
    params(AddQuery),
    responses((status = 200, body = DateBody), E400, (status = 422, description = "该年节假日安排未载入", body = super::ErrorBody)))]
async fn add_workdays(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<AddQuery>,
) -> Result<Json<DateBody>, ApiError> {
    if q.n > 3660 {
        return Err(AppError::invalid("invalid_n", "n 不能超过 3660").into());
    }
    let cal = state.calendar().await?;
    let date = cal.add_workdays(q.from, q.n)?;
    Ok(Json(DateBody { date, provisional: cal.provisional_between(q.from, date) }))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct DayQuery {
    /// YYYY-MM-DD.
    date: NaiveDate,
}

#[derive(Serialize, utoipa::ToSchema)]
struct WorkdayBody {
    date: NaiveDate,
    workday: bool,
    /// 暂定：该年节假日安排尚未公布。
    provisional: bool,
}

/// 某日是否为工作日。
#[utoipa::path(get, path = "/calendar/is-workday", tag = "calendar",
    params(DayQuery),
    responses((status = 200, body = WorkdayBody), E400, E422))]
async fn is_workday(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<DayQuery>,
) -> Result<Json<WorkdayBody>, ApiError> {
    let cal = state.calendar().await?;
    Ok(Json(WorkdayBody {
        date: q.date,
        workday: cal.is_workday(q.date)?,
        provisional: cal.is_provisional(q.date.year()),
    }))
}

#[derive(Serialize, utoipa::ToSchema)]
struct YearBody {
    year: i32,
    title: String,
    notice: String,
    amended: Vec<String>,
    days: usize,
}

/// 已载入的年份及其依据的通知。
#[utoipa::path(get, path = "/calendar/years", tag = "calendar",
    responses((status = 200, body = Vec<YearBody>)))]
async fn years(State(state): State<AppState>) -> Result<Json<Vec<YearBody>>, ApiError> {
    let cal = state.calendar().await?;
    Ok(Json(
        cal.years()
            .map(|y| YearBody {
                year: y.year,
                title: y.title.clone(),
                notice: y.notice.clone(),
                amended: y.amended.clone(),
                days: y.days.len(),
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
struct DayBody {
    date: NaiveDate,
    /// off（休）或 work（班）.
    kind: &'static str,
    name: String,
}

/// 某年的节假日与调休上班日。
#[utoipa::path(get, path = "/calendar/years/{year}", tag = "calendar",
    params(("year" = i32, Path, description = "年份")),
    responses((status = 200, body = Vec<DayBody>), E404))]
async fn year(State(state): State<AppState>, ApiPath(year): ApiPath<i32>) -> Result<Json<Vec<DayBody>>, ApiError> {
    let cal = state.calendar().await?;
    let y = cal.years().find(|y| y.year == year).ok_or_else(|| AppError::NotFound(format!("{year} 年的节假日安排")))?;
    Ok(Json(
        y.days
            .iter()
            .map(|(d, k, n)| DayBody {
                date: *d,
                kind: if *k == gongkai_core::calendar::DayKind::Off { "off" } else { "work" },
                name: n.clone(),
            })
            .collect(),
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
struct LoadedBody {
    year: i32,
    title: String,
    notice: String,
    amended: Vec<String>,
    days: usize,
    /// 答复期限原为暂定、按正式安排重新计算后改变的未办结申请。
    recomputed: Vec<crate::app::calendar::Recomputed>,
}

/// 载入一年的节假日安排（顶级单位的管理员）；请求体为 data/holidays 格式的文本。答复期限原为暂定的申请随即按正式安排重新计算，改变的逐件列出。
#[utoipa::path(post, path = "/calendar/years", tag = "calendar",
    security(("bearer" = [])),
    request_body(content = String, content_type = "text/plain"),
    responses((status = 201, body = LoadedBody), E401, E403, E422))]
async fn load(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    body: String,
) -> Result<(StatusCode, Json<LoadedBody>), ApiError> {
    let ctx = audit_ctx(&actor, ip);
    let loaded = crate::app::calendar::load_year(&state, &actor, &ctx, &body).await?;
    let y = loaded.year;
    Ok((
        StatusCode::CREATED,
        Json(LoadedBody {
            year: y.year,
            title: y.title,
            notice: y.notice,
            amended: y.amended,
            days: y.days.len(),
            recomputed: loaded.recomputed,
        }),
    ))
}
