//! `GET /api/v1/search`: Chinese full-text over everything public, with filters and facets.

use super::ApiQuery;
use super::errors::*;
use crate::app::lists::ListMatches;
use crate::app::search::{self, SearchQuery};
use crate::{ApiError, AppState};
use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct HitView {
    id: u64,
    kind: String,
    title: String,
    doc_no: String,
    index_no: String,
    org: String,
    org_name: String,
    validity: String,
    published_at: Option<chrono::DateTime<chrono::Utc>>,
    /// HTML：已转义，命中处加 <b>.
    snippet: String,
    url: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct SearchBody {
    total: u64,
    /// True when `total` is an estimate (more than 2,000 matches; facet counts are then
    /// estimates too).
    total_is_estimate: bool,
    page: usize,
    per_page: usize,
    hits: Vec<HitView>,
    /// 各分面的取值及条数.
    #[schema(value_type = Object)]
    facets: serde_json::Value,
    note: Option<String>,
    /// 按原词没有找到时建议改用的搜索词（标题中相近的词，或去掉没有任何信息含有的词）.
    suggestion: Option<String>,
    /// 公开清单中含有检索词的条目（仅第一页、未按信息专有条件筛选时给出）：各清单条数与最新几条.
    lists: Option<ListMatches>,
}

/// 全文检索：公开的政府信息，支持分面筛选和分页。
#[utoipa::path(get, path = "/search", tag = "search",
    params(SearchQuery),
    responses((status = 200, body = SearchBody), E400))]
async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<SearchBody>, ApiError> {
    let (r, page, lists) = search::page(&state, &q).await?;
    let counts =
        |v: &[(String, u64)]| v.iter().map(|(k, n)| serde_json::json!({ "value": k, "count": n })).collect::<Vec<_>>();
    let facets = serde_json::json!({
        "org": counts(&r.facets.org),
        "topic": counts(&r.facets.topic),
        "genre": counts(&r.facets.genre),
        "year": counts(&r.facets.year),
        "validity": counts(&r.facets.validity),
        "kind": counts(&r.facets.kind),
        "source": counts(&r.facets.source),
    });
    let hits = r
        .hits
        .into_iter()
        .map(|h| HitView {
            id: h.id,
            kind: h.kind,
            title: h.title,
            doc_no: h.doc_no,
            index_no: h.index_no,
            org: h.org,
            org_name: h.org_name,
            validity: h.validity,
            published_at: h.published_at,
            snippet: h.snippet,
            url: h.url,
        })
        .collect();
    Ok(Json(SearchBody {
        total: r.total,
        total_is_estimate: r.total_is_estimate,
        page,
        per_page: 20,
        hits,
        facets,
        note: r.note,
        suggestion: r.suggestion,
        lists,
    }))
}
