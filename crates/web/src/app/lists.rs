//! Structured public lists (清单), the use cases: the public index, a list as a filterable table
//! with its downloads, one row with its history; staff draft adjustments — one row typed in
//! or a whole CSV/XLSX sheet imported all-or-nothing — and take them along the review path.
//! The rules are `core::list` and `core::review`; what the public sees is always masked.

use crate::{AppError, AppState};
use chrono::NaiveDate;
use gongkai_core::Actor;
use gongkai_core::list::{AdjustKind, ListKind, RowChange, Values};
use gongkai_core::review::{ReviewState, ReviewStep, steps_open};
use gongkai_search::{RowRequest, RowResults};
use gongkai_store::{Adjustment, AuditCtx, ListRow, NewAdjustment, Org, RowQuery};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Rows on one page of the public table.
pub const PER_PAGE: i64 = 20;
/// The most rows one download holds.
pub const MAX_DOWNLOAD: i64 = 100_000;

/// A list on the public index.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListEntry {
    pub code: String,
    pub name: String,
    pub about: String,
    pub update: String,
    /// Rows the public sees today.
    pub rows: i64,
}

/// The lists with their public row counts. The counts are kept between changes (a count of
/// every list's rows per visit was the page's whole cost); a row whose 公示期限 ends leaves
/// them the next day, which is part of the key.
pub async fn index(state: &AppState) -> Result<Vec<ListEntry>, AppError> {
    let today = state.store.today();
    let counts: HashMap<String, i64> = state
        .figures
        .get_or(format!("list_counts:{today}"), state.figures_version(), || async {
            state.store.public_list_counts(today).await.map(|c| c.into_iter().collect::<HashMap<String, i64>>())
        })
        .await?;
    Ok(state
        .store
        .list_kinds()
        .await?
        .into_iter()
        .map(|s| ListEntry {
            rows: counts.get(&s.kind.code).copied().unwrap_or(0),
            code: s.kind.code,
            name: s.kind.name,
            about: s.kind.about,
            update: s.kind.update,
        })
        .collect())
}

/// A list kind, or 404.
pub async fn kind(state: &AppState, code: &str) -> Result<ListKind, AppError> {
    state.store.list_kind(code).await?.ok_or_else(|| AppError::NotFound("未找到该清单".into()))
}

/// What the public table is asked.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
pub struct TableParams {
    /// 关键词（在脱敏后的内容中查找）.
    #[serde(default)]
    pub q: String,
    /// 第一个筛选字段的值.
    #[serde(default)]
    pub f1: String,
    /// 第二个筛选字段的值.
    #[serde(default)]
    pub f2: String,
    /// 机关代码：只看该单位公开的条目.
    pub org: Option<String>,
    /// 页码（从 1 开始）.
    pub page: Option<i64>,
}

/// A filter offered on the table.
#[derive(Debug, Clone, Serialize)]
pub struct FilterView {
    pub param: &'static str,
    pub label: String,
    pub values: Vec<String>,
    pub selected: String,
}

/// One public row: its values masked, in the kind's field order.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RowView {
    pub id: i64,
    pub title: String,
    pub org_id: i64,
    pub org_code: String,
    pub org_name: String,
    /// Field key → masked value.
    #[schema(value_type = Object)]
    pub values: Values,
    pub updated_on: NaiveDate,
    pub notice_until: Option<NaiveDate>,
}

impl RowView {
    /// The value of `key`, or empty.
    pub fn get(&self, key: &str) -> &str {
        self.values.get(key).map(String::as_str).unwrap_or("")
    }
}

/// The public table of one list.
#[derive(Debug, Clone)]
pub struct Table {
    pub kind: ListKind,
    /// The fields shown as columns (the rest are on the row page).
    pub columns: Vec<gongkai_core::list::Field>,
    pub rows: Vec<RowView>,
    pub total: i64,
    pub filters: Vec<FilterView>,
    pub params: TableParams,
    pub page: i64,
    pub pages: i64,
    /// The query string of the filters, for page links and downloads.
    pub query: String,
    /// The org the table is narrowed to, if any.
    pub org_name: Option<String>,
}

fn view(kind: &ListKind, row: &ListRow, orgs: &HashMap<i64, Org>) -> RowView {
    let values = kind.public_values(&row.values());
    let org = orgs.get(&row.org_id);
    RowView {
        id: row.id,
        title: values.get(&kind.title).cloned().unwrap_or_default(),
        org_id: row.org_id,
        org_code: org.map(|o| o.code().to_string()).unwrap_or_default(),
        org_name: org.map(|o| o.name.clone()).unwrap_or_default(),
        values,
        updated_on: row.updated_on,
        notice_until: row.notice_until,
    }
}

async fn orgs_by_id(state: &AppState) -> Result<HashMap<i64, Org>, AppError> {
    Ok(state.store.orgs().await?.into_iter().map(|o| (o.id, o)).collect())
}

/// The store's question from the page's parameters; the org named by its code (one that
/// does not exist is 404, not an empty table that looks like a real answer).
fn query_of(p: &TableParams, orgs: &HashMap<i64, Org>) -> Result<RowQuery, AppError> {
    let org_id =
        match p.org.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
            Some(code) => Some(orgs.values().find(|o| o.code() == code).map(|o| o.id).ok_or_else(|| {
                AppError::NotFound(format!("单位“{}”不存在", code.chars().take(40).collect::<String>()))
            })?),
            None => None,
        };
    Ok(RowQuery {
        q: p.q.chars().take(100).collect(),
        filter1: p.f1.chars().take(100).collect(),
        filter2: p.f2.chars().take(100).collect(),
        org_id,
        offset: 0,
        limit: PER_PAGE,
    })
}

/// The public rows a page asks for, with the total. Words are looked up in the search index
/// (a `LIKE` over a million rows took seconds); filters alone are asked of the store, which
/// answers them from its indexes and is current to the last write.
async fn public_rows(
    state: &AppState,
    code: &str,
    q: &RowQuery,
    today: NaiveDate,
) -> Result<(Vec<ListRow>, i64), AppError> {
    if q.q.trim().is_empty() {
        return Ok(state.store.public_list_rows(code, q, today).await?);
    }
    let Some(index) = state.search().await.filter(|i| i.rows_ready()) else {
        return Ok(state.store.public_list_rows(code, q, today).await?);
    };
    let req = RowRequest {
        q: q.q.clone(),
        kind: Some(code.to_string()),
        filter1: q.filter1.clone(),
        filter2: q.filter2.clone(),
        org_id: q.org_id,
        org_path: None,
        today,
        offset: usize::try_from(q.offset).unwrap_or(0),
        limit: usize::try_from(q.limit).unwrap_or(1),
    };
    let found = search_rows(state, index, req).await?;
    let mut rows = state.store.list_rows_by_ids(&found.ids).await?;
    // The index follows the store within seconds: a row removed meanwhile is not shown.
    rows.retain(|r| r.is_public(today));
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    Ok((rows, i64::try_from(found.total).unwrap_or(i64::MAX)))
}

async fn search_rows(
    state: &AppState,
    index: std::sync::Arc<gongkai_search::SearchIndex>,
    req: RowRequest,
) -> Result<RowResults, AppError> {
    state.searching(move || index.search_rows(&req)).await?.map_err(|e| AppError::Internal(e.into()))
}

/// A list with rows matching a site search.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindMatch {
    pub kind: String,
    pub name: String,
    pub count: u64,
    /// The list's table searched for the same words.
    pub url: String,
}

/// A row matching a site search, as the public sees it (masked).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RowMatch {
    pub id: i64,
    pub kind: String,
    pub kind_name: String,
    pub title: String,
    pub org_name: String,
    pub url: String,
}

/// The lists' rows a site search finds: how many in each list, and the newest few.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ListMatches {
    pub total: u64,
    pub kinds: Vec<KindMatch>,
    pub rows: Vec<RowMatch>,
}

/// Rows shown with a site search's results.
const ROWS_IN_SEARCH: usize = 5;

/// The public rows of every list that hold the words `q`, of orgs under `org_path` when
/// given; `None` when there are none (or no words, or no index on this node).
pub async fn matches(state: &AppState, q: &str, org_path: Option<String>) -> Result<Option<ListMatches>, AppError> {
    if q.trim().is_empty() {
        return Ok(None);
    }
    let Some(index) = state.search().await.filter(|i| i.rows_ready()) else { return Ok(None) };
    let req = RowRequest {
        q: q.chars().take(100).collect(),
        org_path,
        today: state.store.today(),
        limit: ROWS_IN_SEARCH,
        ..Default::default()
    };
    let found = search_rows(state, index, req).await?;
    if found.total == 0 {
        return Ok(None);
    }
    let kinds: HashMap<String, ListKind> =
        state.store.list_kinds().await?.into_iter().map(|s| (s.kind.code.clone(), s.kind)).collect();
    let orgs = orgs_by_id(state).await?;
    let words = crate::util::url_encode(q);
    let mut rows = state.store.list_rows_by_ids(&found.ids).await?;
    rows.sort_by_key(|r| std::cmp::Reverse(r.id));
    Ok(Some(ListMatches {
        total: found.total,
        kinds: found
            .kinds
            .iter()
            .filter_map(|(code, n)| {
                let k = kinds.get(code)?;
                Some(KindMatch {
                    kind: code.clone(),
                    name: k.name.clone(),
                    count: *n,
                    url: format!("/lists/{code}?q={words}"),
                })
            })
            .collect(),
        rows: rows
            .iter()
            .filter_map(|r| {
                let k = kinds.get(&r.kind)?;
                let v = view(k, r, &orgs);
                Some(RowMatch {
                    id: r.id,
                    kind: r.kind.clone(),
                    kind_name: k.name.clone(),
                    title: v.title,
                    org_name: v.org_name,
                    url: format!("/lists/{}/rows/{}", r.kind, r.id),
                })
            })
            .collect(),
    }))
}

/// One page of a list's public table.
pub async fn table(state: &AppState, code: &str, params: TableParams) -> Result<Table, AppError> {
    let kind = kind(state, code).await?;
    let today = state.store.today();
    let page = params.page.unwrap_or(1).clamp(1, 10_000);
    let orgs = orgs_by_id(state).await?;
    let mut q = query_of(&params, &orgs)?;
    q.offset = (page - 1) * PER_PAGE;
    let (rows, total) = public_rows(state, code, &q, today).await?;
    let mut filters = Vec::new();
    for (n, key) in kind.filters.iter().take(2).enumerate() {
        let Some(f) = kind.field(key) else { continue };
        let values = if f.choices.is_empty() {
            state.store.list_filter_values(code, n, today).await?
        } else {
            f.choices.clone()
        };
        let (param, selected) = if n == 0 { ("f1", &params.f1) } else { ("f2", &params.f2) };
        filters.push(FilterView { param, label: f.label.clone(), values, selected: selected.clone() });
    }
    let columns = kind.table_columns().into_iter().cloned().collect();
    let mut pairs = Vec::new();
    for (k, v) in [("q", &params.q), ("f1", &params.f1), ("f2", &params.f2)] {
        if !v.is_empty() {
            pairs.push(format!("{k}={}", crate::util::url_encode(v)));
        }
    }
    let org_name = q.org_id.and_then(|id| orgs.get(&id)).map(|o| o.name.clone());
    if let Some(o) = q.org_id.and_then(|id| orgs.get(&id)) {
        pairs.push(format!("org={}", crate::util::url_encode(o.code())));
    }
    Ok(Table {
        org_name,
        rows: rows.iter().map(|r| view(&kind, r, &orgs)).collect(),
        columns,
        total,
        filters,
        page,
        pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
        query: pairs.join("&"),
        params,
        kind,
    })
}

/// Every public row matching the filters, for a download (at most [`MAX_DOWNLOAD`]).
pub async fn export(state: &AppState, code: &str, params: &TableParams) -> Result<(ListKind, Vec<RowView>), AppError> {
    let kind = kind(state, code).await?;
    let orgs = orgs_by_id(state).await?;
    let mut q = query_of(params, &orgs)?;
    q.limit = 1000;
    let today = state.store.today();
    let mut out = Vec::new();
    loop {
        let (rows, _) = public_rows(state, code, &q, today).await?;
        let done = (rows.len() as i64) < q.limit;
        out.extend(rows.iter().map(|r| view(&kind, r, &orgs)));
        if done || out.len() as i64 >= MAX_DOWNLOAD {
            break;
        }
        q.offset += q.limit;
    }
    Ok((kind, out))
}

/// A download's header and cells: the org, then every field, masked.
pub fn cells(kind: &ListKind, rows: &[RowView]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut header = vec!["公开单位".to_string()];
    header.extend(kind.fields.iter().map(|f| f.label.clone()));
    let body = rows
        .iter()
        .map(|r| {
            let mut line = vec![r.org_name.clone()];
            line.extend(kind.fields.iter().map(|f| r.get(&f.key).to_string()));
            line
        })
        .collect();
    (header, body)
}

/// A CSV download: UTF-8 with a BOM (Excel reads it), formula-like cells defused.
pub fn csv(kind: &ListKind, rows: &[RowView]) -> Result<Vec<u8>, AppError> {
    let (header, body) = cells(kind, rows);
    crate::app::archive::csv_bytes(std::iter::once(header).chain(body))
}

/// One public row with its history.
#[derive(Debug, Clone)]
pub struct RowPage {
    pub kind: ListKind,
    pub row: RowView,
    /// (label, masked value) of every field with a value.
    pub fields: Vec<(String, String)>,
    pub history: Vec<HistoryView>,
}

/// One entry of a row's history as the public reads it.
#[derive(Debug, Clone)]
pub struct HistoryView {
    pub on: NaiveDate,
    pub adjust: &'static str,
    pub basis: String,
}

/// A public row; one removed or past its 公示期限 is not public (404).
pub async fn row(state: &AppState, code: &str, id: i64) -> Result<RowPage, AppError> {
    let kind = kind(state, code).await?;
    let gone = || AppError::NotFound("该条目不存在或已不在公示范围内".into());
    let row = state.store.list_row(id).await?.ok_or_else(gone)?;
    if row.kind != code || !row.is_public(state.store.today()) {
        return Err(gone());
    }
    let orgs = orgs_by_id(state).await?;
    let v = view(&kind, &row, &orgs);
    let fields = kind
        .fields
        .iter()
        .filter(|f| !v.get(&f.key).is_empty())
        .map(|f| (f.label.clone(), v.get(&f.key).to_string()))
        .collect();
    let history = state
        .store
        .list_row_history(id)
        .await?
        .into_iter()
        .map(|h| HistoryView { on: h.effective_on, adjust: h.adjust.label(), basis: h.basis })
        .collect();
    Ok(RowPage { kind, row: v, fields, history })
}

/// The published adjustments of a list, newest first (its public history).
pub async fn public_adjustments(state: &AppState, code: &str) -> Result<Vec<AdjustmentView>, AppError> {
    kind(state, code).await?;
    let orgs = orgs_by_id(state).await?;
    let list = state.store.list_adjustments(Some(code), None, true, 50).await?;
    Ok(list.iter().map(|a| adjustment_view(a, &orgs)).collect())
}

/// An adjustment as staff (and, once published, the public) read it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AdjustmentView {
    pub id: i64,
    pub kind: String,
    pub org_id: i64,
    pub org_name: String,
    pub adjust: String,
    pub adjust_label: &'static str,
    pub basis: String,
    pub effective_on: NaiveDate,
    pub state: String,
    pub state_label: &'static str,
    pub rows: i64,
    pub drafted_by: String,
    pub reviewed_by: String,
    pub approved_by: String,
    pub return_reason: String,
    /// The steps the reader may take now (submit, pass, approve, return).
    pub steps: Vec<&'static str>,
}

fn adjustment_view(a: &Adjustment, orgs: &HashMap<i64, Org>) -> AdjustmentView {
    AdjustmentView {
        id: a.id,
        kind: a.kind.clone(),
        org_id: a.org_id,
        org_name: orgs.get(&a.org_id).map(|o| o.name.clone()).unwrap_or_default(),
        adjust: a.adjust.as_str().into(),
        adjust_label: a.adjust.label(),
        basis: a.basis.clone(),
        effective_on: a.effective_on,
        state: a.state.as_str().into(),
        state_label: a.state.label(),
        rows: a.row_count,
        drafted_by: a.drafted_by.clone(),
        reviewed_by: a.reviewed_by.clone(),
        approved_by: a.approved_by.clone(),
        return_reason: a.return_reason.clone(),
        steps: Vec::new(),
    }
}

fn with_steps(mut v: AdjustmentView, actor: &Actor, a: &Adjustment, orgs: &HashMap<i64, Org>) -> AdjustmentView {
    if let Some(o) = orgs.get(&a.org_id) {
        v.steps = steps_open(actor, &o.path, a.state, &a.drafted_by);
    }
    v
}

/// The adjustments staff of `actor`'s org (or, for a supervisor, below it) work on.
pub async fn staff_adjustments(state: &AppState, actor: &Actor) -> Result<Vec<AdjustmentView>, AppError> {
    let orgs = orgs_by_id(state).await?;
    let list = state.store.list_adjustments(None, None, false, 500).await?;
    Ok(list
        .iter()
        .filter(|a| orgs.get(&a.org_id).is_some_and(|o| actor.may_supervise(&o.path).is_ok()))
        .map(|a| with_steps(adjustment_view(a, &orgs), actor, a, &orgs))
        .collect())
}

/// One adjustment for staff, with its rows as drafted (unmasked: staff review them).
pub async fn staff_adjustment(
    state: &AppState,
    actor: &Actor,
    id: i64,
) -> Result<(AdjustmentView, ListKind, Vec<RowChange>), AppError> {
    let a = state.store.list_adjustment(id).await?.ok_or_else(|| AppError::NotFound("未找到该清单调整".into()))?;
    let orgs = orgs_by_id(state).await?;
    let org = orgs.get(&a.org_id).ok_or_else(|| AppError::NotFound("未找到单位".into()))?;
    actor.may_supervise(&org.path)?;
    let kind = kind(state, &a.kind).await?;
    let v = with_steps(adjustment_view(&a, &orgs), actor, &a, &orgs);
    let mut changes = a.changes();
    changes.truncate(500);
    // A 取消 or 下放 names rows only: show the reviewer what they hold now.
    let named: Vec<i64> = changes.iter().filter(|c| c.values.is_empty()).filter_map(|c| c.row_id).collect();
    let current: HashMap<i64, Values> =
        state.store.list_rows_by_ids(&named).await?.into_iter().map(|r| (r.id, r.values())).collect();
    for c in changes.iter_mut().filter(|c| c.values.is_empty()) {
        if let Some(v) = c.row_id.and_then(|id| current.get(&id)) {
            c.values = v.clone();
        }
    }
    Ok((v, kind, changes))
}

/// An adjustment to draft (API and console).
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct AdjustmentBody {
    /// add（新增）、change（调整）、cancel（取消）、delegate（下放）、undertake（承接）.
    pub adjust: String,
    /// 调整依据：文件名称及文号，或调整理由.
    pub basis: String,
    /// 生效日期（缺省今天）.
    pub effective_on: Option<NaiveDate>,
    /// 单位编号（缺省本单位）.
    pub org_id: Option<i64>,
    /// 调整的行：新增、承接给出 values；调整给出 row_id 和 values；取消、下放给出 row_id.
    #[schema(value_type = Vec<Object>)]
    pub changes: Vec<RowChange>,
}

/// Drafts an adjustment.
pub async fn draft(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    code: &str,
    b: AdjustmentBody,
) -> Result<AdjustmentView, AppError> {
    let adjust = AdjustKind::parse(&b.adjust).ok_or_else(|| AppError::Invalid {
        code: "invalid",
        message: "调整类型应为：新增、调整、取消、下放、承接".into(),
    })?;
    let new = NewAdjustment {
        kind: code.to_string(),
        org_id: b.org_id.unwrap_or(actor.org_id),
        adjust,
        basis: b.basis,
        effective_on: b.effective_on.unwrap_or_else(|| state.store.today()),
        changes: b.changes,
    };
    let a = state.store.draft_list_adjustment(ctx, actor, new).await?;
    let orgs = orgs_by_id(state).await?;
    Ok(with_steps(adjustment_view(&a, &orgs), actor, &a, &orgs))
}

/// Drafts a 新增 (or 承接) adjustment from a spreadsheet: every row checked, all or nothing,
/// the problems listed by row and column.
pub async fn import(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    code: &str,
    b: AdjustmentBody,
    filename: &str,
    bytes: &[u8],
) -> Result<AdjustmentView, AppError> {
    let kind = kind(state, code).await?;
    let cells = if filename.to_lowercase().ends_with(".xlsx") {
        gongkai_formats::tables::xlsx_cells(bytes)
    } else {
        let text =
            std::str::from_utf8(bytes).map_err(|_| "CSV 文件须为 UTF-8 编码（Excel 中另存为“CSV UTF-8”）".to_string());
        text.and_then(gongkai_formats::tables::csv_cells)
    }
    .map_err(|message| AppError::Invalid { code: "invalid_file", message })?;
    let rows = kind.check_table(&cells).map_err(|errors| AppError::Invalid {
        code: "invalid_rows",
        message: format!("文件未导入，请修改后重新上传：{}", errors.join("；")),
    })?;
    let changes = rows.into_iter().map(|values| RowChange { row_id: None, values }).collect();
    draft(state, actor, ctx, code, AdjustmentBody { changes, ..b }).await
}

/// Takes a review step.
pub async fn step(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    code: &str,
    reason: &str,
) -> Result<AdjustmentView, AppError> {
    let step = ReviewStep::parse(code, reason)
        .ok_or_else(|| AppError::Invalid { code: "invalid", message: "未知的操作".into() })?;
    let a = state.store.list_adjustment_step(ctx, actor, id, step).await?;
    let orgs = orgs_by_id(state).await?;
    Ok(with_steps(adjustment_view(&a, &orgs), actor, &a, &orgs))
}

/// The current rows of `actor`'s org in a list, for staff to adjust (unmasked).
pub async fn staff_rows(
    state: &AppState,
    actor: &Actor,
    code: &str,
    q: &str,
) -> Result<Vec<(i64, String, Values)>, AppError> {
    let query =
        RowQuery { q: q.chars().take(100).collect(), org_id: Some(actor.org_id), limit: 200, ..Default::default() };
    // Staff see every current row, those past their 公示期限 but not yet marked expired too
    // (a day both backends store, long before any notice period).
    let long_ago = NaiveDate::from_ymd_opt(1900, 1, 1).unwrap_or_default();
    let (rows, _) = state.store.public_list_rows(code, &query, long_ago).await?;
    Ok(rows.into_iter().map(|r| (r.id, r.title.clone(), r.values())).collect())
}

/// True when an adjustment's state means it is still with its drafter.
pub fn editable(state: &str) -> bool {
    ReviewState::try_from(state.to_string()).is_ok_and(|s| s.editable())
}

/// Adds a list kind or a new version of one (an admin of the top org; core checks the schema,
/// the store the version).
pub async fn save_kind(state: &AppState, actor: &Actor, ctx: &AuditCtx, kind: ListKind) -> Result<(), AppError> {
    kind.check().map_err(|e| AppError::invalid_field("invalid_schema", "schema", e.to_string()))?;
    Ok(state.store.save_list_kind(ctx, actor, kind).await?)
}

/// Reads a schema typed as TOML, in the form of `data/lists/*.toml`.
pub fn parse_kind(text: &str) -> Result<ListKind, AppError> {
    ListKind::parse(text).map_err(|e| AppError::invalid_field("invalid_schema", "schema", e.to_string()))
}
