//! The console's menu, each person's own: the links their roles work with (an editor sees
//! no 年度报告 or 监测指标; a security administrator sees accounts, not items). A middleware
//! opens a task-local slot for the request; the staff extractor notes the roles in it; the
//! menu template reads it (as [`crate::site`] does for the site settings).

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use gongkai_core::Role;
use gongkai_core::Role::*;
use std::sync::{Arc, OnceLock};

tokio::task_local! {
    static ROLES: Arc<OnceLock<Vec<Role>>>;
}

/// The work roles (everyone but the three administrators).
const WORK: &[Role] = &[Editor, Reviewer, Approver, RequestHandler, LetterHandler, Supervisor];

/// Every link of the console's menu with the roles that see it (empty: everyone).
const MENU: &[(&str, &str, &[Role])] = &[
    ("/admin", "工作台", &[]),
    ("/admin/items", "信息管理", &[Editor, Reviewer, Approver, RequestHandler, Supervisor]),
    ("/admin/requests", "申请办理", &[RequestHandler, Approver, Supervisor]),
    ("/admin/letters", "来信办理", &[LetterHandler, Reviewer, Approver, Editor, Supervisor, Admin]),
    ("/admin/concerns", "舆情回应", &[Editor, Approver, Supervisor]),
    ("/admin/press", "新闻发布", &[Editor, Approver, Supervisor]),
    ("/admin/notices", "公示管理", &[Editor, Reviewer, Approver, Supervisor]),
    ("/admin/lists", "公开清单", &[Editor, Reviewer, Approver, Supervisor]),
    ("/admin/gazette", "政府公报", &[Editor, Reviewer, Approver, Supervisor]),
    ("/admin/consultations", "意见征集", &[Editor, Reviewer, Approver, Supervisor]),
    ("/admin/surveys", "网上调查", &[Editor, Approver, Supervisor]),
    ("/admin/meetings", "会议列席", &[Editor, Approver, Supervisor]),
    ("/admin/proposals", "建议提案办理", &[Editor, LetterHandler, Approver, Supervisor]),
    ("/admin/reports", "年度报告", &[Approver, Supervisor]),
    ("/admin/supervision", "监测指标", &[Supervisor, Admin]),
    ("/admin/assessment", "年度考核", &[Supervisor]),
    ("/admin/site-check", "网站自查", &[Editor, Supervisor, Admin]),
    ("/admin/wording", "表述检查词表", &[Supervisor, Admin]),
    ("/admin/spot-checks", "抽查整改", WORK),
    ("/admin/workplans", "任务督办", &[Editor, Approver, Supervisor]),
    ("/admin/org-profile", "机构概况", &[Editor, Supervisor, Admin]),
    ("/admin/media", "政务新媒体", &[Editor, Supervisor, Admin]),
    ("/admin/trainings", "培训与汇报", &[Editor, Supervisor, Admin]),
    ("/admin/inspections", "年度自查", &[Editor, Reviewer, Approver, RequestHandler, Supervisor]),
    ("/admin/orgs", "单位与人员", &[Admin, SecurityAdmin]),
    ("/admin/audit", "操作记录", &[Auditor]),
    ("/admin/tokens", "访问令牌", &[Admin, SecurityAdmin, Auditor, Supervisor]),
    ("/admin/password", "修改密码", &[]),
];

/// The middleware: a slot for the roles of whoever this request turns out to be.
pub async fn layer(req: Request, next: Next) -> Response {
    ROLES.scope(Arc::new(OnceLock::new()), next.run(req)).await
}

/// Notes the roles of the staff member answering this request (by the staff extractor).
pub fn note(roles: &[Role]) {
    let _ = ROLES.try_with(|slot| slot.set(roles.to_vec()));
}

/// The links for `roles`.
pub fn for_roles(roles: &[Role]) -> Vec<(&'static str, &'static str)> {
    MENU.iter()
        .filter(|(_, _, need)| need.is_empty() || need.iter().any(|r| roles.contains(r)))
        .map(|(href, label, _)| (*href, *label))
        .collect()
}

/// The links of this request's staff member (all of them when no one was noted).
pub fn items() -> Vec<(&'static str, &'static str)> {
    match ROLES.try_with(|slot| slot.get().cloned()).ok().flatten() {
        Some(roles) => for_roles(&roles),
        None => MENU.iter().map(|(href, label, _)| (*href, *label)).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_role_sees_its_work() {
        let labels = |roles: &[Role]| for_roles(roles).into_iter().map(|(_, l)| l).collect::<Vec<_>>();
        let editor = labels(&[Editor]);
        assert!(editor.contains(&"信息管理") && editor.contains(&"修改密码"), "{editor:?}");
        assert!(!editor.contains(&"年度报告") && !editor.contains(&"监测指标") && !editor.contains(&"访问令牌"));
        assert_eq!(labels(&[Auditor]), ["工作台", "操作记录", "访问令牌", "修改密码"]);
        assert_eq!(labels(&[SecurityAdmin]), ["工作台", "单位与人员", "访问令牌", "修改密码"]);
        assert_eq!(labels(&[Supervisor]).len(), MENU.len() - 2, "the office sees all work, not accounts or the trail");
    }
}
