//! The public lists (清单): the index, a list as a filterable table with downloads (CSV with a
//! BOM for Excel, XLSX, JSON) and its published adjustments, and one row with its history.
//! Everything shown is masked by the list's schema.

use crate::app::lists::{self, AdjustmentView, ListEntry, RowPage, Table, TableParams};
use crate::{AppError, AppState, PageError};
use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

#[derive(Template, WebTemplate)]
#[template(path = "portal/lists.html")]
pub struct IndexPage {
    pub lists: Vec<ListEntry>,
}

/// `/lists`.
pub async fn index(State(state): State<AppState>) -> Result<Response, PageError> {
    Ok(IndexPage { lists: lists::index(&state).await? }.into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/list.html")]
pub struct TablePage {
    pub t: Table,
    pub adjustments: Vec<AdjustmentView>,
}

impl TablePage {
    fn page_href(&self, page: i64) -> String {
        let q = if self.t.query.is_empty() { String::new() } else { format!("&{}", self.t.query) };
        format!("/lists/{}?page={page}{q}", self.t.kind.code)
    }

    fn download_href(&self, format: &str) -> String {
        let q = if self.t.query.is_empty() { String::new() } else { format!("&{}", self.t.query) };
        format!("/lists/{}/download?format={format}{q}", self.t.kind.code)
    }
}

/// `/lists/{code}`.
pub async fn table(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(params): Query<TableParams>,
) -> Result<Response, PageError> {
    let t = lists::table(&state, &code, params).await?;
    let adjustments = lists::public_adjustments(&state, &code).await?;
    Ok(TablePage { t, adjustments }.into_response())
}

#[derive(Deserialize)]
pub struct DownloadParams {
    #[serde(default)]
    format: String,
    #[serde(flatten)]
    table: TableParams,
}

/// `/lists/{code}/download?format=csv|xlsx|json`.
pub async fn download(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(p): Query<DownloadParams>,
) -> Result<Response, PageError> {
    let (kind, rows) = lists::export(&state, &code, &p.table).await?;
    let name = format!("list-{}", kind.code);
    let (bytes, mime, ext) = match p.format.as_str() {
        "xlsx" => {
            let (header, body) = lists::cells(&kind, &rows);
            let bytes = gongkai_formats::tables::table_xlsx(&kind.name, &header, &body)
                .map_err(|e| AppError::Internal(anyhow::anyhow!("xlsx: {e}")))?;
            (bytes, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx")
        }
        "json" => {
            let body =
                serde_json::json!({ "kind": kind.code, "name": kind.name, "version": kind.version, "rows": rows });
            (body.to_string().into_bytes(), "application/json", "json")
        }
        _ => (lists::csv(&kind, &rows)?, "text/csv; charset=utf-8", "csv"),
    };
    let disposition = format!("attachment; filename=\"{name}.{ext}\"");
    Ok(([(header::CONTENT_TYPE, mime.to_string()), (header::CONTENT_DISPOSITION, disposition)], bytes).into_response())
}

#[derive(Template, WebTemplate)]
#[template(path = "portal/list_row.html")]
pub struct RowPageT {
    pub p: RowPage,
}

/// `/lists/{code}/rows/{id}`.
pub async fn row(
    State(state): State<AppState>,
    Path((code, id)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id: i64 = id.parse().map_err(|_| AppError::NotFound("该条目不存在或已不在公示范围内".into()))?;
    Ok(RowPageT { p: lists::row(&state, &code, id).await? }.into_response())
}

/// `/lists/{code}/feed.atom`: the list's published adjustments, newest first.
pub async fn feed(State(state): State<AppState>, Path(code): Path<String>) -> Result<Response, PageError> {
    let kind = lists::kind(&state, &code).await?;
    let list = lists::public_adjustments(&state, &code).await?;
    let at = |d: chrono::NaiveDate| d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()).unwrap_or_default();
    let entries: Vec<super::feeds::Entry> = list
        .iter()
        .map(|a| super::feeds::Entry {
            title: format!("{}：{} {} 项", kind.name, a.adjust_label, a.rows),
            path: format!("/lists/{}#adjustment-{}", kind.code, a.id),
            published: at(a.effective_on),
            updated: at(a.effective_on),
            author: a.org_name.clone(),
            summary: format!("{} 起{}，依据：{}", a.effective_on, a.adjust_label, a.basis),
        })
        .collect();
    let title = format!("{}调整记录", kind.name);
    Ok(super::feeds::atom_of(&title, &format!("/lists/{}/feed.atom", kind.code), &entries))
}
