//! `GET /api/v1/audit`: the audit trail for the audit administrator (审计管理员, 三员), newest
//! first, a page at a time; no other role reads it.

use super::ApiQuery;
use super::errors::*;
use crate::app::audit::{self, Filter};
use crate::auth::ApiActor;
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(list))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
struct TrailQuery {
    /// 操作人（用户名，或 cli、system）。
    actor: Option<String>,
    /// 操作或其类别（如 user、login、item.publish）。
    action: Option<String>,
    /// 对象类型（如 item、request、user）。
    object_kind: Option<String>,
    /// 对象编号。
    object_id: Option<String>,
    /// 起始日期（北京时间，含）。
    from: Option<NaiveDate>,
    /// 截止日期（北京时间，含）。
    to: Option<NaiveDate>,
    /// 只要序号小于此值的记录（下一页）。
    before: Option<i64>,
}

#[derive(Serialize, utoipa::ToSchema)]
struct AuditEntry {
    seq: i64,
    at: String,
    actor: String,
    origin: String,
    action: String,
    /// 操作的中文名称。
    action_label: String,
    object_kind: String,
    object_id: String,
    before: String,
    after: String,
    prev_hash: String,
    hash: String,
}

#[derive(Serialize, utoipa::ToSchema)]
struct TrailPage {
    entries: Vec<AuditEntry>,
    /// 下一页的 `before` 值；没有更多时为空。
    next_before: Option<i64>,
}

/// 查询操作记录（审计管理员）。
#[utoipa::path(get, path = "/audit", tag = "audit", params(TrailQuery),
    security(("bearer" = [])),
    responses((status = 200, body = TrailPage), E400, E401, E403))]
async fn list(
    State(state): State<AppState>,
    ApiActor(actor): ApiActor,
    ApiQuery(q): ApiQuery<TrailQuery>,
) -> Result<Json<TrailPage>, ApiError> {
    let text = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let filter = Filter {
        actor: text(q.actor),
        action: text(q.action),
        object_kind: text(q.object_kind),
        object_id: text(q.object_id),
        from: q.from,
        to: q.to,
    };
    if filter.action.as_deref().is_some_and(|a| a.len() > 100) || filter.actor.as_deref().is_some_and(|a| a.len() > 100)
    {
        return Err(AppError::invalid("invalid_field", "查询条件过长").into());
    }
    let rows = audit::rows(&state, &actor, &filter, q.before).await?;
    let next_before = (rows.len() as i64 == audit::PAGE).then(|| rows.last().map(|r| r.seq)).flatten();
    let entries = rows
        .into_iter()
        .map(|r| AuditEntry {
            seq: r.seq,
            at: r.at.to_rfc3339(),
            action_label: gongkai_core::audit::action_label(&r.action),
            actor: r.actor,
            origin: r.origin,
            action: r.action,
            object_kind: r.object_kind,
            object_id: r.object_id,
            before: r.before,
            after: r.after,
            prev_hash: r.prev_hash,
            hash: r.hash,
        })
        .collect();
    Ok(Json(TrailPage { entries, next_before }))
}
