//! Letters from the public (领导信箱, 咨询, 投诉, 建议): the shared mechanism of **a public
//! message answered by a deadline**. A writer files a letter to an org's mailbox without an
//! account and follows it with a tracking number and query code; the receiving org's office
//! assigns it to the responsible org, which replies within the mailbox's working days on the
//! official calendar ([`crate::clock::WorkdayClock`]); the reply is reviewed by someone other
//! than its drafter before it goes out; a letter that is not valid is closed with its ground,
//! one that belongs to another channel (12345, 信访) is handed off with the route. Replied
//! letters the writer agreed to publish are shown publicly with personal data masked.
//!
//! Other public messages (公示 objections, interview questions, and later 网站找错) are letters
//! to a mailbox of their own kind: same states, clock, review and masking.

use crate::Role;
use crate::clock::WorkdayClock;
use crate::code_enum::code_enum;
use crate::privacy::{FindingKind, scan};
use chrono::NaiveDate;
use serde::Deserialize;
use thiserror::Error;

code_enum! {
    /// 信箱类型, each with its default reply period ([`MailboxKind::default_days`]).
    MailboxKind {
        /// 领导信箱.
        Leader = ("leader", "领导信箱"),
        /// 咨询.
        Consult = ("consult", "咨询"),
        /// 投诉.
        Complaint = ("complaint", "投诉"),
        /// 建议.
        Suggestion = ("suggestion", "建议"),
        /// 在线访谈提问: questions to an interview, answered live or in writing after it.
        Interview = ("interview", "在线访谈提问"),
        /// 公示异议: objections to a 公示 within its period ([`crate::public_notice`]).
        Objection = ("objection", "公示异议"),
        /// 网站找错 (我为政府网站找错): errors a visitor reports on a page of the site.
        ErrorReport = ("error_report", "网站找错"),
    }
}

impl MailboxKind {
    /// The reply period in working days a new mailbox of this kind gets: 网站找错 3, 咨询 5,
    /// 建议 10, 投诉 15; a 领导信箱 and 公示异议 10 (docs/DECISIONS.md).
    pub const fn default_days(self) -> u32 {
        match self {
            Self::ErrorReport => 3,
            Self::Consult | Self::Interview => 5,
            Self::Suggestion | Self::Leader | Self::Objection => 10,
            Self::Complaint => 15,
        }
    }
}

/// The longest reply period a mailbox may set, in working days.
pub const MAX_REPLY_DAYS: u32 = 60;

code_enum! {
    /// Where a letter stands.
    LetterState {
        /// 待分办: received, waiting for the office to assign it.
        Received = ("received", "待分办"),
        /// 办理中: with the responsible org.
        Assigned = ("assigned", "办理中"),
        /// 答复待审核: a reply drafted, waiting for review.
        InReview = ("in_review", "答复审核中"),
        /// 已答复.
        Replied = ("replied", "已答复"),
        /// 不予受理: not a valid letter, closed with its ground.
        Invalid = ("invalid", "不予受理"),
        /// 已转其他渠道: handed to 12345 or 信访 to handle.
        HandedOff = ("handed_off", "已转其他渠道办理"),
    }
}

impl LetterState {
    /// True while the letter waits for a reply (counted against its deadline).
    pub const fn is_open(self) -> bool {
        matches!(self, Self::Received | Self::Assigned | Self::InReview)
    }
}

code_enum! {
    /// Why a letter is not valid (无效来信), shown to the writer.
    InvalidGround {
        /// 含辱骂、攻击、威胁等内容.
        Abuse = ("abuse", "含辱骂、攻击、威胁等内容"),
        /// 广告或与政务无关的信息.
        Advertising = ("advertising", "广告或与政务无关的信息"),
        /// 重复来信 (the same matter already answered or being handled).
        Duplicate = ("duplicate", "重复来信"),
        /// 不属于政府职责范围.
        NotGovernment = ("not_government", "不属于政府职责范围"),
        /// 内容不清，无法办理.
        Unclear = ("unclear", "内容不清，无法办理"),
    }
}

code_enum! {
    /// The channel a letter is handed off to, closing it here (办结途径).
    HandOffRoute {
        /// 12345 政务服务便民热线.
        Hotline = ("hotline_12345", "转12345政务服务便民热线办理"),
        /// 信访.
        Petition = ("petition", "转信访渠道办理"),
        /// 诉讼、仲裁、行政复议等法定途径.
        LegalChannel = ("legal_channel", "属诉讼、仲裁、行政复议等法定途径，已告知来信人"),
    }
}

code_enum! {
    /// The writer's rating of a reply (满意度评价).
    Satisfaction {
        /// 满意.
        Satisfied = ("satisfied", "满意"),
        /// 基本满意.
        Basic = ("basic", "基本满意"),
        /// 不满意.
        Dissatisfied = ("dissatisfied", "不满意"),
    }
}

/// What staff may do with a letter.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum LetterStep {
    /// The office assigns a received letter to the responsible org (分办).
    Assign {
        /// The org that will reply.
        org_id: i64,
    },
    /// The org it is with passes it to another org (转办), with the reason.
    Transfer {
        /// The org that will reply.
        org_id: i64,
        /// Why it belongs there.
        reason: String,
    },
    /// Closed as not valid, with its ground.
    CloseInvalid {
        /// The ground.
        ground: InvalidGround,
        /// Said to the writer besides the ground.
        #[serde(default)]
        reason: String,
    },
    /// Handed off to another channel, with the route.
    HandOff {
        /// The channel.
        route: HandOffRoute,
        /// Said to the writer.
        #[serde(default)]
        reason: String,
    },
    /// The reply is drafted and sent for review.
    DraftReply {
        /// The reply.
        text: String,
        /// Whether the letter and reply are to be shown publicly (when the writer agreed).
        public: bool,
    },
    /// The reviewer approves the drafted reply: it goes out.
    ApproveReply,
    /// The reviewer returns the draft to its org, with the reason.
    ReturnReply {
        /// What to change.
        reason: String,
    },
    /// A question to an online interview answered live (现场答复): the transcript holds the
    /// answer.
    AnsweredLive {
        /// Whether the question is shown with the interview (when the writer agreed).
        #[serde(default)]
        public: bool,
    },
    /// The leader approves more time (延期), once, with the reason shown to the writer.
    Extend {
        /// More working days.
        days: u32,
        /// Why.
        reason: String,
    },
}

impl LetterStep {
    /// The code name, for events and the audit trail.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Assign { .. } => "assign",
            Self::Transfer { .. } => "transfer",
            Self::CloseInvalid { .. } => "close_invalid",
            Self::HandOff { .. } => "hand_off",
            Self::DraftReply { .. } => "draft_reply",
            Self::ApproveReply => "approve_reply",
            Self::ReturnReply { .. } => "return_reply",
            Self::Extend { .. } => "extend",
            Self::AnsweredLive { .. } => "answered_live",
        }
    }

    /// The label on the timeline.
    pub const fn label(&self) -> &'static str {
        step_label(self.code())
    }
}

/// The timeline label of a step's code (also `file` and `rate`).
pub const fn step_label(code: &str) -> &'static str {
    match code.as_bytes() {
        b"file" => "收到来信",
        b"assign" => "分办",
        b"transfer" => "转办",
        b"close_invalid" => "不予受理",
        b"hand_off" => "转其他渠道",
        b"draft_reply" => "拟写答复",
        b"approve_reply" => "审核通过并答复",
        b"return_reply" => "答复退回修改",
        b"extend" => "批准延期",
        b"answered_live" => "访谈中现场答复",
        b"rate" => "来信人评价",
        _ => "办理",
    }
}

/// The facts a step is decided on, read in the step's transaction.
#[derive(Debug, Clone)]
pub struct LetterFacts<'a> {
    /// Where the letter stands.
    pub state: LetterState,
    /// The mailbox's org: its office assigns, and letters stay within its subtree.
    pub mailbox_org: &'a crate::OrgPath,
    /// The org the letter is with (the mailbox's org until assigned).
    pub handling_org: &'a crate::OrgPath,
    /// The mailbox's reply period.
    pub reply_days: u32,
    /// Working days of extension granted already.
    pub extension_days: u32,
    /// Today, in Beijing.
    pub today: NaiveDate,
    /// The last day of the reply period on the letter's clock as it stands (its extension
    /// counted); `None` when the calendar cannot tell, which blocks nothing.
    pub due_on: Option<NaiveDate>,
    /// Who drafted the reply under review.
    pub drafted_by: &'a str,
    /// Whether the writer agreed to publication.
    pub consent: bool,
    /// The letter's text (checked with the reply before anything is public).
    pub question: &'a str,
    /// The reply under review.
    pub reply: &'a str,
    /// The letter is a question to an online interview already held.
    pub interview_held: bool,
}

/// Why a step is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LetterRefusal {
    /// The actor lacks the role or works elsewhere.
    #[error(transparent)]
    Denied(#[from] crate::Denied),
    /// Not from this state.
    #[error("来信当前状态为「{}」，不能{}", .state.label(), .step)]
    NotInState {
        /// The state.
        state: LetterState,
        /// The step's label.
        step: &'static str,
    },
    /// A transfer, return or extension without its reason.
    #[error("请填写{0}")]
    ReasonRequired(&'static str),
    /// The reply is empty.
    #[error("答复内容不能为空")]
    EmptyReply,
    /// The org is outside the mailbox's org.
    #[error("只能分办、转办给本信箱所属单位及其下属单位")]
    OutsideMailbox,
    /// The same org again.
    #[error("来信已在该单位办理")]
    SameOrg,
    /// The drafter reviews their own reply.
    #[error("答复须由拟稿人以外的人员审核（审核与拟稿分离）")]
    OwnDraft,
    /// A second extension, or one longer than the period.
    #[error("每件来信只能延期一次，且延长的工作日不超过本信箱的答复期限（{max} 个工作日）")]
    ExtensionRefused {
        /// The longest allowed.
        max: u32,
    },
    /// An extension asked for after the reply period ended: a late reply stays late.
    #[error("答复期限已于 {due} 届满，不能再延期：请尽快答复")]
    ExtensionAfterDue {
        /// The period's last day.
        due: NaiveDate,
    },
    /// Marked as answered live, but not a question to an interview already held.
    #[error("只有已举行的在线访谈中的提问才能标记为现场答复")]
    NotLive,
    /// The reply or the letter carries a secrecy marking or negative-list word.
    #[error("答复或来信含有「{0}」，不能公开：请修改答复或改为不公开")]
    NotPublishable(String),
}

/// A decided step: the new state, and what changes with it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LetterDecision {
    /// The state after.
    pub state: LetterState,
    /// The letter moves to this org.
    pub moves_to: Option<i64>,
    /// The draft reply and whether it is to be public.
    pub draft: Option<(String, bool)>,
    /// The reply went out today.
    pub replied: bool,
    /// The draft is returned (cleared as approved).
    pub returned: bool,
    /// The extensions now total this many working days.
    pub extension_total: Option<u32>,
    /// What the writer is told on the timeline (the ground, the route, the reason).
    pub public_note: String,
    /// The closing code: the invalid ground or hand-off route.
    pub closing: Option<&'static str>,
}

impl LetterDecision {
    fn to(state: LetterState) -> Self {
        Self {
            state,
            moves_to: None,
            draft: None,
            replied: false,
            returned: false,
            extension_total: None,
            public_note: String::new(),
            closing: None,
        }
    }
}

/// Routing (分办/转办, closing as invalid or handing off): a letter handler of the org it is
/// with, or the disclosure office (a supervisor) of the mailbox's org or above.
fn may_route(actor: &crate::Actor, f: &LetterFacts<'_>) -> Result<(), crate::Denied> {
    if actor.may_work_in(Role::LetterHandler, f.handling_org).is_ok() {
        return Ok(());
    }
    if actor.has(Role::Supervisor) && f.mailbox_org.is_within(&actor.org_path) {
        return Ok(());
    }
    actor.may_work_in(Role::LetterHandler, f.handling_org)
}

/// Who may read a letter with its writer's personal data: the letter handlers, reviewers
/// and approvers of the org holding it, and the office (a supervisor) of the org holding it
/// or of the mailbox's org, or above either. Other staff of those orgs may not.
pub fn may_read(
    actor: &crate::Actor,
    mailbox_org: &crate::OrgPath,
    handling_org: &crate::OrgPath,
) -> Result<(), crate::Denied> {
    let works_on_it = [Role::LetterHandler, Role::Reviewer, Role::Approver]
        .iter()
        .any(|r| actor.may_work_in(*r, handling_org).is_ok());
    if works_on_it {
        return Ok(());
    }
    if !actor.has(Role::Supervisor) {
        return Err(crate::Denied::MissingRole(Role::LetterHandler));
    }
    if handling_org.is_within(&actor.org_path) || mailbox_org.is_within(&actor.org_path) {
        Ok(())
    } else {
        Err(crate::Denied::OutsideOrg)
    }
}

/// Decides a step on a letter. `target` is the place of the org a letter is assigned or
/// transferred to.
pub fn decide(
    f: &LetterFacts<'_>,
    actor: &crate::Actor,
    step: &LetterStep,
    target: Option<&crate::OrgPath>,
) -> Result<LetterDecision, LetterRefusal> {
    use LetterState as S;
    let not_in = |state| LetterRefusal::NotInState { state, step: step.label() };
    match step {
        LetterStep::Assign { org_id } | LetterStep::Transfer { org_id, .. } => {
            let allowed = match step {
                LetterStep::Assign { .. } => f.state == S::Received,
                _ => matches!(f.state, S::Received | S::Assigned),
            };
            if !allowed {
                return Err(not_in(f.state));
            }
            may_route(actor, f)?;
            if let LetterStep::Transfer { reason, .. } = step
                && reason.trim().is_empty()
            {
                return Err(LetterRefusal::ReasonRequired("转办理由"));
            }
            let target = target.ok_or(LetterRefusal::OutsideMailbox)?;
            if !target.is_within(f.mailbox_org) {
                return Err(LetterRefusal::OutsideMailbox);
            }
            if target == f.handling_org && f.state == S::Assigned {
                return Err(LetterRefusal::SameOrg);
            }
            let mut d = LetterDecision::to(S::Assigned);
            d.moves_to = Some(*org_id);
            if let LetterStep::Transfer { reason, .. } = step {
                d.public_note = reason.trim().to_string();
            }
            Ok(d)
        }
        LetterStep::CloseInvalid { ground, reason } => {
            if !matches!(f.state, S::Received | S::Assigned) {
                return Err(not_in(f.state));
            }
            may_route(actor, f)?;
            let mut d = LetterDecision::to(S::Invalid);
            d.public_note = joined(ground.label(), reason);
            d.closing = Some(ground.as_str());
            Ok(d)
        }
        LetterStep::HandOff { route, reason } => {
            if !matches!(f.state, S::Received | S::Assigned) {
                return Err(not_in(f.state));
            }
            may_route(actor, f)?;
            let mut d = LetterDecision::to(S::HandedOff);
            d.public_note = joined(route.label(), reason);
            d.closing = Some(route.as_str());
            Ok(d)
        }
        LetterStep::DraftReply { text, public } => {
            if f.state != S::Assigned {
                return Err(not_in(f.state));
            }
            actor.may_work_in(Role::LetterHandler, f.handling_org)?;
            let text = text.trim();
            if text.is_empty() {
                return Err(LetterRefusal::EmptyReply);
            }
            let mut d = LetterDecision::to(S::InReview);
            d.draft = Some((text.to_string(), *public && f.consent));
            Ok(d)
        }
        LetterStep::ApproveReply => {
            if f.state != S::InReview {
                return Err(not_in(f.state));
            }
            if actor.may_work_in(Role::Reviewer, f.handling_org).is_err() {
                actor.may_work_in(Role::Approver, f.handling_org)?;
            }
            if actor.username.as_str() == f.drafted_by {
                return Err(LetterRefusal::OwnDraft);
            }
            let mut d = LetterDecision::to(S::Replied);
            d.replied = true;
            Ok(d)
        }
        LetterStep::ReturnReply { reason } => {
            if f.state != S::InReview {
                return Err(not_in(f.state));
            }
            if actor.may_work_in(Role::Reviewer, f.handling_org).is_err() {
                actor.may_work_in(Role::Approver, f.handling_org)?;
            }
            if reason.trim().is_empty() {
                return Err(LetterRefusal::ReasonRequired("退回理由"));
            }
            let mut d = LetterDecision::to(S::Assigned);
            d.returned = true;
            Ok(d)
        }
        LetterStep::AnsweredLive { public } => {
            if !matches!(f.state, S::Received | S::Assigned) {
                return Err(not_in(f.state));
            }
            may_route(actor, f)?;
            if !f.interview_held {
                return Err(LetterRefusal::NotLive);
            }
            let mut d = LetterDecision::to(S::Replied);
            d.draft = Some((LIVE_ANSWER.to_string(), *public && f.consent));
            d.replied = true;
            Ok(d)
        }
        LetterStep::Extend { days, reason } => {
            if !matches!(f.state, S::Assigned | S::InReview) {
                return Err(not_in(f.state));
            }
            actor.may_work_in(Role::Approver, f.handling_org)?;
            if reason.trim().is_empty() {
                return Err(LetterRefusal::ReasonRequired("延期理由"));
            }
            if f.extension_days > 0 || *days == 0 || *days > f.reply_days {
                return Err(LetterRefusal::ExtensionRefused { max: f.reply_days });
            }
            if let Some(due) = crate::clock::ended_before(f.due_on, f.today) {
                return Err(LetterRefusal::ExtensionAfterDue { due });
            }
            let mut d = LetterDecision::to(f.state);
            d.extension_total = Some(*days);
            d.public_note = format!("延长 {days} 个工作日：{}", reason.trim());
            Ok(d)
        }
    }
}

/// The reply recorded for a question answered live in an interview.
pub const LIVE_ANSWER: &str = "已在访谈中现场答复，详见访谈文字实录。";

/// Checks a public reply before it goes out: the letter and the reply may carry no secrecy
/// marking (personal data is masked on display, see [`public_text`]).
pub fn check_publishable(question: &str, reply: &str) -> Result<(), LetterRefusal> {
    for text in [question, reply] {
        if let Some(f) = scan("", text, &[]).into_iter().find(|f| f.kind == FindingKind::SecrecyMarking) {
            return Err(LetterRefusal::NotPublishable(f.text));
        }
    }
    Ok(())
}

fn joined(label: &str, reason: &str) -> String {
    let reason = reason.trim();
    if reason.is_empty() { label.to_string() } else { format!("{label}：{reason}") }
}

/// The reply clock of a letter received on `received_on` to a mailbox answering in
/// `reply_days`, with `extension_days` granted.
pub fn clock(received_on: NaiveDate, reply_days: u32, extension_days: u32) -> WorkdayClock {
    WorkdayClock { start: received_on, days: reply_days + extension_days }
}

/// A writer's name as the public sees it: the first character and `**` (张** for 张三丰).
pub fn masked_name(name: &str) -> String {
    match name.trim().chars().next() {
        Some(c) => format!("{c}**"),
        None => "匿名".to_string(),
    }
}

/// A letter's or reply's text as the public sees it: ID numbers, mobiles, bank cards and
/// e-mail addresses masked.
pub fn public_text(text: &str) -> String {
    crate::privacy::deidentify(text)
}

/// A field of a public form the writer got wrong (letters, comments, applications): every
/// wrong field is named so the form can show each error beside its field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldProblem {
    /// The form field.
    pub field: &'static str,
    /// What is wrong, in Chinese.
    pub message: String,
}

impl FieldProblem {
    /// The messages of several problems as one sentence.
    pub fn joined(problems: &[FieldProblem]) -> String {
        problems.iter().map(|p| p.message.as_str()).collect::<Vec<_>>().join("；")
    }
}

/// The longest subject, in characters.
pub const MAX_SUBJECT: usize = 100;
/// The longest letter, in characters.
pub const MAX_TEXT: usize = 5000;

/// What the writer filled in.
#[derive(Debug, Clone, Default)]
pub struct LetterInput<'a> {
    pub name: &'a str,
    pub phone: &'a str,
    pub email: &'a str,
    pub subject: &'a str,
    pub text: &'a str,
}

/// Checks a letter: the writer's real name and a contact (实名), a subject and the text, each
/// within its length; every wrong field named.
pub fn check_letter(l: &LetterInput<'_>) -> Vec<FieldProblem> {
    let mut errors = Vec::new();
    let mut err = |field, message: &str| errors.push(FieldProblem { field, message: message.to_string() });
    let name = l.name.trim();
    if name.is_empty() {
        err("name", "请填写姓名（实名）");
    } else if name.chars().count() > 50 {
        err("name", "姓名不超过 50 个字");
    }
    let phone = l.phone.trim();
    let email = l.email.trim();
    if phone.is_empty() && email.is_empty() {
        err("phone", "请至少填写手机号码或电子邮箱中的一项，以便答复");
    }
    if !phone.is_empty() && !valid_phone(phone) {
        err("phone", "电话号码格式不正确（手机 11 位，或区号加座机号码）");
    }
    if !email.is_empty() && (email.len() > 100 || !valid_email(email)) {
        err("email", "电子邮箱格式不正确");
    }
    let subject = l.subject.trim();
    if subject.is_empty() {
        err("subject", "请填写标题");
    } else if subject.chars().count() > MAX_SUBJECT {
        err("subject", &format!("标题不超过 {MAX_SUBJECT} 个字"));
    }
    let text = l.text.trim();
    if text.chars().count() < 5 {
        err("text", "请填写来信内容（至少 5 个字）");
    } else if text.chars().count() > MAX_TEXT {
        err("text", &format!("来信内容不超过 {MAX_TEXT} 个字"));
    }
    errors
}

pub(crate) fn valid_phone(p: &str) -> bool {
    let digits: String = p.chars().filter(|c| !matches!(c, '-' | ' ' | '(' | ')' | '（' | '）')).collect();
    digits.chars().all(|c| c.is_ascii_digit())
        && ((digits.len() == 11 && digits.starts_with('1')) || (7..=12).contains(&digits.len()))
}

pub(crate) fn valid_email(e: &str) -> bool {
    match e.split_once('@') {
        Some((user, host)) => {
            !user.is_empty() && host.contains('.') && !host.starts_with('.') && !host.ends_with('.') && !e.contains(' ')
        }
        None => false,
    }
}

/// A mailbox's figures for a period, as government sites publish them.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize)]
pub struct MailboxFigures {
    /// Letters received in the period.
    pub received: u32,
    /// Of them, replied.
    pub replied: u32,
    /// Of the replied, within the period (with extensions).
    pub on_time: u32,
    /// Closed as not valid or handed off.
    pub closed_otherwise: u32,
    /// Still open.
    pub open: u32,
    /// Average working days from receipt to reply, one decimal.
    pub average_days: Option<f64>,
}

impl MailboxFigures {
    /// Adds one letter: its state, and for a replied one the working days it took and
    /// whether that was in time.
    pub fn add(&mut self, state: LetterState, reply: Option<(u32, bool)>) {
        self.received += 1;
        match state {
            LetterState::Replied => {
                self.replied += 1;
                if let Some((days, in_time)) = reply {
                    let total = self.average_days.unwrap_or(0.0) * f64::from(self.replied - 1) + f64::from(days);
                    self.average_days = Some(total / f64::from(self.replied));
                    if in_time {
                        self.on_time += 1;
                    }
                }
            }
            LetterState::Invalid | LetterState::HandedOff => self.closed_otherwise += 1,
            _ => self.open += 1,
        }
    }

    /// The on-time rate of the replied letters, in percent.
    pub fn on_time_rate(&self) -> Option<f64> {
        (self.replied > 0).then(|| f64::from(self.on_time) * 100.0 / f64::from(self.replied))
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

    fn facts<'a>(state: LetterState, mailbox: &'a OrgPath, handling: &'a OrgPath) -> LetterFacts<'a> {
        LetterFacts {
            state,
            mailbox_org: mailbox,
            handling_org: handling,
            reply_days: 10,
            extension_days: 0,
            today: NaiveDate::from_ymd_opt(2026, 3, 2).expect("date"),
            due_on: None,
            drafted_by: "clerk",
            consent: true,
            question: "请问社保卡如何补办？",
            reply: "",
            interview_held: false,
        }
    }

    #[test]
    fn the_office_assigns_within_its_mailbox_org() {
        let district = OrgPath::root(1);
        let dept = district.child(2);
        let other = OrgPath::root(9);
        let office = actor(&district, "office", &[Role::Supervisor]);
        let f = facts(LetterState::Received, &district, &district);
        let d = decide(&f, &office, &LetterStep::Assign { org_id: 2 }, Some(&dept)).expect("assigned");
        assert_eq!((d.state, d.moves_to), (LetterState::Assigned, Some(2)));
        assert_eq!(
            decide(&f, &office, &LetterStep::Assign { org_id: 9 }, Some(&other)),
            Err(LetterRefusal::OutsideMailbox)
        );
        let editor = actor(&district, "ed", &[Role::Editor]);
        assert!(matches!(
            decide(&f, &editor, &LetterStep::Assign { org_id: 2 }, Some(&dept)),
            Err(LetterRefusal::Denied(_))
        ));
        // A department's handler cannot route the district's letters.
        let dept_handler = actor(&dept, "dh", &[Role::LetterHandler]);
        assert!(decide(&f, &dept_handler, &LetterStep::Assign { org_id: 2 }, Some(&dept)).is_err());
    }

    #[test]
    fn only_those_who_work_on_a_letter_read_it() {
        let district = OrgPath::root(1);
        let dept = district.child(2);
        let other = district.child(3);
        assert!(may_read(&actor(&dept, "clerk", &[Role::LetterHandler]), &district, &dept).is_ok());
        assert!(may_read(&actor(&dept, "chief", &[Role::Reviewer]), &district, &dept).is_ok());
        assert!(may_read(&actor(&dept, "editor", &[Role::Editor]), &district, &dept).is_err(), "an editor of the org");
        assert!(may_read(&actor(&other, "clerk2", &[Role::LetterHandler]), &district, &dept).is_err(), "another org");
        assert!(may_read(&actor(&district, "office", &[Role::Supervisor]), &district, &dept).is_ok(), "the office");
        assert!(
            may_read(&actor(&district, "admin", &[Role::Admin]), &district, &dept).is_err(),
            "an admin is not the office"
        );
    }

    #[test]
    fn a_transfer_needs_its_reason() {
        let district = OrgPath::root(1);
        let dept = district.child(2);
        let town = district.child(3);
        let handler = actor(&dept, "dh", &[Role::LetterHandler]);
        let f = facts(LetterState::Assigned, &district, &dept);
        let step = LetterStep::Transfer { org_id: 3, reason: " ".into() };
        assert_eq!(decide(&f, &handler, &step, Some(&town)), Err(LetterRefusal::ReasonRequired("转办理由")));
        let step = LetterStep::Transfer { org_id: 3, reason: "属镇街职责".into() };
        let d = decide(&f, &handler, &step, Some(&town)).expect("transferred");
        assert_eq!((d.moves_to, d.public_note.as_str()), (Some(3), "属镇街职责"));
        let step = LetterStep::Transfer { org_id: 2, reason: "x".into() };
        assert_eq!(decide(&f, &handler, &step, Some(&dept)), Err(LetterRefusal::SameOrg));
    }

    #[test]
    fn a_reply_is_reviewed_by_someone_else() {
        let dept = OrgPath::root(2);
        let clerk = actor(&dept, "clerk", &[Role::LetterHandler, Role::Reviewer]);
        let chief = actor(&dept, "chief", &[Role::Reviewer]);
        let f = facts(LetterState::Assigned, &dept, &dept);
        let d = decide(&f, &clerk, &LetterStep::DraftReply { text: " 答复如下。".into(), public: true }, None)
            .expect("drafted");
        assert_eq!(d.draft, Some(("答复如下。".to_string(), true)));
        assert_eq!(
            decide(&f, &clerk, &LetterStep::DraftReply { text: "  ".into(), public: true }, None),
            Err(LetterRefusal::EmptyReply)
        );
        let review = facts(LetterState::InReview, &dept, &dept);
        assert_eq!(decide(&review, &clerk, &LetterStep::ApproveReply, None), Err(LetterRefusal::OwnDraft));
        let d = decide(&review, &chief, &LetterStep::ApproveReply, None).expect("approved");
        assert!(d.replied && d.state == LetterState::Replied);
        assert_eq!(
            decide(&review, &chief, &LetterStep::ReturnReply { reason: "".into() }, None),
            Err(LetterRefusal::ReasonRequired("退回理由"))
        );
        assert!(
            decide(&review, &chief, &LetterStep::ReturnReply { reason: "补充依据".into() }, None)
                .expect("returned")
                .returned
        );
    }

    #[test]
    fn no_consent_means_no_public_reply() {
        let dept = OrgPath::root(2);
        let clerk = actor(&dept, "clerk", &[Role::LetterHandler]);
        let mut f = facts(LetterState::Assigned, &dept, &dept);
        f.consent = false;
        let d = decide(&f, &clerk, &LetterStep::DraftReply { text: "答复".into(), public: true }, None).expect("ok");
        assert_eq!(d.draft, Some(("答复".to_string(), false)));
    }

    #[test]
    fn one_extension_no_longer_than_the_period() {
        let dept = OrgPath::root(2);
        let leader = actor(&dept, "leader", &[Role::Approver]);
        let clerk = actor(&dept, "clerk", &[Role::LetterHandler]);
        let mut f = facts(LetterState::Assigned, &dept, &dept);
        let step = LetterStep::Extend { days: 10, reason: "需实地核查".into() };
        assert!(matches!(decide(&f, &clerk, &step, None), Err(LetterRefusal::Denied(_))));
        assert_eq!(decide(&f, &leader, &step, None).expect("extended").extension_total, Some(10));
        let long = LetterStep::Extend { days: 11, reason: "x".into() };
        assert_eq!(decide(&f, &leader, &long, None), Err(LetterRefusal::ExtensionRefused { max: 10 }));
        f.extension_days = 5;
        assert_eq!(decide(&f, &leader, &step, None), Err(LetterRefusal::ExtensionRefused { max: 10 }));
    }

    #[test]
    fn an_extension_only_within_the_period() {
        let dept = OrgPath::root(2);
        let leader = actor(&dept, "leader", &[Role::Approver]);
        let step = LetterStep::Extend { days: 5, reason: "需实地核查".into() };
        let day = |d| NaiveDate::from_ymd_opt(2026, 3, d).expect("date");
        let mut f = facts(LetterState::InReview, &dept, &dept);
        f.due_on = Some(day(16));
        for today in [day(2), day(16)] {
            f.today = today;
            assert_eq!(decide(&f, &leader, &step, None).expect("within").extension_total, Some(5), "{today}");
        }
        f.today = day(17);
        let refused = decide(&f, &leader, &step, None).expect_err("after the last day");
        assert_eq!(refused, LetterRefusal::ExtensionAfterDue { due: day(16) });
        assert!(refused.to_string().contains("2026-03-16"), "{refused}");
        // A calendar that cannot tell the last day blocks nothing.
        f.due_on = None;
        assert!(decide(&f, &leader, &step, None).is_ok());
    }

    #[test]
    fn closed_letters_take_no_more_steps() {
        let dept = OrgPath::root(2);
        let office = actor(&dept, "office", &[Role::Supervisor, Role::LetterHandler]);
        for state in [LetterState::Replied, LetterState::Invalid, LetterState::HandedOff] {
            let f = facts(state, &dept, &dept);
            let step = LetterStep::CloseInvalid { ground: InvalidGround::Duplicate, reason: String::new() };
            assert!(matches!(decide(&f, &office, &step, None), Err(LetterRefusal::NotInState { .. })));
        }
        let f = facts(LetterState::Received, &dept, &dept);
        let step = LetterStep::HandOff { route: HandOffRoute::Petition, reason: "涉及信访事项".into() };
        let d = decide(&f, &office, &step, None).expect("handed off");
        assert_eq!(d.public_note, "转信访渠道办理：涉及信访事项");
        assert_eq!(d.closing, Some("petition"));
    }

    #[test]
    fn public_views_mask_personal_data_and_refuse_markings() {
        assert_eq!(masked_name("张三丰"), "张**");
        let q = "我的身份证 11010519491231002X，手机 13812345678，银行卡 6222021234567890128。";
        let shown = public_text(q);
        assert!(!shown.contains("11010519491231002X") && !shown.contains("13812345678"), "{shown}");
        assert!(check_publishable(q, "已办理").is_ok());
        assert!(matches!(check_publishable(q, "详见机密文件"), Err(LetterRefusal::NotPublishable(_))));
    }

    #[test]
    fn letters_are_checked_field_by_field() {
        let empty = check_letter(&LetterInput::default());
        let fields: Vec<&str> = empty.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["name", "phone", "subject", "text"]);
        let ok = LetterInput {
            name: "李四",
            phone: "023-12345678",
            email: "",
            subject: "路灯不亮",
            text: "黔江大道路灯已坏一周。",
        };
        assert!(check_letter(&ok).is_empty());
        let bad = LetterInput { phone: "12ab", email: "x@", ..ok };
        let fields: Vec<&str> = check_letter(&bad).iter().map(|e| e.field).collect();
        assert_eq!(fields, ["phone", "email"]);
    }

    #[test]
    fn figures_average_and_count_on_time() {
        let mut f = MailboxFigures::default();
        f.add(LetterState::Replied, Some((3, true)));
        f.add(LetterState::Replied, Some((8, false)));
        f.add(LetterState::Assigned, None);
        f.add(LetterState::Invalid, None);
        assert_eq!((f.received, f.replied, f.on_time, f.open, f.closed_otherwise), (4, 2, 1, 1, 1));
        assert_eq!(f.average_days, Some(5.5));
        assert_eq!(f.on_time_rate(), Some(50.0));
    }
}
