//! Supervision (监测), the use cases: the ranked figures of the orgs under one, and one org's
//! detail, for a period read from the query (this year to date by default); the ranked
//! table as CSV for both adapters.

use crate::{AppError, AppState};

use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use gongkai_core::Actor;
use gongkai_core::supervision::OrgFigures;
pub use gongkai_store::Org;
pub use gongkai_store::supervision::OrgDetail;

/// The period asked for: `from` and `to` as YYYY-MM-DD, by default 1 January of this year
/// to today (Beijing).
pub fn period(
    today: NaiveDate,
    from: Option<&str>,
    to: Option<&str>,
) -> Result<(NaiveDate, NaiveDate, NaiveDate), AppError> {
    let parse = |s: Option<&str>, default: NaiveDate| -> Result<NaiveDate, AppError> {
        match s.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(default),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map_err(|_| AppError::invalid("invalid_date", format!("日期「{s}」格式有误，应为 YYYY-MM-DD"))),
        }
    };
    let from = parse(from, NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today))?;
    let to = parse(to, today)?;
    if to < from {
        return Err(AppError::invalid("invalid_period", "结束日期不能早于开始日期"));
    }
    Ok((from, to, today))
}

/// A period asked for, as the query gave it.
#[derive(Debug, Clone, Copy, Default)]
pub struct Asked<'a> {
    pub from: Option<&'a str>,
    pub to: Option<&'a str>,
}

/// The ranked figures of `root` (the actor's org when `None`) and every org below it.
pub async fn ranked(
    state: &AppState,
    actor: &Actor,
    root: Option<&str>,
    asked: Asked<'_>,
) -> Result<(Org, NaiveDate, NaiveDate, Vec<OrgFigures>), AppError> {
    let root = match root {
        Some(code) => super::orgs::by_code(state, code).await?,
        None => super::orgs::own(state, actor).await?,
    };
    actor.may_supervise(&root.path)?;
    let (from, to, today) = period(state.today(), asked.from, asked.to)?;
    let cal = state.calendar().await?;
    let rows = state.store.supervision(&root, &cal, from, to, today).await?;
    Ok((root, from, to, rows))
}

/// One org's detail: its sections, its items with metadata problems, its overdue requests.
pub async fn detail(
    state: &AppState,
    actor: &Actor,
    code: &str,
    asked: Asked<'_>,
) -> Result<(Org, NaiveDate, NaiveDate, OrgDetail), AppError> {
    let org = super::orgs::by_code(state, code).await?;
    actor.may_supervise(&org.path)?;
    let (from, to, today) = period(state.today(), asked.from, asked.to)?;
    let cal = state.calendar().await?;
    let d = state.store.org_detail(&org, &cal, from, to, today).await?;
    Ok((org, from, to, d))
}

/// The ranked table as CSV (with a BOM, so spreadsheet programs read the Chinese headers).
pub fn csv(rows: &[OrgFigures], from: NaiveDate, to: NaiveDate) -> Result<Response, AppError> {
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    let header_row = [
        "排名",
        "单位",
        "机构代码",
        "发布信息",
        "栏目数",
        "逾期未更新栏目",
        "元数据问题",
        "收到申请",
        "办结申请",
        "按时办结",
        "按时率",
        "平均办理工作日",
        "当前逾期",
    ];
    let internal = |e: csv::Error| AppError::Internal(anyhow::anyhow!("csv: {e}"));
    w.write_record(header_row).map_err(internal)?;
    for r in rows {
        w.write_record(
            [
                if r.rank > 0 { r.rank.to_string() } else { "无可考核数据".to_string() },
                r.org_name.clone(),
                r.org_code.clone(),
                r.published.to_string(),
                r.sections.to_string(),
                r.stale_sections.to_string(),
                r.metadata_issues.to_string(),
                r.requests_received.to_string(),
                r.requests_replied.to_string(),
                r.replied_on_time.to_string(),
                format!("{:.1}%", r.on_time_rate() * 100.0),
                r.avg_workdays.map(|d| format!("{d:.1}")).unwrap_or_default(),
                r.overdue_now.to_string(),
            ]
            .iter()
            .map(|f| crate::util::csv_safe(f).into_owned()),
        )
        .map_err(internal)?;
    }
    let bytes = w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
    Ok(crate::util::file_download("text/csv; charset=utf-8", &format!("supervision-{from}-{to}.csv"), bytes))
}

/// One org's participation figures (supervision): consultations closed and with their
/// feedback published, surveys closed and with their results published, suggestions and
/// proposals replied, on time, and published in full (the year's, by assignment).
#[derive(Debug, Clone, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Participation {
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    pub depth: usize,
    pub consultations_closed: u32,
    pub feedback_published: u32,
    pub surveys_closed: u32,
    pub results_published: u32,
    pub proposals: u32,
    pub proposals_replied_on_time: u32,
    pub proposals_published: u32,
}

impl Participation {
    /// Something is owed: a closed consultation without feedback, a closed survey without
    /// results, or a reply not published.
    pub fn owed(&self) -> bool {
        self.feedback_published < self.consultations_closed || self.results_published < self.surveys_closed
    }
}

/// The participation figures of every org the staff member supervises that has any.
pub async fn participation(state: &AppState, actor: &Actor) -> Result<Vec<Participation>, AppError> {
    let today = state.today();
    let mut orgs: Vec<Org> =
        state.store.orgs().await?.into_iter().filter(|o| actor.may_supervise(&o.path).is_ok()).collect();
    orgs.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    let mut rows: std::collections::HashMap<i64, Participation> = std::collections::HashMap::new();
    for c in state.store.consultations().await? {
        if c.closes_on < today {
            let r = rows.entry(c.org_id).or_default();
            r.consultations_closed += 1;
            r.feedback_published += u32::from(c.feedback_published_on.is_some());
        }
    }
    for s in state.store.surveys().await? {
        if s.closes_on < today {
            let r = rows.entry(s.org_id).or_default();
            r.surveys_closed += 1;
            r.results_published += u32::from(s.results_published_on.is_some());
        }
    }
    for p in state.store.proposals_of_year(today.year(), false).await? {
        let r = rows.entry(p.lead_org_id).or_default();
        r.proposals += 1;
        r.proposals_replied_on_time += u32::from(p.replied_on.is_some_and(|d| p.clock().in_time(d)));
        r.proposals_published += u32::from(p.published_on.is_some());
    }
    Ok(orgs
        .into_iter()
        .filter_map(|o| {
            let mut r = rows.remove(&o.id)?;
            r.org_id = o.id;
            r.org_code = o.code().to_string();
            r.depth = o.path.depth();
            r.org_name = o.name;
            Some(r)
        })
        .collect())
}

/// An org's interpretation and responding figures in a year (解读回应).
#[derive(Debug, Clone, Default)]
pub struct Responding {
    pub org_id: i64,
    pub org_name: String,
    pub depth: usize,
    /// Policies needing an interpretation that it interprets, published this year.
    pub policies: u32,
    pub interpreted: u32,
    pub on_time: u32,
    /// None published and the days are over.
    pub missing: u32,
    /// Concerns it is responsible for, first seen this year.
    pub concerns: u32,
    pub concerns_on_time: u32,
    /// Open concerns past a clock.
    pub concerns_overdue: u32,
    /// Conferences and briefings held, against the target; principal-leader attendance.
    pub press: Option<crate::app::press::ProgressRow>,
}

impl Responding {
    /// True when something is owed: an interpretation or a concern past its time, or a
    /// press target not met.
    pub fn owed(&self) -> bool {
        self.missing > 0 || self.concerns_overdue > 0
    }
}

/// The interpretation and responding figures of every org the staff member supervises that
/// has any, in `year`.
pub async fn responding(state: &AppState, actor: &Actor, year: i32) -> Result<Vec<Responding>, AppError> {
    let mut orgs: Vec<Org> =
        state.store.orgs().await?.into_iter().filter(|o| actor.may_supervise(&o.path).is_ok()).collect();
    orgs.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    let mut rows: std::collections::HashMap<i64, Responding> = std::collections::HashMap::new();
    for (org, c) in crate::app::interpretations::counts(state, year).await? {
        let r = rows.entry(org).or_default();
        let n = |v: i64| u32::try_from(v).unwrap_or(u32::MAX);
        (r.policies, r.interpreted, r.on_time, r.missing) =
            (n(c.policies), n(c.interpreted), n(c.on_time), n(c.missing));
    }
    let start = crate::util::beijing_year_start;
    let now = state.now();
    for c in state.store.concerns_seen(start(year), start(year + 1)).await? {
        let clocks = c.clocks(now);
        let r = rows.entry(c.org_id).or_default();
        r.concerns += 1;
        r.concerns_on_time += u32::from(clocks.iter().all(|k| k.met_at.is_some() && k.in_time));
        r.concerns_overdue += u32::from(clocks.iter().any(|k| k.met_at.is_none() && !k.in_time));
    }
    for p in crate::app::press::progress(state, year, Some(&actor.org_path)).await? {
        let org = p.org_id;
        rows.entry(org).or_default().press = Some(p);
    }
    Ok(orgs
        .into_iter()
        .filter_map(|o| {
            let mut r = rows.remove(&o.id)?;
            r.org_id = o.id;
            r.depth = o.path.depth();
            r.org_name = o.name;
            Some(r)
        })
        .collect())
}

/// Keeps the figures of concluded requests that have none on the calendar in force
/// (`Store::keep_request_figures`): those concluded by a release that did not keep them, and
/// every one after a year's holiday notice is loaded (they were kept on the calendar before
/// it). Every node looks every minute whether any is left; one of them keeps them, once an
/// hour and calendar across the cluster (a notice loaded at noon is followed within the
/// minute). Until they are kept, the figures count them on the calendar's day table, so the
/// pages are right either way, only slower.
pub async fn keep_request_figures(state: AppState) {
    loop {
        let done = async {
            let cal = state.store.calendar().await?;
            if !state.store.request_figures_to_keep(&cal).await? {
                return Ok(None);
            }
            let hour = gongkai_core::index_no::beijing(state.now()).format("%Y-%m-%dT%H");
            let period = format!("{hour}:{:016x}", cal.stamp());
            let lease = std::time::Duration::from_secs(3600);
            crate::app::schedule::run_once(&state, "keep_request_figures", &period, lease, |state| async move {
                let started = std::time::Instant::now();
                let n = state.store.keep_request_figures(&cal).await?;
                Ok(format!("{n} concluded requests kept in {:.1} s", started.elapsed().as_secs_f64()))
            })
            .await
        };
        match done.await {
            Ok(Some(outcome)) => tracing::info!(node = %state.node, outcome, "request figures kept"),
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e, "keeping request figures failed; will retry"),
        }
        tokio::time::sleep(crate::app::schedule::LOOK_EVERY).await;
    }
}
