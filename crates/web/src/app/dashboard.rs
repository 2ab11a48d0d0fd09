//! The dashboard, the use case: what waits for a staff member by their roles (drafts to
//! finish, items to review, approve and publish, requests overdue or due soon, requests to
//! route, annual reports not yet published), the orgs they oversee, the latest audit
//! entries for administrators, and the alerts for the office.

use crate::{AppError, AppState};
use gongkai_core::item::ItemState;
use gongkai_core::request::{NEAR_DAYS, Urgency};
use gongkai_core::{Actor, Role};
pub use gongkai_store::{AuditRow, Org};

/// One thing waiting for the staff member.
pub struct Waiting {
    pub label: String,
    pub count: usize,
    pub href: String,
    pub urgent: bool,
}

/// What waits for the staff member, by role.
pub async fn waiting(state: &AppState, actor: &Actor) -> Result<Vec<Waiting>, AppError> {
    let mut out = Vec::new();
    let mut push = |label: String, count: usize, href: String, urgent: bool| {
        if count > 0 {
            out.push(Waiting { label, count, href, urgent });
        }
    };
    let counts = super::items::state_counts(state, actor.org_id).await?;
    let count = |st: ItemState| counts.iter().find(|(s, _)| *s == st).map(|(_, n)| *n as usize).unwrap_or(0);
    let queues: [(Role, &str, ItemState); 4] = [
        (Role::Editor, "草稿待完善、送审", ItemState::Draft),
        (Role::Reviewer, "待保密审查", ItemState::Submitted),
        (Role::Approver, "待审批签发", ItemState::Reviewed),
        (Role::Approver, "待发布", ItemState::Approved),
    ];
    for (role, label, st) in queues {
        if actor.has(role) {
            push(label.into(), count(st), format!("/admin/items?state={}", st.as_str()), false);
        }
    }
    // Every open request under the org, counted from the clocks alone (the workspace lists
    // at most 10,000).
    // and the interpretations owed: the two longest counts, read at once on their own
    // connections.
    let (counts, (missing, due)) = tokio::try_join!(
        async {
            if actor.has(Role::RequestHandler) || actor.has(Role::Supervisor) {
                super::requests::open_counts(state, actor).await
            } else {
                Ok(super::requests::OpenCounts::default())
            }
        },
        async {
            if actor.has(Role::Editor) || actor.has(Role::Supervisor) {
                interpretations_owed(state, actor).await
            } else {
                Ok((0, 0))
            }
        },
    )?;
    if actor.has(Role::RequestHandler) {
        push("依申请公开：已逾期".into(), counts.overdue, "/admin/requests".into(), true);
        push(format!("依申请公开：{NEAR_DAYS} 个工作日内到期"), counts.near, "/admin/requests".into(), true);
        push("依申请公开：办理中".into(), counts.open, "/admin/requests".into(), false);
    }
    if actor.has(Role::Supervisor) {
        push("依申请公开：待分办（所在机关无办理人员）".into(), counts.to_route, "/admin/requests".into(), true);
    }
    let letter_roles = [Role::LetterHandler, Role::Reviewer, Role::Approver, Role::Supervisor];
    if letter_roles.iter().any(|r| actor.has(*r)) {
        let open = super::letters::workspace(state, actor, true).await?;
        let with = |u: Urgency| open.iter().filter(|w| w.clock.status == u.as_str()).count();
        let in_state = |s: super::letters::LetterState| open.iter().filter(|w| w.state == s.as_str()).count();
        push("来信：已逾期".into(), with(Urgency::Overdue), "/admin/letters".into(), true);
        push("来信：即将到期".into(), with(Urgency::Near), "/admin/letters".into(), true);
        if actor.has(Role::LetterHandler) || actor.has(Role::Supervisor) {
            push(
                "来信：待分办".into(),
                in_state(super::letters::LetterState::Received),
                "/admin/letters".into(),
                false,
            );
        }
        if actor.has(Role::Reviewer) || actor.has(Role::Approver) {
            push(
                "来信：答复待审核".into(),
                in_state(super::letters::LetterState::InReview),
                "/admin/letters".into(),
                false,
            );
        }
        if actor.has(Role::LetterHandler) {
            push("来信：办理中".into(), open.len(), "/admin/letters".into(), false);
        }
    }
    if actor.has(Role::Editor) || actor.has(Role::Supervisor) {
        push("政策解读：逾期未发布".into(), missing, "/admin/supervision/interpretations".into(), true);
        push("政策解读：待发布".into(), due, "/admin/supervision/interpretations".into(), true);
        let open_only = super::concerns::Filter { open: Some(true), ..Default::default() };
        let open = super::concerns::workspace(state, actor, &open_only).await?;
        let with = |u: Urgency| open.iter().filter(|c| c.urgency.as_deref() == Some(u.as_str())).count();
        push("舆情：回应已超时".into(), with(Urgency::Overdue), "/admin/concerns".into(), true);
        push("舆情：即将到回应时限".into(), with(Urgency::Near), "/admin/concerns".into(), true);
        push("舆情：处置中".into(), open.len(), "/admin/concerns".into(), false);
        // 公示 whose period ended and whose result announcement is owed.
        let notices = super::public_notices::office_list(state, actor).await?;
        let late = notices.iter().filter(|n| n.status == "result_overdue").count();
        let owed = notices.iter().filter(|n| n.needs_result()).count() - late;
        push("公示：结果公告逾期".into(), late, "/admin/notices".into(), true);
        push("公示：期满待公告结果".into(), owed, "/admin/notices".into(), true);
    }
    // The website self-check's latest run: what would fail the inspection, what soon will.
    let (veto, warn) = super::site_check::alarms(state, actor).await?;
    push("网站自查：单项否决风险".into(), veto, "/admin/site-check".into(), true);
    push("网站自查：即将达到检查阈值".into(), warn, "/admin/site-check".into(), true);
    // 整改 owed by the staff member's org after a spot check; overdue ones for the office.
    let (owed, late) = super::spot_checks::alarms(state, actor).await?;
    push("抽查整改：待本单位整改".into(), owed, "/admin/spot-checks".into(), true);
    if actor.is_overseer() {
        push("抽查整改：逾期未整改".into(), late, "/admin/spot-checks".into(), true);
    }
    let (owed, late) = super::inspections::alarms(state, actor).await?;
    push("年度自查：确定公开的事项待发布".into(), owed, "/admin/inspections".into(), true);
    if actor.is_overseer() {
        push("年度自查：确定公开的事项逾期未发布".into(), late, "/admin/inspections".into(), true);
    }
    let (overdue, near) = super::proposals::alarms(state, actor).await?;
    push("建议提案：已逾期".into(), overdue, "/admin/proposals".into(), true);
    push("建议提案：15 天内到期".into(), near, "/admin/proposals".into(), true);
    if actor.is_overseer() {
        let year = chrono::Datelike::year(&state.today()) - 1;
        let missing = super::reports::statuses(state, actor, year)
            .await?
            .iter()
            .filter(|s| s.state != Some(super::reports::ReportState::Published))
            .count();
        push(format!("{year} 年度报告尚未发布的单位"), missing, format!("/admin/reports?year={year}"), true);
    }
    Ok(out)
}

/// Interpretations owed by the orgs the staff member answers for (谁起草、谁解读): (missing,
/// due) — this year's policies, and last year's still in their days.
async fn interpretations_owed(state: &AppState, actor: &Actor) -> Result<(usize, usize), AppError> {
    let orgs: Vec<i64> = super::orgs::overseen(state, actor).await?.iter().map(|o| o.id).collect();
    let year = chrono::Datelike::year(&state.today());
    let this = super::interpretations::counts(state, year).await?;
    // Last year's still due: none published 90 days ago or earlier is (30 working days at
    // most, and 90 days hold more than 50).
    let (start, window) = (crate::util::beijing_year_start(year), state.now() - chrono::Duration::days(90));
    let last = if window < start {
        let from = window.max(crate::util::beijing_year_start(year - 1));
        super::interpretations::counts_between(state, (from, start)).await?
    } else {
        Default::default()
    };
    let ours = |counts: &super::interpretations::Counts, f: fn(&gongkai_store::CoverageCounts) -> i64| {
        orgs.iter().filter_map(|o| counts.get(o)).map(f).sum::<i64>() as usize
    };
    Ok((ours(&this, |c| c.missing), ours(&this, |c| c.due) + ours(&last, |c| c.due)))
}

/// The orgs within an overseer's (administrators and supervisors); none for others.
pub async fn overseen_orgs(state: &AppState, actor: &Actor) -> Result<Vec<Org>, AppError> {
    if actor.is_overseer() { super::orgs::overseen(state, actor).await } else { Ok(Vec::new()) }
}

/// The latest audit entries, for the audit administrator (三员); none for others.
pub async fn recent_audit(state: &AppState, actor: &Actor, n: i64) -> Result<Vec<AuditRow>, AppError> {
    super::audit::latest(state, actor, n).await
}

/// Warnings to the office and administrators: (text, link).
pub async fn alerts(state: &AppState, actor: &Actor) -> Result<Vec<(String, String)>, AppError> {
    let mut alerts = Vec::new();
    if let Err(e) = gongkai_core::check_admins_apart(&actor.roles) {
        alerts.push((
            format!(
                "{e}。您的账号同时持有这两种管理员角色（升级前的系统管理员）：请由安全管理员另设人员后取消其中之一。"
            ),
            "/admin/orgs".to_string(),
        ));
    }
    let overseer = actor.is_overseer();
    if overseer && let Some(year) = state.calendar().await?.missing_notice(state.today()) {
        alerts.push((
            format!("{year} 年节假日安排通知尚未载入：涉及 {year} 年的期限暂按法定节假日推算，标为“暂定”。请依据国务院办公厅通知载入。"),
            "/admin/calendar".to_string(),
        ));
    }
    let (_, _, long_open) = super::letters::alarms(state, actor).await?;
    if long_open > 0 {
        alerts.push((
            format!(
                "有 {long_open} 件来信收到已超过 {} 天仍未办结：有效来信 3 个月未答复，政府网站检查单项否决。请立即督办。",
                super::letters::ALARM_DAYS
            ),
            "/admin/letters".to_string(),
        ));
    }
    Ok(alerts)
}
