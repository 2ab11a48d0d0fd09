//! The search page: the query and filters live in the URL (shareable, no JavaScript), with
//! facets to narrow and pages to go on.

use crate::app::lists::ListMatches;
use crate::app::search::{Hit, SearchQuery};
use crate::util::url_encode;
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use gongkai_core::item::Validity;

pub struct FacetLink {
    pub label: String,
    pub count: u64,
    pub href: String,
    pub active: bool,
}

pub struct FacetGroup {
    pub title: &'static str,
    pub links: Vec<FacetLink>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/search.html")]
pub struct SearchPage {
    pub q: String,
    pub total: u64,
    pub estimated: bool,
    pub hits: Vec<Hit>,
    pub groups: Vec<FacetGroup>,
    pub note: Option<String>,
    pub page: usize,
    pub prev: Option<String>,
    pub next: Option<String>,
    pub by_date: bool,
    pub sort_link: String,
    /// A query to try instead, and its link: 您是不是要找.
    pub suggestion: Option<(String, String)>,
    /// Nothing found with filters on: the same words without them.
    pub unfiltered: Option<String>,
    /// Rows of the public lists holding the words.
    pub lists: Option<ListMatches>,
}

fn link(q: &SearchQuery, set: &[(&str, Option<&str>)]) -> String {
    let mut pairs: Vec<(&str, String)> = Vec::new();
    let get = |k: &str| -> Option<String> {
        if let Some((_, v)) = set.iter().find(|(key, _)| *key == k) {
            return v.map(str::to_string);
        }
        match k {
            "q" => Some(q.q.clone()),
            "org" => q.org.clone(),
            "topic" => q.topic.clone(),
            "genre" => q.genre.clone(),
            "year" => q.year.clone(),
            "validity" => q.validity.clone(),
            "kind" => q.kind.clone(),
            "source" => q.source.clone(),
            "sort" => q.sort.clone(),
            "page" => None,
            _ => None,
        }
    };
    for k in ["q", "org", "topic", "genre", "year", "validity", "kind", "source", "sort", "page"] {
        if let Some(v) = get(k).filter(|v| !v.is_empty()) {
            pairs.push((k, v));
        }
    }
    let qs: Vec<String> = pairs.iter().map(|(k, v)| format!("{k}={}", url_encode(v))).collect();
    format!("/search?{}", qs.join("&"))
}

pub async fn show(State(state): State<AppState>, Query(q): Query<SearchQuery>) -> Result<SearchPage, PageError> {
    let (r, page, lists) = crate::app::search::page(&state, &q).await?;
    let orgs = crate::app::accounts::orgs_kept(&state).await?;
    let group = |title: &'static str,
                 key: &'static str,
                 values: &[(String, u64)],
                 current: Option<&String>,
                 label: &dyn Fn(&str) -> String| FacetGroup {
        title,
        links: values
            .iter()
            .map(|(v, n)| {
                let active = current.is_some_and(|c| c == v);
                FacetLink {
                    label: label(v),
                    count: *n,
                    href: link(&q, &[(key, if active { None } else { Some(v.as_str()) })]),
                    active,
                }
            })
            .collect(),
    };
    let org_label =
        |code: &str| orgs.iter().find(|o| o.code() == code).map(|o| o.name.clone()).unwrap_or_else(|| code.to_string());
    let validity_label = |v: &str| Validity::parse(v).map(|v| v.label().to_string()).unwrap_or_else(|| v.to_string());
    let plain = |v: &str| v.to_string();
    let kind_label = |v: &str| crate::app::search::kind_label(v).to_string();
    let mut years = r.facets.year.clone();
    years.sort_by(|a, b| b.0.cmp(&a.0));
    let groups = vec![
        group("类型", "kind", &r.facets.kind, q.kind.as_ref(), &kind_label),
        group("刊登", "source", &r.facets.source, q.source.as_ref(), &kind_label),
        group("发布机构", "org", &r.facets.org, q.org.as_ref(), &org_label),
        group("主题分类", "topic", &r.facets.topic, q.topic.as_ref(), &plain),
        group("体裁分类", "genre", &r.facets.genre, q.genre.as_ref(), &plain),
        group("年份", "year", &years, q.year.as_ref(), &plain),
        group("有效性", "validity", &r.facets.validity, q.validity.as_ref(), &validity_label),
    ]
    .into_iter()
    .filter(|g| !g.links.is_empty())
    .collect();
    let pages = r.total.div_ceil(20) as usize;
    let suggestion = r.suggestion.clone().map(|s| {
        let href = link(&q, &[("q", Some(&s))]);
        (s, href)
    });
    let filtered = [&q.org, &q.topic, &q.genre, &q.year, &q.validity, &q.kind, &q.source]
        .iter()
        .any(|f| f.as_deref().is_some_and(|v| !v.is_empty()));
    let unfiltered = (r.total == 0 && filtered && !q.q.trim().is_empty()).then(|| {
        let set: Vec<(&str, Option<&str>)> =
            ["org", "topic", "genre", "year", "validity", "kind", "source"].into_iter().map(|k| (k, None)).collect();
        link(&q, &set)
    });
    let by_date = q.sort.as_deref() == Some("date");
    // Rows of the lists were found where no document was: "nothing found" would mislead.
    let note = match (&lists, r.total) {
        (Some(_), 0) => r
            .note
            .map(|n| n.split('；').filter(|p| *p != gongkai_search::NOTHING_FOUND).collect::<Vec<_>>().join("；"))
            .filter(|n| !n.is_empty()),
        _ => r.note,
    };
    Ok(SearchPage {
        prev: (page > 1).then(|| link(&q, &[("page", Some(&(page - 1).to_string()))])),
        next: (page < pages).then(|| link(&q, &[("page", Some(&(page + 1).to_string()))])),
        sort_link: link(&q, &[("sort", if by_date { None } else { Some("date") })]),
        by_date,
        q: q.q.clone(),
        total: r.total,
        estimated: r.total_is_estimate,
        hits: r.hits,
        groups,
        note,
        page,
        suggestion,
        unfiltered,
        lists,
    })
}
