//! Government information items (政府信息) and their workflow: draft → submitted → secrecy
//! review → approval → published, with returns (退文), withdrawal and validity changes.
//! [`transition`] is the one place that decides whether a command is allowed: it takes the
//! item's facts, the actor and the command, and answers the new state or a typed refusal.
//! The store applies the answer in one transaction with the register and audit rows.

use crate::privacy::Finding;
use crate::{Actor, Denied, OrgPath, Role};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::code_enum::code_enum;

code_enum! {
    /// 公开属性, set when drafting.
    DisclosureAttr {
        /// 主动公开.
        Proactive = ("proactive", "主动公开"),
        /// 依申请公开: published only in answer to a request.
        OnRequest = ("on_request", "依申请公开"),
        /// 部分公开: published with parts withheld.
        Partial = ("partial", "部分公开"),
        /// 不予公开.
        Withheld = ("withheld", "不予公开"),
    }
}

impl DisclosureAttr {
    /// True for the attributes whose items appear on the public side.
    pub fn is_public(self) -> bool {
        matches!(self, Self::Proactive | Self::Partial)
    }
}

code_enum! {
    /// 有效性.
    Validity {
        /// 有效.
        Valid = ("valid", "有效"),
        /// 已修改.
        Amended = ("amended", "已修改"),
        /// 已废止.
        Repealed = ("repealed", "已废止"),
        /// 已失效.
        Expired = ("expired", "已失效"),
    }
}

/// 转载: an item republished from another government's site keeps its source — the org or
/// site that published it first (转载来源) and the original's address (原文地址). Seed 004
/// (一) asks the district to republish the State Council's and the city's policies of
/// general bearing; the public page names where each came from.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reprint {
    /// 转载来源: who published it first (国务院办公厅, 中国政府网 …); empty for an item of
    /// the org's own.
    pub from: String,
    /// 原文地址: the original's address, when known.
    pub url: String,
}

/// The longest 转载来源 kept, in characters.
pub const REPRINT_FROM_MAX: usize = 100;
/// The longest 原文地址 kept, in characters.
pub const REPRINT_URL_MAX: usize = 500;

impl Reprint {
    /// True when the item is republished from elsewhere.
    pub fn is_reprint(&self) -> bool {
        !self.from.is_empty()
    }

    /// Checks a source as typed (already trimmed): a name within its length, and an address
    /// only with a name, on the web (`http(s)://`, never `javascript:`).
    pub fn check(&self) -> Result<(), ReprintRefusal> {
        if self.from.chars().count() > REPRINT_FROM_MAX {
            return Err(ReprintRefusal::FromTooLong);
        }
        if self.url.is_empty() {
            return Ok(());
        }
        if self.from.is_empty() {
            return Err(ReprintRefusal::NoSource);
        }
        if !crate::html::is_http_address(&self.url, REPRINT_URL_MAX) {
            return Err(ReprintRefusal::Url);
        }
        Ok(())
    }
}

/// Why a 转载 source is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum ReprintRefusal {
    #[error("转载来源不能超过 100 个字符")]
    FromTooLong,
    #[error("填写了原文地址，请同时填写转载来源（最初发布的机关或网站）")]
    NoSource,
    #[error("原文地址应以 http:// 或 https:// 开头，不含空格，不超过 500 个字符")]
    Url,
}

impl ReprintRefusal {
    /// The field it is about (`reprinted_from` or `reprint_url`).
    pub fn field(self) -> &'static str {
        match self {
            Self::FromTooLong | Self::NoSource => "reprinted_from",
            Self::Url => "reprint_url",
        }
    }
}

code_enum! {
    /// Where an item's working copy stands in the workflow.
    ItemState {
        /// 草稿 (also after a return or an edit of a published item).
        Draft = ("draft", "草稿"),
        /// 已提交，待保密审查.
        Submitted = ("submitted", "待审查"),
        /// 审查通过，待审批.
        Reviewed = ("reviewed", "待审批"),
        /// 审批通过，待发布 (or final, for items that are not published).
        Approved = ("approved", "待发布"),
        /// 已发布 (possibly at a scheduled time).
        Published = ("published", "已发布"),
        /// 已撤回: kept in the register, gone from the public side.
        Withdrawn = ("withdrawn", "已撤回"),
    }
}

code_enum! {
    /// A reviewer's or approver's decision.
    Decision {
        /// 通过.
        Pass = ("pass", "通过"),
        /// 退回.
        Return = ("return", "退回"),
    }
}

/// What the workflow needs to know about an item.
#[derive(Debug, Clone)]
pub struct ItemFacts<'a> {
    /// State of the working copy.
    pub state: ItemState,
    /// The issuing org's place in the tree.
    pub org_path: &'a OrgPath,
    /// Who drafted it (`None` for imported items).
    pub author_id: Option<i64>,
    /// Title of the working copy.
    pub title: &'a str,
    /// 公开属性.
    pub attr: Option<DisclosureAttr>,
    /// Legal ground for withholding (不予公开理由/法律依据).
    pub withhold_reason: &'a str,
    /// For `Partial`: what is withheld.
    pub withheld_parts: &'a str,
    /// For `Withheld`: when the withholding is reviewed again (article 18).
    pub withhold_review_on: Option<NaiveDate>,
    /// A published revision exists (and is not withdrawn).
    pub has_public_revision: bool,
    /// The privacy check's findings on the working copy.
    pub findings: &'a [Finding],
    /// The editor's justification for publishing despite findings (the reviewer confirms).
    pub privacy_exception: &'a str,
    /// Who wrote this revision: drafted, edited (an amendment of a published item too) or
    /// submitted it since it was last published.
    pub writers: &'a [i64],
    /// Who passed its secrecy review since it was last submitted.
    pub reviewer: Option<i64>,
}

/// A workflow command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// Change the working copy.
    Edit,
    /// Submit for secrecy review.
    Submit,
    /// Secrecy review decision.
    Review {
        /// Pass or return.
        decision: Decision,
        /// Comment (required to return).
        comment: String,
        /// The reviewer confirms the editor's justified exception to the privacy check.
        confirms_exception: bool,
    },
    /// Approval decision.
    Approve {
        /// Pass or return.
        decision: Decision,
        /// Comment (required to return).
        comment: String,
    },
    /// Publish now or at a time.
    Publish,
    /// Take a published item off the public side.
    Withdraw {
        /// Why (required).
        reason: String,
    },
    /// Mark a published item amended, repealed or expired (or valid again).
    SetValidity,
}

impl Command {
    /// The command's name in events and messages.
    pub fn name(&self) -> &'static str {
        match self {
            Self::Edit => "edit",
            Self::Submit => "submit",
            Self::Review { .. } => "review",
            Self::Approve { .. } => "approve",
            Self::Publish => "publish",
            Self::Withdraw { .. } => "withdraw",
            Self::SetValidity => "set_validity",
        }
    }

    fn label(&self) -> &'static str {
        match self {
            Self::Edit => "修改",
            Self::Submit => "提交审查",
            Self::Review { .. } => "保密审查",
            Self::Approve { .. } => "审批",
            Self::Publish => "发布",
            Self::Withdraw { .. } => "撤回",
            Self::SetValidity => "变更有效性",
        }
    }
}

/// A reason a submission is returned (退文).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Error)]
#[serde(rename_all = "snake_case")]
pub enum Problem {
    /// No title.
    #[error("缺少标题")]
    NoTitle,
    /// No disclosure attribute.
    #[error("未确定公开属性")]
    NoAttribute,
    /// `Withheld` or `Partial` without its legal ground.
    #[error("不予公开或部分公开须说明理由和法律依据")]
    NoWithholdReason,
    /// `Partial` without the description of what is withheld.
    #[error("部分公开须说明不予公开的部分")]
    NoWithheldParts,
    /// `Withheld` without the date of its next review (article 18).
    #[error("不予公开须确定复核日期（《条例》第十八条）")]
    NoReviewDate,
}

impl Problem {
    /// The draft field the problem is about (the editor shows it there).
    pub fn field(self) -> &'static str {
        match self {
            Self::NoTitle => "title",
            Self::NoAttribute => "disclosure_attr",
            Self::NoWithholdReason => "withhold_reason",
            Self::NoWithheldParts => "withheld_parts",
            Self::NoReviewDate => "withhold_review_on",
        }
    }
}

/// Why a command is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum Refusal {
    /// A policy that needs an interpretation, approved before its interpretation was
    /// submitted with it (同步审签).
    #[error("本文件须同步报送政策解读：请先起草解读并提交审查，再审批本文件")]
    InterpretationMissing,
    /// The final policy of a consultation whose feedback report is not published.
    #[error("本文件征求意见（「{0}」）的意见采纳情况尚未公布，公布后才能发布")]
    FeedbackPending(String),
    /// The actor lacks the role or acts outside the org.
    #[error(transparent)]
    Denied(#[from] Denied),
    /// The author may not review or approve their own item (一事一审).
    #[error("审查人和审批人不能是信息的起草人")]
    SameAsAuthor,
    /// One person may take only one of writing, reviewing and approving a revision.
    #[error("同一稿件的起草修改、保密审查、审批须由不同人员完成，您已{0}过本稿")]
    DutyTaken(&'static str),
    /// Not allowed from the current state.
    #[error("当前状态为「{}」，不能{}", .state.label(), .command)]
    NotInState {
        /// The current state.
        state: ItemState,
        /// The command's label.
        command: &'static str,
    },
    /// The submission is incomplete (退文).
    #[error("退文：{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("；"))]
    Returned(Vec<Problem>),
    /// The privacy check found personal data or secrecy markings.
    #[error("发现{}处个人信息或涉密标志，须去标识化或说明理由", .0.len())]
    Privacy(Vec<Finding>),
    /// `OnRequest` and `Withheld` items are never published.
    #[error("公开属性为「{}」的信息不在公开平台发布", .0.label())]
    NotPublicAttr(DisclosureAttr),
    /// The item goes out despite privacy findings on the editor's justification, which the
    /// reviewer has not confirmed.
    #[error("编辑说明了隐私检查的例外理由，须由审查人确认后才能通过")]
    ExceptionUnconfirmed(Vec<Finding>),
    /// A return or withdrawal needs its reason.
    #[error("退回或撤回须填写理由")]
    NoReason,
    /// Setting the validity without naming it.
    #[error("须指定有效性")]
    ValidityRequired,
    /// An item named as its own replacement.
    #[error("替代文件不能是本文件")]
    ReplacedBySelf,
    /// A replacement the public cannot read.
    #[error("替代文件 {0} 尚未公开")]
    ReplacementNotPublic(i64),
}

impl Refusal {
    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Denied(Denied::MissingRole(_)) => "forbidden_role",
            Self::Denied(Denied::OutsideOrg) => "forbidden_org",
            Self::SameAsAuthor | Self::DutyTaken(_) => "separation_of_duties",
            Self::NotInState { .. } => "invalid_transition",
            Self::Returned(_) => "submission_returned",
            Self::Privacy(_) => "privacy_findings",
            Self::NotPublicAttr(_) => "not_public_attr",
            Self::ExceptionUnconfirmed(_) => "exception_unconfirmed",
            Self::NoReason => "reason_required",
            Self::ValidityRequired => "validity_required",
            Self::ReplacedBySelf | Self::ReplacementNotPublic(_) => "invalid_replacement",
            Self::FeedbackPending(_) => "feedback_pending",
            Self::InterpretationMissing => "interpretation_missing",
        }
    }
}

/// What an allowed command does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The working copy's new state.
    pub state: ItemState,
    /// The event to record (`submit`, `review.pass`, `review.return`, …).
    pub event: &'static str,
    /// True when the working copy becomes the public revision.
    pub publishes: bool,
}

impl Outcome {
    /// The audit trail's name for the event.
    pub fn audit_action(&self) -> &'static str {
        match self.event {
            "submit" => "item.submit",
            "review.pass" => "item.review.pass",
            "review.return" => "item.review.return",
            "approve.pass" => "item.approve.pass",
            "approve.return" => "item.approve.return",
            "publish" => "item.publish",
            "withdraw" => "item.withdraw",
            "set_validity" => "item.set_validity",
            _ => "item.change",
        }
    }
}

/// An event of an item's history (`item_events.event`) in the console's words.
pub fn event_label(event: &str) -> &'static str {
    match event {
        "create" => "起草",
        "propose" => "依申请转主动公开起草",
        "import" => "导入",
        "edit" => "修改",
        "submit" => "提交审查",
        "review.pass" => "保密审查通过",
        "review.return" => "保密审查退回",
        "approve.pass" => "审批通过",
        "approve.return" => "审批退回",
        "publish" => "发布",
        "republish" => "重新发布",
        "withdraw" => "撤回",
        "set_validity" => "变更效力",
        "inspection" => "年度自查",
        "cleanup" => "规范性文件清理",
        _ => "其他操作",
    }
}

/// What a command changes besides the state, as data: the store applies each one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ItemEffect {
    /// The working copy becomes public revision `rev` (attachments with it), first
    /// published at `published_at` (kept from the first publication); a first publication
    /// in `index_year` takes the next 索引号 of that year. The register notes `note`.
    Publish { rev: i64, published_at: DateTime<Utc>, index_year: Option<i32>, note: String },
    /// Taken off the public side, the reason kept and registered.
    Withdraw { reason: String, rev: Option<i64> },
    /// The validity changes (with its replacement and date), registered.
    Validity { validity: Validity, replaced_by: Option<i64>, repealed_on: Option<NaiveDate>, rev: Option<i64> },
    /// The public side changed: the search index and caches must follow.
    PublicChanged,
}

/// What the stored item adds to the workflow facts for the effects of a command.
#[derive(Debug, Clone, Copy, Default)]
pub struct Published {
    /// The public revision, if any.
    pub rev: Option<i64>,
    /// When it was first published.
    pub at: Option<DateTime<Utc>>,
    /// It has an 索引号 already.
    pub has_index_no: bool,
}

/// What a command carries besides itself.
#[derive(Debug, Clone, Default)]
pub struct CommandInput {
    /// Publish: a scheduled time (default now).
    pub publish_at: Option<DateTime<Utc>>,
    /// SetValidity: the validity.
    pub validity: Option<Validity>,
    /// SetValidity: the item that replaces this one, with whether the public can read it.
    pub replaced_by: Option<(i64, bool)>,
    /// SetValidity: 废止日期 / 失效日期 (default today).
    pub repealed_on: Option<NaiveDate>,
    /// Publish: the consultation on this policy's draft whose feedback report is not
    /// published yet and holds the final policy back (read in the transaction).
    pub feedback_pending: Option<String>,
    /// Approve: the policy needs an interpretation, none is submitted with it, and the site
    /// blocks such approvals (read in the transaction).
    pub interpretation_missing: bool,
}

/// Decides a command as [`transition`] does and answers its effects.
pub fn decide(
    f: &ItemFacts<'_>,
    actor: &Actor,
    cmd: &Command,
    item_id: i64,
    published: Published,
    input: &CommandInput,
    now: DateTime<Utc>,
) -> Result<(Outcome, Vec<ItemEffect>), Refusal> {
    let outcome = transition(f, actor, cmd)?;
    let mut effects = Vec::new();
    if input.interpretation_missing && matches!(cmd, Command::Approve { decision: Decision::Pass, .. }) {
        return Err(Refusal::InterpretationMissing);
    }
    match cmd {
        Command::Publish => {
            if let Some(title) = &input.feedback_pending {
                return Err(Refusal::FeedbackPending(title.clone()));
            }
            let published_at = published.at.unwrap_or(input.publish_at.unwrap_or(now));
            let index_year =
                (!published.has_index_no).then(|| chrono::Datelike::year(&crate::index_no::beijing_date(published_at)));
            let note = match input.publish_at {
                Some(at) if at > now => format!("定时发布：{}", crate::index_no::beijing(at).format("%Y-%m-%d %H:%M")),
                _ => String::new(),
            };
            effects.push(ItemEffect::Publish { rev: published.rev.unwrap_or(0) + 1, published_at, index_year, note });
        }
        Command::Withdraw { reason } => {
            effects.push(ItemEffect::Withdraw { reason: reason.trim().to_string(), rev: published.rev });
        }
        Command::SetValidity => {
            let validity = input.validity.ok_or(Refusal::ValidityRequired)?;
            match input.replaced_by {
                Some((r, _)) if r == item_id => return Err(Refusal::ReplacedBySelf),
                Some((r, false)) => return Err(Refusal::ReplacementNotPublic(r)),
                _ => {}
            }
            let repealed_on = if validity == Validity::Valid {
                None
            } else {
                input.repealed_on.or(Some(crate::index_no::beijing_date(now)))
            };
            effects.push(ItemEffect::Validity {
                validity,
                replaced_by: input.replaced_by.map(|(r, _)| r),
                repealed_on,
                rev: published.rev,
            });
        }
        _ => {}
    }
    if outcome.publishes || matches!(cmd, Command::Withdraw { .. } | Command::SetValidity) {
        effects.push(ItemEffect::PublicChanged);
    }
    Ok((outcome, effects))
}

/// The problems that make a submission come back (退文).
pub fn submission_problems(f: &ItemFacts<'_>) -> Vec<Problem> {
    let mut p = Vec::new();
    if f.title.trim().is_empty() {
        p.push(Problem::NoTitle);
    }
    match f.attr {
        None => p.push(Problem::NoAttribute),
        Some(DisclosureAttr::Withheld) => {
            if f.withhold_reason.trim().is_empty() {
                p.push(Problem::NoWithholdReason);
            }
            if f.withhold_review_on.is_none() {
                p.push(Problem::NoReviewDate);
            }
        }
        Some(DisclosureAttr::Partial) => {
            if f.withhold_reason.trim().is_empty() {
                p.push(Problem::NoWithholdReason);
            }
            if f.withheld_parts.trim().is_empty() {
                p.push(Problem::NoWithheldParts);
            }
        }
        Some(_) => {}
    }
    p
}

fn any_role(actor: &Actor, roles: &[Role], org: &OrgPath) -> Result<(), Denied> {
    let mut last = Denied::MissingRole(roles[0]);
    for role in roles {
        match actor.may_work_in(*role, org) {
            Ok(()) => return Ok(()),
            Err(e) => last = e,
        }
    }
    Err(last)
}

/// Decides a command. Checks, in order: role and org (403), state (409), separation of
/// duties (403), completeness and privacy (422).
pub fn transition(f: &ItemFacts<'_>, actor: &Actor, cmd: &Command) -> Result<Outcome, Refusal> {
    use ItemState::*;
    let not_in_state = || Refusal::NotInState { state: f.state, command: cmd.label() };
    let not_author = || {
        if f.author_id == Some(actor.user_id) { Err(Refusal::SameAsAuthor) } else { Ok(()) }
    };
    let privacy_ok = || {
        if f.findings.is_empty() || !f.privacy_exception.trim().is_empty() {
            Ok(())
        } else {
            Err(Refusal::Privacy(f.findings.to_vec()))
        }
    };
    match cmd {
        Command::Edit => {
            actor.may_work_in(Role::Editor, f.org_path)?;
            match f.state {
                Draft | Published => Ok(Outcome { state: Draft, event: "edit", publishes: false }),
                _ => Err(not_in_state()),
            }
        }
        Command::Submit => {
            actor.may_work_in(Role::Editor, f.org_path)?;
            if f.state != Draft {
                return Err(not_in_state());
            }
            let problems = submission_problems(f);
            if !problems.is_empty() {
                return Err(Refusal::Returned(problems));
            }
            privacy_ok()?;
            Ok(Outcome { state: Submitted, event: "submit", publishes: false })
        }
        Command::Review { decision, comment, .. } | Command::Approve { decision, comment } => {
            let (role, from, to, pass, ret) = match cmd {
                Command::Review { .. } => (Role::Reviewer, Submitted, Reviewed, "review.pass", "review.return"),
                _ => (Role::Approver, Reviewed, Approved, "approve.pass", "approve.return"),
            };
            actor.may_work_in(role, f.org_path)?;
            if f.state != from {
                return Err(not_in_state());
            }
            not_author()?;
            // 一事一审, 先审查后公开: no one takes two of write, review and approve on one
            // revision, whatever roles they hold.
            if f.writers.contains(&actor.user_id) {
                return Err(Refusal::DutyTaken("起草或修改"));
            }
            if matches!(cmd, Command::Approve { .. }) && f.reviewer == Some(actor.user_id) {
                return Err(Refusal::DutyTaken("审查"));
            }
            let unconfirmed =
                matches!(cmd, Command::Review { confirms_exception: false, .. }) && !f.findings.is_empty();
            match decision {
                Decision::Pass if unconfirmed => Err(Refusal::ExceptionUnconfirmed(f.findings.to_vec())),
                Decision::Pass => Ok(Outcome { state: to, event: pass, publishes: false }),
                Decision::Return if comment.trim().is_empty() => Err(Refusal::NoReason),
                Decision::Return => Ok(Outcome { state: Draft, event: ret, publishes: false }),
            }
        }
        Command::Publish => {
            any_role(actor, &[Role::Editor, Role::Approver], f.org_path)?;
            if f.state != Approved {
                return Err(not_in_state());
            }
            match f.attr {
                Some(a) if !a.is_public() => return Err(Refusal::NotPublicAttr(a)),
                None => return Err(Refusal::Returned(vec![Problem::NoAttribute])),
                Some(_) => {}
            }
            privacy_ok()?;
            Ok(Outcome { state: Published, event: "publish", publishes: true })
        }
        Command::Withdraw { reason } => {
            actor.may_work_in(Role::Approver, f.org_path)?;
            if !f.has_public_revision || f.state == Withdrawn {
                return Err(not_in_state());
            }
            if reason.trim().is_empty() {
                return Err(Refusal::NoReason);
            }
            Ok(Outcome { state: Withdrawn, event: "withdraw", publishes: false })
        }
        Command::SetValidity => {
            any_role(actor, &[Role::Editor, Role::Approver], f.org_path)?;
            if !f.has_public_revision || f.state == Withdrawn {
                return Err(not_in_state());
            }
            Ok(Outcome { state: f.state, event: "set_validity", publishes: false })
        }
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_reprint_names_its_source_and_links_only_to_the_web() {
        let r = |from: &str, url: &str| Reprint { from: from.into(), url: url.into() }.check();
        assert_eq!(r("", ""), Ok(()));
        assert_eq!(r("", "https://www.gov.cn/").map_err(ReprintRefusal::field), Err("reprinted_from"));
        assert_eq!(r("国务院", "ftp://x").map_err(ReprintRefusal::field), Err("reprint_url"));
        assert_eq!(r("国务院办公厅", ""), Ok(()));
        assert_eq!(r("国务院办公厅", "https://www.gov.cn/zhengce/content/2024-01/01/content_1.htm"), Ok(()));
        assert!(r("", "https://www.gov.cn/").is_err(), "an address without a source");
        assert!(r("国务院办公厅", "javascript:alert(1)").is_err());
        assert!(r("国务院办公厅", "www.gov.cn").is_err());
        assert!(r("国务院办公厅", "https://www.gov.cn/a b").is_err());
        assert!(r("国务院办公厅", "https://").is_err());
        assert!(r(&"国".repeat(101), "").is_err());
        assert!(r("国务院", &format!("https://www.gov.cn/{}", "a".repeat(500))).is_err());
        assert!(!Reprint::default().is_reprint() && Reprint { from: "国务院".into(), url: String::new() }.is_reprint());
    }
    use super::*;
    use crate::Username;
    use crate::privacy::FindingKind;

    fn actor(id: i64, path: &OrgPath, roles: &[Role]) -> Actor {
        Actor {
            user_id: id,
            username: Username::parse(&format!("u{id}")).expect("valid"),
            org_id: 1,
            org_path: path.clone(),
            roles: roles.to_vec(),
        }
    }

    fn facts<'a>(state: ItemState, org: &'a OrgPath) -> ItemFacts<'a> {
        ItemFacts {
            state,
            org_path: org,
            author_id: Some(1),
            title: "关于印发政务公开工作要点的通知",
            attr: Some(DisclosureAttr::Proactive),
            withhold_reason: "",
            withheld_parts: "",
            withhold_review_on: None,
            has_public_revision: false,
            findings: &[],
            privacy_exception: "",
            writers: &[],
            reviewer: None,
        }
    }

    fn review(decision: Decision, comment: &str) -> Command {
        Command::Review { decision, comment: comment.into(), confirms_exception: false }
    }

    fn approve(decision: Decision, comment: &str) -> Command {
        Command::Approve { decision, comment: comment.into() }
    }

    #[test]
    fn the_whole_path_from_draft_to_published() {
        let org = OrgPath::root(1);
        let editor = actor(1, &org, &[Role::Editor]);
        let reviewer = actor(2, &org, &[Role::Reviewer]);
        let approver = actor(3, &org, &[Role::Approver]);
        let steps = [
            (ItemState::Draft, &editor, Command::Submit, ItemState::Submitted),
            (ItemState::Submitted, &reviewer, review(Decision::Pass, ""), ItemState::Reviewed),
            (ItemState::Reviewed, &approver, approve(Decision::Pass, "同意"), ItemState::Approved),
            (ItemState::Approved, &editor, Command::Publish, ItemState::Published),
        ];
        for (from, who, cmd, to) in steps {
            let out = transition(&facts(from, &org), who, &cmd).expect("allowed");
            assert_eq!(out.state, to, "{cmd:?}");
            assert_eq!(out.publishes, to == ItemState::Published);
        }
    }

    #[test]
    fn every_command_is_refused_from_every_wrong_state() {
        let org = OrgPath::root(1);
        let all = actor(9, &org, &Role::ALL);
        let allowed: &[(&str, &[ItemState])] = &[
            ("edit", &[ItemState::Draft, ItemState::Published]),
            ("submit", &[ItemState::Draft]),
            ("review", &[ItemState::Submitted]),
            ("approve", &[ItemState::Reviewed]),
            ("publish", &[ItemState::Approved]),
        ];
        let commands =
            [Command::Edit, Command::Submit, review(Decision::Pass, ""), approve(Decision::Pass, ""), Command::Publish];
        for cmd in &commands {
            let ok_states = allowed.iter().find(|(n, _)| *n == cmd.name()).map(|(_, s)| *s).unwrap_or(&[]);
            for state in ItemState::ALL {
                let result = transition(&facts(*state, &org), &all, cmd);
                if ok_states.contains(state) {
                    assert!(result.is_ok(), "{} from {state:?}: {result:?}", cmd.name());
                } else {
                    assert!(
                        matches!(result, Err(Refusal::NotInState { state: s, .. }) if s == *state),
                        "{} from {state:?} must be refused: {result:?}",
                        cmd.name()
                    );
                }
            }
        }
        // Withdraw and validity changes need a public revision.
        let withdraw = Command::Withdraw { reason: "内容有误".into() };
        for cmd in [withdraw, Command::SetValidity] {
            let mut f = facts(ItemState::Approved, &org);
            assert!(matches!(transition(&f, &all, &cmd), Err(Refusal::NotInState { .. })));
            f.has_public_revision = true;
            f.state = ItemState::Published;
            assert!(transition(&f, &all, &cmd).is_ok());
            f.state = ItemState::Withdrawn;
            assert!(matches!(transition(&f, &all, &cmd), Err(Refusal::NotInState { .. })));
        }
    }

    #[test]
    fn no_one_takes_two_of_write_review_and_approve_on_one_revision() {
        let org = OrgPath::root(1);
        let all = [Role::Editor, Role::Reviewer, Role::Approver];
        let (amender, reviewer, approver) = (actor(7, &org, &all), actor(8, &org, &all), actor(9, &org, &all));
        let writers = [7];
        // Someone else's published item amended: the amender wrote this revision.
        let submitted = ItemFacts { writers: &writers, ..facts(ItemState::Submitted, &org) };
        assert_eq!(
            transition(&submitted, &amender, &review(Decision::Pass, "")),
            Err(Refusal::DutyTaken("起草或修改"))
        );
        assert!(transition(&submitted, &reviewer, &review(Decision::Pass, "")).is_ok());
        let reviewed = ItemFacts { writers: &writers, reviewer: Some(8), ..facts(ItemState::Reviewed, &org) };
        assert_eq!(
            transition(&reviewed, &amender, &approve(Decision::Pass, "")),
            Err(Refusal::DutyTaken("起草或修改"))
        );
        assert_eq!(
            transition(&reviewed, &reviewer, &approve(Decision::Pass, "")),
            Err(Refusal::DutyTaken("审查")),
            "who reviewed does not approve"
        );
        assert!(transition(&reviewed, &approver, &approve(Decision::Pass, "")).is_ok());
        assert_eq!(Refusal::DutyTaken("审查").code(), "separation_of_duties");
    }

    #[test]
    fn authors_cannot_review_or_approve_their_own_items() {
        let org = OrgPath::root(1);
        let author = actor(1, &org, &[Role::Editor, Role::Reviewer, Role::Approver]);
        assert_eq!(
            transition(&facts(ItemState::Submitted, &org), &author, &review(Decision::Pass, "")),
            Err(Refusal::SameAsAuthor)
        );
        assert_eq!(
            transition(&facts(ItemState::Reviewed, &org), &author, &approve(Decision::Pass, "")),
            Err(Refusal::SameAsAuthor)
        );
        // An imported item has no author: anyone with the role may decide.
        let mut f = facts(ItemState::Submitted, &org);
        f.author_id = None;
        assert!(transition(&f, &author, &review(Decision::Pass, "")).is_ok());
    }

    #[test]
    fn roles_and_orgs_are_checked_first() {
        let org = OrgPath::root(1);
        let other = OrgPath::root(2);
        let editor = actor(2, &org, &[Role::Editor]);
        assert_eq!(
            transition(&facts(ItemState::Submitted, &org), &editor, &review(Decision::Pass, "")),
            Err(Refusal::Denied(Denied::MissingRole(Role::Reviewer)))
        );
        let outsider = actor(3, &other, &[Role::Reviewer]);
        assert_eq!(
            transition(&facts(ItemState::Submitted, &org), &outsider, &review(Decision::Pass, "")),
            Err(Refusal::Denied(Denied::OutsideOrg))
        );
        // A reviewer of the parent org does not review the department's items (谁公开谁审查).
        let parent_reviewer = actor(4, &OrgPath::root(1), &[Role::Reviewer]);
        let dept = OrgPath::root(1).child(5);
        assert_eq!(
            transition(&facts(ItemState::Submitted, &dept), &parent_reviewer, &review(Decision::Pass, "")),
            Err(Refusal::Denied(Denied::OutsideOrg))
        );
    }

    #[test]
    fn returns_need_a_reason_and_go_back_to_draft() {
        let org = OrgPath::root(1);
        let reviewer = actor(2, &org, &[Role::Reviewer]);
        assert_eq!(
            transition(&facts(ItemState::Submitted, &org), &reviewer, &review(Decision::Return, " ")),
            Err(Refusal::NoReason)
        );
        let out =
            transition(&facts(ItemState::Submitted, &org), &reviewer, &review(Decision::Return, "未说明公开属性依据"))
                .expect("returned");
        assert_eq!((out.state, out.event), (ItemState::Draft, "review.return"));
    }

    #[test]
    fn incomplete_submissions_are_returned_with_every_problem() {
        let org = OrgPath::root(1);
        let editor = actor(1, &org, &[Role::Editor]);
        let mut f = facts(ItemState::Draft, &org);
        f.attr = None;
        assert_eq!(transition(&f, &editor, &Command::Submit), Err(Refusal::Returned(vec![Problem::NoAttribute])));
        f.attr = Some(DisclosureAttr::Withheld);
        assert_eq!(
            transition(&f, &editor, &Command::Submit),
            Err(Refusal::Returned(vec![Problem::NoWithholdReason, Problem::NoReviewDate]))
        );
        f.attr = Some(DisclosureAttr::Partial);
        f.withhold_reason = "《条例》第十五条：涉及个人隐私";
        assert_eq!(transition(&f, &editor, &Command::Submit), Err(Refusal::Returned(vec![Problem::NoWithheldParts])));
        f.withheld_parts = "附件二中的个人信息";
        assert!(transition(&f, &editor, &Command::Submit).is_ok());
        f.title = "";
        assert_eq!(transition(&f, &editor, &Command::Submit), Err(Refusal::Returned(vec![Problem::NoTitle])));
    }

    #[test]
    fn privacy_findings_block_unless_justified() {
        let org = OrgPath::root(1);
        let editor = actor(1, &org, &[Role::Editor]);
        let finding = Finding {
            kind: FindingKind::IdNumber,
            field: "body".into(),
            start: 3,
            end: 21,
            text: "11010519491231002X".into(),
        };
        let findings = vec![finding];
        let mut f = facts(ItemState::Draft, &org);
        f.findings = &findings;
        assert_eq!(transition(&f, &editor, &Command::Submit), Err(Refusal::Privacy(findings.clone())));
        f.privacy_exception = "该号码为公示的法人证照号码，依法应当公开";
        assert!(transition(&f, &editor, &Command::Submit).is_ok());
        // The reviewer must confirm the exception explicitly.
        let reviewer = actor(2, &org, &[Role::Reviewer]);
        f.state = ItemState::Submitted;
        assert_eq!(
            transition(&f, &reviewer, &review(Decision::Pass, "")),
            Err(Refusal::ExceptionUnconfirmed(findings.clone()))
        );
        let confirmed =
            Command::Review { decision: Decision::Pass, comment: "已核实".into(), confirms_exception: true };
        assert_eq!(transition(&f, &reviewer, &confirmed).map(|o| o.state), Ok(ItemState::Reviewed));
        assert!(
            transition(&f, &reviewer, &review(Decision::Return, "请去标识化")).is_ok(),
            "returning needs no confirmation"
        );
        // And again at publication.
        let mut f = facts(ItemState::Approved, &org);
        f.findings = &findings;
        assert!(matches!(transition(&f, &editor, &Command::Publish), Err(Refusal::Privacy(_))));
    }

    #[test]
    fn on_request_and_withheld_items_are_never_published() {
        let org = OrgPath::root(1);
        let editor = actor(1, &org, &[Role::Editor]);
        for attr in [DisclosureAttr::OnRequest, DisclosureAttr::Withheld] {
            let mut f = facts(ItemState::Approved, &org);
            f.attr = Some(attr);
            assert_eq!(transition(&f, &editor, &Command::Publish), Err(Refusal::NotPublicAttr(attr)));
        }
    }

    #[test]
    fn codes_and_labels_round_trip() {
        for a in DisclosureAttr::ALL {
            assert_eq!(DisclosureAttr::parse(a.as_str()), Some(*a));
            assert_eq!(DisclosureAttr::parse(a.label()), Some(*a));
        }
        assert_eq!(Validity::parse("已废止"), Some(Validity::Repealed));
        assert_eq!(ItemState::parse("published"), Some(ItemState::Published));
        assert_eq!(Refusal::SameAsAuthor.code(), "separation_of_duties");
    }

    #[test]
    fn publishing_and_validity_answer_their_effects() {
        let org = OrgPath::root(1);
        let approver = actor(2, &org, &[Role::Approver]);
        let now = chrono::TimeZone::with_ymd_and_hms(&Utc, 2026, 12, 31, 17, 0, 0).single().expect("time");
        let none = CommandInput::default();
        // First publication on 1 January in Beijing takes that year's index number.
        let (o, fx) = decide(
            &facts(ItemState::Approved, &org),
            &approver,
            &Command::Publish,
            9,
            Published::default(),
            &none,
            now,
        )
        .expect("publish");
        assert!(o.publishes);
        assert_eq!(
            fx,
            vec![
                ItemEffect::Publish { rev: 1, published_at: now, index_year: Some(2027), note: String::new() },
                ItemEffect::PublicChanged
            ]
        );
        // A republication keeps the first date and number.
        let first = now - chrono::Duration::days(30);
        let again = Published { rev: Some(1), at: Some(first), has_index_no: true };
        let (_, fx) = decide(&facts(ItemState::Approved, &org), &approver, &Command::Publish, 9, again, &none, now)
            .expect("republish");
        assert_eq!(fx[0], ItemEffect::Publish { rev: 2, published_at: first, index_year: None, note: String::new() });
        // Validity: named, a public replacement other than itself, dated today by default.
        let editor = actor(3, &org, &[Role::Editor, Role::Approver]);
        let published = ItemFacts { has_public_revision: true, ..facts(ItemState::Published, &org) };
        let p = Published { rev: Some(1), at: Some(first), has_index_no: true };
        let set = |input: CommandInput| decide(&published, &editor, &Command::SetValidity, 9, p, &input, now);
        assert_eq!(set(CommandInput::default()).err(), Some(Refusal::ValidityRequired));
        let repeal =
            |r| CommandInput { validity: Some(Validity::Repealed), replaced_by: Some(r), ..Default::default() };
        assert_eq!(set(repeal((9, true))).err(), Some(Refusal::ReplacedBySelf));
        assert_eq!(set(repeal((12, false))).err(), Some(Refusal::ReplacementNotPublic(12)));
        let (_, fx) = set(repeal((12, true))).expect("repealed");
        assert_eq!(
            fx[0],
            ItemEffect::Validity {
                validity: Validity::Repealed,
                replaced_by: Some(12),
                repealed_on: NaiveDate::from_ymd_opt(2027, 1, 1),
                rev: Some(1)
            }
        );
    }
}
