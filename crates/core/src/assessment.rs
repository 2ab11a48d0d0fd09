//! Weighted assessment (考核) of 政务公开 work: the office's scheme for a year — indicators
//! measured by the platform, each with a weight in points and a scoring rule, the weights
//! summing to 100 — and the scores of an org computed from its measured values. Seed 003
//! gives 政务公开 a weight of at least 4% of the yearly 考核; this is the score that feeds it.
//!
//! An indicator an org has nothing to measure on (no requests, so no on-time rate) is left
//! out and the total is scaled over the weights that were measured; an org with nothing
//! measured at all has no score, and is shown so, not ranked first.

use crate::code_enum::code_enum;
use serde::{Deserialize, Serialize};

/// Indicators in a scheme at most.
pub const MAX_INDICATORS: usize = 30;
/// The weights of a scheme sum to this.
pub const TOTAL_WEIGHT: u32 = 100;

code_enum! {
    /// What the platform measures for an org in a year.
    Measure {
        /// 主动公开信息发布数量 (items published in the year).
        Published = ("published", "主动公开信息发布数量"),
        /// 栏目按期更新率 (share of columns within their update rule).
        SectionsFresh = ("sections_fresh", "栏目按期更新率"),
        /// 元数据规范率 (share of published items without metadata problems).
        MetadataOk = ("metadata_ok", "元数据规范率"),
        /// 依申请公开按时办结率.
        RequestsOnTime = ("requests_on_time", "依申请公开按时办结率"),
        /// 依申请公开逾期件数 (open past their deadline now).
        RequestsOverdue = ("requests_overdue", "依申请公开逾期件数"),
        /// 政策解读率 (policies needing one that have one).
        Interpreted = ("interpreted", "政策解读率"),
        /// 舆情按时回应率.
        ConcernsOnTime = ("concerns_on_time", "舆情按时回应率"),
        /// 来信按时答复率.
        LettersOnTime = ("letters_on_time", "来信按时答复率"),
        /// 网站自查单项否决风险 (the latest run's, now).
        SiteVetoes = ("site_vetoes", "网站自查单项否决风险"),
        /// 年度报告按时发布 (1 when the year's report was published by its day).
        ReportOnTime = ("report_on_time", "年度报告按时发布"),
        /// Working staff trained in the year (轮训全覆盖).
        TrainingCoverage = ("training_coverage", "政务公开培训覆盖率"),
        /// Active 政务新媒体 accounts within the two-week rule.
        MediaFresh = ("media_fresh", "政务新媒体按期更新率"),
        /// Scored by the office org by org, with its evidence (a share, 0–100 %).
        Manual = ("manual", "人工评分"),
    }
}

impl Measure {
    /// True for a share (0 to 1), shown as a percentage.
    pub fn is_rate(self) -> bool {
        matches!(
            self,
            Self::SectionsFresh
                | Self::MetadataOk
                | Self::RequestsOnTime
                | Self::Interpreted
                | Self::ConcernsOnTime
                | Self::LettersOnTime
                | Self::TrainingCoverage
                | Self::MediaFresh
                | Self::Manual
        )
    }
}

code_enum! {
    /// The period a board is scored over: the year, a half or a quarter of it.
    Period {
        Year = ("year", "全年"),
        H1 = ("h1", "上半年"),
        H2 = ("h2", "下半年"),
        Q1 = ("q1", "第一季度"),
        Q2 = ("q2", "第二季度"),
        Q3 = ("q3", "第三季度"),
        Q4 = ("q4", "第四季度"),
    }
}

impl Period {
    /// Its first and last day in `year`.
    pub fn bounds(self, year: i32) -> (chrono::NaiveDate, chrono::NaiveDate) {
        let (from, to) = match self {
            Self::Year => ((1, 1), (12, 31)),
            Self::H1 => ((1, 1), (6, 30)),
            Self::H2 => ((7, 1), (12, 31)),
            Self::Q1 => ((1, 1), (3, 31)),
            Self::Q2 => ((4, 1), (6, 30)),
            Self::Q3 => ((7, 1), (9, 30)),
            Self::Q4 => ((10, 1), (12, 31)),
        };
        let d = |(m, day): (u32, u32)| chrono::NaiveDate::from_ymd_opt(year, m, day).unwrap_or(chrono::NaiveDate::MIN);
        (d(from), d(to))
    }

    /// How a title names it: 2026年度, 2026年第三季度, 2026年上半年.
    pub fn title(self, year: i32) -> String {
        match self {
            Self::Year => format!("{year}年度"),
            other => format!("{year}年{}", other.label()),
        }
    }
}

/// How a measured value becomes points.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind")]
pub enum Scoring {
    /// Linear between two thresholds: no points at `zero` or worse, full points at `full` or
    /// better (either may be the higher: fewer is better when `full` < `zero`).
    Linear { zero: f64, full: f64 },
    /// Full points when the value reaches `at_least`, none otherwise.
    PassFail { at_least: f64 },
    /// Full points less `per_case` for each case, never below none.
    Deduct { per_case: f64 },
}

impl Scoring {
    /// The rule in words.
    pub fn label(&self, rate: bool) -> String {
        let v = |x: f64| if rate { format!("{:.0}%", x * 100.0) } else { trim(x) };
        match *self {
            Scoring::Linear { zero, full } => format!("{} 得满分，{} 及以下不得分，其间按比例", v(full), v(zero))
                .replace("及以下", if full < zero { "及以上" } else { "及以下" }),
            Scoring::PassFail { at_least } => format!("达到 {} 得满分，否则不得分", v(at_least)),
            Scoring::Deduct { per_case } => format!("每件扣 {} 分，扣完为止", trim(per_case)),
        }
    }
}

fn trim(x: f64) -> String {
    let s = format!("{x:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Longest name of a manual indicator, in characters.
pub const MAX_NAME: usize = 30;

/// One indicator of a scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Indicator {
    pub measure: Measure,
    /// A manual indicator's name (empty for the measured ones).
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name: String,
    /// Points it is worth.
    pub weight: u32,
    pub scoring: Scoring,
}

impl Indicator {
    /// A measured indicator.
    pub fn measured(measure: Measure, weight: u32, scoring: Scoring) -> Self {
        Self { measure, name: String::new(), weight, scoring }
    }

    /// What it is called: a manual indicator's own name, else its measure's label.
    pub fn label(&self) -> String {
        if self.measure == Measure::Manual { self.name.clone() } else { self.measure.label().to_string() }
    }
}

/// A year's scheme.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scheme {
    pub indicators: Vec<Indicator>,
}

/// Why a scheme is refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SchemeError {
    #[error("考核方案至少要有一项指标，至多 {MAX_INDICATORS} 项")]
    Count,
    #[error("各项指标权重之和应为 {TOTAL_WEIGHT} 分，现为 {0} 分")]
    Weights(u32),
    #[error("指标「{0}」的权重应大于 0")]
    ZeroWeight(String),
    #[error("指标「{0}」出现了两次")]
    Duplicate(String),
    #[error("指标「{0}」的评分规则有误：{1}")]
    Scoring(String, &'static str),
    #[error("人工评分指标须有名称（不超过 {MAX_NAME} 字，不与平台指标同名）")]
    ManualName,
}

impl SchemeError {
    /// The machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Self::Count => "scheme_indicator_count",
            Self::Weights(_) => "scheme_weights",
            Self::ZeroWeight(_) => "scheme_zero_weight",
            Self::Duplicate(_) => "scheme_duplicate",
            Self::Scoring(..) => "scheme_scoring",
            Self::ManualName => "scheme_manual_name",
        }
    }
}

/// Checks a scheme: 1 to 30 indicators, each once, each weighing something, the weights
/// summing to 100, each rule sound (thresholds apart and finite, a rate's within 0–1, a
/// deduction positive).
pub fn check(s: &Scheme) -> Result<(), SchemeError> {
    if s.indicators.is_empty() || s.indicators.len() > MAX_INDICATORS {
        return Err(SchemeError::Count);
    }
    let mut seen = Vec::new();
    let mut total = 0u32;
    for i in &s.indicators {
        if i.measure == Measure::Manual {
            let n = i.name.trim();
            if n.is_empty() || n != i.name || n.chars().count() > MAX_NAME || Measure::parse(n).is_some() {
                return Err(SchemeError::ManualName);
            }
        }
        let name = i.label();
        if seen.contains(&name) {
            return Err(SchemeError::Duplicate(name));
        }
        seen.push(name.clone());
        if i.weight == 0 {
            return Err(SchemeError::ZeroWeight(name));
        }
        total = total.saturating_add(i.weight);
        let in_range = |x: f64| x.is_finite() && x >= 0.0 && (!i.measure.is_rate() || x <= 1.0);
        match i.scoring {
            Scoring::Linear { zero, full } => {
                if !in_range(zero) || !in_range(full) {
                    return Err(SchemeError::Scoring(name.clone(), "阈值应为非负数，比率在 0 到 1 之间"));
                }
                if zero == full {
                    return Err(SchemeError::Scoring(name.clone(), "不得分和满分的阈值不能相同"));
                }
            }
            Scoring::PassFail { at_least } if !in_range(at_least) => {
                return Err(SchemeError::Scoring(name.clone(), "达标值应为非负数，比率在 0 到 1 之间"));
            }
            Scoring::Deduct { per_case } if !(per_case.is_finite() && per_case > 0.0) => {
                return Err(SchemeError::Scoring(name.clone(), "每件扣分应大于 0"));
            }
            _ => {}
        }
    }
    if total != TOTAL_WEIGHT {
        return Err(SchemeError::Weights(total));
    }
    Ok(())
}

/// The points an indicator gives for a value (`None`: nothing to measure).
pub fn points(i: &Indicator, value: Option<f64>) -> Option<f64> {
    let value = value.filter(|v| v.is_finite())?;
    let w = f64::from(i.weight);
    let p = match i.scoring {
        Scoring::Linear { zero, full } => w * ((value - zero) / (full - zero)).clamp(0.0, 1.0),
        Scoring::PassFail { at_least } => {
            if value >= at_least {
                w
            } else {
                0.0
            }
        }
        Scoring::Deduct { per_case } => (w - per_case * value).max(0.0),
    };
    Some((p * 100.0).round() / 100.0)
}

/// One indicator's part of an org's score.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Part {
    pub measure: Measure,
    /// The indicator's name ([`Indicator::label`]).
    pub label: String,
    pub weight: u32,
    /// The measured value (`None`: nothing to measure, left out).
    pub value: Option<f64>,
    pub points: Option<f64>,
}

/// An org's score: the parts, the points over the weights measured scaled to 100, and the
/// office's adjustments (with their reasons, elsewhere) added, within 0–100.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    pub parts: Vec<Part>,
    /// Points before adjustment, scaled to 100 (`None`: nothing measured).
    pub computed: Option<f64>,
    pub adjustment: f64,
    /// The final score (`None`: nothing measured).
    pub total: Option<f64>,
}

/// Scores an org whose measured values `value` gives, with `adjustment` points added.
pub fn score(s: &Scheme, value: impl Fn(&Indicator) -> Option<f64>, adjustment: f64) -> Score {
    let parts: Vec<Part> = s
        .indicators
        .iter()
        .map(|i| {
            let v = value(i);
            Part { measure: i.measure, label: i.label(), weight: i.weight, value: v, points: points(i, v) }
        })
        .collect();
    let measured: u32 = parts.iter().filter(|p| p.points.is_some()).map(|p| p.weight).sum();
    let got: f64 = parts.iter().filter_map(|p| p.points).sum();
    let computed =
        (measured > 0).then(|| (got * f64::from(TOTAL_WEIGHT) / f64::from(measured) * 100.0).round() / 100.0);
    let total = computed.map(|c| ((c + adjustment).clamp(0.0, f64::from(TOTAL_WEIGHT)) * 100.0).round() / 100.0);
    Score { parts, computed, adjustment, total }
}

/// Ranks totals: the highest first, ties sharing a rank; `None` (nothing measured) unranked.
pub fn ranks(totals: &[Option<f64>]) -> Vec<Option<usize>> {
    totals.iter().map(|t| t.map(|t| 1 + totals.iter().filter(|o| o.is_some_and(|o| o > t)).count())).collect()
}

/// The scheme a year starts with, until the office sets its own: the platform's measures
/// weighted as seeds 002–004 stress them (requests and responding the heaviest).
pub fn default_scheme() -> Scheme {
    use Measure::*;
    let lin = |zero: f64, full: f64| Scoring::Linear { zero, full };
    Scheme {
        indicators: vec![
            Indicator::measured(Published, 10, lin(0.0, 50.0)),
            Indicator::measured(SectionsFresh, 15, lin(0.5, 1.0)),
            Indicator::measured(MetadataOk, 10, lin(0.8, 1.0)),
            Indicator::measured(RequestsOnTime, 20, lin(0.8, 1.0)),
            Indicator::measured(RequestsOverdue, 10, Scoring::Deduct { per_case: 2.0 }),
            Indicator::measured(Interpreted, 10, lin(0.5, 1.0)),
            Indicator::measured(ConcernsOnTime, 5, lin(0.5, 1.0)),
            Indicator::measured(LettersOnTime, 10, lin(0.8, 1.0)),
            Indicator::measured(SiteVetoes, 5, Scoring::Deduct { per_case: 5.0 }),
            Indicator::measured(ReportOnTime, 5, Scoring::PassFail { at_least: 1.0 }),
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ind(measure: Measure, weight: u32, scoring: Scoring) -> Indicator {
        Indicator::measured(measure, weight, scoring)
    }

    #[test]
    fn the_default_scheme_is_sound() {
        assert_eq!(check(&default_scheme()), Ok(()));
    }

    #[test]
    fn weights_must_sum_to_100_and_rules_be_sound() {
        let mut s = default_scheme();
        s.indicators[0].weight = 11;
        assert_eq!(check(&s), Err(SchemeError::Weights(101)));
        let mut s = default_scheme();
        s.indicators[1].scoring = Scoring::Linear { zero: 0.5, full: 1.5 };
        assert_eq!(check(&s).map_err(|e| e.code()), Err("scheme_scoring"), "a rate above 100%");
        let mut s = default_scheme();
        s.indicators[1].measure = Measure::Published;
        assert_eq!(check(&s), Err(SchemeError::Duplicate("主动公开信息发布数量".into())));
        assert_eq!(check(&Scheme { indicators: vec![] }), Err(SchemeError::Count));
        let s = Scheme { indicators: vec![ind(Measure::RequestsOverdue, 100, Scoring::Deduct { per_case: f64::NAN })] };
        assert_eq!(check(&s).map_err(|e| e.code()), Err("scheme_scoring"));
    }

    #[test]
    fn each_rule_gives_its_points() {
        let lin = ind(Measure::RequestsOnTime, 20, Scoring::Linear { zero: 0.8, full: 1.0 });
        assert_eq!(points(&lin, Some(1.0)), Some(20.0));
        assert_eq!(points(&lin, Some(0.9)), Some(10.0));
        assert_eq!(points(&lin, Some(0.5)), Some(0.0));
        assert_eq!(points(&lin, None), None);
        let fewer = ind(Measure::Published, 10, Scoring::Linear { zero: 10.0, full: 0.0 });
        assert_eq!(points(&fewer, Some(2.0)), Some(8.0), "fewer is better when full < zero");
        let pass = ind(Measure::ReportOnTime, 5, Scoring::PassFail { at_least: 1.0 });
        assert_eq!((points(&pass, Some(1.0)), points(&pass, Some(0.0))), (Some(5.0), Some(0.0)));
        let deduct = ind(Measure::RequestsOverdue, 10, Scoring::Deduct { per_case: 2.0 });
        assert_eq!((points(&deduct, Some(3.0)), points(&deduct, Some(9.0))), (Some(4.0), Some(0.0)));
    }

    #[test]
    fn what_is_not_measured_is_left_out_and_the_rest_scaled() {
        let s = Scheme {
            indicators: vec![
                ind(Measure::Published, 40, Scoring::Linear { zero: 0.0, full: 10.0 }),
                ind(Measure::RequestsOnTime, 60, Scoring::Linear { zero: 0.0, full: 1.0 }),
            ],
        };
        // No requests: 30 of the 40 points measured is 75.
        let sc = score(&s, |i| if i.measure == Measure::Published { Some(7.5) } else { None }, 0.0);
        assert_eq!(sc.computed, Some(75.0));
        assert_eq!(sc.parts[1].points, None);
        // An adjustment is added, within 0–100.
        assert_eq!(score(&s, |_| Some(10.0), 5.0).total, Some(100.0));
        assert_eq!(
            score(&s, |i| if i.measure == Measure::Published { Some(7.5) } else { None }, -2.5).total,
            Some(72.5)
        );
        // Nothing measured: no score at all.
        let none = score(&s, |_| None, 3.0);
        assert_eq!((none.computed, none.total), (None, None));
    }

    #[test]
    fn ranks_share_ties_and_leave_the_unmeasured_out() {
        assert_eq!(ranks(&[Some(90.0), None, Some(95.0), Some(90.0)]), vec![Some(2), None, Some(1), Some(2)]);
    }

    #[test]
    fn rules_read_in_words() {
        assert_eq!(Scoring::Linear { zero: 0.8, full: 1.0 }.label(true), "100% 得满分，80% 及以下不得分，其间按比例");
        assert_eq!(Scoring::Deduct { per_case: 2.0 }.label(false), "每件扣 2 分，扣完为止");
    }

    #[test]
    fn a_manual_indicator_is_named_once_and_scored_from_the_offices_value() {
        let manual = |name: &str, weight: u32| Indicator {
            measure: Measure::Manual,
            name: name.into(),
            weight,
            scoring: Scoring::Linear { zero: 0.0, full: 1.0 },
        };
        let s = Scheme {
            indicators: vec![
                manual("组织领导", 30),
                manual("工作机制", 20),
                ind(Measure::Published, 50, Scoring::Linear { zero: 0.0, full: 10.0 }),
            ],
        };
        assert_eq!(check(&s), Ok(()));
        let sc = score(&s, |i| if i.name == "组织领导" { Some(0.5) } else { None }, 0.0);
        assert_eq!(sc.parts[0].label, "组织领导");
        assert_eq!((sc.parts[0].points, sc.computed), (Some(15.0), Some(50.0)), "15 of the 30 measured points");
        let mut twice = s.clone();
        twice.indicators[1].name = "组织领导".into();
        assert_eq!(check(&twice), Err(SchemeError::Duplicate("组织领导".into())));
        let mut unnamed = s.clone();
        unnamed.indicators[0].name = " ".into();
        assert_eq!(check(&unnamed), Err(SchemeError::ManualName));
        let mut clash = s;
        clash.indicators[0].name = "主动公开信息发布数量".into();
        assert_eq!(check(&clash), Err(SchemeError::ManualName), "not the name of a measured one");
    }

    #[test]
    fn periods_have_their_days_and_titles() {
        let d = |m: u32, day: u32| chrono::NaiveDate::from_ymd_opt(2026, m, day).expect("date");
        assert_eq!(Period::Q3.bounds(2026), (d(7, 1), d(9, 30)));
        assert_eq!(Period::H1.bounds(2026), (d(1, 1), d(6, 30)));
        assert_eq!(Period::Year.bounds(2026), (d(1, 1), d(12, 31)));
        assert_eq!((Period::Year.title(2026), Period::Q3.title(2026)), ("2026年度".into(), "2026年第三季度".into()));
        assert_eq!(Period::parse("第四季度"), Some(Period::Q4));
    }
}
