//! An org's 政府信息公开指南 (条例 article 12): the classification and arrangement of its
//! information, how to obtain it (proactively published, and on request: channels, the
//! receipt date, time limits, fees, remedies), and its disclosure office's contact — built
//! from the org's own data, so it changes when the catalog or the contact does.

use crate::handlers::api::reports::org_by_code;
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, State};
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
}

/// `/orgs/{code}/guide`.
pub async fn show(State(state): State<AppState>, Path(code): Path<String>) -> Result<GuidePage, PageError> {
    let org = org_by_code(&state, &code).await?;
    let parent = match org.parent_id {
        Some(id) => state.store.org_by_id(id).await?,
        None => None,
    };
    let sections = state.store.sections(org.id).await?;
    Ok(GuidePage {
        parent,
        sections,
        topics: state.config.topics(),
        genres: state.config.genres(),
        index_pattern: state.store.index_pattern().to_string(),
        org,
    })
}
