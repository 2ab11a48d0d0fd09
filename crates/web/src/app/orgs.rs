//! Orgs as the use cases find them: by their code in a URL, and the ones a staff member
//! oversees.

use crate::{AppError, AppState};
use gongkai_core::Actor;
pub use gongkai_store::Org;

/// The org with this code, or 404 naming it.
pub async fn by_code(state: &AppState, code: &str) -> Result<Org, AppError> {
    state.store.org_by_code(code).await?.ok_or_else(|| AppError::NotFound(format!("单位 {code}")))
}

/// The org a sub-site's `?org=` names (blank: the whole site); an unknown code is 404.
pub async fn sub_site(state: &AppState, code: Option<&str>) -> Result<Option<Org>, AppError> {
    match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Ok(Some(by_code(state, c).await?)),
        None => Ok(None),
    }
}

/// The staff member's own org.
pub async fn own(state: &AppState, actor: &Actor) -> Result<Org, AppError> {
    state.store.org_by_id(actor.org_id).await?.ok_or(AppError::Unauthorized)
}

/// The orgs a staff member answers for: an overseer (admin, supervisor) every org within
/// theirs, anyone else their own.
pub async fn overseen(state: &AppState, actor: &Actor) -> Result<Vec<Org>, AppError> {
    let overseer = actor.is_overseer();
    Ok(state
        .store
        .orgs()
        .await?
        .into_iter()
        .filter(|o| if overseer { o.path.is_within(&actor.org_path) } else { o.id == actor.org_id })
        .collect())
}

/// Every org in the same top-level tree as `org`, top down: (id, name).
pub async fn within_top(state: &AppState, org: &Org) -> Result<Vec<(i64, String)>, AppError> {
    let root = org.path.as_str().trim_matches('/').split('/').next().unwrap_or_default().to_string();
    let mut orgs: Vec<Org> = state
        .store
        .orgs()
        .await?
        .into_iter()
        .filter(|o| o.path.as_str().trim_matches('/').split('/').next() == Some(root.as_str()))
        .collect();
    orgs.sort_by_key(|o| (o.path.depth(), o.id));
    Ok(orgs.into_iter().map(|o| (o.id, o.name)).collect())
}
