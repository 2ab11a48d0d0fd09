//! Policy interpretation (政策解读, seeds 002 (五)(六), 003 一3, 004 二): an interpretation is
//! a public item of its own kind, tied to the policies it explains, in one of the forms the
//! seeds name, with the content elements of seed 002 (六). The org that drafted the policy
//! interprets it (谁起草、谁解读; the lead org of a joint document). A policy needs an
//! interpretation by its genre (configurable per site) or when its editor marks it; such a
//! policy is approved only with its interpretation submitted alongside (同步组织、同步审签、
//! 同步部署; block or warn, per site) and the interpretation is published with it or within
//! a few working days of it (3 by default) on the official calendar.

use crate::calendar::{Calendar, CalendarError};
use crate::clock::{Completion, Urgency, WorkdayClock};
use crate::code_enum::code_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

code_enum! {
    /// 解读形式.
    InterpForm {
        /// 文字解读.
        Text = ("text", "文字解读"),
        /// 图解 (an image with its text alternative).
        Graphic = ("graphic", "图解"),
        /// 问答.
        Qa = ("qa", "问答"),
        /// 音视频 (a file or a link, with its transcript).
        Media = ("media", "音视频解读"),
        /// 专家解读.
        Expert = ("expert", "专家解读"),
        /// 领导解读 (the org's 第一解读人).
        Leader = ("leader", "领导解读"),
        /// 媒体解读 (a link to the press piece).
        Press = ("press", "媒体解读"),
        /// 新闻发布会、吹风会.
        Conference = ("conference", "新闻发布会解读"),
    }
}

code_enum! {
    /// The content elements of an interpretation (seed 002 (六)).
    Element {
        /// 背景依据.
        Background = ("background", "背景依据"),
        /// 目标任务.
        Goals = ("goals", "目标任务"),
        /// 主要内容.
        Content = ("content", "主要内容"),
        /// 涉及范围.
        Scope = ("scope", "涉及范围"),
        /// 执行标准.
        Standards = ("standards", "执行标准"),
        /// 注意事项.
        Cautions = ("cautions", "注意事项"),
        /// 关键词诠释.
        Keywords = ("keywords", "关键词诠释"),
        /// 惠民利民举措.
        Benefits = ("benefits", "惠民利民举措"),
        /// 新旧政策差异.
        Differences = ("differences", "新旧政策差异"),
    }
}

impl Element {
    /// The elements every interpretation is expected to have: the seed's 着重解读 list
    /// (背景依据、目标任务、主要内容、涉及范围、执行标准); the rest apply where they fit.
    pub const REQUIRED: [Element; 5] =
        [Element::Background, Element::Goals, Element::Content, Element::Scope, Element::Standards];
}

/// An interpretation's own fields besides the item's.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct InterpDetails {
    /// The content elements, by code.
    pub elements: BTreeMap<String, String>,
    /// 图解's text alternative or 音视频's transcript.
    pub alt_text: String,
    /// 音视频's file or link; 媒体解读's press piece.
    pub media_url: String,
    /// 专家 / 领导解读: who interprets, with their post.
    pub speaker: String,
    /// 新闻发布会解读: the conference.
    pub press_id: Option<i64>,
}

/// A problem with an interpretation's fields, by field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterpProblem {
    pub field: &'static str,
    pub message: String,
}

/// What a form needs besides the text: errors that keep it from being saved.
pub fn check_details(form: InterpForm, d: &InterpDetails) -> Vec<InterpProblem> {
    let mut out = Vec::new();
    let mut need = |ok: bool, field: &'static str, message: &str| {
        if !ok {
            out.push(InterpProblem { field, message: message.to_string() });
        }
    };
    let url_ok = crate::html::is_web_link;
    match form {
        InterpForm::Graphic => {
            need(!d.alt_text.trim().is_empty(), "alt_text", "图解须附文字说明（供读屏软件和无法看图的读者使用）")
        }
        InterpForm::Media => {
            need(url_ok(&d.media_url), "media_url", "音视频解读须填写音视频文件或链接地址");
            need(!d.alt_text.trim().is_empty(), "alt_text", "音视频解读须附文字实录");
        }
        InterpForm::Press => need(url_ok(&d.media_url), "media_url", "媒体解读须填写媒体报道的链接"),
        InterpForm::Expert | InterpForm::Leader => {
            need(!d.speaker.trim().is_empty(), "speaker", "请填写解读人姓名和职务")
        }
        InterpForm::Conference => need(d.press_id.is_some(), "press_id", "请选择对应的新闻发布会或吹风会"),
        InterpForm::Text | InterpForm::Qa => {}
    }
    if !d.media_url.trim().is_empty() && !url_ok(&d.media_url) {
        need(false, "media_url", "链接须以 https:// 或 http:// 开头");
    }
    for (code, text) in &d.elements {
        if Element::parse(code).is_none() {
            need(false, "elements", &format!("未知的解读要素「{code}」"));
        } else if text.chars().count() > 20_000 {
            need(false, "elements", "每项解读要素不超过 20000 字");
        }
    }
    out
}

/// The required elements left empty: warned about before submission, not refused (a 问答
/// or a 图解 may carry them in its own shape).
pub fn missing_elements(d: &InterpDetails) -> Vec<Element> {
    Element::REQUIRED.into_iter().filter(|e| d.elements.get(e.as_str()).is_none_or(|t| t.trim().is_empty())).collect()
}

/// The genres whose policies need an interpretation by default: 规章, 行政规范性文件 and
/// 重大政策措施 (seeds 002 (五), 004 二(一)); a site sets its own list.
pub const DEFAULT_GENRES: [&str; 3] = ["规章", "行政规范性文件", "重大政策措施"];

/// Working days after a policy's publication within which its interpretation is published
/// (seed 003's digit is damaged; 3 is the common local rule, configurable).
pub const DEFAULT_DAYS: u32 = 3;

/// Whether a policy needs an interpretation: the editor's mark decides when set (true: marked
/// as needing one; false: marked as not needing one), else the genre.
pub fn needs(genre: &str, marked: Option<bool>, genres: &[String]) -> bool {
    marked.unwrap_or_else(|| genres.iter().any(|g| g.trim() == genre.trim() && !g.trim().is_empty()))
}

/// What the approval of a policy does when its interpretation is not submitted with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Gate {
    /// Refused until the interpretation is submitted (同步审签).
    #[default]
    Block,
    /// Allowed, with a warning recorded on the approval.
    Warn,
}

/// The clock of a policy's interpretation: `days` working days from the policy's publication.
pub fn clock(policy_published_on: NaiveDate, days: u32) -> WorkdayClock {
    WorkdayClock { start: policy_published_on, days }
}

/// Where a policy that needs an interpretation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Interpretation published on time (with the policy or within the days).
    OnTime,
    /// Interpretation published, late.
    Late,
    /// None published yet, still within the days (or exactly on the last one).
    Due(Urgency),
    /// None published and the days are over.
    Missing,
}

impl Coverage {
    /// A label for tables and dashboards.
    pub fn label(self) -> &'static str {
        match self {
            Self::OnTime => "按时解读",
            Self::Late => "逾期解读",
            Self::Due(Urgency::Near) => "解读即将到期",
            Self::Due(_) => "待解读",
            Self::Missing => "逾期未解读",
        }
    }

    /// True when it has an interpretation.
    pub fn covered(self) -> bool {
        matches!(self, Self::OnTime | Self::Late)
    }
}

/// The coverage of a policy published on `published_on`, whose first interpretation (if
/// any) was published on `interpreted_on`, on `today`.
pub fn coverage(
    cal: &Calendar,
    published_on: NaiveDate,
    interpreted_on: Option<NaiveDate>,
    days: u32,
    today: NaiveDate,
) -> Result<Coverage, CalendarError> {
    Ok(match clock(published_on, days).completion(cal, interpreted_on, today)? {
        Completion::OnTime => Coverage::OnTime,
        Completion::Late => Coverage::Late,
        Completion::Due(u) => Coverage::Due(u),
        Completion::Overdue => Coverage::Missing,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    #[test]
    fn three_working_days_cross_the_spring_festival_and_the_national_day() {
        let cal = Calendar::shipped();
        // Published Friday 2026-02-13: 春节 2026 is 15-23 February off with make-up workdays
        // on Saturday 14 and Saturday 28 February. 14 Feb (make-up), 24, 25 Feb.
        assert_eq!(clock(d("2026-02-13"), 3).due_on(&cal).expect("due"), d("2026-02-25"));
        // Published Tuesday 2026-09-29: 国庆 2026 is 1-7 October off (make-up Sunday 20
        // September and Saturday 10 October): 30 Sep, 8 Oct, 9 Oct.
        assert_eq!(clock(d("2026-09-29"), 3).due_on(&cal).expect("due"), d("2026-10-09"));
        assert_eq!(
            coverage(&cal, d("2026-09-29"), Some(d("2026-10-09")), 3, d("2026-10-20")).expect("c"),
            Coverage::OnTime
        );
        assert_eq!(
            coverage(&cal, d("2026-09-29"), Some(d("2026-10-10")), 3, d("2026-10-20")).expect("c"),
            Coverage::Late
        );
        assert_eq!(coverage(&cal, d("2026-09-29"), None, 3, d("2026-10-08")).expect("c"), Coverage::Due(Urgency::Near));
        assert_eq!(coverage(&cal, d("2026-09-29"), None, 3, d("2026-09-29")).expect("c"), Coverage::Due(Urgency::Ok));
        assert_eq!(coverage(&cal, d("2026-09-29"), None, 3, d("2026-10-12")).expect("c"), Coverage::Missing);
        // Published with the policy, the same day.
        assert_eq!(
            coverage(&cal, d("2026-09-29"), Some(d("2026-09-29")), 3, d("2026-09-29")).expect("c"),
            Coverage::OnTime
        );
    }

    #[test]
    fn the_mark_overrides_the_genre() {
        let genres: Vec<String> = DEFAULT_GENRES.iter().map(|s| s.to_string()).collect();
        assert!(needs("行政规范性文件", None, &genres));
        assert!(!needs("行政规范性文件", Some(false), &genres));
        assert!(needs("通知", Some(true), &genres));
        assert!(!needs("通知", None, &genres));
        assert!(!needs("", None, &["".to_string()]));
    }

    #[test]
    fn forms_need_their_own_fields_and_elements_are_warned() {
        let empty = InterpDetails::default();
        assert_eq!(check_details(InterpForm::Graphic, &empty)[0].field, "alt_text");
        assert_eq!(check_details(InterpForm::Media, &empty).len(), 2);
        assert_eq!(check_details(InterpForm::Leader, &empty)[0].field, "speaker");
        assert_eq!(check_details(InterpForm::Conference, &empty)[0].field, "press_id");
        assert!(check_details(InterpForm::Text, &empty).is_empty());
        let bad = InterpDetails { media_url: "javascript:alert(1)".into(), ..Default::default() };
        assert_eq!(check_details(InterpForm::Text, &bad)[0].field, "media_url");
        let mut full = InterpDetails::default();
        assert_eq!(missing_elements(&full).len(), 5);
        full.elements.insert("background".into(), "依据《条例》".into());
        full.elements.insert("content".into(), " ".into());
        assert_eq!(missing_elements(&full), vec![Element::Goals, Element::Content, Element::Scope, Element::Standards]);
        full.elements.insert("nonsense".into(), "x".into());
        assert_eq!(check_details(InterpForm::Text, &full)[0].field, "elements");
    }
}
