//! `GET /api/v1/search`: Chinese full-text over everything public, with filters and facets.

use super::ApiQuery;
use crate::{ApiError, AppError, AppState};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(search))
}

#[derive(Deserialize, Default, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchQuery {
    /// 检索词：文号、索引号、"引号内为短语"、空格分隔的多个词.
    #[serde(default)]
    pub q: String,
    /// 机关代码（含下级机关）.
    pub org: Option<String>,
    pub topic: Option<String>,
    pub genre: Option<String>,
    pub year: Option<String>,
    /// valid, amended, repealed, expired.
    pub validity: Option<String>,
    /// item.
    pub kind: Option<String>,
    /// relevance（默认）或 date.
    pub sort: Option<String>,
    pub page: Option<String>,
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
    /// True when `total` is an estimate (more than 10,000 matches; facet counts are then
    /// estimates too).
    total_is_estimate: bool,
    page: usize,
    per_page: usize,
    hits: Vec<HitView>,
    /// 各分面的取值及条数.
    #[schema(value_type = Object)]
    facets: serde_json::Value,
    note: Option<String>,
}

/// Runs a search from query parameters (shared with the portal page).
pub async fn run(state: &AppState, q: &SearchQuery) -> Result<(gongkai_search::SearchResults, usize), AppError> {
    let index = state
        .search()
        .await
        .ok_or_else(|| AppError::Invalid { code: "search_unavailable", message: "本节点未启用搜索".into() })?;
    let org_path = match q.org.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(
            state
                .store
                .org_by_code(code)
                .await?
                .map(|o| o.path.as_str().to_string())
                .unwrap_or_else(|| "/none/".into()),
        ),
        None => None,
    };
    let page = q.page.as_deref().and_then(|p| p.parse().ok()).unwrap_or(1usize).clamp(1, 500);
    let req = gongkai_search::SearchRequest {
        q: q.q.clone(),
        org_path,
        topic: q.topic.clone().filter(|s| !s.is_empty()),
        genre: q.genre.clone().filter(|s| !s.is_empty()),
        year: q.year.as_deref().and_then(|y| y.parse().ok()),
        validity: q.validity.clone().filter(|s| !s.is_empty()),
        kind: q.kind.clone().filter(|s| !s.is_empty()),
        org_name: None,
        sort: if q.sort.as_deref() == Some("date") {
            gongkai_search::Sort::Date
        } else {
            gongkai_search::Sort::Relevance
        },
        page,
        per_page: 20,
    };
    let results = tokio::task::spawn_blocking(move || index.search(&req))
        .await
        .map_err(|e| AppError::Internal(e.into()))?
        .map_err(|e| AppError::Internal(e.into()))?
        .with_snippets(&state.store)
        .await
        .map_err(|e| AppError::Internal(e.into()))?;
    Ok((results, page))
}

/// 全文检索：公开的政府信息，支持分面筛选和分页。
#[utoipa::path(get, path = "/search", tag = "search", params(SearchQuery), responses((status = 200, body = SearchBody), (status = 400, body = super::ErrorBody)))]
async fn search(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<SearchQuery>,
) -> Result<Json<SearchBody>, ApiError> {
    let (r, page) = run(&state, &q).await?;
    let facets = serde_json::json!({
        "org": r.facets.org.iter().map(|(k, n)| serde_json::json!({ "value": k, "count": n })).collect::<Vec<_>>(),
        "topic": r.facets.topic.iter().map(|(k, n)| serde_json::json!({ "value": k, "count": n })).collect::<Vec<_>>(),
        "genre": r.facets.genre.iter().map(|(k, n)| serde_json::json!({ "value": k, "count": n })).collect::<Vec<_>>(),
        "year": r.facets.year.iter().map(|(k, n)| serde_json::json!({ "value": k, "count": n })).collect::<Vec<_>>(),
        "validity": r.facets.validity.iter().map(|(k, n)| serde_json::json!({ "value": k, "count": n })).collect::<Vec<_>>(),
        "kind": r.facets.kind.iter().map(|(k, n)| serde_json::json!({ "value": k, "count": n })).collect::<Vec<_>>(),
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
    }))
}
