//! 考核, the use cases: the office's weighted scheme of a year (the default until it sets its
//! own), every org's score computed from the platform's figures — each part with the value
//! behind it and a link to the records — with the office's adjustments and their reasons,
//! ranked; saving a scheme (a weight change recomputes at once: nothing is stored but the
//! scheme) and adjusting a score.

use crate::{AppError, AppState};
use chrono::{Datelike, NaiveDate};
use gongkai_core::Actor;
use gongkai_core::assessment::{self, Measure, Period, Scheme, Score};
use gongkai_core::site_check::Severity;
use gongkai_store::assessments::{Adjustment, NewAdjustment};
use gongkai_store::{AuditCtx, Org};
use std::collections::HashMap;

/// One org's line of the board.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Row {
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    pub depth: usize,
    pub score: Score,
    /// 1 is best; `None`: nothing to measure.
    pub rank: Option<usize>,
    /// Where the records behind the figures are.
    pub records: String,
}

/// A year's 考核 as the office sees it.
pub struct Board {
    pub org: Org,
    pub year: i32,
    /// The period scored (the year, a half or a quarter).
    pub period: Period,
    pub scheme: Scheme,
    /// The stored scheme's version (`None`: the default scheme, not yet set).
    pub version: Option<i64>,
    /// Ranked rows, the unmeasured last.
    pub rows: Vec<Row>,
    pub adjustments: Vec<(Adjustment, String)>,
    /// The office's manual scores with each org's name.
    pub manual: Vec<(gongkai_store::assessments::ManualScore, String)>,
}

fn year_of(state: &AppState, year: Option<i32>) -> Result<i32, AppError> {
    let this = state.today().year();
    match year {
        None => Ok(this),
        Some(y) if (2008..=this).contains(&y) => Ok(y),
        Some(y) => Err(AppError::invalid("invalid_year", format!("{y} 年不在可考核的范围（2008 年至今年）"))),
    }
}

/// The period a query names (`year`, `h1`, `q3`, or its Chinese label); the year when blank.
pub fn period_of(s: Option<&str>) -> Result<Period, AppError> {
    match s.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(Period::Year),
        Some(p) => Period::parse(p).ok_or_else(|| {
            AppError::invalid("invalid_period", format!("「{p}」不是可选的考核期间（year、h1、h2、q1–q4）"))
        }),
    }
}

/// The office's own org, checked: supervisors and administrators only.
async fn office(state: &AppState, actor: &Actor) -> Result<Org, AppError> {
    actor.must_oversee()?;
    super::orgs::own(state, actor).await
}

/// The board of `year` (this year by default) for the office of the actor's org.
pub async fn board(state: &AppState, actor: &Actor, year: Option<i32>) -> Result<Board, AppError> {
    board_for(state, actor, year, Period::Year).await
}

/// The board of a period of `year`: the year's scheme, manual scores and adjustments, the
/// measured figures of the period (to today when it has not ended).
pub async fn board_for(state: &AppState, actor: &Actor, year: Option<i32>, period: Period) -> Result<Board, AppError> {
    let org = office(state, actor).await?;
    let year = year_of(state, year)?;
    let (from, end) = period.bounds(year);
    if from > state.today() {
        return Err(AppError::invalid("period_not_begun", format!("{}尚未开始", period.title(year))));
    }
    let to = end.min(state.today());
    let stored = state.store.assessment_scheme(org.id, year).await?;
    let (scheme, version) = match stored {
        Some(s) => (s.scheme, Some(s.version)),
        None => (assessment::default_scheme(), None),
    };
    // Every org's figures are read from the whole year's records: kept between writes (and
    // for the day, as deadlines move with it), so the office's next view does not read them
    // all again.
    let values = state
        .figures
        .get_or(format!("assessment_values:{}:{from}:{to}:{}", org.id, state.today()), state.figures_version(), || {
            measure(state, actor, &org, year, (from, to))
        })
        .await?;
    let adjustments = state.store.assessment_adjustments(org.id, year).await?;
    let manual = state.store.manual_scores(org.id, year).await?;
    let orgs: Vec<Org> = state.store.orgs().await?.into_iter().filter(|o| o.path.is_within(&org.path)).collect();
    let mut rows: Vec<Row> = orgs
        .iter()
        .map(|o| {
            let adjust: f64 = adjustments.iter().filter(|a| a.org_id == o.id).map(|a| a.points).sum();
            let v = values.get(&o.id);
            let score = assessment::score(
                &scheme,
                |i| {
                    if i.measure == Measure::Manual {
                        manual.iter().find(|m| m.org_id == o.id && m.name == i.name).map(|m| m.value)
                    } else {
                        v.and_then(|v| v.get(&i.measure).copied())
                    }
                },
                adjust,
            );
            Row {
                org_id: o.id,
                org_code: o.code().to_string(),
                org_name: o.name.clone(),
                depth: o.path.depth(),
                score,
                rank: None,
                records: format!("/admin/supervision/{}?from={from}&to={to}", o.code()),
            }
        })
        .collect();
    let ranks = assessment::ranks(&rows.iter().map(|r| r.score.total).collect::<Vec<_>>());
    for (r, rank) in rows.iter_mut().zip(ranks) {
        r.rank = rank;
    }
    rows.sort_by(|a, b| {
        a.rank.unwrap_or(usize::MAX).cmp(&b.rank.unwrap_or(usize::MAX)).then(a.org_name.cmp(&b.org_name))
    });
    let names: HashMap<i64, String> = orgs.iter().map(|o| (o.id, o.name.clone())).collect();
    let adjustments = adjustments
        .into_iter()
        .map(|a| {
            let n = names.get(&a.org_id).cloned().unwrap_or_default();
            (a, n)
        })
        .collect();
    let manual = manual
        .into_iter()
        .map(|m| {
            let n = names.get(&m.org_id).cloned().unwrap_or_default();
            (m, n)
        })
        .collect();
    Ok(Board { org, year, period, scheme, version, rows, adjustments, manual })
}

/// Every org's measured values in `year` (an org with nothing to measure has none).
async fn measure(
    state: &AppState,
    actor: &Actor,
    root: &Org,
    year: i32,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<HashMap<i64, HashMap<Measure, f64>>, AppError> {
    let today = state.today();
    let cal = state.calendar().await?;
    let orgs = state.store.orgs().await?;
    let by_code: HashMap<&str, &Org> = orgs.iter().map(|o| (o.code(), o)).collect();
    let figures = state.store.supervision(root, &cal, from, to, today).await?;
    let public: HashMap<i64, i64> = state.store.published_counts().await?.into_iter().collect();
    let responding: HashMap<i64, super::supervision::Responding> =
        super::supervision::responding(state, actor, year).await?.into_iter().map(|r| (r.org_id, r)).collect();
    // Letters received in the year: replied by the day, or late (replied after, or open past it).
    let mut letters: HashMap<i64, (u32, u32)> = HashMap::new();
    for l in state.store.letters_received(from, to).await? {
        let Ok(due) = l.clock().due_on(&cal) else { continue };
        let on_time = match l.replied_on {
            Some(d) => d <= due,
            None if l.state.is_open() && due < today => false,
            None => continue,
        };
        let e = letters.entry(l.org_id).or_default();
        e.0 += 1;
        e.1 += u32::from(on_time);
    }
    let mut vetoes: HashMap<i64, u32> = HashMap::new();
    if let Some(run) = state.store.latest_site_check().await? {
        for f in state.store.site_check_findings(run.id, None).await? {
            if f.severity == Severity::Veto {
                *vetoes.entry(f.org_id).or_default() += 1;
            }
        }
    }
    // Training coverage of the year; new-media accounts within the two-week rule on its last day.
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let (staff, trained) = state.store.training_coverage(&ids, year).await?;
    let mut media: HashMap<i64, (u32, u32)> = HashMap::new();
    for a in state.store.media_accounts(None).await? {
        if a.state != gongkai_core::media::AccountState::Active {
            continue;
        }
        let e = media.entry(a.org_id).or_default();
        e.0 += 1;
        e.1 += u32::from(gongkai_core::media::update_due(a.last_update, a.opened_on, to) >= to);
    }
    // The annual report of the year before, due in this one.
    let reports = state.store.report_rows_for_year(year - 1).await?;
    let mut out = HashMap::new();
    for f in &figures {
        let Some(org) = by_code.get(f.org_code.as_str()) else { continue };
        if !f.measured() {
            continue;
        }
        let rate = |n: f64, d: f64| (d > 0.0).then(|| n / d);
        let mut v: HashMap<Measure, f64> = HashMap::new();
        let mut put = |m: Measure, x: Option<f64>| {
            if let Some(x) = x {
                v.insert(m, x);
            }
        };
        put(Measure::Published, Some(f.published as f64));
        put(Measure::SectionsFresh, rate((f.sections - f.stale_sections) as f64, f.sections as f64));
        let items = public.get(&org.id).copied().unwrap_or(0) as f64;
        put(Measure::MetadataOk, rate(items - f.metadata_issues as f64, items));
        put(Measure::RequestsOnTime, rate(f.replied_on_time as f64, f.requests_replied as f64));
        put(Measure::RequestsOverdue, Some(f.overdue_now as f64));
        if let Some(r) = responding.get(&org.id) {
            put(Measure::Interpreted, rate(f64::from(r.interpreted), f64::from(r.policies)));
            put(Measure::ConcernsOnTime, rate(f64::from(r.concerns_on_time), f64::from(r.concerns)));
        }
        if let Some((n, on)) = letters.get(&org.id) {
            put(Measure::LettersOnTime, rate(f64::from(*on), f64::from(*n)));
        }
        put(Measure::SiteVetoes, Some(f64::from(vetoes.get(&org.id).copied().unwrap_or(0))));
        if let Some(people) = staff.get(&org.id) {
            let c = gongkai_core::training::Coverage::of(people, &trained);
            put(Measure::TrainingCoverage, rate(c.trained as f64, c.staff as f64));
        }
        if let Some((n, fresh)) = media.get(&org.id) {
            put(Measure::MediaFresh, rate(f64::from(*fresh), f64::from(*n)));
        }
        let due = gongkai_core::report::due_on(org.kind, year - 1);
        let report = reports.iter().find(|r| r.org_id == org.id && r.scope == gongkai_core::report::Scope::Org);
        let published = report.and_then(|r| r.published_at).map(gongkai_core::index_no::beijing_date);
        put(
            Measure::ReportOnTime,
            match published {
                Some(d) => Some(if d <= due { 1.0 } else { 0.0 }),
                None if today > due => Some(0.0),
                None => None,
            },
        );
        out.insert(org.id, v);
    }
    Ok(out)
}

/// Month by month over a year, for the trend charts: of the office's whole tree, or of one
/// org within it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Trend {
    pub org_code: String,
    pub org_name: String,
    /// The org and every org below it (the office's default), or the org alone.
    pub tree: bool,
    #[schema(value_type = Vec<Object>)]
    pub months: Vec<gongkai_core::supervision::Month>,
}

/// The monthly trend of `year` for the office, or for the org with `org_code` within it.
pub async fn trend(
    state: &AppState,
    actor: &Actor,
    year: Option<i32>,
    org_code: Option<&str>,
) -> Result<Trend, AppError> {
    let office = office(state, actor).await?;
    let year = year_of(state, year)?;
    let (org, tree) = match org_code.map(str::trim).filter(|c| !c.is_empty() && *c != office.code()) {
        Some(code) => {
            let org = super::orgs::by_code(state, code).await?;
            actor.may_supervise(&org.path)?;
            (org, false)
        }
        None => (office, true),
    };
    let cal = state.calendar().await?;
    let today = state.today();
    let months = state
        .figures
        .get_or(format!("monthly:{}:{tree}:{year}:{today}", org.id), state.figures_version(), || async {
            state.store.monthly_figures(&org, tree, &cal, year, today).await.map_err(AppError::from)
        })
        .await?;
    Ok(Trend { org_code: org.code().to_string(), org_name: org.name.clone(), tree, months })
}

/// Saves the office's scheme of `year`; `version` is the one edited (`None`: the default).
pub async fn save_scheme(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    year: Option<i32>,
    scheme: &Scheme,
    version: Option<i64>,
) -> Result<i64, AppError> {
    let org = office(state, actor).await?;
    let year = year_of(state, year)?;
    assessment::check(scheme).map_err(|e| AppError::invalid(e.code(), e.to_string()))?;
    Ok(state.store.save_assessment_scheme(ctx, actor, org.id, year, scheme, version).await?)
}

/// Adjusts the score of the org with `code` in the office's `year`, with a reason.
pub async fn adjust(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    year: Option<i32>,
    code: &str,
    points: f64,
    reason: &str,
) -> Result<Adjustment, AppError> {
    let org = office(state, actor).await?;
    let year = year_of(state, year)?;
    let target = super::orgs::by_code(state, code).await?;
    let new = NewAdjustment { scheme_org: org.id, year, org_id: target.id, points, reason };
    Ok(state.store.add_assessment_adjustment(ctx, actor, new).await?)
}

/// The office scores a manual indicator of its scheme of `year` for the org with `code`:
/// `percent` 0–100, with the evidence it rests on.
#[allow(clippy::too_many_arguments)]
pub async fn set_manual(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    year: Option<i32>,
    name: &str,
    code: &str,
    percent: f64,
    evidence: &str,
) -> Result<(), AppError> {
    let org = office(state, actor).await?;
    let year = year_of(state, year)?;
    let scheme = state.store.assessment_scheme(org.id, year).await?.map(|s| s.scheme);
    let known =
        scheme.is_some_and(|s| s.indicators.iter().any(|i| i.measure == Measure::Manual && i.name == name.trim()));
    if !known {
        return Err(AppError::invalid_field(
            "manual_indicator",
            "name",
            format!("{year} 年的考核方案中没有人工评分指标「{}」", name.trim()),
        ));
    }
    if !percent.is_finite() || !(0.0..=100.0).contains(&percent) {
        return Err(AppError::invalid_field("manual_value", "value", "评分应为 0 到 100 之间的数（百分比）"));
    }
    let target = super::orgs::by_code(state, code).await?;
    state.store.set_manual_score(ctx, actor, org.id, year, name.trim(), target.id, percent / 100.0, evidence).await?;
    Ok(())
}

/// Reads a scheme typed as lines `指标 | 权重 | 规则`, where the rule is `线性 不得分值 满分值`,
/// `达标 值` or `扣分 每件分值`; rates are written as percentages (`80%`). A manual indicator
/// is written `人工：名称`.
pub fn parse_scheme(text: &str) -> Result<Scheme, AppError> {
    let bad = |n: usize, why: &str| AppError::invalid("scheme_line", format!("第 {n} 行：{why}"));
    let mut indicators = Vec::new();
    for (i, line) in text.lines().enumerate().map(|(i, l)| (i + 1, l.trim())).filter(|(_, l)| !l.is_empty()) {
        if indicators.len() >= assessment::MAX_INDICATORS {
            return Err(AppError::invalid(
                "scheme_indicator_count",
                format!("考核方案至多 {} 项指标", assessment::MAX_INDICATORS),
            ));
        }
        let parts: Vec<&str> = line.split(['|', '｜']).map(str::trim).collect();
        let [name, weight, rule] = parts[..] else {
            return Err(bad(i, "应为「指标 | 权重 | 评分规则」三栏"));
        };
        let (measure, manual_name) = match name.strip_prefix("人工：").or_else(|| name.strip_prefix("人工:")) {
            Some(n) => (Measure::Manual, n.trim().to_string()),
            None => (Measure::parse(name).ok_or_else(|| bad(i, &format!("没有指标「{name}」")))?, String::new()),
        };
        let weight: u32 = weight.trim_end_matches('分').trim().parse().map_err(|_| bad(i, "权重应为整数分值"))?;
        let num = |s: &str| -> Result<f64, AppError> {
            let s = s.trim();
            let (s, pct) = match s.strip_suffix(['%', '％']) {
                Some(p) => (p, true),
                None => (s, false),
            };
            let x: f64 = s.parse().map_err(|_| bad(i, &format!("「{s}」不是数值")))?;
            Ok(if pct { x / 100.0 } else { x })
        };
        let words: Vec<&str> = rule.split_whitespace().collect();
        let scoring = match words[..] {
            ["线性", zero, full] => assessment::Scoring::Linear { zero: num(zero)?, full: num(full)? },
            ["达标", at] => assessment::Scoring::PassFail { at_least: num(at)? },
            ["扣分", per] => assessment::Scoring::Deduct { per_case: num(per)? },
            _ => return Err(bad(i, "评分规则应为「线性 不得分值 满分值」「达标 值」或「扣分 每件分值」")),
        };
        indicators.push(assessment::Indicator { measure, name: manual_name, weight, scoring });
    }
    Ok(Scheme { indicators })
}

/// A scheme written as [`parse_scheme`] reads it.
pub fn scheme_text(s: &Scheme) -> String {
    let v = |m: Measure, x: f64| {
        if m.is_rate() {
            format!("{}%", (x * 10000.0).round() / 100.0)
        } else {
            format!("{}", (x * 100.0).round() / 100.0)
        }
    };
    s.indicators
        .iter()
        .map(|i| {
            let rule = match i.scoring {
                assessment::Scoring::Linear { zero, full } => {
                    format!("线性 {} {}", v(i.measure, zero), v(i.measure, full))
                }
                assessment::Scoring::PassFail { at_least } => format!("达标 {}", v(i.measure, at_least)),
                assessment::Scoring::Deduct { per_case } => format!("扣分 {}", (per_case * 100.0).round() / 100.0),
            };
            let name = if i.measure == Measure::Manual { format!("人工：{}", i.name) } else { i.label() };
            format!("{name} | {} | {rule}\n", i.weight)
        })
        .collect()
}

/// A year's 通报: the ranked table as cells, with the adjustments and their reasons.
pub struct Bulletin {
    pub title: String,
    pub intro: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<String>>,
    pub notes: Vec<String>,
    pub signature: String,
    pub date: String,
}

/// The 通报 of a board, as of `today`.
pub fn bulletin(b: &Board, today: NaiveDate) -> Bulletin {
    let mut header = vec!["排名".to_string(), "单位".to_string(), "得分".to_string()];
    header.extend(b.scheme.indicators.iter().map(|i| format!("{}（{}分）", i.label(), i.weight)));
    header.push("调整".to_string());
    let rows = b
        .rows
        .iter()
        .map(|r| {
            let mut line = vec![
                r.rank.map_or_else(|| "不排名".to_string(), |n| n.to_string()),
                r.org_name.clone(),
                r.score.total.map_or_else(|| "无可考核数据".to_string(), |t| format!("{t:.2}")),
            ];
            line.extend(r.score.parts.iter().map(|p| p.points.map_or_else(|| "不计".to_string(), |x| format!("{x}"))));
            line.push(if r.score.adjustment == 0.0 { String::new() } else { format!("{:+}", r.score.adjustment) });
            line
        })
        .collect();
    let notes = b.adjustments.iter().map(|(a, org)| format!("{org}：{:+} 分，{}", a.points, a.reason)).collect();
    Bulletin {
        title: format!("关于{}政务公开工作考核结果的通报", b.period.title(b.year)),
        intro: format!(
            "根据{}年度政务公开工作考核方案，现将{}各单位考核结果通报如下。得分由政务公开平台按各项指标数据计算，没有可计量数据的指标不计入并按已计量指标折算为百分制；本期无发布、无申请的单位不参与排名。",
            b.year,
            b.period.title(b.year)
        ),
        header,
        rows,
        notes,
        signature: b.org.name.clone(),
        date: format!("{}年{}月{}日", today.year(), today.month(), today.day()),
    }
}

/// The 通报 as the body of a public item: the introduction, the ranked table, the
/// adjustments, the signature and date, every cell escaped.
pub fn bulletin_html(b: &Bulletin) -> String {
    use gongkai_core::html::escape;
    let mut h = format!("<p>{}</p><table><thead><tr>", escape(&b.intro));
    for c in &b.header {
        h += &format!("<th>{}</th>", escape(c));
    }
    h += "</tr></thead><tbody>";
    for r in &b.rows {
        h += "<tr>";
        for c in r {
            h += &format!("<td>{}</td>", escape(c));
        }
        h += "</tr>";
    }
    h += "</tbody></table>";
    if !b.notes.is_empty() {
        h += "<p>分数调整：</p><ul>";
        for n in &b.notes {
            h += &format!("<li>{}</li>", escape(n));
        }
        h += "</ul>";
    }
    h + &format!("<p>{}</p><p>{}</p>", escape(&b.signature), escape(&b.date))
}

/// The office's 通报 of a period of `year` made a draft item of its own org, for the review
/// and publication every item goes through; answers the item's id (the same draft when made
/// before for the period).
pub async fn draft_bulletin(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    year: Option<i32>,
    period: Period,
) -> Result<i64, AppError> {
    let b = board_for(state, actor, year, period).await?;
    let bulletin = bulletin(&b, state.today());
    state
        .store
        .draft_bulletin(
            ctx,
            actor,
            &format!("{}:{}", b.year, period.as_str()),
            &bulletin.title,
            &bulletin_html(&bulletin),
        )
        .await
        .map_err(AppError::from)
}

/// The 通报 as an XLSX workbook.
pub fn bulletin_xlsx(b: &Bulletin) -> Result<Vec<u8>, AppError> {
    let mut rows = b.rows.clone();
    if !b.notes.is_empty() {
        rows.push(Vec::new());
        rows.push(vec!["分数调整".to_string()]);
        rows.extend(b.notes.iter().map(|n| vec![String::new(), n.clone()]));
    }
    gongkai_formats::tables::table_xlsx("考核结果", &b.header, &rows)
        .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))
}

/// The 通报 as a DOCX file laid out as 公文 are (`gongwen`), the office as its author.
pub fn bulletin_docx(b: &Bulletin) -> Result<Vec<u8>, AppError> {
    use docx_rs::{Table, TableCell, TableRow};
    use gongkai_formats::gongwen::{self, BODY, PLAIN, RIGHT, SMALL, TITLE, paragraph};
    let cell = |text: &str| TableCell::new().add_paragraph(paragraph(SMALL, text));
    let mut doc =
        gongwen::document().add_paragraph(paragraph(TITLE, &b.title)).add_paragraph(paragraph(BODY, &b.intro));
    let mut rows = vec![TableRow::new(b.header.iter().map(|h| cell(h)).collect())];
    rows.extend(b.rows.iter().map(|r| TableRow::new(r.iter().map(|c| cell(c)).collect())));
    doc = doc.add_table(Table::new(rows));
    if !b.notes.is_empty() {
        doc = doc.add_paragraph(paragraph(PLAIN, "分数调整："));
        for n in &b.notes {
            doc = doc.add_paragraph(paragraph(BODY, n));
        }
    }
    doc = doc
        .add_paragraph(docx_rs::Paragraph::new().style(PLAIN))
        .add_paragraph(paragraph(RIGHT, &b.signature))
        .add_paragraph(paragraph(RIGHT, &b.date));
    let properties = gongwen::Properties { title: &b.title, author: &b.signature, dated: gongwen::read_date(&b.date) };
    gongwen::pack(doc, &properties).map_err(|e| AppError::Internal(anyhow::anyhow!(e)))
}

/// The 通报 as a download (`docx` or `xlsx`).
pub fn bulletin_file(b: &Bulletin, year: i32, format: &str) -> Result<axum::response::Response, AppError> {
    let (bytes, mime, ext) = match format {
        "docx" => {
            (bulletin_docx(b)?, "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx")
        }
        "xlsx" => (bulletin_xlsx(b)?, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
        other => return Err(AppError::invalid("invalid_format", format!("不支持的格式「{other}」：可选 docx、xlsx"))),
    };
    Ok(crate::util::file_download(mime, &format!("assessment-{year}.{ext}"), bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scheme_reads_back_from_its_text() {
        let s = assessment::default_scheme();
        assert_eq!(parse_scheme(&scheme_text(&s)).expect("parse"), s);
    }

    #[test]
    fn bad_lines_are_named() {
        let e = parse_scheme("依申请公开按时办结率 | 100 | 线性 80%\n").expect_err("two thresholds");
        assert!(e.to_string().contains("第 1 行"), "{e}");
        let e = parse_scheme("考勤 | 100 | 达标 1\n").expect_err("no such measure");
        assert!(e.to_string().contains("没有指标「考勤」"), "{e}");
    }
}
