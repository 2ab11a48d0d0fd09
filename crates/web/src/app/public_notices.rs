//! 公示 with notice periods, the use cases: an editor makes an item a 公示 (its period in days
//! or working days, whether it takes objections and promises a result) or the result
//! announcement (事后公告) of one; the public reads the 公示 list (running and ended), a
//! 公示's page with its status and result, and objects within the period (a letter to the
//! org's 公示异议 mailbox, followed with its tracking number like any letter); the office sees
//! every 公示 of the orgs it oversees with results due or late.

use crate::app::letters::{self, LetterFiled, LetterForm};
use crate::{AppError, AppState};
use chrono::NaiveDate;
use gongkai_core::Actor;
use gongkai_core::calendar::Calendar;
use gongkai_core::public_notice::{NoticePeriod, NoticeSpec, NoticeStage, NoticeStatus, PeriodUnit, may_object};
use gongkai_store::public_notices::{NoticeFilter, NoticeListed};
use gongkai_store::{AuditCtx, Item, StoreError};
use serde::{Deserialize, Serialize};

/// 公示 per page of the public list.
pub const PAGE: i64 = 20;

/// The 公示 settings as typed in the item editor or sent to the API.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct NoticeBody {
    /// `notice` (公示), `result` (结果公告) or empty (neither).
    #[serde(default)]
    pub stage: String,
    /// 公示起始日, `YYYY-MM-DD`.
    #[serde(default)]
    pub from: String,
    /// The period's length.
    #[serde(default, deserialize_with = "crate::util::lenient_opt_i64")]
    pub days: Option<i64>,
    /// `workdays` (工作日) or `days` (自然日).
    #[serde(default)]
    pub unit: String,
    /// Takes objections (异议渠道).
    #[serde(default, deserialize_with = "crate::util::checkbox")]
    pub objections: bool,
    /// A result announcement will follow.
    #[serde(default, deserialize_with = "crate::util::checkbox")]
    pub result_required: bool,
    /// For a result: the 公示 it concludes (信息 id, 索引号 or 发文字号).
    #[serde(default)]
    pub of: String,
}

/// A 公示 or a result announcement as pages and the API show it.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct NoticeView {
    pub item_id: i64,
    pub title: String,
    pub org_name: String,
    /// `notice` or `result`.
    pub stage: &'static str,
    pub stage_label: &'static str,
    pub period_from: Option<NaiveDate>,
    pub period_until: Option<NaiveDate>,
    pub period_days: Option<u32>,
    /// `days` or `workdays`.
    pub period_unit: Option<&'static str>,
    /// 2026年12月7日至2026年12月11日（5个工作日）.
    pub period_label: String,
    /// The period was counted on a provisional calendar (暂定).
    pub provisional: bool,
    pub objections: bool,
    pub result_required: bool,
    /// The 公示's status code on the day (`open`, `result_overdue` …).
    pub status: &'static str,
    pub status_label: &'static str,
    /// Objections are received today.
    pub accepting: bool,
    /// The day the result is due (when one is promised).
    pub result_due_on: Option<NaiveDate>,
    /// The public result announcement, or for a result the 公示 it concludes.
    pub linked_id: Option<i64>,
    pub linked_title: String,
    pub objection_count: i64,
    /// The item is public.
    pub published: bool,
}

impl NoticeView {
    /// The office has a result to publish.
    pub fn needs_result(&self) -> bool {
        NoticeStatus::parse(self.status).is_some_and(NoticeStatus::needs_result)
    }

    /// A status worth a warning colour.
    pub fn is_late(&self) -> bool {
        matches!(self.status, "result_overdue" | "concluded_late")
    }
}

fn view_of(r: &NoticeListed, cal: &Calendar, today: NaiveDate) -> NoticeView {
    let period = r.period();
    let status = r.status(cal, today).unwrap_or(NoticeStatus::Open);
    NoticeView {
        item_id: r.id,
        title: r.title.clone(),
        org_name: r.org_name.clone(),
        stage: NoticeStage::Notice.as_str(),
        stage_label: NoticeStage::Notice.label(),
        period_from: Some(period.from),
        period_until: Some(period.until),
        period_days: Some(period.days),
        period_unit: Some(period.unit.as_str()),
        period_label: period.label(),
        provisional: period.is_provisional(cal),
        objections: r.objections,
        result_required: r.result_required,
        status: status.as_str(),
        status_label: status.label(),
        accepting: r.published_at.is_some() && may_object(&period, r.objections, today).is_ok(),
        result_due_on: r.result_required.then(|| period.result_clock().due_on(cal).ok()).flatten(),
        linked_id: r.result_id,
        linked_title: r.result_title.clone().unwrap_or_default(),
        objection_count: r.objection_count,
        published: r.published_at.is_some(),
    }
}

/// Resolves the 公示 a result names: a number is an item id; anything else a 索引号 or
/// 发文字号 of a public item.
async fn resolve(state: &AppState, text: &str) -> Result<i64, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid_field("notice_required", "of", "请填写结果所对应的公示（信息编号或索引号）"));
    }
    match text.parse::<i64>() {
        Ok(n) => Ok(n),
        Err(_) => state
            .store
            .public_item_by_number(text)
            .await?
            .map(|p| p.id)
            .ok_or_else(|| AppError::invalid_field("notice_not_found", "of", format!("没有找到已公开的「{text}」"))),
    }
}

/// Reads the settings typed into what core checks.
async fn spec_of(state: &AppState, b: &NoticeBody) -> Result<Option<NoticeSpec>, AppError> {
    match NoticeStage::parse(&b.stage) {
        None if b.stage.trim().is_empty() => Ok(None),
        None => Err(AppError::invalid_field("invalid_stage", "stage", "请选择公示阶段")),
        Some(NoticeStage::Result) => Ok(Some(NoticeSpec::Result { of: resolve(state, &b.of).await? })),
        Some(NoticeStage::Notice) => {
            let from: NaiveDate = b
                .from
                .trim()
                .parse()
                .map_err(|_| AppError::invalid_field("invalid_date", "from", "请填写公示起始日（年-月-日）"))?;
            let unit = PeriodUnit::parse(&b.unit).unwrap_or(PeriodUnit::Workdays);
            let days = b.days.and_then(|d| u32::try_from(d).ok()).unwrap_or(0);
            let cal = state.calendar().await?;
            let period = NoticePeriod::new(&cal, from, days, unit)
                .map_err(|e| AppError::invalid_field("invalid_period", "days", e.to_string()))?;
            Ok(Some(NoticeSpec::Notice { period, objections: b.objections, result_required: b.result_required }))
        }
    }
}

/// Saves an item's 公示 settings; answers what the item now is.
pub async fn save(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    b: NoticeBody,
) -> Result<Option<NoticeView>, AppError> {
    let spec = spec_of(state, &b).await?;
    state.store.save_public_notice(ctx, actor, id, spec).await.map_err(|e| match e {
        StoreError::Invalid(m) => AppError::invalid_field("invalid_notice", "of", m),
        other => other.into(),
    })?;
    view(state, id, false).await
}

/// An item's 公示 side (`public`: only what the public may see of the result link).
pub async fn view(state: &AppState, item_id: i64, public: bool) -> Result<Option<NoticeView>, AppError> {
    let Some(n) = state.store.public_notice(item_id).await? else { return Ok(None) };
    let cal = state.calendar().await?;
    let today = state.today();
    match n.spec {
        NoticeSpec::Notice { .. } => Ok(state.store.notice_listed(item_id).await?.map(|r| view_of(&r, &cal, today))),
        NoticeSpec::Result { of } => {
            let linked = match state.store.public_item(of).await? {
                Some(p) => Some(p.title),
                None if !public => state.store.item(of).await?.map(|i| i.title),
                None => None,
            };
            Ok(Some(NoticeView {
                item_id,
                stage: NoticeStage::Result.as_str(),
                stage_label: NoticeStage::Result.label(),
                linked_id: linked.as_ref().map(|_| of),
                linked_title: linked.unwrap_or_default(),
                ..Default::default()
            }))
        }
    }
}

/// A public 公示: its view, or not found when the item is not a public 公示.
pub async fn public_one(state: &AppState, id: i64) -> Result<NoticeView, AppError> {
    if state.store.public_item(id).await?.is_none() {
        return Err(AppError::NotFound("公示".into()));
    }
    view(state, id, true)
        .await?
        .filter(|v| v.published && v.stage == NoticeStage::Notice.as_str())
        .ok_or_else(|| AppError::NotFound("公示".into()))
}

/// A page of the public list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct NoticeList {
    pub rows: Vec<NoticeView>,
    pub total: i64,
    pub page: i64,
    pub pages: i64,
}

/// The list filters: (code, label).
pub const FILTERS: [(&str, &str); 3] = [("open", "公示中"), ("ended", "已结束"), ("all", "全部")];

/// The public 公示 of an org (all with `None`), `open` (the default), `ended` or `all`.
pub async fn public_list(
    state: &AppState,
    org_code: Option<&str>,
    filter: &str,
    page: i64,
) -> Result<NoticeList, AppError> {
    let orgs = match org_code {
        Some(c) => vec![crate::app::orgs::by_code(state, c).await?.id],
        None => Vec::new(),
    };
    let filter = match filter {
        "ended" => NoticeFilter::Ended,
        "all" => NoticeFilter::All,
        _ => NoticeFilter::Open,
    };
    let page = page.clamp(1, 10_000);
    let today = state.today();
    let cal = state.calendar().await?;
    let (rows, total) = state.store.public_notice_list(&orgs, filter, today, PAGE, (page - 1) * PAGE).await?;
    Ok(NoticeList {
        rows: rows.iter().map(|r| view_of(r, &cal, today)).collect(),
        total,
        page,
        pages: ((total + PAGE - 1) / PAGE).max(1),
    })
}

/// Every 公示 of the orgs the actor oversees (published or not), latest ending first; those
/// whose result is due or late first of all.
pub async fn office_list(state: &AppState, actor: &Actor) -> Result<Vec<NoticeView>, AppError> {
    let orgs: Vec<i64> = crate::app::orgs::overseen(state, actor).await?.iter().map(|o| o.id).collect();
    let cal = state.calendar().await?;
    let today = state.today();
    let mut out: Vec<NoticeView> =
        state.store.notices_of_orgs(&orgs, 500).await?.iter().map(|r| view_of(r, &cal, today)).collect();
    out.sort_by_key(|v| !v.needs_result());
    Ok(out)
}

/// Files an objection to the public 公示 `id`: a letter to its org's 公示异议 mailbox.
pub async fn object(
    state: &AppState,
    id: i64,
    form: LetterForm,
    key: Option<String>,
) -> Result<(LetterFiled, bool), AppError> {
    public_one(state, id).await?;
    // Core says whether it takes objections today, and why not.
    let closed = |message: String| AppError::Conflict { code: "objection_closed", message };
    match state.store.public_notice(id).await?.map(|n| n.spec) {
        Some(NoticeSpec::Notice { period, objections, .. }) => {
            may_object(&period, objections, state.today()).map_err(|e| closed(e.to_string()))?
        }
        _ => return Err(AppError::NotFound("公示".into())),
    }
    let org_id = state.store.item(id).await?.map(|i| i.org_id).ok_or_else(|| AppError::NotFound("公示".into()))?;
    let mailbox = state
        .store
        .objection_mailbox(org_id)
        .await?
        .ok_or_else(|| closed(gongkai_core::public_notice::ObjectionRefusal::NoChannel.to_string()))?;
    letters::file(state, LetterForm { mailbox: mailbox.id, notice: Some(id), interview: None, ..form }, key, Vec::new())
        .await
}

/// The item editor's 公示 form: the values to show and what the item is now.
#[derive(Debug, Clone, Default)]
pub struct EditorNotice {
    pub stage: String,
    pub from: String,
    pub days: String,
    pub unit: String,
    pub objections: bool,
    pub result_required: bool,
    pub of: String,
    pub view: Option<NoticeView>,
    /// The objections received: (letter id, tracking number, subject, state label).
    pub letters: Vec<(i64, String, String, &'static str)>,
    /// The item is published: the period may only grow.
    pub published: bool,
}

/// The editor's view of an item's 公示 side.
pub async fn editor_view(state: &AppState, item: &Item) -> Result<EditorNotice, AppError> {
    let mut e = EditorNotice {
        unit: PeriodUnit::Workdays.as_str().into(),
        days: "5".into(),
        objections: true,
        result_required: true,
        from: state.today().to_string(),
        published: item.public_rev.is_some(),
        ..Default::default()
    };
    let Some(n) = state.store.public_notice(item.id).await? else { return Ok(e) };
    e.stage = n.spec.stage().as_str().into();
    match n.spec {
        NoticeSpec::Notice { period, objections, result_required } => {
            e.from = period.from.to_string();
            e.days = period.days.to_string();
            e.unit = period.unit.as_str().into();
            e.objections = objections;
            e.result_required = result_required;
            e.letters = state
                .store
                .objections_to(item.id)
                .await?
                .into_iter()
                .map(|l| (l.id, l.tracking_no, l.subject, l.state.label()))
                .collect();
        }
        NoticeSpec::Result { of } => e.of = of.to_string(),
    }
    e.view = view(state, item.id, false).await?;
    Ok(e)
}

/// The stages and units for the editor's form: (code, label).
pub fn stages() -> Vec<(&'static str, &'static str)> {
    NoticeStage::ALL.iter().map(|s| (s.as_str(), s.label())).collect()
}

/// The period units: (code, label).
pub fn units() -> Vec<(&'static str, &'static str)> {
    vec![(PeriodUnit::Workdays.as_str(), "工作日"), (PeriodUnit::Days.as_str(), "自然日")]
}
