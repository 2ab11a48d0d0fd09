//! A reviewed, audited publication (审核发布): the shared path of anything the public sees that
//! is not itself an item — list adjustments today — with the same three hands as an item
//! (谁公开谁审查): an editor drafts and submits, a reviewer of the same org checks secrecy and
//! privacy (保密审查), an approver signs it off (审批签发); neither of the last two may be the
//! drafter, and a return always says why. The store records every step in the audit chain.

use crate::code_enum::code_enum;
use crate::{Actor, OrgPath, Role};
use thiserror::Error;

code_enum! {
    /// Where a reviewed publication stands.
    ReviewState {
        /// 草稿: the editor's, not yet submitted.
        Draft = ("draft", "草稿"),
        /// 待保密审查.
        Submitted = ("submitted", "待保密审查"),
        /// 待审批签发.
        Reviewed = ("reviewed", "待审批签发"),
        /// 已退回修改, with the reason.
        Returned = ("returned", "已退回修改"),
        /// 已发布.
        Published = ("published", "已发布"),
    }
}

impl ReviewState {
    /// True while the drafter may still change it.
    pub const fn editable(self) -> bool {
        matches!(self, Self::Draft | Self::Returned)
    }
}

/// A step on the review path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReviewStep {
    /// 提交审查 (the editor).
    Submit,
    /// 审查通过 (the reviewer).
    Pass,
    /// 签发 (the approver): published.
    Approve,
    /// 退回 with the reason (the reviewer or the approver at their stage).
    Return(String),
}

impl ReviewStep {
    /// Reads a step from its code and the reason given with it.
    pub fn parse(code: &str, reason: &str) -> Option<Self> {
        match code {
            "submit" => Some(Self::Submit),
            "pass" => Some(Self::Pass),
            "approve" => Some(Self::Approve),
            "return" => Some(Self::Return(reason.trim().to_string())),
            _ => None,
        }
    }

    /// The step's Chinese name, for the audit trail and pages.
    pub fn label(&self) -> &'static str {
        match self {
            Self::Submit => "提交审查",
            Self::Pass => "保密审查通过",
            Self::Approve => "审批签发",
            Self::Return(_) => "退回修改",
        }
    }
}

/// Why a review step is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReviewRefusal {
    #[error(transparent)]
    Denied(#[from] crate::Denied),
    #[error("当前状态为「{}」，不能{}", .0.label(), .1)]
    WrongState(ReviewState, &'static str),
    #[error("不能审查或签发本人起草的内容")]
    OwnDraft,
    #[error("退回须说明理由")]
    ReasonMissing,
}

/// Decides a step: the state it leads to, or why not.
pub fn decide(
    actor: &Actor,
    org: &OrgPath,
    state: ReviewState,
    drafted_by: &str,
    step: &ReviewStep,
) -> Result<ReviewState, ReviewRefusal> {
    let own = drafted_by == actor.username.as_str();
    match step {
        ReviewStep::Submit => {
            actor.may_work_in(Role::Editor, org)?;
            if !state.editable() {
                return Err(ReviewRefusal::WrongState(state, step.label()));
            }
            Ok(ReviewState::Submitted)
        }
        ReviewStep::Pass => {
            actor.may_work_in(Role::Reviewer, org)?;
            if state != ReviewState::Submitted {
                return Err(ReviewRefusal::WrongState(state, step.label()));
            }
            if own {
                return Err(ReviewRefusal::OwnDraft);
            }
            Ok(ReviewState::Reviewed)
        }
        ReviewStep::Approve => {
            actor.may_work_in(Role::Approver, org)?;
            if state != ReviewState::Reviewed {
                return Err(ReviewRefusal::WrongState(state, step.label()));
            }
            if own {
                return Err(ReviewRefusal::OwnDraft);
            }
            Ok(ReviewState::Published)
        }
        ReviewStep::Return(reason) => {
            match state {
                ReviewState::Submitted => actor.may_work_in(Role::Reviewer, org)?,
                ReviewState::Reviewed => actor.may_work_in(Role::Approver, org)?,
                _ => return Err(ReviewRefusal::WrongState(state, step.label())),
            }
            if reason.trim().is_empty() {
                return Err(ReviewRefusal::ReasonMissing);
            }
            Ok(ReviewState::Returned)
        }
    }
}

/// The steps `actor` may take now, for pages that offer only those.
pub fn steps_open(actor: &Actor, org: &OrgPath, state: ReviewState, drafted_by: &str) -> Vec<&'static str> {
    ["submit", "pass", "approve", "return"]
        .into_iter()
        .filter(|code| {
            ReviewStep::parse(code, "理由").is_some_and(|step| decide(actor, org, state, drafted_by, &step).is_ok())
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Username;

    fn actor(name: &str, roles: &[Role]) -> Actor {
        Actor {
            user_id: 1,
            username: Username::parse(name).expect("name"),
            org_id: 1,
            org_path: OrgPath::root(1),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn three_hands_and_reasons() {
        let org = OrgPath::root(1);
        let editor = actor("bianji", &[Role::Editor]);
        let all = actor("quanneng", &[Role::Editor, Role::Reviewer, Role::Approver]);
        let reviewer = actor("shencha", &[Role::Reviewer]);
        let approver = actor("qianfa", &[Role::Approver]);
        use ReviewState::*;
        assert_eq!(decide(&editor, &org, Draft, "bianji", &ReviewStep::Submit), Ok(Submitted));
        assert_eq!(
            decide(&editor, &org, Submitted, "bianji", &ReviewStep::Pass)
                .map_err(|e| matches!(e, ReviewRefusal::Denied(_))),
            Err(true)
        );
        assert_eq!(decide(&all, &org, Submitted, "quanneng", &ReviewStep::Pass), Err(ReviewRefusal::OwnDraft));
        assert_eq!(decide(&reviewer, &org, Submitted, "bianji", &ReviewStep::Pass), Ok(Reviewed));
        assert_eq!(
            decide(&approver, &org, Submitted, "bianji", &ReviewStep::Approve),
            Err(ReviewRefusal::WrongState(Submitted, "审批签发"))
        );
        assert_eq!(
            decide(&approver, &org, Reviewed, "bianji", &ReviewStep::Return(" ".into())),
            Err(ReviewRefusal::ReasonMissing)
        );
        assert_eq!(
            decide(&approver, &org, Reviewed, "bianji", &ReviewStep::Return("依据文号有误".into())),
            Ok(Returned)
        );
        assert_eq!(decide(&editor, &org, Returned, "bianji", &ReviewStep::Submit), Ok(Submitted));
        assert_eq!(decide(&approver, &org, Reviewed, "bianji", &ReviewStep::Approve), Ok(Published));
        assert_eq!(steps_open(&reviewer, &org, Submitted, "bianji"), vec!["pass", "return"]);
        assert!(steps_open(&editor, &org, Published, "bianji").is_empty());
        let elsewhere = OrgPath::root(2);
        assert!(decide(&editor, &elsewhere, Draft, "bianji", &ReviewStep::Submit).is_err());
    }
}
