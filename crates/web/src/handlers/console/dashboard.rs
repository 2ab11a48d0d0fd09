//! The console's first page: who I am, my org and the orgs I administer or supervise, and
//! for the audit administrator the latest entries of the audit trail.

use crate::app::dashboard::{self, Waiting};
use crate::auth::Staff;
use crate::util::beijing;
use crate::{AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use gongkai_core::Role;

pub struct OrgRow {
    pub name: String,
    pub code: String,
    pub kind_label: &'static str,
    pub depth: usize,
}

pub struct AuditLine {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub object: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "console/dashboard.html")]
pub struct DashboardPage {
    pub csrf: String,
    pub username: String,
    pub display_name: String,
    pub org_name: String,
    pub roles: Vec<&'static str>,
    pub orgs: Vec<OrgRow>,
    pub audit: Vec<AuditLine>,
    pub is_admin: bool,
    /// The security administrator (accounts).
    pub is_security: bool,
    /// The audit administrator (the trail).
    pub is_auditor: bool,
    /// An administrator of a top-level org (keeps the site settings).
    pub is_top_admin: bool,
    pub waiting: Vec<Waiting>,
    /// Warnings to the office and administrators: (text, link).
    pub alerts: Vec<(String, String)>,
    /// The year's milestones near: (text, link, within two weeks).
    pub milestones: Vec<(String, String, bool)>,
}

pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<DashboardPage, PageError> {
    let actor = &staff.actor;
    let (user, org) = crate::app::accounts::me(&state, actor).await?;
    let orgs = dashboard::overseen_orgs(&state, actor)
        .await?
        .into_iter()
        .map(|o| OrgRow {
            depth: o.path.depth().saturating_sub(actor.org_path.depth()),
            name: o.name,
            code: o.ident.as_str().to_string(),
            kind_label: o.kind.label(),
        })
        .collect();
    let audit = dashboard::recent_audit(&state, actor, 20)
        .await?
        .into_iter()
        .map(|r| AuditLine {
            seq: r.seq,
            at: beijing(&r.at),
            actor: gongkai_core::audit::who_label(&r.actor).to_string(),
            action: gongkai_core::audit::action_label(&r.action),
            object: format!("{} {}", gongkai_core::audit::object_kind_label(&r.object_kind), r.object_id),
        })
        .collect();
    let is_admin = actor.has(Role::Admin);
    Ok(DashboardPage {
        waiting: dashboard::waiting(&state, actor).await?,
        csrf: staff.csrf.clone(),
        username: user.username.as_str().to_string(),
        display_name: user.display_name,
        org_name: org.name,
        roles: actor.roles.iter().map(|r| r.label()).collect(),
        orgs,
        audit,
        is_admin,
        is_security: actor.has(Role::SecurityAdmin),
        is_auditor: actor.has(Role::Auditor),
        is_top_admin: is_admin && actor.org_path.depth() == 1,
        alerts: dashboard::alerts(&state, actor).await?,
        milestones: crate::app::trainings::milestones_near(&state, actor).await?,
    })
}
