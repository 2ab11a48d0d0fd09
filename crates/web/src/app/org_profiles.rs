//! 机构概况 and 领导之窗, the use cases: an org's editors (or the office above) keep its
//! functions, departments, address, hours, phone and head, and its leaders with their 分工;
//! anyone reads them on the org's sub-site, with the way to its 人事信息 (the catalog column
//! for 公务员招考 and its results).

use crate::{AppError, AppState};
use gongkai_core::Actor;
use gongkai_core::org_profile::{self, Profile};
use gongkai_store::org_profiles::StoredProfile;
use gongkai_store::{AuditCtx, Org};

/// An org's profile as its public page shows it.
pub struct PublicProfile {
    pub org: Org,
    pub stored: StoredProfile,
    /// The catalog column of 人事信息 (公务员招考、录用结果): (section id, name).
    pub personnel: Option<(i64, String)>,
}

/// The profile of the org with `code`, for anyone.
pub async fn public(state: &AppState, code: &str) -> Result<PublicProfile, AppError> {
    let org = super::orgs::by_code(state, code).await?;
    let stored = state.store.org_profile(org.id).await?;
    let personnel = state
        .store
        .sections(org.id)
        .await?
        .into_iter()
        .find(|s| s.name.contains("公务员招考") || s.name.contains("人事"))
        .map(|s| (s.id, s.name));
    Ok(PublicProfile { org, stored, personnel })
}

/// The org a staff member keeps the profile of: the one `code` names (within their reach),
/// else their own.
pub async fn kept(state: &AppState, actor: &Actor, code: Option<&str>) -> Result<(Org, StoredProfile), AppError> {
    let org = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => super::orgs::by_code(state, c).await?,
        None => super::orgs::own(state, actor).await?,
    };
    actor.may_keep_registers(&org.path)?;
    let stored = state.store.org_profile(org.id).await?;
    Ok((org, stored))
}

/// Saves the profile of the org with `code`, the leaders typed one a line
/// (`姓名 | 职务 | 分工 | 简历`).
pub async fn save(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    code: &str,
    profile: &Profile,
    leaders: &str,
) -> Result<(), AppError> {
    let org = super::orgs::by_code(state, code).await?;
    let leaders = org_profile::parse_leaders(leaders);
    Ok(state.store.save_org_profile(ctx, actor, org.id, profile, &leaders).await?)
}
