//! 考核 in the console: the year's scores ranked, as a bar chart drawn on the server (SVG,
//! no script) with the same figures in the table beside it; each part's value and points;
//! the adjustments with their reasons; the scheme and an adjustment edited in forms that
//! keep what was typed when refused.

use crate::app::assessments::{self, Board};
use crate::auth::{ClientIp, Staff, audit_ctx};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use gongkai_core::assessment::{Part, Period};
use serde::Deserialize;

/// One bar of the chart.
pub struct Bar {
    pub y: usize,
    pub width: f64,
    pub label: String,
    pub value: String,
}

/// Bar height and gap in the chart, in its units.
const BAR: usize = 22;
/// Width of the chart's bar area for 100 points.
const SCALE: f64 = 420.0;

#[derive(Template, WebTemplate)]
#[template(path = "console/assessment.html")]
pub struct AssessmentPage {
    pub csrf: String,
    pub b: Board,
    pub bars: Vec<Bar>,
    pub chart_height: usize,
    pub trend: assessments::Trend,
    pub months: Vec<MonthBar>,
    /// The on-time line's points, `x,y` in chart units.
    pub on_time_line: String,
    pub scheme_text: String,
    /// Every indicator the platform measures, by its label.
    pub measures: String,
    pub message: Option<String>,
    pub adjust_org: String,
    pub adjust_points: String,
    pub adjust_reason: String,
    /// The scheme's manual indicators, by name.
    pub manual_names: Vec<String>,
    /// The periods a board may be scored over: (code, label).
    pub periods: Vec<(&'static str, &'static str)>,
}

impl AssessmentPage {
    /// A part as the table shows it: points, and the value behind them.
    pub fn part(&self, p: &Part) -> String {
        match (p.points, p.value) {
            (Some(pts), Some(v)) => {
                let v = if p.measure.is_rate() { format!("{:.0}%", v * 100.0) } else { format!("{v}") };
                format!("{pts} 分（{v}）")
            }
            _ => "不计".to_string(),
        }
    }

    pub fn total(&self, t: &Option<f64>) -> String {
        t.map(|t| format!("{t:.2}")).unwrap_or_else(|| "—".to_string())
    }

    /// A share as a percentage.
    pub fn percent(&self, v: &f64) -> String {
        format!("{}%", (v * 1000.0).round() / 10.0)
    }
}

/// One month of the trend chart: a publication bar and an on-time point, in chart units.
pub struct MonthBar {
    pub month: gongkai_core::supervision::Month,
    pub x: usize,
    pub height: f64,
    /// The on-time point's height above the axis, when any request was concluded.
    pub on_time_y: Option<f64>,
}

/// Height of the trend chart's plot area, in its units.
const TREND_H: f64 = 150.0;

fn month_bars(months: &[gongkai_core::supervision::Month]) -> Vec<MonthBar> {
    let max = months.iter().map(|m| m.published).max().unwrap_or(0).max(1) as f64;
    months
        .iter()
        .map(|m| MonthBar {
            month: *m,
            x: 50 + (m.month as usize - 1) * 58,
            height: m.published as f64 / max * TREND_H,
            on_time_y: m.on_time_percent().map(|p| f64::from(p) / 100.0 * TREND_H),
        })
        .collect()
}

async fn page(state: &AppState, staff: &Staff, year: Option<i32>) -> Result<AssessmentPage, AppError> {
    page_with(state, staff, year, Period::Year, None).await
}

async fn page_with(
    state: &AppState,
    staff: &Staff,
    year: Option<i32>,
    period: Period,
    trend_org: Option<&str>,
) -> Result<AssessmentPage, AppError> {
    let b = assessments::board_for(state, &staff.actor, year, period).await?;
    let trend = assessments::trend(state, &staff.actor, year, trend_org).await?;
    let bars: Vec<Bar> = b
        .rows
        .iter()
        .filter_map(|r| r.score.total.map(|t| (r, t)))
        .enumerate()
        .map(|(i, (r, t))| Bar {
            y: i * (BAR + 8),
            width: t / 100.0 * SCALE,
            label: r.org_name.clone(),
            value: format!("{t:.2}"),
        })
        .collect();
    let months = month_bars(&trend.months);
    let manual_names: Vec<String> = b
        .scheme
        .indicators
        .iter()
        .filter(|i| i.measure == gongkai_core::assessment::Measure::Manual)
        .map(|i| i.name.clone())
        .collect();
    let on_time_line = months
        .iter()
        .filter_map(|m| m.on_time_y.map(|y| format!("{},{:.1}", m.x + 18, 170.0 - y)))
        .collect::<Vec<_>>()
        .join(" ");
    Ok(AssessmentPage {
        csrf: staff.csrf.clone(),
        chart_height: bars.len() * (BAR + 8) + 8,
        trend,
        months,
        on_time_line,
        bars,
        scheme_text: assessments::scheme_text(&b.scheme),
        measures: gongkai_core::assessment::Measure::ALL.iter().map(|m| m.label()).collect::<Vec<_>>().join("、"),
        b,
        message: None,
        adjust_org: String::new(),
        adjust_points: String::new(),
        adjust_reason: String::new(),
        manual_names,
        periods: Period::ALL.iter().map(|p| (p.as_str(), p.label())).collect(),
    })
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: Option<i32>,
    /// The org whose monthly trend is drawn (default: the office's whole tree).
    #[serde(default)]
    trend: Option<String>,
    /// The period scored (default: the year).
    #[serde(default)]
    period: Option<String>,
}

/// `/admin/assessment`.
pub async fn show(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> Result<AssessmentPage, PageError> {
    let period = assessments::period_of(q.period.as_deref())?;
    Ok(page_with(&state, &staff, q.year, period, q.trend.as_deref()).await?)
}

#[derive(Deserialize)]
pub struct SchemeForm {
    csrf: String,
    year: i32,
    #[serde(default)]
    version: Option<i64>,
    #[serde(default)]
    scheme: String,
}

/// `POST /admin/assessment/scheme`.
pub async fn save_scheme(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    axum::Form(f): axum::Form<SchemeForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let scheme = assessments::parse_scheme(&f.scheme)?;
        assessments::save_scheme(&state, &staff.actor, &audit_ctx(&staff.actor, ip), Some(f.year), &scheme, f.version)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/admin/assessment?year={}", f.year)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let mut p = page(&state, &staff, Some(f.year)).await?;
            p.scheme_text = f.scheme;
            p.message = Some(format!("考核方案未保存：{e}"));
            Ok((status, p).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct AdjustForm {
    csrf: String,
    year: i32,
    #[serde(default)]
    org: String,
    #[serde(default)]
    points: String,
    #[serde(default)]
    reason: String,
}

/// `POST /admin/assessment/adjust`.
pub async fn adjust(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    axum::Form(f): axum::Form<AdjustForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let points: f64 = f
            .points
            .trim()
            .parse()
            .map_err(|_| AppError::invalid("invalid_points", "调整分值应为数值，如 -2 或 1.5"))?;
        assessments::adjust(&state, &staff.actor, &audit_ctx(&staff.actor, ip), Some(f.year), &f.org, points, &f.reason)
            .await
    }
    .await;
    match result {
        Ok(_) => Ok(Redirect::to(&format!("/admin/assessment?year={}#adjustments", f.year)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let mut p = page(&state, &staff, Some(f.year)).await?;
            p.message = Some(format!("分数未调整：{e}"));
            (p.adjust_org, p.adjust_points, p.adjust_reason) = (f.org, f.points, f.reason);
            Ok((status, p).into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct ManualForm {
    csrf: String,
    year: i32,
    #[serde(default)]
    name: String,
    #[serde(default)]
    org: String,
    #[serde(default)]
    value: String,
    #[serde(default)]
    evidence: String,
}

/// `POST /admin/assessment/manual`.
pub async fn manual(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    axum::Form(f): axum::Form<ManualForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let result = async {
        let value: f64 = f
            .value
            .trim()
            .trim_end_matches(['%', '％'])
            .parse()
            .map_err(|_| AppError::invalid("manual_value", "评分应为 0 到 100 之间的数（百分比）"))?;
        let ctx = audit_ctx(&staff.actor, ip);
        assessments::set_manual(&state, &staff.actor, &ctx, Some(f.year), &f.name, &f.org, value, &f.evidence).await
    }
    .await;
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/admin/assessment?year={}#manual", f.year)).into_response()),
        Err(e) => {
            let Some(status) = e.form_refusal_status() else { return Err(e.into()) };
            let mut p = page(&state, &staff, Some(f.year)).await?;
            p.message = Some(format!("评分未保存：{e}"));
            Ok((status, p).into_response())
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "console/assessment_bulletin.html")]
pub struct BulletinPage {
    pub csrf: String,
    pub year: i32,
    /// The period's code.
    pub period: &'static str,
    pub b: assessments::Bulletin,
}

#[derive(Deserialize, Default)]
pub struct BulletinQuery {
    #[serde(default)]
    year: Option<i32>,
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    format: Option<String>,
}

/// `/admin/assessment/bulletin?year=&format=docx|xlsx`: the 通报 as a page or a file.
pub async fn bulletin(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<BulletinQuery>,
) -> Result<Response, PageError> {
    let period = assessments::period_of(q.period.as_deref())?;
    let board = assessments::board_for(&state, &staff.actor, q.year, period).await?;
    let b = assessments::bulletin(&board, state.today());
    match q.format.as_deref().filter(|f| !f.is_empty()) {
        Some(f) => Ok(assessments::bulletin_file(&b, board.year, f)?),
        None => {
            Ok(BulletinPage { csrf: staff.csrf.clone(), year: board.year, period: period.as_str(), b }.into_response())
        }
    }
}

#[derive(Deserialize)]
pub struct DraftForm {
    csrf: String,
    year: i32,
    #[serde(default)]
    period: String,
}

/// `POST /admin/assessment/bulletin/draft`: the 通报 made a draft item of the office's org,
/// opened in the editor for the review and publication every item goes through.
pub async fn draft_bulletin(
    State(state): State<AppState>,
    staff: Staff,
    ClientIp(ip): ClientIp,
    axum::Form(f): axum::Form<DraftForm>,
) -> Result<Response, PageError> {
    staff.check_csrf(&f.csrf)?;
    let period = assessments::period_of(Some(&f.period))?;
    let ctx = audit_ctx(&staff.actor, ip);
    let id = assessments::draft_bulletin(&state, &staff.actor, &ctx, Some(f.year), period).await?;
    Ok(Redirect::to(&format!("/admin/items/{id}")).into_response())
}
