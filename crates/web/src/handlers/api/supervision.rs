//! Supervision indicators over the API, for the staff who may supervise the org: every org
//! under it ranked (JSON or CSV), and one org's detail with the items and requests behind
//! each number.

use super::errors::*;
use super::{ApiPath, ApiQuery};
use crate::app::supervision::{self, Asked};
use crate::auth::ApiActor;
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(ranked)).routes(routes!(detail))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct PeriodQuery {
    /// 上级单位代码（默认为本人所在单位）.
    org: Option<String>,
    /// 起始日期 YYYY-MM-DD（默认本年1月1日）.
    from: Option<String>,
    /// 截止日期 YYYY-MM-DD（默认今天）.
    to: Option<String>,
    /// `json`（默认）或 `csv`.
    format: Option<String>,
}

/// 监测指标：本单位及下级各单位的发布、栏目更新、元数据、依申请办理指标，按排名排列。
#[utoipa::path(get, path = "/supervision", tag = "supervision",
    security(("bearer" = [])),
    params(PeriodQuery),
    responses((status = 200, description = "{ from, to, orgs: [...] }，或 CSV"), E401, E403, E422))]
async fn ranked(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let asked = Asked { from: q.from.as_deref(), to: q.to.as_deref() };
    let (_, from, to, rows) = supervision::ranked(&state, &actor, q.org.as_deref(), asked).await?;
    if q.format.as_deref() == Some("csv") {
        return Ok(supervision::csv(&rows, from, to)?);
    }
    Ok(Json(serde_json::json!({ "from": from, "to": to, "orgs": rows.iter().map(|r| {
        let mut v = serde_json::to_value(r).unwrap_or_default();
        v["on_time_rate"] = serde_json::json!(r.on_time_rate());
        v
    }).collect::<Vec<_>>() }))
    .into_response())
}

/// 单个单位的监测明细：各栏目更新情况、元数据有问题的信息、逾期未办结的申请。
#[utoipa::path(get, path = "/supervision/{code}", tag = "supervision",
    security(("bearer" = [])),
    params(("code" = String, Path, description = "机构代码"), PeriodQuery),
    responses((status = 200, description = "{ figures, sections, metadata, overdue }"), E403, E404))]
async fn detail(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let asked = Asked { from: q.from.as_deref(), to: q.to.as_deref() };
    let (_, _, _, d) = supervision::detail(&state, &actor, &code, asked).await?;
    Ok(Json(d).into_response())
}
