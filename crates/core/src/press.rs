//! Press conferences, policy briefings and online interviews (新闻发布会、政策吹风会、在线
//! 访谈; seeds 000 一4, 002 (五), 004 三): scheduled, then published with the speakers (the
//! principal leader 主要负责同志 flagged), the transcript, the video, and the policies and
//! interpretations they explain. Each org has yearly targets (seed 000: the government at
//! least 12 a year with its principal leader at one or more; each department at least 2,
//! its principal leader at one), configurable per site. An interview collects questions
//! from the public beforehand — letters to the org's 访谈提问 mailbox, masked and moderated
//! like any letter — answered live in the transcript or in writing within a few working
//! days after the interview.

use crate::code_enum::code_enum;
use crate::{Actor, Denied, OrgPath, Role};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

code_enum! {
    /// What kind of event.
    PressKind {
        /// 新闻发布会.
        Conference = ("conference", "新闻发布会"),
        /// 政策吹风会.
        Briefing = ("briefing", "政策吹风会"),
        /// 在线访谈.
        Interview = ("interview", "在线访谈"),
    }
}

impl PressKind {
    /// Conferences and briefings count against the yearly press targets.
    pub const fn counts_as_press(self) -> bool {
        matches!(self, Self::Conference | Self::Briefing)
    }
}

code_enum! {
    /// Where an event stands.
    PressState {
        /// 已安排: announced, not yet held.
        Scheduled = ("scheduled", "预告"),
        /// 已举行: held, its record published.
        Held = ("held", "已举行"),
        /// 已取消.
        Cancelled = ("cancelled", "已取消"),
    }
}

/// Yearly targets per org (seed 000, configurable per site).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Targets {
    /// Conferences a year for a government.
    pub government: u32,
    /// Of which its principal leader attends.
    pub government_principal: u32,
    /// Conferences a year for a department.
    pub department: u32,
    /// Of which its principal leader attends.
    pub department_principal: u32,
}

impl Default for Targets {
    fn default() -> Self {
        Self { government: 12, government_principal: 1, department: 2, department_principal: 1 }
    }
}

impl Targets {
    /// The (events, principal leader) targets of an org; villages and towns have none.
    pub fn for_org(&self, kind: crate::OrgKind) -> Option<(u32, u32)> {
        match kind {
            crate::OrgKind::Government => Some((self.government, self.government_principal)),
            crate::OrgKind::Department => Some((self.department, self.department_principal)),
            _ => None,
        }
    }
}

/// An org's progress in a year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Conferences and briefings held.
    pub held: u32,
    /// Of which the principal leader attended.
    pub principal: u32,
    /// Online interviews held.
    pub interviews: u32,
}

impl Progress {
    /// True when both targets are met.
    pub fn meets(&self, target: (u32, u32)) -> bool {
        self.held >= target.0 && self.principal >= target.1
    }
}

/// Working days within which an interview question not answered live gets its written
/// answer (a common local rule, RULES.md §7; configurable per site).
pub const DEFAULT_ANSWER_DAYS: u32 = 5;

/// A speaker.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Speaker {
    pub name: String,
    /// 职务.
    pub post: String,
    /// 主要负责同志.
    #[serde(default)]
    pub principal: bool,
}

/// Reads speakers from lines 「姓名 职务」, a line ending in 「*」 marking the principal leader.
pub fn parse_speakers(text: &str) -> Vec<Speaker> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(30)
        .map(|l| {
            let (l, principal) = match l.strip_suffix(['*', '＊']) {
                Some(rest) => (rest.trim(), true),
                None => (l, false),
            };
            let mut parts = l.splitn(2, char::is_whitespace);
            let name: String = parts.next().unwrap_or_default().chars().take(30).collect();
            let post: String = parts.next().unwrap_or_default().trim().chars().take(100).collect();
            Speaker { name, post, principal }
        })
        .collect()
}

/// Writes speakers back as the lines [`parse_speakers`] reads.
pub fn speakers_text(speakers: &[Speaker]) -> String {
    speakers
        .iter()
        .map(|s| format!("{} {}{}", s.name, s.post, if s.principal { " *" } else { "" }))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a press step is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PressRefusal {
    #[error(transparent)]
    Denied(#[from] Denied),
    #[error("请填写{0}")]
    Required(&'static str),
    #[error("「{}」的活动不能{}", .0.label(), .1)]
    NotInState(PressState, &'static str),
    #[error("活动尚未举行，不能发布实录")]
    NotYet,
    #[error("链接须以 https:// 或 http:// 开头")]
    BadUrl,
    #[error("访谈计划第 {0} 行：{1}")]
    BadPlan(usize, &'static str),
    #[error("请为图片写一句说明（2 至 200 字，供读屏软件朗读）")]
    PhotoCaption,
    #[error("每场活动最多 {MAX_PHOTOS} 张图片")]
    TooManyPhotos,
    #[error("只能上传 JPEG、PNG 或 WebP 图片")]
    NotAPhoto,
}

impl PressRefusal {
    /// A stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Denied(Denied::MissingRole(_)) => "forbidden_role",
            Self::Denied(Denied::OutsideOrg) => "forbidden_org",
            Self::Required(_) | Self::BadUrl => "invalid_input",
            Self::BadPlan(..) => "invalid_plan",
            Self::PhotoCaption => "caption_required",
            Self::TooManyPhotos => "too_many_photos",
            Self::NotAPhoto => "not_a_photo",
            Self::NotInState(..) | Self::NotYet => "invalid_transition",
        }
    }
}

/// Who runs an org's press events: its editors, or a supervisor of the org (its office).
pub fn may_run(actor: &Actor, org: &OrgPath) -> Result<(), Denied> {
    if actor.may_work_in(Role::Supervisor, org).is_ok() {
        return Ok(());
    }
    actor.may_work_in(Role::Editor, org)
}

/// Checks a scheduled event.
pub fn check_schedule(
    title: &str,
    starts_at: DateTime<Utc>,
    now: DateTime<Utc>,
    new: bool,
) -> Result<(), PressRefusal> {
    if title.trim().is_empty() {
        return Err(PressRefusal::Required("主题"));
    }
    if new && starts_at < now - chrono::Duration::days(366) {
        return Err(PressRefusal::Required("举行时间"));
    }
    Ok(())
}

/// Checks publishing the record of a held event at `now`.
pub fn check_record(
    state: PressState,
    starts_at: DateTime<Utc>,
    speakers: &[Speaker],
    transcript: &str,
    video_url: &str,
    now: DateTime<Utc>,
) -> Result<(), PressRefusal> {
    if state == PressState::Cancelled {
        return Err(PressRefusal::NotInState(state, "发布实录"));
    }
    if starts_at > now {
        return Err(PressRefusal::NotYet);
    }
    if speakers.is_empty() || speakers.iter().any(|s| s.name.is_empty()) {
        return Err(PressRefusal::Required("发布人（每行一位：姓名 职务）"));
    }
    if transcript.trim().is_empty() {
        return Err(PressRefusal::Required("文字实录"));
    }
    if !video_url.trim().is_empty() && !crate::html::is_web_link(video_url) {
        return Err(PressRefusal::BadUrl);
    }
    Ok(())
}

/// The most photos one event may carry.
pub const MAX_PHOTOS: usize = 12;

/// Checks adding a photo to an event that has `count` already: the event held (photos are
/// of the event), a caption read out in place of the image, room left.
pub fn check_photo(state: PressState, caption: &str, count: usize) -> Result<(), PressRefusal> {
    if state != PressState::Held {
        return Err(PressRefusal::NotInState(state, "上传图片"));
    }
    if !(2..=200).contains(&caption.trim().chars().count()) {
        return Err(PressRefusal::PhotoCaption);
    }
    if count >= MAX_PHOTOS {
        return Err(PressRefusal::TooManyPhotos);
    }
    Ok(())
}

/// One line of an org's yearly interview plan (年度在线访谈计划): the month, the topic and
/// the guests expected.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanEntry {
    pub month: u32,
    pub topic: String,
    #[serde(default)]
    pub guests: String,
}

/// The most lines a plan may have (two a month).
pub const MAX_PLAN: usize = 24;

/// Checks a plan: months 1 to 12, a topic on every line, at most [`MAX_PLAN`] lines.
pub fn check_plan(entries: &[PlanEntry]) -> Result<(), PressRefusal> {
    if entries.len() > MAX_PLAN {
        return Err(PressRefusal::BadPlan(MAX_PLAN + 1, "一年最多 24 场"));
    }
    for (i, e) in entries.iter().enumerate() {
        if !(1..=12).contains(&e.month) {
            return Err(PressRefusal::BadPlan(i + 1, "月份须为 1 至 12"));
        }
        match e.topic.trim().chars().count() {
            0 => return Err(PressRefusal::BadPlan(i + 1, "请填写访谈主题")),
            n if n > 100 => return Err(PressRefusal::BadPlan(i + 1, "主题不超过 100 个字")),
            _ => {}
        }
        if e.guests.chars().count() > 200 {
            return Err(PressRefusal::BadPlan(i + 1, "嘉宾不超过 200 个字"));
        }
    }
    Ok(())
}

/// Reads a plan typed one line an entry: `月份｜主题｜嘉宾` (`3月`, `3` or `03`; `|` or `｜`;
/// the guests may be left out). Blank lines are skipped.
pub fn parse_plan(text: &str) -> Result<Vec<PlanEntry>, PressRefusal> {
    let mut out = Vec::new();
    for (i, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let mut parts = line.split(['|', '｜']).map(str::trim);
        let month = parts.next().unwrap_or("").trim_end_matches('月').trim_end_matches("份");
        let month: u32 =
            month.parse().map_err(|_| PressRefusal::BadPlan(i + 1, "行首须为月份，如「3月｜主题｜嘉宾」"))?;
        let topic = parts.next().unwrap_or("").to_string();
        let guests = parts.collect::<Vec<_>>().join("、");
        out.push(PlanEntry { month, topic, guests });
    }
    check_plan(&out)?;
    Ok(out)
}

code_enum! {
    /// Where a line of the plan stands.
    PlanStatus {
        /// An interview was held in its month.
        Held = ("held", "已举办"),
        /// Its month has not ended.
        Upcoming = ("upcoming", "待举办"),
        /// Its month ended without an interview.
        Missed = ("missed", "未按计划举办"),
    }
}

/// Each line of a `year`'s plan with its status on `today`, and the interview that fulfilled
/// it: the org's interviews held that year (id, month), in date order, each fulfilling the
/// first open line of its month.
pub fn plan_status(
    entries: &[PlanEntry],
    year: i32,
    held: &[(i64, u32)],
    today: chrono::NaiveDate,
) -> Vec<(PlanStatus, Option<i64>)> {
    use chrono::Datelike;
    let mut used = vec![false; held.len()];
    entries
        .iter()
        .map(|e| {
            let hit =
                held.iter().enumerate().find(|(k, (_, m))| *m == e.month && !used[*k]).map(|(k, (id, _))| (k, *id));
            if let Some((k, id)) = hit {
                used[k] = true;
                return (PlanStatus::Held, Some(id));
            }
            let ended = year < today.year() || (year == today.year() && e.month < today.month());
            (if ended { PlanStatus::Missed } else { PlanStatus::Upcoming }, None)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn photos_need_the_event_held_a_caption_and_room() {
        assert_eq!(
            check_photo(PressState::Scheduled, "发布会现场", 0),
            Err(PressRefusal::NotInState(PressState::Scheduled, "上传图片"))
        );
        assert_eq!(check_photo(PressState::Held, " ", 0), Err(PressRefusal::PhotoCaption));
        assert_eq!(check_photo(PressState::Held, "发布会现场", MAX_PHOTOS), Err(PressRefusal::TooManyPhotos));
        assert_eq!(check_photo(PressState::Held, "发布会现场", MAX_PHOTOS - 1), Ok(()));
    }

    #[test]
    fn an_interview_plan_is_read_and_followed() {
        let plan =
            parse_plan("3月｜优化营商环境｜区发展改革委主任\n\n06 | 城市停车管理\n6月｜老旧小区改造").expect("plan");
        assert_eq!(plan.len(), 3);
        assert_eq!((plan[1].month, plan[1].topic.as_str(), plan[1].guests.as_str()), (6, "城市停车管理", ""));
        assert_eq!(parse_plan("13月｜x"), Err(PressRefusal::BadPlan(1, "月份须为 1 至 12")));
        assert_eq!(parse_plan("3月｜"), Err(PressRefusal::BadPlan(1, "请填写访谈主题")));
        assert!(matches!(parse_plan("三月｜x"), Err(PressRefusal::BadPlan(1, _))));
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 10).expect("date");
        // One interview in June fulfils the first June line; March passed without one.
        let status = plan_status(&plan, 2026, &[(7, 6)], today);
        assert_eq!(status, vec![(PlanStatus::Missed, None), (PlanStatus::Held, Some(7)), (PlanStatus::Upcoming, None)]);
        let next_year = chrono::NaiveDate::from_ymd_opt(2027, 1, 2).expect("date");
        assert_eq!(plan_status(&plan, 2026, &[], next_year)[2], (PlanStatus::Missed, None));
    }

    #[test]
    fn speakers_mark_the_principal_leader() {
        let s = parse_speakers("王明 区人民政府区长 *\n\n李华 区发展改革委主任\n张三");
        assert_eq!(s.len(), 3);
        assert!(s[0].principal && s[0].post == "区人民政府区长");
        assert!(!s[1].principal);
        assert_eq!(s[2].post, "");
        assert_eq!(parse_speakers(&speakers_text(&s)), s);
    }

    #[test]
    fn targets_follow_seed_000() {
        let t = Targets::default();
        assert_eq!(t.for_org(crate::OrgKind::Government), Some((12, 1)));
        assert_eq!(t.for_org(crate::OrgKind::Department), Some((2, 1)));
        assert_eq!(t.for_org(crate::OrgKind::Village), None);
        assert!(Progress { held: 12, principal: 1, interviews: 0 }.meets((12, 1)));
        assert!(!Progress { held: 13, principal: 0, interviews: 3 }.meets((12, 1)));
    }

    #[test]
    fn a_record_needs_the_event_held_with_speakers_and_transcript() {
        let now = DateTime::parse_from_rfc3339("2026-12-03T10:00:00+08:00").expect("time").to_utc();
        let sp = parse_speakers("王明 区长 *");
        let past = now - chrono::Duration::hours(2);
        assert!(check_record(PressState::Scheduled, past, &sp, "实录", "", now).is_ok());
        assert_eq!(
            check_record(PressState::Scheduled, now + chrono::Duration::hours(1), &sp, "实录", "", now),
            Err(PressRefusal::NotYet)
        );
        assert_eq!(
            check_record(PressState::Scheduled, past, &[], "实录", "", now),
            Err(PressRefusal::Required("发布人（每行一位：姓名 职务）"))
        );
        assert_eq!(
            check_record(PressState::Scheduled, past, &sp, " ", "", now),
            Err(PressRefusal::Required("文字实录"))
        );
        assert_eq!(check_record(PressState::Scheduled, past, &sp, "x", "javascript:x", now), Err(PressRefusal::BadUrl));
        assert!(matches!(
            check_record(PressState::Cancelled, past, &sp, "x", "", now),
            Err(PressRefusal::NotInState(..))
        ));
    }
}
