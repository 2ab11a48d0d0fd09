//! 规范性文件清理, the use cases: an editor of a government (or department) makes an item the
//! 清理结果 by listing documents of its tree with their verdicts — typed one per line in the
//! console (编号 | 结果 | 说明), or sent as entries over the API — starting, if it likes,
//! from every document in force; the decision goes the 三审 path and its publication ends the
//! repealed and expired documents. The public reads the decision's table on its page, and on
//! each document's page the decision that named it.

use crate::{AppError, AppState};
use gongkai_core::Actor;
use gongkai_core::cleanup::{Entry, Verdict};
use gongkai_store::cleanups::{CleanedBy, CleanupRow};
use gongkai_store::{AuditCtx, Item, StoreError};
use serde::{Deserialize, Serialize};

/// One entry as the API takes it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct EntryBody {
    /// The document: 信息 id, 索引号 or 发文字号 of a public document.
    pub target: String,
    /// keep（继续有效）、amend（拟修改）、repeal（废止）、expire（宣布失效）, or the label.
    pub verdict: String,
    /// 理由 (required for all but 继续有效).
    #[serde(default)]
    pub note: String,
}

/// A document listed in a decision, as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RowView {
    pub target_id: i64,
    pub title: String,
    pub doc_no: String,
    pub verdict: &'static str,
    pub verdict_label: &'static str,
    pub note: String,
    /// Applied (the decision is published).
    pub applied: bool,
}

fn row_view(r: CleanupRow) -> RowView {
    RowView {
        target_id: r.target_id,
        title: r.title,
        doc_no: r.doc_no,
        verdict: r.verdict.as_str(),
        verdict_label: r.verdict.label(),
        note: r.note,
        applied: r.applied_at.is_some(),
    }
}

/// Finds the document a line names: an id, else a 索引号 or 发文字号 of a public item.
async fn resolve(state: &AppState, text: &str, line: usize) -> Result<i64, AppError> {
    let text = text.trim();
    if let Ok(n) = text.parse::<i64>() {
        return Ok(n);
    }
    state.store.public_item_by_number(text).await?.map(|p| p.id).ok_or_else(|| {
        AppError::invalid_field("document_not_found", "entries", format!("第 {line} 行：没有找到已公开的「{text}」"))
    })
}

/// Reads the entries sent over the API.
async fn entries_of(state: &AppState, body: Vec<EntryBody>) -> Result<Vec<Entry>, AppError> {
    if body.len() > gongkai_core::cleanup::MAX_ENTRIES {
        return Err(AppError::invalid_field("too_many", "entries", "一份清理决定最多列出 2000 件文件"));
    }
    let mut out = Vec::with_capacity(body.len());
    for (i, b) in body.into_iter().enumerate() {
        let line = i + 1;
        let verdict = Verdict::parse(&b.verdict).ok_or_else(|| {
            AppError::invalid_field(
                "invalid_verdict",
                "entries",
                format!("第 {line} 行：清理结果须为继续有效、拟修改、废止或宣布失效"),
            )
        })?;
        out.push(Entry { target: resolve(state, &b.target, line).await?, verdict, note: b.note });
    }
    Ok(out)
}

/// Reads the console's lines: `编号 | 结果 | 理由 | 文件名称` (a tab also separates; the name
/// is only for the reader and is not read); blank lines skipped.
pub fn parse_lines(text: &str) -> Vec<EntryBody> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(gongkai_core::cleanup::MAX_ENTRIES + 1)
        .map(|l| {
            let mut parts = l.split(['|', '\t', '｜']).map(str::trim);
            EntryBody {
                target: parts.next().unwrap_or_default().to_string(),
                verdict: parts.next().unwrap_or_default().to_string(),
                note: parts.next().unwrap_or_default().to_string(),
            }
        })
        .collect()
}

/// Saves a decision's documents (none: the item is no 清理 decision).
pub async fn save(
    state: &AppState,
    actor: &Actor,
    ctx: &AuditCtx,
    id: i64,
    body: Vec<EntryBody>,
) -> Result<Vec<RowView>, AppError> {
    let entries = entries_of(state, body).await?;
    state.store.save_cleanup(ctx, actor, id, entries).await.map_err(|e| match e {
        StoreError::Invalid(m) => AppError::invalid_field("invalid_cleanup", "entries", m),
        other => other.into(),
    })?;
    rows(state, id).await
}

/// A decision's documents.
pub async fn rows(state: &AppState, id: i64) -> Result<Vec<RowView>, AppError> {
    Ok(state.store.cleanup_rows(id).await?.into_iter().map(row_view).collect())
}

/// The editor's 清理 panel: the documents listed, and the lines to edit.
#[derive(Debug, Clone, Default)]
pub struct EditorCleanup {
    pub rows: Vec<RowView>,
    pub text: String,
    /// The decision is published: its list is final.
    pub published: bool,
    /// The text holds every document in force, as asked.
    pub prefilled: bool,
}

/// The editor's view; with `prefill` and nothing listed yet, every document in force of the
/// item's org and below as 继续有效, for the editor to change.
pub async fn editor_view(state: &AppState, item: &Item, prefill: bool) -> Result<EditorCleanup, AppError> {
    let rows = rows(state, item.id).await?;
    let line = |id: i64, verdict: &str, note: &str, title: &str| format!("{id} | {verdict} | {note} | {title}");
    let mut text: Vec<String> = rows.iter().map(|r| line(r.target_id, r.verdict_label, &r.note, &r.title)).collect();
    let prefilled = prefill && rows.is_empty() && item.public_rev.is_none();
    if prefilled && let Some(org) = state.store.org_by_id(item.org_id).await? {
        text = state
            .store
            .documents_in_force(&org.path, gongkai_core::cleanup::MAX_ENTRIES as i64)
            .await?
            .into_iter()
            .map(|d| {
                let name = if d.doc_no.is_empty() { d.title } else { format!("{}（{}）", d.title, d.doc_no) };
                line(d.id, Verdict::Keep.label(), "", &name)
            })
            .collect();
    }
    Ok(EditorCleanup { rows, text: text.join("\n"), published: item.public_rev.is_some(), prefilled })
}

/// The verdict choices: (code, label).
pub fn verdicts() -> Vec<(&'static str, &'static str)> {
    Verdict::ALL.iter().map(|v| (v.as_str(), v.label())).collect()
}

/// What a public page shows: the decision's table (when it is one, published) and the
/// decision that named this document.
pub async fn public_view(state: &AppState, id: i64) -> Result<(Vec<RowView>, Option<CleanedBy>), AppError> {
    let rows: Vec<RowView> = rows(state, id).await?.into_iter().filter(|r| r.applied).collect();
    Ok((rows, state.store.cleaned_by(id).await?))
}
