//! Concerns (回应关切 / 政务舆情), the use cases: staff log a concern with its source, the
//! minute it was first seen (Beijing time), its topic and severity; the responsible org is
//! found by the seeds' rule; the org (or the office) consults, assesses, responds by a
//! public item, a press conference or an interview, and evaluates; the office reassigns;
//! leaders' 批示 are tracked to completion; a case handed to 公安 is recorded. The hour
//! clocks show what is due. The public sees the published responses only. The rules are
//! `core::concern`.

use crate::app::press::{beijing_minute, parse_beijing};
use crate::{AppError, AppState};
use gongkai_core::Actor;
use gongkai_core::concern::{ConcernSource, ConcernStep, ResponseKind, Severity, step_label};
use gongkai_store::{AuditCtx, Concern, NewConcern};
use serde::{Deserialize, Serialize};

/// A concern to log, as typed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct LogBody {
    #[serde(default)]
    pub source: String,
    /// Where it was seen (a link, the forum, the hotline ticket).
    #[serde(default)]
    pub source_detail: String,
    /// Beijing time, to the minute.
    #[serde(default)]
    pub first_seen_at: String,
    #[serde(default)]
    pub topic: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub severity: String,
    /// 属地: the local org of a local event.
    #[serde(default, deserialize_with = "crate::util::lenient_opt_i64")]
    pub local_org: Option<i64>,
    /// The org in charge of the matter (the lead org when several).
    #[serde(default, deserialize_with = "crate::util::lenient_opt_i64")]
    pub in_charge_org: Option<i64>,
}

/// A clock as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ClockView {
    pub what: String,
    pub due_at: String,
    pub met_at: Option<String>,
    pub in_time: bool,
    /// `overdue`, `near`, `ok` for a running clock.
    pub urgency: Option<String>,
    pub urgency_label: Option<String>,
    pub left: String,
}

/// A concern as the console and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConcernView {
    pub id: i64,
    pub org_id: i64,
    pub org_name: String,
    pub source_label: String,
    pub source_detail: String,
    pub first_seen_at: String,
    pub topic: String,
    pub summary: String,
    pub severity: String,
    pub severity_label: String,
    pub stage: String,
    pub stage_label: String,
    pub police: bool,
    pub evaluation: String,
    pub clocks: Vec<ClockView>,
    /// The most pressing running clock's urgency.
    pub urgency: Option<String>,
}

/// An event on the timeline as shown.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct EventView {
    pub id: i64,
    pub label: String,
    pub actor: String,
    pub org_name: String,
    pub note: String,
    pub at: String,
    /// A response's link: (href, label).
    pub link: Option<(String, String)>,
    /// A 批示 still open.
    pub open_instruction: bool,
}

fn clock_views(c: &Concern, now: chrono::DateTime<chrono::Utc>) -> Vec<ClockView> {
    c.clocks(now)
        .into_iter()
        .map(|k| ClockView {
            what: k.what.into(),
            due_at: beijing_minute(k.due_at),
            met_at: k.met_at.map(beijing_minute),
            in_time: k.in_time,
            urgency: k.urgency.map(|u| u.as_str().to_string()),
            urgency_label: k.urgency.map(|u| u.label().to_string()),
            left: k.left,
        })
        .collect()
}

async fn view(state: &AppState, c: Concern) -> Result<ConcernView, AppError> {
    let org_name = state.store.org_by_id(c.org_id).await?.map(|o| o.name).unwrap_or_default();
    let clocks = clock_views(&c, state.now());
    let rank = |u: &str| match u {
        "overdue" => 0,
        "near" => 1,
        _ => 2,
    };
    let urgency = clocks.iter().filter_map(|k| k.urgency.clone()).min_by_key(|u| rank(u));
    Ok(ConcernView {
        id: c.id,
        org_id: c.org_id,
        org_name,
        source_label: c.source.label().into(),
        source_detail: c.source_detail,
        first_seen_at: beijing_minute(c.first_seen_at),
        topic: c.topic,
        summary: c.summary,
        severity: c.severity.as_str().into(),
        severity_label: c.severity.label().into(),
        stage: c.stage.as_str().into(),
        stage_label: c.stage.label().into(),
        police: c.police,
        evaluation: c.evaluation,
        clocks,
        urgency,
    })
}

/// Logs a concern.
pub async fn log(state: &AppState, actor: &Actor, ctx: &AuditCtx, b: LogBody) -> Result<ConcernView, AppError> {
    let mut fields = Vec::new();
    let source = ConcernSource::parse(&b.source);
    if source.is_none() {
        fields.push(("source", "请选择舆情来源".to_string()));
    }
    let severity = Severity::parse(&b.severity);
    if severity.is_none() {
        fields.push(("severity", "请选择舆情级别".to_string()));
    }
    let first_seen = parse_beijing(&b.first_seen_at);
    if first_seen.is_none() {
        fields.push(("first_seen_at", "请填写首次发现时间（北京时间，精确到分钟）".to_string()));
    }
    if b.topic.trim().is_empty() {
        fields.push(("topic", "请填写舆情主题".to_string()));
    }
    let (Some(source), Some(severity), Some(first_seen_at)) = (source, severity, first_seen) else {
        return Err(AppError::invalid_fields("invalid_fields", fields));
    };
    if !fields.is_empty() {
        return Err(AppError::invalid_fields("invalid_fields", fields));
    }
    let new = NewConcern {
        source,
        source_detail: b.source_detail,
        first_seen_at,
        topic: b.topic,
        summary: b.summary,
        severity,
        local_org_id: b.local_org.filter(|o| *o > 0),
        in_charge_org_id: b.in_charge_org.filter(|o| *o > 0),
    };
    let c = state.store.log_concern(ctx, actor, new).await?;
    view(state, c).await
}

/// Applies a step.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    step: ConcernStep,
) -> Result<ConcernView, AppError> {
    let c = state.store.apply_concern_step(ctx, actor, id, step).await?;
    view(state, c).await
}

/// Which concerns a list shows besides the staff member's scope.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct Filter {
    /// 仅未办结的舆情.
    #[serde(default)]
    pub open: Option<bool>,
    /// 责任单位编号（监测指标下钻）.
    #[serde(default, deserialize_with = "crate::util::lenient_opt_i64")]
    pub org: Option<i64>,
    /// 级别代码.
    #[serde(default)]
    pub severity: Option<String>,
}

/// The concerns a staff member answers for, the most pressing first, as filtered.
pub async fn workspace(state: &AppState, actor: &Actor, filter: &Filter) -> Result<Vec<ConcernView>, AppError> {
    let mut orgs: Vec<i64> = crate::app::orgs::overseen(state, actor).await?.into_iter().map(|o| o.id).collect();
    if let Some(o) = filter.org {
        orgs.retain(|id| *id == o);
    }
    let severity = filter.severity.as_deref().filter(|s| !s.is_empty());
    let mut out = Vec::new();
    for c in state.store.concerns_with(&orgs, filter.open.unwrap_or(false)).await? {
        if severity.is_some_and(|s| s != c.severity.as_str()) {
            continue;
        }
        out.push(view(state, c).await?);
    }
    let rank = |v: &ConcernView| match v.urgency.as_deref() {
        Some("overdue") => 0,
        Some("near") => 1,
        Some(_) => 2,
        None => 3,
    };
    out.sort_by_key(|v| rank(v));
    Ok(out)
}

/// One concern with its timeline, for staff who may see it; and whether they may act.
pub async fn one(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(ConcernView, Vec<EventView>, bool, bool), AppError> {
    let c = state.store.concern(id).await?.ok_or_else(|| AppError::NotFound("未找到该舆情".into()))?;
    let org = state.store.org_by_id(c.org_id).await?.ok_or_else(|| AppError::NotFound("单位".into()))?;
    let logged = state.store.org_by_id(c.logged_org_id).await?;
    let sees = actor.may_supervise(&org.path).is_ok() || logged.is_some_and(|o| actor.may_supervise(&o.path).is_ok());
    if !sees {
        return Err(gongkai_core::Denied::OutsideOrg.into());
    }
    let may_handle = gongkai_core::concern::may_handle(actor, &org.path).is_ok();
    let may_reassign = gongkai_core::concern::is_office_over(actor, &org.path).is_ok();
    let events = state.store.concern_events(id).await?;
    let done: Vec<i64> = events.iter().filter_map(|e| e.done_id).collect();
    let mut out = Vec::new();
    for e in events {
        let org_name = state.store.org_by_id(e.org_id).await?.map(|o| o.name).unwrap_or_default();
        let link = match (e.ref_kind.as_deref(), e.ref_id) {
            (Some("item"), Some(i)) => Some((format!("/items/{i}"), format!("信息 {i}"))),
            (Some("press"), Some(p)) => Some((format!("/press/{p}"), "新闻发布会".into())),
            (Some("interview"), Some(p)) => Some((format!("/interviews/{p}"), "在线访谈".into())),
            _ => None,
        };
        out.push(EventView {
            id: e.id,
            label: step_label(&e.step).into(),
            actor: e.actor,
            org_name,
            note: e.note,
            at: beijing_minute(e.at),
            link,
            open_instruction: e.step == "instruction" && !done.contains(&e.id),
        });
    }
    Ok((view(state, c).await?, out, may_handle, may_reassign))
}

/// A published response as the public page lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResponseView {
    pub topic: String,
    pub org_name: String,
    pub first_seen_on: String,
    pub responded_at: String,
    pub kind_label: String,
    pub href: String,
    pub title: String,
    /// The closing evaluation (what was adopted), once published.
    pub evaluation: String,
}

/// A page of the public 回应关切 list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ResponseList {
    pub rows: Vec<ResponseView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// The public responses: of one org's sub-site or all, a page.
pub async fn public_responses(state: &AppState, org_code: Option<&str>, page: i64) -> Result<ResponseList, AppError> {
    const PAGE: i64 = 20;
    let orgs = match org_code {
        Some(c) => vec![crate::app::orgs::by_code(state, c).await?.id],
        None => Vec::new(),
    };
    let page = page.max(1);
    let (rows, total) = state.store.public_responses(&orgs, PAGE, (page - 1) * PAGE).await?;
    let mut out = Vec::new();
    for r in rows {
        let org_name = state.store.org_by_id(r.org_id).await?.map(|o| o.name).unwrap_or_default();
        let kind = ResponseKind::parse(&r.ref_kind).unwrap_or(ResponseKind::Item);
        let href = match kind {
            ResponseKind::Item => format!("/items/{}", r.ref_id),
            ResponseKind::Press => format!("/press/{}", r.ref_id),
            ResponseKind::Interview => format!("/interviews/{}", r.ref_id),
        };
        out.push(ResponseView {
            topic: r.topic,
            org_name,
            first_seen_on: gongkai_core::index_no::beijing_date(r.first_seen_at).to_string(),
            responded_at: beijing_minute(r.at),
            kind_label: kind.label().into(),
            href,
            title: r.title,
            evaluation: r.evaluation,
        });
    }
    Ok(ResponseList { rows: out, total, page, pages: ((total + PAGE - 1) / PAGE).max(1) })
}

/// Figures of concerns first seen in `year`: answered on time by severity.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct ConcernFigures {
    /// (severity code, label, total, answered, on time).
    pub by_severity: Vec<(String, String, u32, u32, u32)>,
    pub open: u32,
    pub overdue: u32,
}

/// Supervision figures for `year`, of the orgs within `within`.
pub async fn figures(state: &AppState, year: i32, within: &gongkai_core::OrgPath) -> Result<ConcernFigures, AppError> {
    let start = crate::util::beijing_year_start;
    let orgs: std::collections::HashMap<i64, gongkai_core::OrgPath> =
        state.store.orgs().await?.into_iter().map(|o| (o.id, o.path)).collect();
    let now = state.now();
    let mut f = ConcernFigures {
        by_severity: Severity::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string(), 0, 0, 0)).collect(),
        ..Default::default()
    };
    for c in state.store.concerns_seen(start(year), start(year + 1)).await? {
        if !orgs.get(&c.org_id).is_some_and(|p| p.is_within(within)) {
            continue;
        }
        let row = &mut f.by_severity[c.severity as usize];
        row.2 += 1;
        let clocks = c.clocks(now);
        if c.first_response_at.is_some() {
            row.3 += 1;
            if clocks.iter().all(|k| k.met_at.is_some() && k.in_time) {
                row.4 += 1;
            }
        }
        if c.stage != gongkai_core::concern::ConcernStage::Evaluated {
            f.open += 1;
            if clocks.iter().any(|k| k.met_at.is_none() && !k.in_time) {
                f.overdue += 1;
            }
        }
    }
    Ok(f)
}

/// Codes and labels for a form's select.
pub type Choices = Vec<(&'static str, &'static str)>;

/// The sources, severities and response kinds for the forms.
pub fn choices() -> (Choices, Choices, Choices) {
    (
        ConcernSource::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        Severity::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
        ResponseKind::ALL.iter().map(|s| (s.as_str(), s.label())).collect(),
    )
}
