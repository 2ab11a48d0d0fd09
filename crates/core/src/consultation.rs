//! Consultations on drafts (意见征集): a draft published with its 起草说明 and basis is open for
//! comments for a period — at least 30 days for 规章 and 重大行政决策 unless a shorter one is
//! justified (《重大行政决策程序暂行条例》第十四条; 《规章制定程序条例》第二十条) — comments are
//! moderated with a reason, and after the period the **feedback report** (意见采纳情况) groups
//! the opinions, each adopted, partly adopted or not adopted, with the reason required for
//! every group not adopted in full (seed 002: 相对集中的意见建议不予采纳的，公布时要说明理由). The
//! report is published by a leader other than its drafter; a final policy linked to the
//! consultation can be held back until it is.

use crate::Role;
use crate::code_enum::code_enum;
use chrono::NaiveDate;
use thiserror::Error;

code_enum! {
    /// What is consulted on.
    ConsultationKind {
        /// 规范性文件.
        Normative = ("normative", "行政规范性文件"),
        /// 规章.
        Rule = ("rule", "规章"),
        /// 重大行政决策.
        MajorDecision = ("major_decision", "重大行政决策"),
        /// 其他.
        Other = ("other", "其他政策措施"),
    }
}

impl ConsultationKind {
    /// The shortest period the rules ask for without a justification, in days.
    pub const fn min_days(self) -> i64 {
        match self {
            Self::Rule | Self::MajorDecision => 30,
            Self::Normative | Self::Other => 0,
        }
    }
}

/// The default comment period, in days.
pub const DEFAULT_DAYS: i64 = 30;

code_enum! {
    /// Where a consultation stands.
    ConsultationStage {
        /// 征集中: within its period.
        Open = ("open", "征集中"),
        /// 已截止: the period is over, the feedback not published.
        Closed = ("closed", "已截止，待反馈"),
        /// 已反馈: the feedback report is published.
        Answered = ("answered", "已公布采纳情况"),
    }
}

/// The stage on `today` of a consultation open from `opens_on` to `closes_on` (both
/// included), with or without its feedback published.
pub fn stage(closes_on: NaiveDate, feedback_published: bool, today: NaiveDate) -> ConsultationStage {
    if feedback_published {
        ConsultationStage::Answered
    } else if today <= closes_on {
        ConsultationStage::Open
    } else {
        ConsultationStage::Closed
    }
}

code_enum! {
    /// A comment's moderation.
    CommentState {
        /// 待审核.
        Pending = ("pending", "待审核"),
        /// 已采用 (counted, shown when the consultation shows comments).
        Accepted = ("accepted", "已收录"),
        /// 不予收录, with the reason.
        Rejected = ("rejected", "不予收录"),
    }
}

code_enum! {
    /// What became of a group of opinions.
    Adoption {
        /// 采纳.
        Adopted = ("adopted", "采纳"),
        /// 部分采纳.
        Partly = ("partly", "部分采纳"),
        /// 不予采纳.
        NotAdopted = ("not_adopted", "不予采纳"),
    }
}

/// One group of the feedback report.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct OpinionGroup {
    /// The opinions in a sentence.
    pub summary: String,
    /// How many comments made them.
    pub count: u32,
    pub adoption: Adoption,
    /// Why (required unless adopted).
    #[serde(default)]
    pub reason: String,
}

/// Why a consultation step is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConsultationRefusal {
    #[error(transparent)]
    Denied(#[from] crate::Denied),
    #[error("请填写{0}")]
    Required(&'static str),
    #[error("{}", crate::letter::FieldProblem::joined(.0))]
    Fields(Vec<crate::letter::FieldProblem>),
    #[error("征集期限须为 1 至 180 天，截止日期不能早于开始日期")]
    Period,
    #[error("{kind}的征求意见期限一般不少于 30 日；本次仅 {days} 日，请填写缩短期限的理由", kind = .kind.label())]
    ShortWithoutReason { kind: ConsultationKind, days: i64 },
    #[error("征集期已结束，不再接受意见")]
    NotOpen,
    #[error("征集期结束后才能公布意见采纳情况")]
    StillOpen,
    #[error("意见采纳情况已公布")]
    Answered,
    #[error("第 {0} 组意见未采纳或部分采纳，须说明理由")]
    ReasonMissing(usize),
    #[error("请至少归纳一组意见（无意见的，写明“未收到意见”）")]
    NoGroups,
    #[error("意见采纳情况须由起草人以外的负责人审核公布")]
    OwnDraft,
    #[error("尚未起草意见采纳情况")]
    NoDraft,
}

/// Checks a new consultation's period: `opens_on` to `closes_on` both included.
pub fn check_period(
    kind: ConsultationKind,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    short_reason: &str,
) -> Result<i64, ConsultationRefusal> {
    let days = (closes_on - opens_on).num_days() + 1;
    if !(1..=180).contains(&days) {
        return Err(ConsultationRefusal::Period);
    }
    if days < kind.min_days() && short_reason.trim().is_empty() {
        return Err(ConsultationRefusal::ShortWithoutReason { kind, days });
    }
    Ok(days)
}

/// Who runs an org's consultations: its editors, or its office (a supervisor).
pub fn may_run(actor: &crate::Actor, org: &crate::OrgPath) -> Result<(), crate::Denied> {
    if actor.may_work_in(Role::Editor, org).is_ok() {
        return Ok(());
    }
    actor.may_work_in(Role::Supervisor, org)
}

/// Checks a feedback report before it is saved: at least one group, each with its summary,
/// and a reason for every group not adopted in full.
pub fn check_feedback(groups: &[OpinionGroup]) -> Result<(), ConsultationRefusal> {
    if groups.is_empty() {
        return Err(ConsultationRefusal::NoGroups);
    }
    for (i, g) in groups.iter().enumerate() {
        if g.summary.trim().is_empty() {
            return Err(ConsultationRefusal::Required("每组意见的概述"));
        }
        if g.adoption != Adoption::Adopted && g.reason.trim().is_empty() {
            return Err(ConsultationRefusal::ReasonMissing(i + 1));
        }
    }
    Ok(())
}

/// Publishing the feedback report: after the period, by the org's approver who did not draft it.
pub fn may_publish_feedback(
    actor: &crate::Actor,
    org: &crate::OrgPath,
    stage: ConsultationStage,
    drafted_by: &str,
) -> Result<(), ConsultationRefusal> {
    actor.may_work_in(Role::Approver, org)?;
    match stage {
        ConsultationStage::Open => Err(ConsultationRefusal::StillOpen),
        ConsultationStage::Answered => Err(ConsultationRefusal::Answered),
        ConsultationStage::Closed if drafted_by.is_empty() => Err(ConsultationRefusal::NoDraft),
        ConsultationStage::Closed if drafted_by == actor.username.as_str() => Err(ConsultationRefusal::OwnDraft),
        ConsultationStage::Closed => Ok(()),
    }
}

/// Checks a comment from the public: the text, within its length; name optional.
pub fn check_comment(name: &str, contact: &str, article: &str, text: &str) -> Result<(), ConsultationRefusal> {
    let mut out = Vec::new();
    let mut err = |field, message: &str| out.push(crate::letter::FieldProblem { field, message: message.into() });
    if name.trim().chars().count() > 50 {
        err("name", "姓名不超过 50 个字");
    }
    let contact = contact.trim();
    if !contact.is_empty()
        && (contact.chars().count() > 100
            || !(crate::letter::valid_phone(contact) || crate::letter::valid_email(contact)))
    {
        err("contact", "联系方式请填写电话号码或电子邮箱（也可不填）");
    }
    if article.trim().chars().count() > 50 {
        err("article", "条款不超过 50 个字（如“第三条”）");
    }
    match text.trim().chars().count() {
        0 | 1 => err("body", "请填写意见内容（至少 2 个字）"),
        n if n > 5000 => err("body", "意见内容不超过 5000 个字"),
        _ => {}
    }
    if out.is_empty() { Ok(()) } else { Err(ConsultationRefusal::Fields(out)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, OrgPath, Username};

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn actor(path: &OrgPath, name: &str, roles: &[Role]) -> Actor {
        Actor {
            user_id: 1,
            username: Username::parse(name).expect("valid"),
            org_id: 1,
            org_path: path.clone(),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn rules_and_major_decisions_get_thirty_days_unless_justified() {
        assert_eq!(check_period(ConsultationKind::Rule, d("2026-11-01"), d("2026-11-30"), ""), Ok(30));
        assert_eq!(
            check_period(ConsultationKind::MajorDecision, d("2026-11-01"), d("2026-11-15"), ""),
            Err(ConsultationRefusal::ShortWithoutReason { kind: ConsultationKind::MajorDecision, days: 15 })
        );
        assert_eq!(check_period(ConsultationKind::MajorDecision, d("2026-11-01"), d("2026-11-15"), "防汛应急"), Ok(15));
        assert_eq!(check_period(ConsultationKind::Normative, d("2026-11-01"), d("2026-11-07"), ""), Ok(7));
        assert_eq!(
            check_period(ConsultationKind::Other, d("2026-11-07"), d("2026-11-01"), ""),
            Err(ConsultationRefusal::Period)
        );
    }

    #[test]
    fn stages_follow_the_period_and_the_feedback() {
        assert_eq!(stage(d("2026-11-30"), false, d("2026-11-30")), ConsultationStage::Open);
        assert_eq!(stage(d("2026-11-30"), false, d("2026-12-01")), ConsultationStage::Closed);
        assert_eq!(stage(d("2026-11-30"), true, d("2026-12-01")), ConsultationStage::Answered);
    }

    #[test]
    fn every_group_not_adopted_gives_its_reason() {
        let g = |adoption, reason: &str| OpinionGroup {
            summary: "建议延长过渡期".into(),
            count: 12,
            adoption,
            reason: reason.into(),
        };
        assert_eq!(check_feedback(&[]), Err(ConsultationRefusal::NoGroups));
        assert!(check_feedback(&[g(Adoption::Adopted, "")]).is_ok());
        assert_eq!(
            check_feedback(&[g(Adoption::Adopted, ""), g(Adoption::NotAdopted, " ")]),
            Err(ConsultationRefusal::ReasonMissing(2))
        );
        assert_eq!(check_feedback(&[g(Adoption::Partly, "")]), Err(ConsultationRefusal::ReasonMissing(1)));
        assert!(check_feedback(&[g(Adoption::NotAdopted, "与上位法规定不符")]).is_ok());
    }

    #[test]
    fn a_leader_other_than_the_drafter_publishes_after_the_period() {
        let org = OrgPath::root(1);
        let leader = actor(&org, "leader", &[Role::Approver]);
        let editor = actor(&org, "editor", &[Role::Editor, Role::Approver]);
        assert_eq!(
            may_publish_feedback(&leader, &org, ConsultationStage::Open, "editor"),
            Err(ConsultationRefusal::StillOpen)
        );
        assert!(may_publish_feedback(&leader, &org, ConsultationStage::Closed, "editor").is_ok());
        assert_eq!(
            may_publish_feedback(&editor, &org, ConsultationStage::Closed, "editor"),
            Err(ConsultationRefusal::OwnDraft)
        );
        assert_eq!(
            may_publish_feedback(&leader, &org, ConsultationStage::Closed, ""),
            Err(ConsultationRefusal::NoDraft)
        );
        assert!(
            may_publish_feedback(&actor(&org, "ed2", &[Role::Editor]), &org, ConsultationStage::Closed, "editor")
                .is_err()
        );
    }
}
