//! Supervision indicators (考核/监测): how fresh a catalog section is against its update
//! rule, what is wrong with an item's metadata, and how orgs rank.

use chrono::NaiveDate;
use serde::Serialize;

/// How often a section must be updated, read from its rule text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    /// At most this many days between publications (每年, 每季度, 按统计周期, 每月, 每周).
    Every(i64),
    /// When something is formed or changed (形成或变更之日起20个工作日内, 即时): no fixed period.
    OnEvent,
}

/// Reads a section's update rule. 按统计周期 is taken as quarterly, the longest period the
/// statistics law's regular releases use below a year.
pub fn cadence(rule: &str) -> Cadence {
    let r = rule.trim();
    if r.contains("每周") || r.contains("按周") {
        Cadence::Every(7)
    } else if r.contains("每月") || r.contains("按月") {
        Cadence::Every(31)
    } else if r.contains("季度") || r.contains("按统计周期") {
        Cadence::Every(92)
    } else if r.contains("半年") {
        Cadence::Every(183)
    } else if r.contains("每年") || r.contains("年度") {
        Cadence::Every(366)
    } else {
        Cadence::OnEvent
    }
}

/// A section's freshness on a day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "status")]
pub enum Freshness {
    /// Updated within its period.
    Fresh,
    /// Not updated within its period: days since the last publication (None: never).
    Stale { days: Option<i64> },
    /// Event-driven and nothing published for a year: worth a look, not a breach.
    Quiet,
    /// Event-driven, something published within a year.
    Active,
}

impl Freshness {
    /// Chinese label.
    pub fn label(self) -> String {
        match self {
            Freshness::Fresh => "按期更新".into(),
            Freshness::Stale { days: Some(d) } => format!("逾期未更新（距上次发布 {d} 天）"),
            Freshness::Stale { days: None } => "逾期未更新（从未发布）".into(),
            Freshness::Quiet => "一年内无更新（按需更新栏目，请核实）".into(),
            Freshness::Active => "有更新".into(),
        }
    }

    /// True for a breach of the rule.
    pub fn is_stale(self) -> bool {
        matches!(self, Freshness::Stale { .. })
    }
}

/// Freshness of a section with `rule`, last published on `last`, as of `today`.
pub fn freshness(rule: &str, last: Option<NaiveDate>, today: NaiveDate) -> Freshness {
    let days = last.map(|d| (today - d).num_days());
    match cadence(rule) {
        Cadence::Every(n) => match days {
            Some(d) if d <= n => Freshness::Fresh,
            _ => Freshness::Stale { days },
        },
        Cadence::OnEvent => match days {
            Some(d) if d <= 366 => Freshness::Active,
            _ => Freshness::Quiet,
        },
    }
}

/// The metadata of a published item as the checks see it.
#[derive(Debug, Clone, Default)]
pub struct ItemMeta {
    pub title: String,
    pub doc_no: String,
    /// True when the document number could be read (prefix, year, serial).
    pub doc_no_parsed: bool,
    pub index_no: Option<String>,
    pub topic: String,
    pub genre: String,
    pub written_on: Option<NaiveDate>,
    pub published_on: NaiveDate,
    pub validity: String,
    pub repealed_on: Option<NaiveDate>,
}

/// What is missing or inconsistent in an item's metadata (empty: nothing).
pub fn metadata_problems(m: &ItemMeta) -> Vec<&'static str> {
    let mut out = Vec::new();
    if m.index_no.as_deref().is_none_or(|s| s.trim().is_empty()) {
        out.push("缺少索引号");
    }
    if m.topic.trim().is_empty() {
        out.push("缺少主题分类");
    }
    if m.genre.trim().is_empty() {
        out.push("缺少体裁分类");
    }
    if matches!(m.genre.as_str(), "规章" | "行政规范性文件") && m.doc_no.trim().is_empty() {
        out.push("规章、规范性文件缺少发文字号");
    }
    if !m.doc_no.trim().is_empty() && !m.doc_no_parsed {
        out.push("发文字号格式无法识别");
    }
    if m.written_on.is_some_and(|w| w > m.published_on) {
        out.push("成文日期晚于发布日期");
    }
    if matches!(m.validity.as_str(), "repealed" | "expired") && m.repealed_on.is_none() {
        out.push("已废止或失效但缺少废止日期");
    }
    if m.repealed_on.is_some() && m.validity == "valid" {
        out.push("有废止日期但标注为有效");
    }
    out
}

/// One month's figures, for the trend charts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Month {
    /// 1–12.
    pub month: u32,
    /// Items first published in the month.
    pub published: i64,
    /// Requests received in the month.
    pub received: i64,
    /// Requests concluded in the month.
    pub replied: i64,
    /// Of those, concluded by their deadline.
    pub on_time: i64,
}

impl Month {
    /// The month's on-time rate in whole per cent; none when nothing was concluded.
    pub fn on_time_percent(&self) -> Option<u32> {
        (self.replied > 0).then(|| (self.on_time * 100 / self.replied) as u32)
    }
}

/// One org's figures for a period.
#[derive(Debug, Clone, Default, Serialize)]
pub struct OrgFigures {
    pub org_code: String,
    pub org_name: String,
    /// Items published in the period.
    pub published: i64,
    /// Sections breaching their update rule now.
    pub stale_sections: i64,
    /// Sections in the catalog.
    pub sections: i64,
    /// Published items with metadata problems (now).
    pub metadata_issues: i64,
    /// Requests received in the period.
    pub requests_received: i64,
    /// Requests concluded in the period.
    pub requests_replied: i64,
    /// Of those, concluded by the deadline.
    pub replied_on_time: i64,
    /// Average working days from the clock's start to the reply (pauses not counted).
    pub avg_workdays: Option<f64>,
    /// Open requests past their deadline today.
    pub overdue_now: i64,
    /// Rank among the orgs compared (1 is best); 0 for an org with nothing to measure.
    pub rank: usize,
}

impl OrgFigures {
    /// Something in the period to measure: a publication, a request received, replied or
    /// overdue. An org with none is not ranked (it would otherwise come first for doing
    /// nothing).
    pub fn measured(&self) -> bool {
        self.published > 0 || self.requests_received > 0 || self.requests_replied > 0 || self.overdue_now > 0
    }

    /// On-time share of replies (1.0 when none were due).
    pub fn on_time_rate(&self) -> f64 {
        if self.requests_replied == 0 { 1.0 } else { self.replied_on_time as f64 / self.requests_replied as f64 }
    }
}

/// Ranks orgs: fewest overdue requests, then the best on-time rate, then fewest stale
/// sections, then fewest metadata problems, then the most published; ties by name. Orgs
/// with nothing to measure ([`OrgFigures::measured`]) come last, unranked (rank 0).
pub fn rank(orgs: &mut [OrgFigures]) {
    orgs.sort_by(|a, b| {
        b.measured()
            .cmp(&a.measured())
            .then(a.overdue_now.cmp(&b.overdue_now))
            .then(b.on_time_rate().total_cmp(&a.on_time_rate()))
            .then(a.stale_sections.cmp(&b.stale_sections))
            .then(a.metadata_issues.cmp(&b.metadata_issues))
            .then(b.published.cmp(&a.published))
            .then(a.org_name.cmp(&b.org_name))
    });
    for (i, o) in orgs.iter_mut().enumerate() {
        o.rank = if o.measured() { i + 1 } else { 0 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn rules_become_cadences() {
        assert_eq!(cadence("每年"), Cadence::Every(366));
        assert_eq!(cadence("按统计周期"), Cadence::Every(92));
        assert_eq!(cadence("形成或变更之日起20个工作日内"), Cadence::OnEvent);
        assert_eq!(cadence("即时"), Cadence::OnEvent);
    }

    #[test]
    fn sections_go_stale_after_their_period() {
        let today = d(2026, 11, 22);
        assert_eq!(freshness("每年", Some(d(2026, 3, 1)), today), Freshness::Fresh);
        assert_eq!(freshness("每年", Some(d(2025, 3, 1)), today), Freshness::Stale { days: Some(631) });
        assert_eq!(freshness("按统计周期", None, today), Freshness::Stale { days: None });
        assert_eq!(freshness("即时", None, today), Freshness::Quiet);
        assert_eq!(freshness("即时", Some(d(2026, 10, 1)), today), Freshness::Active);
    }

    #[test]
    fn metadata_problems_are_named() {
        let m = ItemMeta {
            genre: "行政规范性文件".into(),
            published_on: d(2026, 1, 1),
            written_on: Some(d(2026, 2, 1)),
            validity: "repealed".into(),
            ..Default::default()
        };
        let p = metadata_problems(&m);
        assert!(p.contains(&"规章、规范性文件缺少发文字号"));
        assert!(p.contains(&"成文日期晚于发布日期"));
        assert!(p.contains(&"已废止或失效但缺少废止日期"));
        assert!(p.contains(&"缺少索引号") && p.contains(&"缺少主题分类"));
    }

    #[test]
    fn orgs_rank_by_overdue_then_on_time() {
        let f = |name: &str, overdue, replied, on_time| OrgFigures {
            org_name: name.into(),
            overdue_now: overdue,
            requests_replied: replied,
            replied_on_time: on_time,
            ..Default::default()
        };
        let mut v = vec![f("甲", 1, 10, 10), f("乙", 0, 10, 8), f("丁", 0, 0, 0), f("丙", 0, 10, 10)];
        rank(&mut v);
        assert_eq!(
            v.iter().map(|o| (o.org_name.as_str(), o.rank)).collect::<Vec<_>>(),
            vec![("丙", 1), ("乙", 2), ("甲", 3), ("丁", 0)],
            "an org with nothing to measure is not ranked first but shown unranked"
        );
    }
}
