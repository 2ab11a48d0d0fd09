//! An org's 政府信息公开指南 (条例 article 12): the classification and arrangement of its
//! information, how to obtain it (proactively published, and on request: channels, the
//! receipt date, time limits, fees, remedies), and its disclosure office's contact — built
//! from the org's own data, so it changes when the catalog or the contact does, with the
//! org's own addition at the end. Also the org's 政府信息公开制度 page: its own rules (or
//! the nearest org above's) and what the platform itself enforces.

use crate::app::site::{self, Org, Section};
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};

#[derive(Template, WebTemplate)]
#[template(path = "portal/guide.html")]
pub struct GuidePage {
    pub org: Org,
    pub parent: Option<Org>,
    pub sections: Vec<Section>,
    pub topics: Vec<String>,
    pub genres: Vec<String>,
    /// An index number as this org's next ones look (this year, the first of the year).
    pub index_example: String,
    /// The org's own addition (sanitised HTML).
    pub addition: Option<String>,
}

/// `/orgs/{code}/guide`.
pub async fn show(State(state): State<AppState>, Path(code): Path<String>) -> Result<GuidePage, PageError> {
    let g = site::guide(&state, &code).await?;
    Ok(GuidePage {
        addition: g.addition,
        parent: g.parent,
        sections: g.sections,
        topics: state.topics().await,
        genres: state.genres().await,
        index_example: gongkai_core::index_no::format(
            &g.index_pattern,
            g.org.code(),
            chrono::Datelike::year(&state.today()),
            1,
        ),
        org: g.org,
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
    let (org, rules, inherited_from) = site::rules(&state, &code).await?;
    Ok(RulesPage { rules, inherited_from, org })
}
