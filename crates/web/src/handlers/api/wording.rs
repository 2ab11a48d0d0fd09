//! 表述检查词表 over the API: the office reads and saves its site's own list.

use super::ApiJson;
use super::errors::*;
use crate::app::wording;
use crate::auth::{ApiActor, ClientIp, audit_ctx};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(show, save))
}

#[derive(Serialize, Deserialize, utoipa::ToSchema)]
struct WordingBody {
    /// 每行一条：“严重|一般 | 错误写法 | 正确写法”或“领导 | 姓名 | 职务、职务”；# 开头为备注.
    text: String,
    /// 所修改的版本（尚未设置时省略）.
    version: Option<i64>,
}

/// 本网站的表述检查词表（公开办、管理员）。
#[utoipa::path(get, path = "/wording", tag = "supervision", security(("bearer" = [])),
    responses((status = 200, body = WordingBody), E401, E403))]
async fn show(State(state): State<AppState>, ApiActor(actor): ApiActor) -> Result<Json<WordingBody>, ApiError> {
    let p = wording::page(&state, &actor).await?;
    Ok(Json(WordingBody { text: p.text, version: p.version }))
}

/// 保存本网站的表述检查词表；自查和编辑检查即刻按新词表进行。
#[utoipa::path(put, path = "/wording", tag = "supervision", security(("bearer" = [])),
    request_body = WordingBody, responses((status = 200, body = WordingBody), E401, E403, E409, E422))]
async fn save(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiJson(b): ApiJson<WordingBody>,
) -> Result<Json<WordingBody>, ApiError> {
    let version = wording::save(&state, &actor, &audit_ctx(&actor, ip), &b.text, b.version).await?;
    Ok(Json(WordingBody { text: b.text, version: Some(version) }))
}
