//! Concerns (政务舆情 / 回应关切, 国办发〔2016〕61号, seeds 002 (七)(十), 004 三): a concern is
//! logged with its source, the minute it was first seen, its topic and severity, and the
//! org responsible for it (谁主管谁负责; 属地 for local events; the office when no one org
//! is in charge). Its clocks run in **hours** ([`HourClock`]): for 特别重大 and 重大 events
//! authoritative information within 5 hours and a press conference within 24; every other
//! concern answered within 48. It moves 收集 → 会商 → 研判 → 回应 → 评估, its leaders'
//! 批示 tracked to completion; a case handed to 公安 is recorded as such. Staff keep the log;
//! the public sees the published responses.

use crate::clock::{HourClock, Urgency};
use crate::code_enum::code_enum;
use crate::{Actor, Denied, OrgPath, Role};
use chrono::{DateTime, Utc};
use serde::Deserialize;
use thiserror::Error;

code_enum! {
    /// Where a concern was first seen.
    ConcernSource {
        /// 媒体报道.
        Media = ("media", "媒体报道"),
        /// 论坛、贴吧.
        Forum = ("forum", "论坛"),
        /// 微博.
        Weibo = ("weibo", "微博"),
        /// 微信.
        Wechat = ("wechat", "微信"),
        /// 新闻跟帖.
        NewsComments = ("news_comments", "新闻跟帖"),
        /// 12345 热线.
        Hotline = ("hotline_12345", "12345热线"),
        /// 领导批示.
        Instruction = ("instruction", "领导批示"),
        /// 督查检查.
        Inspection = ("inspection", "督查检查"),
    }
}

code_enum! {
    /// 舆情级别.
    Severity {
        /// 特别重大.
        Extraordinary = ("extraordinary", "特别重大"),
        /// 重大.
        Major = ("major", "重大"),
        /// 较大.
        Large = ("large", "较大"),
        /// 一般.
        General = ("general", "一般"),
    }
}

impl Severity {
    /// 特别重大 and 重大 events follow the emergency clocks.
    pub const fn is_emergency(self) -> bool {
        matches!(self, Self::Extraordinary | Self::Major)
    }
}

/// Hours for authoritative information on a 特别重大 or 重大 emergency.
pub const EMERGENCY_INFO_HOURS: u32 = 5;
/// Hours for the press conference on a 特别重大 or 重大 emergency.
pub const EMERGENCY_PRESS_HOURS: u32 = 24;
/// Hours for the response to any other concern (国办发〔2016〕61号: 最迟48小时).
pub const RESPONSE_HOURS: u32 = 48;

code_enum! {
    /// Where a concern stands (seed 004 三).
    ConcernStage {
        /// 收集: logged.
        Collected = ("collected", "收集"),
        /// 会商: the orgs concerned consulted.
        Consulted = ("consulted", "会商"),
        /// 研判: assessed.
        Assessed = ("assessed", "研判"),
        /// 回应: a public response given.
        Responded = ("responded", "已回应"),
        /// 评估: closed with the evaluation.
        Evaluated = ("evaluated", "已评估办结"),
    }
}

code_enum! {
    /// How a concern was responded to.
    ResponseKind {
        /// A statement or 情况通报 published as an item.
        Item = ("item", "发布权威信息"),
        /// A press conference or briefing.
        Press = ("press", "新闻发布会"),
        /// An online interview.
        Interview = ("interview", "在线访谈"),
    }
}

/// A concern's deadlines: (what, clock), the emergency's two or the general one.
pub fn clocks(severity: Severity, first_seen: DateTime<Utc>) -> Vec<(&'static str, HourClock)> {
    if severity.is_emergency() {
        vec![
            ("发布权威信息", HourClock { start: first_seen, hours: EMERGENCY_INFO_HOURS }),
            ("举行新闻发布会", HourClock { start: first_seen, hours: EMERGENCY_PRESS_HOURS }),
        ]
    } else {
        vec![("回应", HourClock { start: first_seen, hours: RESPONSE_HOURS })]
    }
}

/// One clock of a concern as it stands: met (at a time, in time or late) or still running.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClockState {
    pub what: &'static str,
    pub due_at: DateTime<Utc>,
    /// When it was met.
    pub met_at: Option<DateTime<Utc>>,
    /// True when met in time, or still running in time.
    pub in_time: bool,
    /// For a running clock: how pressing.
    pub urgency: Option<Urgency>,
    /// For a running clock: 「剩余 2 小时」 / 「超时 1 小时」.
    pub left: String,
}

/// The clocks of a concern at `now`, given the times of its first response of any kind and
/// of its first press conference.
pub fn clock_states(
    severity: Severity,
    first_seen: DateTime<Utc>,
    first_response: Option<DateTime<Utc>>,
    first_press: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
) -> Vec<ClockState> {
    clocks(severity, first_seen)
        .into_iter()
        .map(|(what, c)| {
            // The press clock is met by a press conference; the others by any response.
            let met =
                if c.hours == EMERGENCY_PRESS_HOURS && severity.is_emergency() { first_press } else { first_response };
            match met {
                Some(at) => ClockState {
                    what,
                    due_at: c.due_at(),
                    met_at: Some(at),
                    in_time: c.in_time(at),
                    urgency: None,
                    left: String::new(),
                },
                None => ClockState {
                    what,
                    due_at: c.due_at(),
                    met_at: None,
                    in_time: c.in_time(now),
                    urgency: Some(c.urgency(now)),
                    left: c.left_label(now),
                },
            }
        })
        .collect()
}

/// The org responsible for a concern (seeds 002 (七), 004 三(一)): the local org (属地) for a
/// local event, else the org in charge of the matter (the lead org when several), else the
/// office.
pub fn responsible_org(local: Option<i64>, in_charge: Option<i64>, office: i64) -> i64 {
    local.or(in_charge).unwrap_or(office)
}

/// What staff may do with a concern.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum ConcernStep {
    /// 会商: the orgs consulted, with the conclusions.
    Consult { note: String },
    /// 研判: the assessment, possibly changing the severity.
    Assess { note: String, severity: Option<Severity> },
    /// 回应: a public response (an item, a press conference, an interview).
    Respond { kind: ResponseKind, target_id: i64, note: String },
    /// 评估: the closing evaluation, with what was adopted from constructive opinions.
    Evaluate { note: String, adopted: String },
    /// The office gives it to another org, with the reason.
    Reassign { org_id: i64, reason: String },
    /// A leader's 批示 to carry out.
    Instruction { note: String },
    /// The 批示 with this event id carried out.
    InstructionDone { event_id: i64, note: String },
    /// Handed to 公安 (rumours, unlawful acts), with what was handed.
    Police { note: String },
}

impl ConcernStep {
    /// The code name, for events and the audit trail.
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Consult { .. } => "consult",
            Self::Assess { .. } => "assess",
            Self::Respond { .. } => "respond",
            Self::Evaluate { .. } => "evaluate",
            Self::Reassign { .. } => "reassign",
            Self::Instruction { .. } => "instruction",
            Self::InstructionDone { .. } => "instruction_done",
            Self::Police { .. } => "police",
        }
    }
}

/// The timeline label of a step's code (also `log`).
pub const fn step_label(code: &str) -> &'static str {
    match code.as_bytes() {
        b"log" => "登记",
        b"consult" => "会商",
        b"assess" => "研判",
        b"respond" => "回应",
        b"evaluate" => "评估办结",
        b"reassign" => "改派",
        b"instruction" => "领导批示",
        b"instruction_done" => "批示办结",
        b"police" => "移交公安",
        _ => "处置",
    }
}

/// Why a concern step is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ConcernRefusal {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("请填写{0}")]
    Required(&'static str),
    #[error("舆情当前为「{}」，不能{}", .0.label(), .1)]
    NotInStage(ConcernStage, &'static str),
    #[error("尚未回应，不能评估办结")]
    NotResponded,
    #[error("首次发现时间不能晚于现在")]
    FutureFirstSeen,
    #[error("找不到该批示，或已办结")]
    NoSuchInstruction,
    #[error("改派的单位与当前责任单位相同")]
    SameOrg,
}

impl ConcernRefusal {
    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Denied(Denied::MissingRole(_)) => "forbidden_role",
            Self::Denied(Denied::OutsideOrg) => "forbidden_org",
            Self::Required(_) => "required",
            Self::NotInStage(..) | Self::NotResponded => "invalid_transition",
            Self::FutureFirstSeen => "invalid_time",
            Self::NoSuchInstruction => "not_found",
            Self::SameOrg => "same_org",
        }
    }
}

/// The office over an org: a supervisor of the org or of one above it.
pub fn is_office_over(actor: &Actor, org: &OrgPath) -> Result<(), Denied> {
    if !actor.has(Role::Supervisor) {
        return Err(Denied::MissingRole(Role::Supervisor));
    }
    if org.is_within(&actor.org_path) { Ok(()) } else { Err(Denied::OutsideOrg) }
}

/// Who works on a concern of an org: its editors, or the office over it.
pub fn may_handle(actor: &Actor, org: &OrgPath) -> Result<(), Denied> {
    if is_office_over(actor, org).is_ok() {
        return Ok(());
    }
    actor.may_work_in(Role::Editor, org)
}

/// The facts a step is decided on.
#[derive(Debug, Clone)]
pub struct ConcernFacts<'a> {
    pub stage: ConcernStage,
    pub org_path: &'a OrgPath,
    pub org_id: i64,
    /// Open 批示 by their event id.
    pub open_instructions: &'a [i64],
    /// The new org's path, for a reassignment.
    pub new_org_path: Option<&'a OrgPath>,
}

/// What an allowed step does.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConcernDecision {
    /// The stage after the step.
    pub stage: ConcernStage,
    /// The responsible org after the step.
    pub org_id: i64,
    /// A new severity.
    pub severity: Option<Severity>,
    /// The note on the timeline.
    pub note: String,
}

/// Decides a step.
pub fn decide(f: &ConcernFacts<'_>, actor: &Actor, step: &ConcernStep) -> Result<ConcernDecision, ConcernRefusal> {
    use ConcernStage::*;
    let required = |s: &str, what: &'static str| {
        if s.trim().is_empty() { Err(ConcernRefusal::Required(what)) } else { Ok(s.trim().to_string()) }
    };
    let same = |note: String| ConcernDecision { stage: f.stage, org_id: f.org_id, severity: None, note };
    if f.stage == Evaluated {
        return Err(ConcernRefusal::NotInStage(f.stage, step_label(step.code())));
    }
    match step {
        ConcernStep::Reassign { org_id, reason } => {
            // The office reassigns: a supervisor over both orgs.
            is_office_over(actor, f.org_path)?;
            let to = f.new_org_path.ok_or(ConcernRefusal::Required("改派单位"))?;
            is_office_over(actor, to)?;
            if *org_id == f.org_id {
                return Err(ConcernRefusal::SameOrg);
            }
            let note = required(reason, "改派理由")?;
            return Ok(ConcernDecision { org_id: *org_id, ..same(note) });
        }
        ConcernStep::Instruction { note } => {
            may_handle(actor, f.org_path)?;
            return Ok(same(required(note, "批示内容")?));
        }
        _ => {}
    }
    may_handle(actor, f.org_path)?;
    match step {
        ConcernStep::Consult { note } => match f.stage {
            Collected | Consulted => Ok(ConcernDecision { stage: Consulted, ..same(required(note, "会商意见")?) }),
            s => Err(ConcernRefusal::NotInStage(s, "会商")),
        },
        ConcernStep::Assess { note, severity } => match f.stage {
            Collected | Consulted | Assessed => {
                Ok(ConcernDecision { stage: Assessed, severity: *severity, ..same(required(note, "研判意见")?) })
            }
            s => Err(ConcernRefusal::NotInStage(s, "研判")),
        },
        // An emergency is answered before the consultation ends: a response is allowed at
        // any open stage, and several responses may follow one another.
        ConcernStep::Respond { note, .. } => Ok(ConcernDecision { stage: Responded, ..same(note.trim().to_string()) }),
        ConcernStep::Evaluate { note, adopted } => {
            if f.stage != Responded {
                return Err(ConcernRefusal::NotResponded);
            }
            let note = required(note, "评估意见")?;
            let adopted = adopted.trim();
            let note = if adopted.is_empty() { note } else { format!("{note}\n采纳情况：{adopted}") };
            Ok(ConcernDecision { stage: Evaluated, ..same(note) })
        }
        ConcernStep::InstructionDone { event_id, note } => {
            if !f.open_instructions.contains(event_id) {
                return Err(ConcernRefusal::NoSuchInstruction);
            }
            Ok(same(required(note, "办理情况")?))
        }
        ConcernStep::Police { note } => Ok(same(required(note, "移交情况")?)),
        ConcernStep::Reassign { .. } | ConcernStep::Instruction { .. } => unreachable!("decided above"),
    }
}

/// Checks a new concern: topic, first-seen time not in the future.
pub fn check_new(topic: &str, first_seen: DateTime<Utc>, now: DateTime<Utc>) -> Result<(), ConcernRefusal> {
    if topic.trim().is_empty() {
        return Err(ConcernRefusal::Required("舆情主题"));
    }
    if first_seen > now + chrono::Duration::minutes(5) {
        return Err(ConcernRefusal::FutureFirstSeen);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::OrgPath;

    fn at(s: &str) -> DateTime<Utc> {
        chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M").expect("time").and_utc() - chrono::Duration::hours(8)
    }

    fn actor(roles: &[Role], path: &OrgPath) -> Actor {
        Actor {
            user_id: 7,
            username: crate::Username::parse("clerk").expect("name"),
            org_id: 2,
            org_path: path.clone(),
            roles: roles.to_vec(),
        }
    }

    #[test]
    fn emergencies_have_two_clocks_in_hours() {
        let seen = at("2026-12-05 23:10"); // a Saturday night
        let states = clock_states(Severity::Major, seen, Some(at("2026-12-06 03:00")), None, at("2026-12-06 20:00"));
        assert_eq!(states.len(), 2);
        assert!(states[0].in_time && states[0].met_at.is_some());
        assert_eq!(states[1].due_at, at("2026-12-06 23:10"));
        assert_eq!(states[1].urgency, Some(Urgency::Near));
        assert_eq!(states[1].left, "剩余 3 小时 10 分");
        let late =
            clock_states(Severity::Extraordinary, seen, Some(at("2026-12-06 04:11")), None, at("2026-12-07 00:00"));
        assert!(!late[0].in_time);
        assert_eq!(late[1].urgency, Some(Urgency::Overdue));
        let general = clock_states(Severity::General, seen, None, None, at("2026-12-07 23:10"));
        assert_eq!(general.len(), 1);
        assert_eq!(general[0].due_at, at("2026-12-07 23:10"));
        assert!(general[0].in_time);
    }

    #[test]
    fn responsibility_follows_the_seeds() {
        assert_eq!(responsible_org(Some(5), Some(3), 1), 5);
        assert_eq!(responsible_org(None, Some(3), 1), 3);
        assert_eq!(responsible_org(None, None, 1), 1);
    }

    #[test]
    fn stages_move_in_order_and_evaluation_needs_a_response() {
        let path = OrgPath::root(1).child(2);
        let editor = actor(&[Role::Editor], &path);
        let f = |stage| ConcernFacts { stage, org_path: &path, org_id: 2, open_instructions: &[9], new_org_path: None };
        let consult = ConcernStep::Consult { note: "与区卫健委会商".into() };
        assert_eq!(decide(&f(ConcernStage::Collected), &editor, &consult).expect("ok").stage, ConcernStage::Consulted);
        assert_eq!(
            decide(&f(ConcernStage::Assessed), &editor, &consult),
            Err(ConcernRefusal::NotInStage(ConcernStage::Assessed, "会商"))
        );
        let evaluate = ConcernStep::Evaluate { note: "回应及时".into(), adopted: "".into() };
        assert_eq!(decide(&f(ConcernStage::Assessed), &editor, &evaluate), Err(ConcernRefusal::NotResponded));
        let respond = ConcernStep::Respond { kind: ResponseKind::Item, target_id: 4, note: String::new() };
        assert_eq!(decide(&f(ConcernStage::Collected), &editor, &respond).expect("ok").stage, ConcernStage::Responded);
        assert_eq!(decide(&f(ConcernStage::Responded), &editor, &evaluate).expect("ok").stage, ConcernStage::Evaluated);
        assert!(decide(&f(ConcernStage::Evaluated), &editor, &respond).is_err());
        let done = ConcernStep::InstructionDone { event_id: 8, note: "已办".into() };
        assert_eq!(decide(&f(ConcernStage::Assessed), &editor, &done), Err(ConcernRefusal::NoSuchInstruction));
        // Only the office reassigns.
        let other = OrgPath::root(1).child(3);
        let re = ConcernStep::Reassign { org_id: 3, reason: "属地管理".into() };
        let g = ConcernFacts { new_org_path: Some(&other), ..f(ConcernStage::Collected) };
        assert!(matches!(decide(&g, &editor, &re), Err(ConcernRefusal::Denied(_))));
        let office = actor(&[Role::Supervisor], &OrgPath::root(1));
        assert_eq!(decide(&g, &office, &re).expect("ok").org_id, 3);
        // Another department's editor may not touch it.
        let stranger = actor(&[Role::Editor], &other);
        assert!(matches!(decide(&f(ConcernStage::Collected), &stranger, &consult), Err(ConcernRefusal::Denied(_))));
    }

    #[test]
    fn a_concern_cannot_be_first_seen_in_the_future() {
        let now = at("2026-12-03 10:00");
        assert!(check_new("某小区供水中断", at("2026-12-03 09:00"), now).is_ok());
        assert_eq!(check_new(" ", now, now), Err(ConcernRefusal::Required("舆情主题")));
        assert_eq!(check_new("x", at("2026-12-03 11:00"), now), Err(ConcernRefusal::FutureFirstSeen));
    }
}
