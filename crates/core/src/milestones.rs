//! The office's year (年度工作节点): the dates the law and the seeds fix for the disclosure
//! work each year, shown on the dashboards as they come near.
//!
//! - 1月15日: each org's annual figures to the office — a local internal deadline ahead of the
//!   条例's (seed practice; 怀化 asked for 1月26日/28日; ours is a setting-free constant
//!   recorded in DECISIONS).
//! - 1月31日: departments' (and towns') annual reports submitted and published (条例第四十九条).
//! - 3月31日: the government's own annual report published (条例第四十九条).
//! - 11月1日–30日: the yearly self-inspection of withheld and much-requested information (seed
//!   002 (八): "每年11月份……进行全面自查").
//! - 12月31日: the leaders' hearing of the work report (seed 004: "主要负责人每年要定期听取
//!   政务公开工作汇报") and every official trained (seed 004: "轮训全覆盖").

use crate::OrgKind;
use crate::code_enum::code_enum;
use chrono::{Datelike, NaiveDate};

/// Days before a milestone it is shown.
pub const SHOW_DAYS: i64 = 45;

code_enum! {
    /// A yearly milestone.
    Milestone {
        /// 年度统计数据报送公开办.
        Figures = ("figures", "上一年度政府信息公开统计数据报送公开办"),
        /// 年度报告公布.
        Report = ("report", "上一年度政府信息公开工作年度报告向社会公布"),
        /// 年度自查.
        Inspection = ("inspection", "年度政务公开自查（不予公开信息、依申请公开较集中的信息）"),
        /// 听取工作汇报.
        Hearing = ("hearing", "主要负责人听取本年度政务公开工作汇报"),
        /// 培训全覆盖.
        Training = ("training", "本年度政务公开工作人员培训全覆盖"),
    }
}

/// One milestone as the dashboard shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Due {
    pub milestone: Milestone,
    /// The period it is the work of (the report's year, or this year).
    pub year: i32,
    /// From when it can be done (the self-inspection's month), when not the whole year.
    pub opens: Option<NaiveDate>,
    pub due: NaiveDate,
    /// Days left (negative: past).
    pub days_left: i64,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MAX)
}

/// The milestones of an org of `kind` near `today` (within [`SHOW_DAYS`] ahead), in date
/// order; the caller drops those already done. A milestone stays listed once past its day
/// until the caller sees it done, for at most [`SHOW_DAYS`] after.
pub fn near(kind: OrgKind, today: NaiveDate) -> Vec<Due> {
    let y = today.year();
    let mut all = vec![
        (Milestone::Inspection, y, Some(ymd(y, 11, 1)), ymd(y, 11, 30)),
        (Milestone::Hearing, y, None, ymd(y, 12, 31)),
        (Milestone::Training, y, None, ymd(y, 12, 31)),
    ];
    // The annual report of the year before, and in December of this year (due next year).
    // A village committee is not an administrative organ and owes none.
    if kind != OrgKind::Village {
        for year in [y - 1, y] {
            // A government's own figures are its office's to gather; it reports by 3月31日.
            if kind != OrgKind::Government {
                all.push((Milestone::Figures, year, None, ymd(year + 1, 1, 15)));
            }
            all.push((Milestone::Report, year, None, crate::report::due_on(kind, year)));
        }
    }
    let mut out: Vec<Due> = all
        .into_iter()
        .map(|(milestone, year, opens, due)| Due { milestone, year, opens, due, days_left: (due - today).num_days() })
        .filter(|d| d.days_left <= SHOW_DAYS && d.days_left >= -SHOW_DAYS)
        .collect();
    out.sort_by_key(|d| d.due);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid date")
    }

    fn names(v: &[Due]) -> Vec<(Milestone, i32, i64)> {
        v.iter().map(|d| (d.milestone, d.year, d.days_left)).collect()
    }

    #[test]
    fn december_shows_the_years_hearing_and_training_and_the_januarys_ahead() {
        let v = near(OrgKind::Department, d(2026, 12, 4));
        assert_eq!(
            names(&v),
            [
                (Milestone::Inspection, 2026, -4),
                (Milestone::Hearing, 2026, 27),
                (Milestone::Training, 2026, 27),
                (Milestone::Figures, 2026, 42)
            ]
        );
        assert!(near(OrgKind::Village, d(2026, 12, 4)).iter().all(|d| d.milestone != Milestone::Figures));
        assert_eq!(v[0].opens, Some(d(2026, 11, 1)));
    }

    #[test]
    fn january_shows_the_figures_and_the_report_of_the_year_before() {
        let v = near(OrgKind::Department, d(2027, 1, 5));
        assert_eq!(names(&v)[..2], [(Milestone::Figures, 2026, 10), (Milestone::Report, 2026, 26)]);
        let gov = near(OrgKind::Government, d(2027, 3, 1));
        assert_eq!(names(&gov), [(Milestone::Report, 2026, 30)]);
    }

    #[test]
    fn the_summer_has_nothing_due() {
        assert!(near(OrgKind::Department, d(2026, 7, 1)).is_empty());
    }
}
