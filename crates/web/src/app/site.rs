//! The site, the use cases: the platform's settings (the top-level administrator's), each
//! org's own pages (its 政府信息公开制度, inherited from above when it has none, and its
//! addition to the 指南), and the 指南 as the portal shows it.

use crate::{AppError, AppState};
use gongkai_core::{Actor, Role};
use gongkai_store::AuditCtx;
pub use gongkai_store::site::{PageKind, SiteSettings, check_settings};
pub use gongkai_store::{Org, Section};

/// Only an administrator of a top-level org runs the site.
fn top_level_admin(actor: &Actor) -> Result<(), AppError> {
    if !actor.has(Role::Admin) {
        return Err(gongkai_core::Denied::MissingRole(Role::Admin).into());
    }
    if actor.org_path.depth() != 1 {
        return Err(gongkai_core::Denied::OutsideOrg.into());
    }
    Ok(())
}

/// The site settings, for the top-level administrator.
pub async fn settings(state: &AppState, actor: &Actor) -> Result<SiteSettings, AppError> {
    top_level_admin(actor)?;
    Ok(state.store.site_settings().await?)
}

/// Saves the site settings; refused with the problems by field.
pub async fn save_settings(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    wanted: &SiteSettings,
) -> Result<(), AppError> {
    top_level_admin(actor)?;
    let problems = check_settings(wanted);
    if !problems.is_empty() {
        return Err(AppError::invalid_fields("invalid_field", problems));
    }
    state.store.set_site_settings(ctx, actor, wanted).await?;
    Ok(())
}

/// An org's own pages as its administrator edits them.
pub struct OrgPages {
    pub org: Org,
    /// Its own rules text (empty when it inherits).
    pub rules: String,
    pub guide_addition: String,
    /// The org whose rules apply when this one has none of its own.
    pub inherited_from: Option<Org>,
}

async fn administered(state: &AppState, actor: &Actor, code: &str) -> Result<Org, AppError> {
    let org = super::orgs::by_code(state, code).await?;
    actor.may_administer(&org.path)?;
    Ok(org)
}

/// The pages of an org the actor administers.
pub async fn org_pages(state: &AppState, actor: &Actor, code: &str) -> Result<OrgPages, AppError> {
    let org = administered(state, actor, code).await?;
    let rules = state.store.org_page(&org, PageKind::Rules).await?;
    let inherited_from = state.store.page_inherited_from(&org, rules.as_ref()).await?;
    let guide = state.store.org_page(&org, PageKind::GuideAddition).await?;
    Ok(OrgPages {
        rules: rules.filter(|p| p.from_org_id == org.id).map(|p| p.body).unwrap_or_default(),
        guide_addition: guide.map(|p| p.body).unwrap_or_default(),
        inherited_from,
        org,
    })
}

/// Saves an org's rules and guide addition (HTML, sanitised by the store); answers the org.
pub async fn save_org_pages(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    code: &str,
    rules: &str,
    guide_addition: &str,
) -> Result<Org, AppError> {
    let org = administered(state, actor, code).await?;
    state.store.set_org_page(ctx, actor, &org, PageKind::Rules, rules).await?;
    state.store.set_org_page(ctx, actor, &org, PageKind::GuideAddition, guide_addition).await?;
    Ok(org)
}

/// The 指南 of an org as the portal shows it.
pub struct Guide {
    pub org: Org,
    pub parent: Option<Org>,
    pub sections: Vec<Section>,
    /// The org's own addition (sanitised HTML).
    pub addition: Option<String>,
    pub index_pattern: String,
}

/// An org's 指南.
pub async fn guide(state: &AppState, code: &str) -> Result<Guide, AppError> {
    let org = super::orgs::by_code(state, code).await?;
    let parent = match org.parent_id {
        Some(id) => state.store.org_by_id(id).await?,
        None => None,
    };
    let sections = state.store.sections(org.id).await?;
    let addition = state.store.org_page(&org, PageKind::GuideAddition).await?.map(|p| p.body);
    Ok(Guide { org, parent, sections, addition, index_pattern: state.store.index_pattern().to_string() })
}

/// An org's 政府信息公开制度: its own or the nearest org's above it, with that org.
pub async fn rules(state: &AppState, code: &str) -> Result<(Org, Option<String>, Option<Org>), AppError> {
    let org = super::orgs::by_code(state, code).await?;
    let page = state.store.org_page(&org, PageKind::Rules).await?;
    let inherited_from = state.store.page_inherited_from(&org, page.as_ref()).await?;
    Ok((org, page.map(|p| p.body), inherited_from))
}
