//! Online surveys (网上调查): questions of four kinds, a period, one answer per person without
//! asking who they are (a token per browser, kept as a hash, and the rate limit per address),
//! results counted per option and published with how they were used (seed 002 (十五):
//! 调查结果及采纳情况要及时公开).

use crate::code_enum::code_enum;
use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use thiserror::Error;

code_enum! {
    /// A question's kind.
    QuestionKind {
        /// 单选.
        Single = ("single", "单选"),
        /// 多选.
        Multiple = ("multiple", "多选"),
        /// 评分 (1 to 5).
        Rating = ("rating", "评分"),
        /// 填空.
        Text = ("text", "文字"),
    }
}

/// The highest rating.
pub const MAX_RATING: u32 = 5;
/// The most questions a survey may have.
pub const MAX_QUESTIONS: usize = 30;
/// The most options a question may have.
pub const MAX_OPTIONS: usize = 20;

/// A question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub text: String,
    pub kind: QuestionKind,
    /// The options of a single or multiple choice.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
}

/// One question's answer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Answer {
    /// Chosen option indexes (single: one), or the rating as one number.
    Choices(Vec<u32>),
    /// Text.
    Text(String),
}

/// Why a survey or an answer is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SurveyRefusal {
    #[error(transparent)]
    Denied(#[from] crate::Denied),
    #[error("请填写{0}")]
    Required(&'static str),
    #[error("第 {0} 题：{1}")]
    BadQuestion(usize, &'static str),
    #[error("第 {0} 题：{1}")]
    BadAnswer(usize, &'static str),
    #[error("调查期限须为 1 至 365 天，截止日期不能早于开始日期")]
    Period,
    #[error("调查不在进行中")]
    NotOpen,
    #[error("您已参加过本次调查，每人限答一次")]
    AlreadyAnswered,
    #[error("调查结束后才能公布结果")]
    StillOpen,
    #[error("请说明调查结果的运用情况")]
    UsageRequired,
    #[error("本调查须验证手机号码：请填写手机号码并获取短信验证码")]
    PhoneRequired,
    #[error("手机号码格式不正确（11 位手机号码）")]
    BadPhone,
    #[error("请先获取短信验证码")]
    CodeRequired,
    #[error("验证码不正确")]
    CodeWrong,
    #[error("验证码已过期，请重新获取")]
    CodeExpired,
    #[error("验证码错误次数过多，请重新获取")]
    CodeTries,
    #[error("验证码已发送，请 1 分钟后再获取")]
    CodeTooSoon,
    #[error("该号码今天获取验证码的次数已达上限，请明天再试")]
    CodesPerDay,
    #[error("本站未开通短信发送，调查不能要求手机验证")]
    NoSms,
    #[error("本调查无须手机验证")]
    NoPhoneConfirmation,
}

/// Phone confirmation, optional per survey: a code of [`CODE_DIGITS`] digits sent by SMS,
/// valid [`CODE_MINUTES`] minutes and [`CODE_TRIES`] tries; a new code for a number at most
/// once in [`CODE_RESEND_SECS`] seconds and [`CODES_PER_DAY`] times in 24 hours.
pub const CODE_DIGITS: usize = 6;
pub const CODE_MINUTES: i64 = 10;
pub const CODE_TRIES: u32 = 5;
pub const CODE_RESEND_SECS: i64 = 60;
pub const CODES_PER_DAY: usize = 5;

/// A mainland mobile number as 11 digits (spaces, dashes and a +86 prefix dropped), or
/// `None` when it is not one.
pub fn mobile(phone: &str) -> Option<String> {
    let digits: String = phone.chars().filter(|c| !matches!(c, ' ' | '-')).collect();
    let digits = digits.strip_prefix("+86").or_else(|| digits.strip_prefix("0086")).unwrap_or(&digits);
    let ok = digits.len() == 11
        && digits.starts_with('1')
        && digits.as_bytes()[1].is_ascii_digit()
        && digits.as_bytes()[1] >= b'3'
        && digits.chars().all(|c| c.is_ascii_digit());
    ok.then(|| digits.to_string())
}

/// Whether a new code may be sent to a number whose codes of the last 24 hours were sent
/// at `recent`.
pub fn may_send_code(recent: &[DateTime<Utc>], now: DateTime<Utc>) -> Result<(), SurveyRefusal> {
    let day: Vec<&DateTime<Utc>> = recent.iter().filter(|t| now - **t < Duration::hours(24)).collect();
    if day.iter().any(|t| now - **t < Duration::seconds(CODE_RESEND_SECS)) {
        return Err(SurveyRefusal::CodeTooSoon);
    }
    if day.len() >= CODES_PER_DAY {
        return Err(SurveyRefusal::CodesPerDay);
    }
    Ok(())
}

/// The latest code sent to a number, as the check needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SentCode {
    pub sent_at: DateTime<Utc>,
    pub attempts: u32,
    pub used: bool,
}

/// Checks a code given with the answers against the latest one sent (`matches`: the hashes
/// are equal). A wrong code costs a try.
pub fn check_code(sent: Option<SentCode>, matches: bool, now: DateTime<Utc>) -> Result<(), SurveyRefusal> {
    let Some(sent) = sent.filter(|s| !s.used) else { return Err(SurveyRefusal::CodeRequired) };
    if now - sent.sent_at > Duration::minutes(CODE_MINUTES) {
        return Err(SurveyRefusal::CodeExpired);
    }
    if sent.attempts >= CODE_TRIES {
        return Err(SurveyRefusal::CodeTries);
    }
    if !matches {
        return Err(SurveyRefusal::CodeWrong);
    }
    Ok(())
}

/// Checks a survey's questions and period.
pub fn check_survey(questions: &[Question], opens_on: NaiveDate, closes_on: NaiveDate) -> Result<(), SurveyRefusal> {
    if questions.is_empty() || questions.len() > MAX_QUESTIONS {
        return Err(SurveyRefusal::Required("1 至 30 个问题"));
    }
    let days = (closes_on - opens_on).num_days() + 1;
    if !(1..=365).contains(&days) {
        return Err(SurveyRefusal::Period);
    }
    for (i, q) in questions.iter().enumerate() {
        let n = i + 1;
        if q.text.trim().is_empty() {
            return Err(SurveyRefusal::BadQuestion(n, "请填写题目"));
        }
        match q.kind {
            QuestionKind::Single | QuestionKind::Multiple => {
                if q.options.len() < 2 || q.options.len() > MAX_OPTIONS {
                    return Err(SurveyRefusal::BadQuestion(n, "选择题须有 2 至 20 个选项"));
                }
                if q.options.iter().any(|o| o.trim().is_empty()) {
                    return Err(SurveyRefusal::BadQuestion(n, "选项不能为空"));
                }
            }
            QuestionKind::Rating | QuestionKind::Text => {}
        }
    }
    Ok(())
}

/// Checks a person's answers against the questions: every required one answered, each
/// answer of its question's kind and within its options.
pub fn check_answers(questions: &[Question], answers: &[Option<Answer>]) -> Result<(), SurveyRefusal> {
    if answers.len() != questions.len() {
        return Err(SurveyRefusal::Required("全部问题的回答"));
    }
    for (i, (q, a)) in questions.iter().zip(answers).enumerate() {
        let n = i + 1;
        let Some(a) = a else {
            if q.required {
                return Err(SurveyRefusal::BadAnswer(n, "此题必答"));
            }
            continue;
        };
        match (q.kind, a) {
            (QuestionKind::Single, Answer::Choices(c)) if c.len() == 1 && (c[0] as usize) < q.options.len() => {}
            (QuestionKind::Multiple, Answer::Choices(c))
                if !c.is_empty() && c.iter().all(|x| (*x as usize) < q.options.len()) && {
                    let mut d = c.clone();
                    d.sort_unstable();
                    d.dedup();
                    d.len() == c.len()
                } => {}
            (QuestionKind::Rating, Answer::Choices(c)) if c.len() == 1 && (1..=MAX_RATING).contains(&c[0]) => {}
            (QuestionKind::Text, Answer::Text(t)) if t.chars().count() <= 1000 => {}
            (QuestionKind::Text, Answer::Text(_)) => return Err(SurveyRefusal::BadAnswer(n, "不超过 1000 字")),
            _ => return Err(SurveyRefusal::BadAnswer(n, "回答与题目不符")),
        }
    }
    Ok(())
}

/// One question's results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionResult {
    pub text: String,
    pub kind: QuestionKind,
    /// (label, count) per option, or per rating 1..=5.
    pub counts: Vec<(String, u32)>,
    /// Answers to this question.
    pub answered: u32,
    /// The average rating.
    pub average: Option<f64>,
}

/// Counts the answers.
pub fn tally(questions: &[Question], all: &[Vec<Option<Answer>>]) -> Vec<QuestionResult> {
    questions
        .iter()
        .enumerate()
        .map(|(i, q)| {
            let labels: Vec<String> = match q.kind {
                QuestionKind::Rating => (1..=MAX_RATING).map(|r| format!("{r} 分")).collect(),
                QuestionKind::Text => Vec::new(),
                _ => q.options.clone(),
            };
            let mut counts: Vec<(String, u32)> = labels.into_iter().map(|l| (l, 0)).collect();
            let mut answered = 0;
            let mut sum = 0u32;
            for a in all.iter().filter_map(|a| a.get(i).and_then(Option::as_ref)) {
                answered += 1;
                if let Answer::Choices(c) = a {
                    for x in c {
                        let idx =
                            if q.kind == QuestionKind::Rating { (*x as usize).saturating_sub(1) } else { *x as usize };
                        if let Some(slot) = counts.get_mut(idx) {
                            slot.1 += 1;
                        }
                        if q.kind == QuestionKind::Rating {
                            sum += x;
                        }
                    }
                }
            }
            let average =
                (q.kind == QuestionKind::Rating && answered > 0).then(|| f64::from(sum) / f64::from(answered));
            QuestionResult { text: q.text.clone(), kind: q.kind, counts, answered, average }
        })
        .collect()
}

/// A horizontal bar chart of counts as SVG, readable without JavaScript: each bar with its
/// label and count as text, the chart titled for screen readers. Labels are escaped.
pub fn bar_chart(title: &str, counts: &[(String, u32)]) -> String {
    let esc = crate::html::escape;
    let max = counts.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let total: u32 = counts.iter().map(|(_, n)| *n).sum();
    let (row, label_w, bar_w) = (30, 140, 200);
    let height = row * counts.len().max(1) + 8;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" viewBox=\"0 0 {w} {height}\" width=\"100%\" preserveAspectRatio=\"xMinYMin meet\"><title>{}</title>",
        esc(title),
        w = label_w + bar_w + 80
    );
    for (i, (label, n)) in counts.iter().enumerate() {
        let y = i * row + 4;
        let len = (*n as usize * bar_w) / max as usize;
        let pct = if total > 0 { f64::from(*n) * 100.0 / f64::from(total) } else { 0.0 };
        let short: String = if label.chars().count() > 8 {
            label.chars().take(7).chain(std::iter::once('…')).collect()
        } else {
            label.clone()
        };
        s.push_str(&format!(
            "<text x=\"0\" y=\"{ty}\" font-size=\"16\" fill=\"#1f2328\"><title>{}</title>{}</text><rect x=\"{label_w}\" y=\"{y}\" width=\"{len}\" height=\"22\" fill=\"#a61b1b\"/><text x=\"{tx}\" y=\"{ty}\" font-size=\"16\" fill=\"#1f2328\">{n}（{pct:.0}%）</text>",
            esc(label),
            esc(&short),
            ty = y + 17,
            tx = label_w + len + 6,
        ));
    }
    s.push_str("</svg>");
    s
}

/// Reads questions written one to a line, as the console's form takes them:
/// `单选：题目｜选项一｜选项二`, `多选：…`, `评分：题目`, `文字：题目`; a leading `*` makes the
/// question required. Blank lines are skipped; a line that is not understood is named.
pub fn parse_lines(text: &str) -> Result<Vec<Question>, SurveyRefusal> {
    let mut out = Vec::new();
    for (i, line) in text.lines().map(str::trim).filter(|l| !l.is_empty()).enumerate() {
        let (required, line) = match line.strip_prefix('*').or_else(|| line.strip_prefix('＊')) {
            Some(rest) => (true, rest.trim()),
            None => (false, line),
        };
        let (kind, rest) = line
            .split_once('：')
            .or_else(|| line.split_once(':'))
            .and_then(|(k, r)| QuestionKind::parse(k.trim()).map(|k| (k, r)))
            .ok_or(SurveyRefusal::BadQuestion(i + 1, "每行以“单选：”“多选：”“评分：”或“文字：”开头"))?;
        let mut parts = rest.split(['｜', '|']).map(str::trim);
        let text = parts.next().unwrap_or("").to_string();
        let options: Vec<String> = parts.filter(|p| !p.is_empty()).map(str::to_string).collect();
        out.push(Question { text, kind, options, required });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_codes_are_bounded_in_time_tries_and_number() {
        assert_eq!(mobile("+86 138-1234-5678").as_deref(), Some("13812345678"));
        assert_eq!(mobile("12812345678"), None, "no mobile starts 12");
        assert_eq!(mobile("1381234567"), None);
        let t0: DateTime<Utc> = "2026-12-04T02:00:00Z".parse().expect("time");
        let later = |s: i64| t0 + Duration::seconds(s);
        assert_eq!(may_send_code(&[], t0), Ok(()));
        assert_eq!(may_send_code(&[t0], later(59)), Err(SurveyRefusal::CodeTooSoon));
        assert_eq!(may_send_code(&[t0], later(60)), Ok(()));
        let five: Vec<_> = (0..5).map(|i| later(i * 120)).collect();
        assert_eq!(may_send_code(&five, later(700)), Err(SurveyRefusal::CodesPerDay));
        assert_eq!(may_send_code(&five, later(24 * 3600 + 1)), Ok(()), "a day later they count no more");
        let sent = SentCode { sent_at: t0, attempts: 0, used: false };
        assert_eq!(check_code(None, true, t0), Err(SurveyRefusal::CodeRequired));
        assert_eq!(check_code(Some(sent), true, later(600)), Ok(()));
        assert_eq!(check_code(Some(sent), true, later(601)), Err(SurveyRefusal::CodeExpired));
        assert_eq!(check_code(Some(sent), false, later(1)), Err(SurveyRefusal::CodeWrong));
        assert_eq!(check_code(Some(SentCode { attempts: 5, ..sent }), true, later(1)), Err(SurveyRefusal::CodeTries));
        assert_eq!(check_code(Some(SentCode { used: true, ..sent }), true, later(1)), Err(SurveyRefusal::CodeRequired));
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().expect("date")
    }

    fn qs() -> Vec<Question> {
        vec![
            Question {
                text: "您对政务服务是否满意？".into(),
                kind: QuestionKind::Single,
                options: vec!["满意".into(), "一般".into(), "不满意".into()],
                required: true,
            },
            Question {
                text: "您常用哪些渠道？".into(),
                kind: QuestionKind::Multiple,
                options: vec!["网站".into(), "微信".into(), "窗口".into()],
                required: false,
            },
            Question {
                text: "请为办事效率打分".into(), kind: QuestionKind::Rating, options: vec![], required: true
            },
            Question { text: "其他建议".into(), kind: QuestionKind::Text, options: vec![], required: false },
        ]
    }

    #[test]
    fn surveys_are_checked() {
        assert!(check_survey(&qs(), d("2026-11-01"), d("2026-11-30")).is_ok());
        assert_eq!(check_survey(&[], d("2026-11-01"), d("2026-11-30")), Err(SurveyRefusal::Required("1 至 30 个问题")));
        let mut bad = qs();
        bad[0].options.truncate(1);
        assert!(matches!(check_survey(&bad, d("2026-11-01"), d("2026-11-30")), Err(SurveyRefusal::BadQuestion(1, _))));
        assert_eq!(check_survey(&qs(), d("2026-11-30"), d("2026-11-01")), Err(SurveyRefusal::Period));
    }

    #[test]
    fn answers_match_their_questions() {
        let q = qs();
        let good = vec![
            Some(Answer::Choices(vec![0])),
            Some(Answer::Choices(vec![0, 2])),
            Some(Answer::Choices(vec![4])),
            None,
        ];
        assert!(check_answers(&q, &good).is_ok());
        let missing = vec![None, None, Some(Answer::Choices(vec![4])), None];
        assert_eq!(check_answers(&q, &missing), Err(SurveyRefusal::BadAnswer(1, "此题必答")));
        let two = vec![Some(Answer::Choices(vec![0, 1])), None, Some(Answer::Choices(vec![4])), None];
        assert!(check_answers(&q, &two).is_err(), "one choice only");
        let dup = vec![
            Some(Answer::Choices(vec![0])),
            Some(Answer::Choices(vec![1, 1])),
            Some(Answer::Choices(vec![4])),
            None,
        ];
        assert!(check_answers(&q, &dup).is_err(), "an option twice");
        let rating = vec![Some(Answer::Choices(vec![0])), None, Some(Answer::Choices(vec![6])), None];
        assert!(check_answers(&q, &rating).is_err(), "rating 1 to 5");
    }

    #[test]
    fn questions_are_read_one_to_a_line() {
        let q = parse_lines(
            "*单选：您是否满意？｜满意｜不满意\n\n多选: 常用渠道|网站|微信\n评分：办事效率\n文字：其他建议",
        )
        .expect("parsed");
        assert_eq!(q.len(), 4);
        assert!(q[0].required && q[0].options == ["满意", "不满意"]);
        assert_eq!((q[1].kind, q[1].options.len(), q[1].required), (QuestionKind::Multiple, 2, false));
        assert_eq!(q[3].kind, QuestionKind::Text);
        assert!(matches!(parse_lines("问答：x"), Err(SurveyRefusal::BadQuestion(1, _))));
    }

    #[test]
    fn results_count_and_chart() {
        let q = qs();
        let all = vec![
            vec![
                Some(Answer::Choices(vec![0])),
                Some(Answer::Choices(vec![0, 1])),
                Some(Answer::Choices(vec![5])),
                Some(Answer::Text("好".into())),
            ],
            vec![Some(Answer::Choices(vec![2])), None, Some(Answer::Choices(vec![3])), None],
        ];
        let r = tally(&q, &all);
        assert_eq!(r[0].counts, vec![("满意".to_string(), 1), ("一般".to_string(), 0), ("不满意".to_string(), 1)]);
        assert_eq!((r[1].answered, r[1].counts[1].1), (1, 1));
        assert_eq!(r[2].average, Some(4.0));
        assert_eq!(r[3].answered, 1);
        let svg = bar_chart("满意度<测试>", &r[0].counts);
        assert!(svg.starts_with("<svg") && svg.contains("满意度&lt;测试&gt;") && svg.contains("1（50%）"));
    }
}
