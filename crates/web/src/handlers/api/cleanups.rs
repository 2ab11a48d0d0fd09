//! 规范性文件清理 over the API: the documents a 清理 decision lists, read by anyone once the
//! decision is public and set by an editor of its org while it is not.

use super::errors::*;
use super::{ApiJson, ApiPath};
use crate::app::cleanups::{self, EntryBody, RowView};
use crate::auth::{ApiActor, ClientIp, audit_ctx};
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_rows, put_rows))
}

/// The documents a decision lists.
#[derive(Deserialize, utoipa::ToSchema)]
struct CleanupBody {
    /// 逐件列出；为空则本信息不再是清理结果.
    entries: Vec<EntryBody>,
}

/// 已发布的清理结果所列文件及其清理结果。
#[utoipa::path(get, path = "/items/{id}/cleanup", tag = "items",
    params(("id" = i64, Path, description = "信息编号")), responses((status = 200, body = Vec<RowView>), E404))]
async fn get_rows(State(state): State<AppState>, ApiPath(id): ApiPath<i64>) -> Result<Json<Vec<RowView>>, ApiError> {
    if state.store.public_item(id).await?.is_none() {
        return Err(AppError::NotFound(format!("信息 {id}")).into());
    }
    Ok(Json(cleanups::public_view(&state, id).await?.0))
}

/// 设置清理结果所列文件（本单位编辑；发布前）：继续有效、拟修改、废止、宣布失效，除继续有效外须写明理由。发布时废止、宣布失效的文件即变更有效性。
#[utoipa::path(put, path = "/items/{id}/cleanup", tag = "items", security(("bearer" = [])),
    params(("id" = i64, Path, description = "信息编号")), request_body = CleanupBody,
    responses((status = 200, body = Vec<RowView>), E401, E403, E404, E409, E422))]
async fn put_rows(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ClientIp(ip): ClientIp,
    ApiPath(id): ApiPath<i64>,
    ApiJson(b): ApiJson<CleanupBody>,
) -> Result<Json<Vec<RowView>>, ApiError> {
    Ok(Json(cleanups::save(&state, &actor, &audit_ctx(&actor, ip), id, b.entries).await?))
}
