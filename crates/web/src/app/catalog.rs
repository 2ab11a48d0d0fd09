//! The catalog (目录), the use cases: an org's sections, adding (one, or the baseline
//! catalog of its kind), changing and removing them; the topic and genre lists.

use crate::{AppError, AppState};
use gongkai_core::Actor;
use gongkai_core::catalog::Baseline;
use gongkai_store::AuditCtx;
pub use gongkai_store::{Org, Section, SectionInput};

/// An org's sections, in order.
pub async fn sections(state: &AppState, org: &Org) -> Result<Vec<Section>, AppError> {
    Ok(state.store.sections(org.id).await?)
}

/// The administrator's own org with its sections.
pub async fn own_sections(state: &AppState, actor: &Actor) -> Result<(Org, Vec<Section>), AppError> {
    let org = super::orgs::own(state, actor).await?;
    actor.may_administer(&org.path)?;
    let sections = sections(state, &org).await?;
    Ok((org, sections))
}

/// Adds a section to an org (`last`: after its other sections, whatever position says).
pub async fn add(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    org: &Org,
    mut input: SectionInput,
    last: bool,
) -> Result<Section, AppError> {
    if last {
        input.position = state.store.sections(org.id).await?.len() as i64;
    }
    Ok(state.store.create_section(ctx, Some(actor), org.id, input).await?)
}

/// Changes a section.
pub async fn update(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    input: SectionInput,
) -> Result<Section, AppError> {
    Ok(state.store.update_section(ctx, Some(actor), id, input).await?)
}

/// Removes an empty section.
pub async fn remove(state: &AppState, actor: &Actor, ctx: &AuditCtx, id: i64) -> Result<(), AppError> {
    Ok(state.store.delete_section(ctx, Some(actor), id).await?)
}

/// Adds the sections of the baseline catalog the org lacks; answers how many were added.
pub async fn apply_baseline(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    org: &Org,
    kind: Baseline,
) -> Result<usize, AppError> {
    Ok(state.store.apply_baseline(ctx, Some(actor), org.id, kind).await?)
}
