//! The console's first page: who I am, my org and the orgs I administer or supervise, and
//! for admins the latest entries of the audit trail.

use crate::auth::Staff;
use crate::util::beijing;
use crate::{AppError, AppState, PageError};
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

/// One thing waiting for the staff member.
pub struct Waiting {
    pub label: String,
    pub count: usize,
    pub href: String,
    pub urgent: bool,
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
    /// An administrator of a top-level org (keeps the site settings).
    pub is_top_admin: bool,
    pub waiting: Vec<Waiting>,
    /// Warnings to the office and administrators: (text, link).
    pub alerts: Vec<(String, String)>,
}

pub async fn show(State(state): State<AppState>, staff: Staff) -> Result<DashboardPage, PageError> {
    let actor = &staff.actor;
    let user = state.store.user_by_id(actor.user_id).await?.ok_or(AppError::Unauthorized)?;
    let org = state.store.org_by_id(actor.org_id).await?.ok_or(AppError::Unauthorized)?;
    let overseer = actor.has(Role::Admin) || actor.has(Role::Supervisor);
    let orgs = if overseer {
        state
            .store
            .orgs()
            .await?
            .into_iter()
            .filter(|o| o.path.is_within(&actor.org_path))
            .map(|o| OrgRow {
                depth: o.path.depth().saturating_sub(actor.org_path.depth()),
                name: o.name,
                code: o.ident.as_str().to_string(),
                kind_label: o.kind.label(),
            })
            .collect()
    } else {
        Vec::new()
    };
    let is_admin = actor.has(Role::Admin);
    let audit = if is_admin {
        state
            .store
            .recent_audit(None, 20)
            .await?
            .into_iter()
            .map(|r| AuditLine {
                seq: r.seq,
                at: beijing(&r.at),
                actor: r.actor,
                action: r.action,
                object: format!("{} {}", r.object_kind, r.object_id),
            })
            .collect()
    } else {
        Vec::new()
    };
    let waiting = waiting(&state, actor).await?;
    let mut alerts = Vec::new();
    if overseer && let Some(year) = state.calendar().await?.missing_notice(state.today()) {
        alerts.push((
            format!("{year} 年节假日安排通知尚未载入：涉及 {year} 年的期限暂按法定节假日推算，标为“暂定”。请依据国务院办公厅通知载入。"),
            "/admin/calendar".to_string(),
        ));
    }
    Ok(DashboardPage {
        waiting,
        csrf: staff.csrf.clone(),
        username: user.username.as_str().to_string(),
        display_name: user.display_name,
        org_name: org.name,
        roles: actor.roles.iter().map(|r| r.label()).collect(),
        orgs,
        audit,
        is_admin,
        is_top_admin: is_admin && actor.org_path.depth() == 1,
        alerts,
    })
}

/// What waits for the staff member, by role: drafts to finish and send (editors), items to
/// review (reviewers), to approve and to publish (approvers), requests overdue or due within
/// five working days and all open ones (handlers), last year's annual report not yet
/// published (supervisors and administrators).
async fn waiting(state: &AppState, actor: &gongkai_core::Actor) -> Result<Vec<Waiting>, AppError> {
    use gongkai_core::item::ItemState;
    let mut out = Vec::new();
    let mut items = |label: &str, st: ItemState, n: usize| {
        if n > 0 {
            out.push(Waiting {
                label: label.into(),
                count: n,
                href: format!("/admin/items?state={}", st.as_str()),
                urgent: false,
            });
        }
    };
    let count = |st| async move { state.store.items_in_org(actor.org_id, Some(st), 1000).await.map(|v| v.len()) };
    if actor.has(Role::Editor) {
        items("草稿待完善、送审", ItemState::Draft, count(ItemState::Draft).await?);
    }
    if actor.has(Role::Reviewer) {
        items("待保密审查", ItemState::Submitted, count(ItemState::Submitted).await?);
    }
    if actor.has(Role::Approver) {
        items("待审批签发", ItemState::Reviewed, count(ItemState::Reviewed).await?);
        items("待发布", ItemState::Approved, count(ItemState::Approved).await?);
    }
    // The workspace is read once for both roles that look at it.
    let rows = if actor.has(Role::RequestHandler) || actor.has(Role::Supervisor) {
        crate::app::requests::workspace(state, actor, None, true).await?
    } else {
        Vec::new()
    };
    if actor.has(Role::RequestHandler) {
        let overdue = rows.iter().filter(|r| r.clock.status == "overdue").count();
        let near = rows.iter().filter(|r| r.clock.status == "near").count();
        if overdue > 0 {
            out.push(Waiting {
                label: "依申请公开：已逾期".into(),
                count: overdue,
                href: "/admin/requests".into(),
                urgent: true,
            });
        }
        if near > 0 {
            out.push(Waiting {
                label: "依申请公开：5 个工作日内到期".into(),
                count: near,
                href: "/admin/requests".into(),
                urgent: true,
            });
        }
        if !rows.is_empty() {
            out.push(Waiting {
                label: "依申请公开：办理中".into(),
                count: rows.len(),
                href: "/admin/requests".into(),
                urgent: false,
            });
        }
    }
    if actor.has(Role::Supervisor) {
        let to_route = rows.iter().filter(|r| r.flags.contains(&"to_route")).count();
        if to_route > 0 {
            out.push(Waiting {
                label: "依申请公开：待分办（所在机关无办理人员）".into(),
                count: to_route,
                href: "/admin/requests".into(),
                urgent: true,
            });
        }
    }
    if actor.has(Role::Supervisor) || actor.has(Role::Admin) {
        let year = chrono::Datelike::year(&state.today()) - 1;
        let missing = crate::app::reports::statuses(state, actor, year)
            .await?
            .iter()
            .filter(|s| s.state != Some(crate::app::reports::ReportState::Published))
            .count();
        if missing > 0 {
            out.push(Waiting {
                label: format!("{year} 年度报告尚未发布的单位"),
                count: missing,
                href: format!("/admin/reports?year={year}"),
                urgent: true,
            });
        }
    }
    Ok(out)
}
