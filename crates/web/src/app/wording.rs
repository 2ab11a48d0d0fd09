//! 表述检查, the use cases: the checker of a site (the shipped list with the site's own forms
//! and office holders, kept between changes), the office's page of its list, and saving it.
//! The rules are `core::wording`; the self-check and the item editor both scan with it.

use crate::{AppError, AppState};
use gongkai_core::Actor;
use gongkai_core::wording::{Checker, Wrong, parse_kept, shipped};
use gongkai_store::AuditCtx;
use std::sync::Arc;

/// The checker of the site whose top-level org is `site_id`.
pub async fn checker(state: &AppState, site_id: i64) -> Result<Arc<Checker>, AppError> {
    state
        .figures
        .get_or(format!("wording:{site_id}"), state.figures_version(), || async {
            let text = state.store.wording_list(site_id).await?.map(|l| l.text).unwrap_or_default();
            // A list that no longer reads (it was checked when saved) checks the shipped forms.
            let kept = parse_kept(&text).unwrap_or_default();
            Ok::<_, AppError>(Arc::new(Checker::new(&kept)))
        })
        .await
}

/// The checker of the site an org belongs to.
pub async fn checker_of(state: &AppState, org: &gongkai_store::Org) -> Result<Arc<Checker>, AppError> {
    checker(state, org.path.root_id().unwrap_or(org.id)).await
}

/// The office's page: its list as typed, its version, and the shipped forms beside it.
pub struct Page {
    pub text: String,
    pub version: Option<i64>,
    pub updated: Option<(String, chrono::DateTime<chrono::Utc>)>,
    pub shipped: &'static [Wrong],
    pub holders: usize,
    pub forms: usize,
}

/// The list of the actor's site (the office and administrators).
pub async fn page(state: &AppState, actor: &Actor) -> Result<Page, AppError> {
    actor.must_oversee()?;
    let site = actor.org_path.root_id().unwrap_or(actor.org_id);
    let stored = state.store.wording_list(site).await?;
    let kept = stored.as_ref().and_then(|l| parse_kept(&l.text).ok()).unwrap_or_default();
    Ok(Page {
        text: stored.as_ref().map(|l| l.text.clone()).unwrap_or_default(),
        version: stored.as_ref().map(|l| l.version),
        updated: stored.map(|l| (l.updated_by, l.updated_at)),
        shipped: shipped(),
        holders: kept.holders.len(),
        forms: kept.wrong.len(),
    })
}

/// Saves the list of the actor's site; `version` is the one edited.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    text: &str,
    version: Option<i64>,
) -> Result<i64, AppError> {
    parse_kept(text).map_err(|e| AppError::invalid("wording_invalid", e))?;
    Ok(state.store.save_wording_list(ctx, actor, text, version).await?)
}
