//! The portal's home page: the platform's orgs as a directory, grouped under their parents.

use crate::app::items::{self, Org, PublicQuery};
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use gongkai_core::item::Validity;

/// One entry of the directory: an org and how deep it sits.
pub struct DirEntry {
    pub name: String,
    pub code: String,
    pub kind_label: &'static str,
    pub depth: usize,
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/home.html")]
pub struct HomePage {
    pub roots: Vec<(DirEntry, Vec<DirEntry>)>,
    pub latest: Vec<super::org::Row>,
}

fn entry(o: &Org, root_depth: usize) -> DirEntry {
    DirEntry {
        name: o.name.clone(),
        code: o.code().to_string(),
        kind_label: o.kind.label(),
        depth: o.path.depth().saturating_sub(root_depth),
    }
}

pub async fn show(State(state): State<AppState>) -> Result<HomePage, PageError> {
    let orgs = crate::app::accounts::orgs_kept(&state).await?;
    let roots = orgs
        .iter()
        .filter(|o| o.parent_id.is_none())
        .map(|root| {
            let below = orgs
                .iter()
                .filter(|o| o.id != root.id && o.path.is_within(&root.path))
                .map(|o| entry(o, root.path.depth()))
                .collect();
            (entry(root, root.path.depth()), below)
        })
        .collect();
    let query = PublicQuery { page: 1, per_page: 15, count_up_to: Some(0), ..Default::default() };
    let (items, _) = items::public_list(&state, &query).await?;
    Ok(HomePage { roots, latest: items.iter().map(super::org::row).collect() })
}
