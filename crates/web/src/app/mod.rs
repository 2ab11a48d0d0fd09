//! The application layer: one function per use case, between the adapters (the JSON API,
//! the portal and console pages, the CLI) and `core`/`store`. A use case takes an actor and
//! typed input, asks `core`, calls the store and answers typed output or an [`AppError`];
//! adapters only translate their transport to these calls and back.
//!
//! Areas move here one at a time (see ARCHITECTURE.md); an area that has moved is called by
//! every adapter through this module and by none of them through another adapter.

pub mod accounts;
pub mod archive;
pub mod assessments;
pub mod attachments;
pub mod audit;
pub mod calendar;
pub mod catalog;
pub mod cleanups;
pub mod concerns;
pub mod consultations;
pub mod dashboard;
pub mod gazette;
pub mod inspections;
pub mod interpretations;
pub mod items;
pub mod letters;
pub mod lists;
pub mod media;
pub mod meetings;
pub mod org_profiles;
pub mod orgs;
pub mod press;
pub mod proposals;
pub mod public_notices;
pub mod reports;
pub mod requests;
pub mod schedule;
pub mod search;
pub mod site;
pub mod site_check;
pub mod spot_checks;
pub mod supervision;
pub mod surveys;
pub mod trainings;
pub mod wording;
pub mod workplans;

/// Whether the node can serve: its database answers (a failure is logged).
pub async fn ready(state: &crate::AppState) -> bool {
    match state.store.ping().await {
        Ok(()) => true,
        Err(e) => {
            tracing::warn!(error = %e, "readiness check failed");
            false
        }
    }
}
