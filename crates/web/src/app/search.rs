//! Search, the use case: the API and the portal page ask the same question the same way —
//! filters read from the query string, the org's code turned into its subtree, the orgs a
//! word may name, at most 500 pages of 20, snippets from the store.

use crate::app::lists::ListMatches;
use crate::{AppError, AppState};
pub use gongkai_search::{Hit, SearchResults};
use gongkai_search::{NamedOrg, SearchRequest, Sort};
use serde::Deserialize;
use std::sync::Arc;

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
    /// item（政府信息）或 interpretation（政策解读）.
    pub kind: Option<String>,
    /// gazette：仅政府公报刊登的文件.
    pub source: Option<String>,
    /// relevance（默认）或 date.
    pub sort: Option<String>,
    pub page: Option<String>,
}

/// Runs a search from its parameters; answers the results and the page number.
async fn run(state: &AppState, q: &SearchQuery) -> Result<(SearchResults, usize), AppError> {
    let index = state
        .search()
        .await
        .ok_or_else(|| AppError::Invalid { code: "search_unavailable", message: "本节点未启用搜索".into() })?;
    let org_path = org_path(state, q).await?;
    let page = q.page.as_deref().and_then(|p| p.parse().ok()).unwrap_or(1usize).clamp(1, 500);
    let req = SearchRequest {
        q: q.q.clone(),
        org_path,
        topic: q.topic.clone().filter(|s| !s.is_empty()),
        genre: q.genre.clone().filter(|s| !s.is_empty()),
        year: q.year.as_deref().and_then(|y| y.parse().ok()),
        validity: q.validity.clone().filter(|s| !s.is_empty()),
        kind: q.kind.clone().filter(|s| !s.is_empty()),
        source: q.source.clone().filter(|s| !s.is_empty()),
        org_name: None,
        orgs: Some(named_orgs(state).await?),
        sort: if q.sort.as_deref() == Some("date") { Sort::Date } else { Sort::Relevance },
        page,
        per_page: 20,
    };
    let results = state.searching(move || index.search(&req)).await??.with_snippets(&state.store).await?;
    Ok((results, page))
}

/// A results page: the search and the lists' rows holding its words, looked for at once.
pub async fn page(state: &AppState, q: &SearchQuery) -> Result<(SearchResults, usize, Option<ListMatches>), AppError> {
    let (searched, lists) = tokio::join!(run(state, q), list_matches(state, q));
    let (results, page) = searched?;
    Ok((results, page, lists?))
}

/// The path of the org a search is narrowed to (one that does not exist matches nothing).
async fn org_path(state: &AppState, q: &SearchQuery) -> Result<Option<String>, AppError> {
    Ok(match q.org.as_deref().filter(|s| !s.is_empty()) {
        Some(code) => Some(
            state
                .store
                .org_by_code(code)
                .await?
                .map(|o| o.path.as_str().to_string())
                .unwrap_or_else(|| "/none/".into()),
        ),
        None => None,
    })
}

/// The lists' rows holding the words, shown above the first page of results. A search
/// narrowed by what only documents have (topic, genre, year, validity, kind, source) or
/// past its first page shows none; the org narrows rows as it narrows documents.
async fn list_matches(state: &AppState, q: &SearchQuery) -> Result<Option<ListMatches>, AppError> {
    let documents_only = [&q.topic, &q.genre, &q.year, &q.validity, &q.kind, &q.source]
        .iter()
        .any(|f| f.as_deref().is_some_and(|v| !v.is_empty()));
    let first_page = q.page.as_deref().and_then(|p| p.parse::<usize>().ok()).unwrap_or(1) <= 1;
    if documents_only || !first_page {
        return Ok(None);
    }
    let org_path = org_path(state, q).await?;
    crate::app::lists::matches(state, &q.q, org_path).await
}

/// Every org's names and path, for the words of a query that name orgs (濯水, 黔江); kept
/// between changes like the org list it comes from.
async fn named_orgs(state: &AppState) -> Result<Arc<[NamedOrg]>, AppError> {
    state
        .figures
        .get_or("search_orgs".into(), state.figures_version(), || async {
            let orgs = crate::app::accounts::orgs_kept(state).await?;
            Ok::<_, AppError>(
                orgs.iter()
                    .map(|o| NamedOrg::new(&o.name, &o.short_name, o.path.as_str()))
                    .collect::<Arc<[NamedOrg]>>(),
            )
        })
        .await
}

/// The label of a search document's kind.
pub fn kind_label(kind: &str) -> &str {
    match kind {
        "item" => "政府信息",
        "interpretation" => "政策解读",
        "gazette" => "政府公报刊登",
        other => other,
    }
}
