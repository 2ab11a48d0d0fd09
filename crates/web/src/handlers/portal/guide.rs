//! An org's 政府信息公开指南 (条例 article 12): the classification and arrangement of its
//! information, how to obtain it (proactively published, and on request: channels, the
//! receipt date, time limits, fees, remedies), and its disclosure office's contact — built
//! from the org's own data, so it changes when the catalog or the contact does, with the
//! org's own addition at the end. Also the org's 政府信息公开制度 page: its own rules (or
//! the nearest org above's) and what the platform itself enforces.

use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
use gongkai_store::site::PageKind;
use gongkai_store::{Org, Section};

#[derive(Template, WebTemplate)]
#[template(path = "portal/guide.html")]
pub struct GuidePage {
    pub org: Org,
    pub parent: Option<Org>,
    pub sections: Vec<Section>,
    pub topics: Vec<String>,
    pub genres: Vec<String>,
    pub index_pattern: String,
    /// The org's own addition (sanitised HTML).
    pub addition: Option<String>,
}

/// `/orgs/{code}/guide`.
pub async fn show(State(state): State<AppState>, Path(code): Path<String>) -> Result<GuidePage, PageError> {
    let org = crate::app::orgs::by_code(&state, &code).await?;
    let parent = match org.parent_id {
        Some(id) => state.store.org_by_id(id).await?,
        None => None,
    };
    let sections = state.store.sections(org.id).await?;
    let addition = state.store.org_page(&org, PageKind::GuideAddition).await?.map(|p| p.body);
    Ok(GuidePage {
        addition,
        parent,
        sections,
        topics: state.topics().await,
        genres: state.genres().await,
        index_pattern: state.store.index_pattern().to_string(),
        org,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/rules.html")]
pub struct RulesPage {
    pub org: Org,
    /// The rules text (sanitised HTML) and, when inherited, the org it comes from.
    pub rules: Option<String>,
    pub inherited_from: Option<Org>,
}

/// `/orgs/{code}/rules`: the org's 政府信息公开制度.
pub async fn rules(State(state): State<AppState>, Path(code): Path<String>) -> Result<RulesPage, PageError> {
    let org = crate::app::orgs::by_code(&state, &code).await?;
    let page = state.store.org_page(&org, PageKind::Rules).await?;
    let inherited_from = state.store.page_inherited_from(&org, page.as_ref()).await?;
    Ok(RulesPage { rules: page.map(|p| p.body), inherited_from, org })
}
