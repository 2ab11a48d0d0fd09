//! An org's sub-site: who it is, its published items newest first (with filters), links to
//! its feed and catalog download, and the orgs below it.

use crate::app::items::{self, Org, PublicItem, PublicQuery};
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use gongkai_core::item::Validity;
use serde::Deserialize;

pub struct Row {
    pub id: i64,
    pub title: String,
    pub doc_no: String,
    pub published: String,
    pub validity: Validity,
    pub org_name: String,
}

pub struct SectionLink {
    pub id: i64,
    pub name: String,
    /// Public items in it and its subsections.
    pub count: i64,
    pub current: bool,
    /// Its subsections, shown when it or one of them is the current section.
    pub children: Vec<SectionLink>,
}

/// The section being read: its name, 公开依据 and the lists that belong in it.
pub struct SectionHead {
    pub id: i64,
    pub name: String,
    pub basis: String,
    /// (code, name) of each list kind that feeds it.
    pub lists: Vec<(String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/org.html")]
pub struct OrgPage {
    pub org: Org,
    pub sections: Vec<SectionLink>,
    pub section: Option<SectionHead>,
    pub parent: Option<Org>,
    pub children: Vec<Org>,
    pub rows: Vec<Row>,
    pub total: i64,
    /// More items than counted (`total` is the count's limit).
    pub more: bool,
    pub page: i64,
    pub pages: i64,
    pub year: Option<i32>,
    pub validity: Option<Validity>,
    pub years: Vec<i32>,
    pub validities: &'static [Validity],
    pub filter_qs: String,
}

#[derive(Deserialize)]
pub struct OrgQuery {
    page: Option<String>,
    section: Option<String>,
    year: Option<String>,
    validity: Option<String>,
}

pub fn row(p: &PublicItem) -> Row {
    Row {
        id: p.id,
        title: p.title.clone(),
        doc_no: p.doc_no.clone(),
        published: gongkai_core::index_no::beijing(p.published_at).format("%Y-%m-%d").to_string(),
        validity: p.validity(),
        org_name: p.org_name.clone(),
    }
}

const PER_PAGE: i64 = 20;
/// Lists are counted exactly up to this many items.
const COUNT_UP_TO: i64 = 10_000;

pub async fn show(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<OrgQuery>,
) -> Result<OrgPage, PageError> {
    let org = crate::app::orgs::by_code(&state, &code).await?;
    let orgs = crate::app::accounts::orgs_kept(&state).await?;
    let parent = org.parent_id.and_then(|p| orgs.iter().find(|o| o.id == p).cloned());
    let children: Vec<Org> = orgs.iter().filter(|o| o.parent_id == Some(org.id)).cloned().collect();
    // Unreadable filters are ignored rather than refused: a shared link keeps working.
    let page = q.page.and_then(|p| p.parse().ok()).unwrap_or(1i64).max(1);
    let year = q.year.and_then(|y| y.parse().ok()).filter(|y: &i32| (1949..=2100).contains(y));
    let validity = q.validity.as_deref().and_then(Validity::parse);
    let section_id: Option<i64> = q.section.and_then(|s| s.parse().ok());
    let all_sections = crate::app::catalog::sections(&state, &org).await?;
    // Counted only when there are sections to show them on.
    let counts = if all_sections.is_empty() { Vec::new() } else { items::public_section_counts(&state, &org).await? };
    let count = |id: i64| counts.iter().find(|(s, _)| *s == id).map(|(_, n)| *n).unwrap_or(0);
    let sections: Vec<SectionLink> = all_sections
        .iter()
        .filter(|s| s.parent_id.is_none())
        .map(|top| {
            let children: Vec<SectionLink> = all_sections
                .iter()
                .filter(|c| c.parent_id == Some(top.id))
                .map(|c| SectionLink {
                    id: c.id,
                    name: c.name.clone(),
                    count: count(c.id),
                    current: Some(c.id) == section_id,
                    children: Vec::new(),
                })
                .collect();
            let open = Some(top.id) == section_id || children.iter().any(|c| c.current);
            SectionLink {
                id: top.id,
                name: top.name.clone(),
                count: count(top.id) + children.iter().map(|c| c.count).sum::<i64>(),
                current: Some(top.id) == section_id,
                children: if open { children } else { Vec::new() },
            }
        })
        .collect();
    let section = match all_sections.iter().find(|s| Some(s.id) == section_id) {
        Some(s) => {
            let kinds = state.store.list_kinds().await?;
            let lists = s
                .list_codes()
                .into_iter()
                .filter_map(|c| kinds.iter().find(|k| k.kind.code == c))
                .map(|k| (k.kind.code.clone(), k.kind.name.clone()))
                .collect();
            Some(SectionHead { id: s.id, name: s.name.clone(), basis: s.basis.clone(), lists })
        }
        None => None,
    };
    // Counted exactly as far as anyone pages (and at least 10,000); beyond, "more than".
    let cap = (page * PER_PAGE).max(COUNT_UP_TO);
    let query = PublicQuery {
        org_path: Some(org.path.clone()),
        section_id: section.as_ref().map(|s| s.id),
        year,
        validity,
        page,
        per_page: PER_PAGE,
        count_up_to: Some(cap),
        ..Default::default()
    };
    let (items, total) = items::public_list(&state, &query).await?;
    let more = total > cap;
    let this_year = chrono::Datelike::year(&state.today());
    let mut filter_qs = String::new();
    if let Some(s) = &section {
        filter_qs.push_str(&format!("&section={}", s.id));
    }
    if let Some(y) = year {
        filter_qs.push_str(&format!("&year={y}"));
    }
    if let Some(v) = validity {
        filter_qs.push_str(&format!("&validity={}", v.as_str()));
    }
    Ok(OrgPage {
        rows: items.iter().map(row).collect(),
        pages: if more { page + 1 } else { ((total + PER_PAGE - 1) / PER_PAGE).max(1) },
        total: total.min(cap),
        more,
        page,
        year,
        validity,
        years: (2008..=this_year).rev().collect(),
        validities: Validity::ALL,
        filter_qs,
        org,
        sections,
        section,
        parent,
        children,
    })
}

impl OrgPage {
    fn year_selected(&self, y: &i32) -> bool {
        self.year == Some(*y)
    }

    fn validity_selected(&self, v: &Validity) -> bool {
        self.validity == Some(*v)
    }
}

#[derive(askama::Template, askama_web::WebTemplate)]
#[template(path = "portal/org_about.html")]
pub struct AboutPage {
    pub v: crate::app::org_profiles::PublicProfile,
}

/// `/orgs/{code}/about`: 机构概况, 领导之窗 and the way to 人事信息.
pub async fn about(
    axum::extract::State(state): axum::extract::State<AppState>,
    axum::extract::Path(code): axum::extract::Path<String>,
) -> Result<AboutPage, PageError> {
    Ok(AboutPage { v: crate::app::org_profiles::public(&state, &code).await? })
}
