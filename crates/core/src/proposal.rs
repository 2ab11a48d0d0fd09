//! NPC deputies' suggestions and CPPCC members' proposals (建议提案办理): each is recorded by
//! the office with its number, session and proposer, assigned to a lead org (主办) with
//! co-organising orgs (协办), replied by a letter (答复函) signed by the lead org's leader
//! within 3 months of assignment ([`crate::clock::MonthClock`]), with its category (A/B/C),
//! the proposer's rating, and the reply published in full unless a reason is recorded
//! (seeds 000, 003, 004: 建议提案办理复文全文公开).

use crate::Role;
use crate::clock::MonthClock;
use crate::code_enum::code_enum;
use chrono::NaiveDate;
use thiserror::Error;

code_enum! {
    /// 人大代表建议 or 政协提案.
    ProposalKind {
        /// 人大代表建议.
        NpcSuggestion = ("npc_suggestion", "人大代表建议"),
        /// 政协委员提案.
        CppccProposal = ("cppcc_proposal", "政协提案"),
    }
}

code_enum! {
    /// Where a suggestion or proposal stands.
    ProposalState {
        /// 办理中.
        Assigned = ("assigned", "办理中"),
        /// 已答复.
        Replied = ("replied", "已答复"),
    }
}

code_enum! {
    /// The reply's category (答复类别).
    ReplyCategory {
        /// A 类：所提问题已经解决或基本解决（采纳）.
        A = ("a", "A类（已解决或采纳）"),
        /// B 类：正在解决或已列入计划逐步解决.
        B = ("b", "B类（正在解决或列入计划）"),
        /// C 类：因条件限制等原因留作参考.
        C = ("c", "C类（留作参考）"),
    }
}

/// The reply period in months from assignment (国务院办公厅《关于做好全国人大代表建议和
/// 全国政协委员提案办理工作的通知》: 办结时限 3 个月), the default a record may change.
pub const DEFAULT_MONTHS: u32 = 3;

/// Why a proposal step is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ProposalRefusal {
    /// The actor lacks the role or works elsewhere.
    #[error(transparent)]
    Denied(#[from] crate::Denied),
    /// Replied already (the reply is final; a new one is a new record).
    #[error("已答复，不能再次答复")]
    Replied,
    /// Not replied yet.
    #[error("答复后才能{0}")]
    NotReplied(&'static str),
    /// A required field is empty.
    #[error("请填写{0}")]
    Required(&'static str),
    /// The reply period is out of range.
    #[error("办理期限须为 1 至 12 个月")]
    Months,
    /// Published already.
    #[error("答复已公开")]
    Published,
}

/// The record's facts a step is decided on.
#[derive(Debug, Clone)]
pub struct ProposalFacts<'a> {
    pub state: ProposalState,
    /// The office that recorded it (and the orgs below it).
    pub office_org: &'a crate::OrgPath,
    /// The lead org.
    pub lead_org: &'a crate::OrgPath,
    pub published: bool,
}

/// The office records and assigns: a supervisor of the office's org, the lead org within it.
pub fn may_record(
    actor: &crate::Actor,
    office_org: &crate::OrgPath,
    lead_org: &crate::OrgPath,
) -> Result<(), ProposalRefusal> {
    if !actor.has(Role::Supervisor) {
        return Err(crate::Denied::MissingRole(Role::Supervisor).into());
    }
    if !(office_org == &actor.org_path && lead_org.is_within(office_org)) {
        return Err(crate::Denied::OutsideOrg.into());
    }
    Ok(())
}

/// Checks a new record's fields.
pub fn check_record(number: &str, title: &str, proposer: &str, months: u32) -> Result<(), ProposalRefusal> {
    if number.trim().is_empty() {
        return Err(ProposalRefusal::Required("建议（提案）编号"));
    }
    if title.trim().is_empty() {
        return Err(ProposalRefusal::Required("标题"));
    }
    if proposer.trim().is_empty() {
        return Err(ProposalRefusal::Required("代表（委员）或提出单位"));
    }
    if !(1..=12).contains(&months) {
        return Err(ProposalRefusal::Months);
    }
    Ok(())
}

/// The lead org's leader records the reply letter (答复函) signed by them.
pub fn may_reply(f: &ProposalFacts<'_>, actor: &crate::Actor, text: &str) -> Result<(), ProposalRefusal> {
    if f.state == ProposalState::Replied {
        return Err(ProposalRefusal::Replied);
    }
    actor.may_work_in(Role::Approver, f.lead_org)?;
    if text.trim().is_empty() {
        return Err(ProposalRefusal::Required("答复内容"));
    }
    Ok(())
}

/// The proposer's rating is recorded by the lead org or the office.
pub fn may_record_rating(f: &ProposalFacts<'_>, actor: &crate::Actor) -> Result<(), ProposalRefusal> {
    if f.state != ProposalState::Replied {
        return Err(ProposalRefusal::NotReplied("登记代表（委员）评价"));
    }
    may_follow(f, actor)
}

/// Publication of the full reply, or recording why not (the office or the lead org's leader).
pub fn may_publish(
    f: &ProposalFacts<'_>,
    actor: &crate::Actor,
    publish: bool,
    reason: &str,
) -> Result<(), ProposalRefusal> {
    if f.state != ProposalState::Replied {
        return Err(ProposalRefusal::NotReplied("公开"));
    }
    if f.published {
        return Err(ProposalRefusal::Published);
    }
    if !publish && reason.trim().is_empty() {
        return Err(ProposalRefusal::Required("不公开的理由"));
    }
    may_follow(f, actor)
}

fn may_follow(f: &ProposalFacts<'_>, actor: &crate::Actor) -> Result<(), ProposalRefusal> {
    if actor.may_work_in(Role::Approver, f.lead_org).is_ok() {
        return Ok(());
    }
    if actor.has(Role::Supervisor) && f.office_org.is_within(&actor.org_path) {
        return Ok(());
    }
    Err(crate::Denied::MissingRole(Role::Approver).into())
}

/// The reply clock of a record assigned on `assigned_on`.
pub fn clock(assigned_on: NaiveDate, months: u32) -> MonthClock {
    MonthClock { start: assigned_on, months }
}

/// One org's year of suggestions and proposals (办理工作总体情况).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ProposalSummary {
    pub npc: u32,
    pub cppcc: u32,
    pub replied: u32,
    pub on_time: u32,
    /// Replies by category: A, B, C.
    pub categories: [u32; 3],
    /// Ratings recorded: 满意, 基本满意, 不满意.
    pub ratings: [u32; 3],
    pub published: u32,
}

impl ProposalSummary {
    /// Adds one record.
    pub fn add(
        &mut self,
        kind: ProposalKind,
        replied_in_time: Option<bool>,
        category: Option<ReplyCategory>,
        rating: Option<crate::letter::Satisfaction>,
        published: bool,
    ) {
        match kind {
            ProposalKind::NpcSuggestion => self.npc += 1,
            ProposalKind::CppccProposal => self.cppcc += 1,
        }
        if let Some(in_time) = replied_in_time {
            self.replied += 1;
            self.on_time += u32::from(in_time);
        }
        if let Some(c) = category {
            self.categories[c as usize] += 1;
        }
        if let Some(r) = rating {
            self.ratings[r as usize] += 1;
        }
        self.published += u32::from(published);
    }

    /// Records of both kinds.
    pub fn total(&self) -> u32 {
        self.npc + self.cppcc
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Actor, OrgPath, Username};

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
    fn the_office_records_and_the_lead_leader_replies() {
        let district = OrgPath::root(1);
        let dept = district.child(2);
        let office = actor(&district, "office", &[Role::Supervisor]);
        let leader = actor(&dept, "leader", &[Role::Approver]);
        let clerk = actor(&dept, "clerk", &[Role::Editor, Role::LetterHandler]);
        assert!(may_record(&office, &district, &dept).is_ok());
        assert!(may_record(&leader, &district, &dept).is_err());
        assert!(may_record(&office, &district, &OrgPath::root(9)).is_err(), "a lead org outside the office");
        let f =
            ProposalFacts { state: ProposalState::Assigned, office_org: &district, lead_org: &dept, published: false };
        assert!(may_reply(&f, &leader, "答复函全文").is_ok());
        assert!(matches!(may_reply(&f, &clerk, "x"), Err(ProposalRefusal::Denied(_))), "the leader signs");
        assert_eq!(may_reply(&f, &leader, " "), Err(ProposalRefusal::Required("答复内容")));
        assert_eq!(may_publish(&f, &office, true, ""), Err(ProposalRefusal::NotReplied("公开")));
        let replied = ProposalFacts { state: ProposalState::Replied, ..f };
        assert_eq!(may_reply(&replied, &leader, "x"), Err(ProposalRefusal::Replied));
        assert!(may_publish(&replied, &office, true, "").is_ok());
        assert_eq!(may_publish(&replied, &office, false, ""), Err(ProposalRefusal::Required("不公开的理由")));
        assert!(may_record_rating(&replied, &leader).is_ok());
        assert!(may_record_rating(&replied, &clerk).is_err());
    }

    #[test]
    fn records_are_checked() {
        assert!(check_record("第0012号", "关于加快城区停车场建设的建议", "张代表", 3).is_ok());
        assert_eq!(check_record("", "t", "p", 3), Err(ProposalRefusal::Required("建议（提案）编号")));
        assert_eq!(check_record("1", "t", "p", 0), Err(ProposalRefusal::Months));
    }

    #[test]
    fn the_summary_counts_kinds_categories_and_ratings() {
        let mut s = ProposalSummary::default();
        s.add(
            ProposalKind::NpcSuggestion,
            Some(true),
            Some(ReplyCategory::A),
            Some(crate::letter::Satisfaction::Satisfied),
            true,
        );
        s.add(ProposalKind::CppccProposal, Some(false), Some(ReplyCategory::C), None, false);
        s.add(ProposalKind::CppccProposal, None, None, None, false);
        assert_eq!((s.total(), s.npc, s.cppcc, s.replied, s.on_time, s.published), (3, 1, 2, 2, 1, 1));
        assert_eq!(s.categories, [1, 0, 1]);
        assert_eq!(s.ratings, [1, 0, 0]);
    }
}
