//! Scheduled work, done once a day across every node: each day's run of a job is claimed in
//! the database by one node; the others see it claimed and leave it. A claim whose holder
//! died (not finished within its lease) is taken over by the next node that looks, so a
//! node killed in the middle of the reminders does not leave the day without them.

use crate::AppState;
use std::future::Future;
use std::time::Duration;

/// How often a node looks whether a job is due (and whether a claim went stale).
pub const LOOK_EVERY: Duration = Duration::from_secs(60);

/// This node's name in claims: host, process and a random part, so two processes on one
/// host differ.
pub fn node_name() -> String {
    let host = std::fs::read_to_string("/etc/hostname").map(|h| h.trim().to_string()).unwrap_or_default();
    let mut r = [0u8; 4];
    let _ = getrandom::fill(&mut r);
    format!("{}-{}-{}", if host.is_empty() { "node" } else { &host }, std::process::id(), hex::encode(r))
}

/// Whether today's run of `job` is due at `hour` (Beijing): the day (`2026-12-04`) when it
/// is, `None` before the hour.
fn due_period(state: &AppState, hour: u32) -> Option<String> {
    let now = gongkai_core::index_no::beijing(state.now());
    (chrono::Timelike::hour(&now) >= hour.min(23)).then(|| now.date_naive().to_string())
}

/// Runs `job` for `period` (a day, or an hour and what else makes a new run due) once
/// across every node: claims the period's run, does `work` and marks it done. Answers
/// `Some(outcome)` when this node did it.
pub async fn run_once<F, Fut>(
    state: &AppState,
    job: &str,
    period: &str,
    lease: Duration,
    work: F,
) -> Result<Option<String>, crate::AppError>
where
    F: FnOnce(AppState) -> Fut,
    Fut: Future<Output = Result<String, crate::AppError>>,
{
    if state.store.job_done(job, period).await? {
        return Ok(None);
    }
    if !state.store.claim_job(job, period, &state.node, lease).await? {
        return Ok(None);
    }
    let outcome = work(state.clone()).await?;
    state.store.finish_job(job, period, &state.node).await?;
    Ok(Some(outcome))
}

/// Keeps running `job` once a day from `hour` (Beijing), across every node, until the task is
/// dropped: looks every minute, so a day missed while every node was down is done when one
/// comes back, the same day.
pub async fn daily<F, Fut>(state: AppState, job: &'static str, hour: u32, lease: Duration, work: F)
where
    F: Fn(AppState) -> Fut,
    Fut: Future<Output = Result<String, crate::AppError>>,
{
    loop {
        let due = match due_period(&state, hour) {
            Some(period) => run_once(&state, job, &period, lease, &work).await,
            None => Ok(None),
        };
        match due {
            Ok(Some(outcome)) => tracing::info!(job, node = %state.node, outcome, "scheduled job done"),
            Ok(None) => {}
            Err(e) => tracing::warn!(job, error = %e, "scheduled job failed; will retry"),
        }
        tokio::time::sleep(LOOK_EVERY).await;
    }
}
