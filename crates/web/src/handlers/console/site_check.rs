//! The website self-check in the console: the latest run's risks, 单项否决 first, each linking
//! to what fixes it; per org with counts; a run on demand for the office.

use crate::app::site_check::{self, OrgSummary};
use crate::auth::Staff;
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_store::site_checks::{FindingRow, SiteCheckRun};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "console/site_check.html")]
pub struct SiteCheckPage {
    pub csrf: String,
    pub run: Option<SiteCheckRun>,
    pub findings: Vec<(FindingRow, String)>,
    pub orgs: Vec<OrgSummary>,
    pub org_name: Option<String>,
    pub may_run: bool,
    pub veto: usize,
    pub deduct: usize,
    pub warn: usize,
}

impl SiteCheckPage {
    /// A finding's days to or past its threshold, in words.
    pub fn days(&self, f: &FindingRow) -> String {
        match f.days_left {
            Some(d) if d < 0 => format!("已超过 {} 天", -d),
            Some(0) => "今天到期".to_string(),
            Some(d) => format!("还有 {d} 天"),
            None => String::new(),
        }
    }
}

#[derive(Deserialize, Default)]
pub struct Asked {
    #[serde(default)]
    org: Option<String>,
}

/// `/admin/site-check`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<Asked>,
) -> Result<SiteCheckPage, PageError> {
    let v = site_check::view(&state, &staff.actor, q.org.as_deref()).await?;
    let of = |s: gongkai_core::site_check::Severity| v.findings.iter().filter(|(f, _)| f.severity == s).count();
    Ok(SiteCheckPage {
        csrf: staff.csrf.clone(),
        veto: of(gongkai_core::site_check::Severity::Veto),
        deduct: of(gongkai_core::site_check::Severity::Deduct),
        warn: of(gongkai_core::site_check::Severity::Warn),
        run: v.run,
        findings: v.findings,
        orgs: v.orgs,
        org_name: v.org.map(|o| o.name),
        may_run: v.may_run,
    })
}

#[derive(Deserialize)]
pub struct RunForm {
    csrf: String,
}

/// `POST /admin/site-check/run`.
pub async fn run(
    State(state): State<AppState>,
    staff: Staff,
    axum::Form(f): axum::Form<RunForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    site_check::run_now(&state, &staff.actor).await?;
    Ok(Redirect::to("/admin/site-check").into_response())
}
