//! The working-day calendar's use cases: loading a year's official schedule, and what that
//! changes for the requests whose deadlines were provisional (暂定) until then.

use crate::{AppError, AppState};
use chrono::NaiveDate;
use gongkai_core::Actor;
use gongkai_core::Role;
use gongkai_core::calendar::{Calendar, HolidayYear};
use gongkai_store::AuditCtx;
use serde::Serialize;

/// A request whose deadline moved when a year's schedule was loaded.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Recomputed {
    /// 申请编号.
    pub tracking_no: String,
    /// The handling org's name.
    pub org_name: String,
    /// The provisional deadline before.
    pub before: NaiveDate,
    /// The deadline on the official schedule.
    pub after: NaiveDate,
}

/// A year loaded.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub year: HolidayYear,
    /// Open requests whose provisional deadline the official schedule moved.
    pub recomputed: Vec<Recomputed>,
}

/// Who may load a year: administrators of a top-level org (the calendar is the platform's).
pub fn may_load(actor: &Actor) -> bool {
    actor.has(Role::Admin) && actor.org_path.depth() == 1
}

/// Loads a year's schedule from the text of its file and recomputes the deadlines that were
/// provisional on it.
pub async fn load_year(state: &AppState, actor: &Actor, ctx: &AuditCtx, text: &str) -> Result<Loaded, AppError> {
    if !may_load(actor) {
        if !actor.has(Role::Admin) {
            return Err(gongkai_core::Denied::MissingRole(Role::Admin).into());
        }
        return Err(AppError::Forbidden {
            code: "forbidden_org",
            message: "节假日安排只能由顶级单位的管理员载入".into(),
        });
    }
    let before = state.calendar().await?;
    let year = state.store.load_holiday_year(ctx, text).await?;
    state.forget_calendar().await;
    let after = state.calendar().await?;
    let recomputed = recomputed_deadlines(state, &before, &after).await?;
    Ok(Loaded { year, recomputed })
}

/// The open requests whose deadline was provisional on `before` and is another on `after`.
async fn recomputed_deadlines(
    state: &AppState,
    before: &Calendar,
    after: &Calendar,
) -> Result<Vec<Recomputed>, AppError> {
    let orgs = state.store.orgs().await?;
    let mut out = Vec::new();
    for top in orgs.iter().filter(|o| o.parent_id.is_none()) {
        let pauses_of = state.store.request_pauses_under(&top.path).await?;
        for r in state.store.requests_under(&top.path, true, i64::MAX).await? {
            let clock = r.clock(pauses_of.get(&r.id).map(Vec::as_slice).unwrap_or_default());
            if !clock.due_is_provisional(before) {
                continue;
            }
            if let (Ok(Some(b)), Ok(Some(a))) = (clock.due_on(before), clock.due_on(after))
                && a != b
            {
                let org_name = orgs.iter().find(|o| o.id == r.org_id).map(|o| o.name.clone()).unwrap_or_default();
                out.push(Recomputed { tracking_no: r.tracking_no.clone(), org_name, before: b, after: a });
            }
        }
    }
    out.sort_by(|a, b| a.after.cmp(&b.after).then_with(|| a.tracking_no.cmp(&b.tracking_no)));
    Ok(out)
}
