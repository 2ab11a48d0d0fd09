//! `gongkai import`: files and folders of `.txt`, `.html` and `.jsonl` documents read as a
//! clerk would (`core::import`) and stored as published items. One bad document never
//! aborts the batch: it is reported, and the rest go on. Text that is not UTF-8 is read as
//! GB18030 (the superset of GBK/GB2312 that older government sites use), with a warning.

use crate::import::{ImportOutcome, ImportedItem};
use crate::items::ItemDraft;
use crate::{AuditCtx, Store, StoreError};
use chrono::{DateTime, NaiveDateTime, NaiveTime, TimeZone, Utc};
use gongkai_core::html;
use gongkai_core::import::{ParsedDoc, parse_date, parse_html, parse_text};
use gongkai_core::item::{DisclosureAttr, Validity};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Where imported documents go.
#[derive(Debug, Clone, Copy)]
pub struct ImportTarget {
    /// The org they belong to.
    pub org_id: i64,
    /// The catalog section they are filed under, if any.
    pub section_id: Option<i64>,
}

/// One document's result, reported as the import goes.
#[derive(Debug, Clone)]
pub struct DocReport {
    /// File, and line for JSONL.
    pub source: String,
    /// Title read.
    pub title: String,
    /// Imported, skipped or failed.
    pub outcome: Result<ImportOutcome, String>,
    /// What could not be read, and guesses made.
    pub warnings: Vec<String>,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportSummary {
    pub imported: usize,
    pub skipped: usize,
    pub failed: usize,
    pub warnings: usize,
}

/// One JSONL record (the shape of `shared/laws/regulations.jsonl`, with optional extras).
#[derive(Debug, Deserialize)]
struct Record {
    title: String,
    #[serde(default)]
    body: String,
    #[serde(default)]
    written_on: Option<String>,
    #[serde(default)]
    published_at: Option<String>,
    #[serde(default)]
    genre: Option<String>,
    #[serde(default)]
    topic: Option<String>,
    #[serde(default)]
    doc_no: Option<String>,
    #[serde(default)]
    index_no: Option<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    issuer: Option<String>,
    #[serde(default)]
    validity: Option<String>,
    #[serde(default)]
    disclosure_attr: Option<String>,
    /// 转载来源 and 原文地址 of a republished document.
    #[serde(default)]
    reprinted_from: Option<String>,
    #[serde(default)]
    reprint_url: Option<String>,
    /// Files attached to it (an archive's `items.jsonl`), each named relative to the JSONL
    /// file's folder, with its SHA-256 to check.
    #[serde(default)]
    attachments: Vec<RecordFile>,
}

/// A file a JSONL record attaches.
#[derive(Debug, Deserialize)]
struct RecordFile {
    name: String,
    file: String,
    #[serde(default)]
    sha256: Option<String>,
}

/// The largest file a JSONL record may attach (the largest upload a clerk may make is far
/// smaller; an archive holds what was uploaded).
const MAX_RECORD_FILE: u64 = 200 * 1024 * 1024;
/// Attached bytes held for one batch before it is stored early.
const BATCH_FILE_BYTES: usize = 64 * 1024 * 1024;

/// A file read for a record: its name, kind, bytes and text.
struct ReadFile {
    name: String,
    kind: crate::files::FileKind,
    bytes: Vec<u8>,
    text: String,
}

/// Reads a record's attached file from `base`, the JSONL file's folder: only a path inside
/// it, of an allowed kind, with the SHA-256 the record states.
fn read_record_file(base: &Path, f: &RecordFile) -> Result<ReadFile, String> {
    use std::path::Component;
    let rel = Path::new(&f.file);
    if f.file.is_empty() || !rel.components().all(|c| matches!(c, Component::Normal(_))) {
        return Err(format!("附件「{}」的路径「{}」不在导入文件所在的文件夹内", f.name, f.file));
    }
    let path = base.join(rel);
    let size = std::fs::metadata(&path).map_err(|e| format!("附件「{}」无法读取（{}）：{e}", f.name, f.file))?.len();
    if size > MAX_RECORD_FILE {
        return Err(format!("附件「{}」超过 {} MB", f.name, MAX_RECORD_FILE / 1024 / 1024));
    }
    let bytes = std::fs::read(&path).map_err(|e| format!("附件「{}」无法读取（{}）：{e}", f.name, f.file))?;
    if let Some(want) = &f.sha256
        && !want.eq_ignore_ascii_case(&crate::files::Blobs::hash(&bytes))
    {
        return Err(format!("附件「{}」与记录中的 SHA-256 不符（文件已损坏或被改动）", f.name));
    }
    let kind = crate::files::detect(&bytes)
        .ok_or_else(|| format!("附件「{}」不是允许的文件类型（按文件内容判断）", f.name))?;
    let text = crate::files::extract_text(kind, &bytes);
    Ok(ReadFile { name: f.name.trim().to_string(), kind, bytes, text })
}

fn key(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Beijing wall-clock time to UTC.
fn from_beijing(t: NaiveDateTime) -> DateTime<Utc> {
    Utc.from_utc_datetime(&(t - chrono::Duration::hours(8)))
}

/// The files an import of `path` reads, in name order (folders are walked).
pub fn files(path: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    if path.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?.filter_map(|e| e.ok().map(|e| e.path())).collect();
        entries.sort();
        for e in entries {
            out.extend(files(&e)?);
        }
    } else if matches!(
        path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref(),
        Some("txt" | "html" | "htm" | "jsonl")
    ) {
        out.push(path.to_path_buf());
    }
    Ok(out)
}

/// How many documents `files` hold, as the import reads them: a JSONL file one per line
/// that is not blank, any other file one. For a progress bar's total; read a buffer at a
/// time, so a file of a million lines costs no more memory than a small one.
pub fn count_documents(files: &[PathBuf]) -> std::io::Result<u64> {
    use std::io::BufRead;
    let mut n = 0;
    for f in files {
        if f.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("jsonl")) {
            let mut reader = std::io::BufReader::with_capacity(1 << 20, std::fs::File::open(f)?);
            let mut line = Vec::new();
            loop {
                line.clear();
                if reader.read_until(b'\n', &mut line)? == 0 {
                    break;
                }
                if line.iter().any(|b| !b.is_ascii_whitespace()) {
                    n += 1;
                }
            }
        } else {
            n += 1;
        }
    }
    Ok(n)
}

fn decode(bytes: &[u8], warnings: &mut Vec<String>) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.trim_start_matches('\u{feff}').to_string(),
        Err(_) => {
            let (text, _, bad) = encoding_rs::GB18030.decode(bytes);
            warnings.push(if bad {
                "文件不是 UTF-8，按 GB18030 读取时仍有无法识别的字节".into()
            } else {
                "文件不是 UTF-8，已按 GB18030（GBK）读取".into()
            });
            text.into_owned()
        }
    }
}

fn to_imported(
    doc: ParsedDoc,
    source: &str,
    source_key: String,
    warnings: &mut Vec<String>,
    now: DateTime<Utc>,
) -> ImportedItem {
    let published_at = match (doc.published_at, doc.written_on) {
        (Some(t), _) => from_beijing(t),
        (None, Some(d)) => {
            warnings.push(format!("未注明发布日期，已按成文日期 {d} 计"));
            from_beijing(d.and_time(NaiveTime::MIN))
        }
        (None, None) => {
            warnings.push("未注明发布日期和成文日期，已按导入时间计".into());
            now
        }
    };
    ImportedItem {
        draft: ItemDraft {
            title: doc.title,
            doc_no: doc.doc_no,
            issuer_name: doc.issuer.unwrap_or_default(),
            topic: doc.topic.unwrap_or_default(),
            genre: doc.genre.unwrap_or_default(),
            written_on: doc.written_on,
            summary: doc.summary,
            body: html::from_plain_text(&doc.body),
            disclosure_attr: doc.disclosure_attr,
            reprinted_from: doc.reprint.from,
            reprint_url: doc.reprint.url,
            ..Default::default()
        },
        index_no: doc.index_no,
        published_at,
        validity: doc.validity.unwrap_or(Validity::Valid),
        repealed_on: doc.repealed_on,
        source_key,
        source: source.to_string(),
        attachments: Vec::new(),
    }
}

fn record_doc(r: Record) -> ParsedDoc {
    ParsedDoc {
        title: r.title.trim().to_string(),
        doc_no: r.doc_no.unwrap_or_default(),
        index_no: r.index_no,
        issuer: r.issuer,
        topic: r.topic,
        genre: r.genre,
        written_on: r.written_on.as_deref().and_then(parse_date),
        published_at: r.published_at.as_deref().and_then(|s| {
            DateTime::parse_from_rfc3339(s)
                .ok()
                .map(|t| (t.with_timezone(&Utc) + chrono::Duration::hours(8)).naive_utc())
                .or_else(|| parse_date(s).map(|d| d.and_time(NaiveTime::MIN)))
        }),
        repealed_on: None,
        validity: r.validity.as_deref().and_then(Validity::parse),
        disclosure_attr: r.disclosure_attr.as_deref().and_then(DisclosureAttr::parse),
        summary: r.summary.unwrap_or_default(),
        reprint: gongkai_core::item::Reprint {
            from: r.reprinted_from.unwrap_or_default(),
            url: r.reprint_url.unwrap_or_default(),
        },
        body: r.body,
        warnings: Vec::new(),
    }
}

/// A parsed document made ready for the store: the item, its title and the warnings so far.
fn prepare(
    target: ImportTarget,
    doc: ParsedDoc,
    source: &str,
    source_key: String,
    mut warnings: Vec<String>,
    now: DateTime<Utc>,
) -> (ImportedItem, String, Vec<String>) {
    warnings.extend(doc.warnings.iter().cloned());
    let title = doc.title.clone();
    let mut imported = to_imported(doc, source, source_key, &mut warnings, now);
    imported.draft.section_id = target.section_id;
    (imported, title, warnings)
}

/// What the store's answer for one document means to the person importing.
fn report(
    source: String,
    title: String,
    mut warnings: Vec<String>,
    stored: Result<ImportOutcome, StoreError>,
) -> DocReport {
    let outcome = match stored {
        Ok(ImportOutcome::Created { id, warnings: more }) => {
            warnings.extend(more);
            Ok(ImportOutcome::Created { id, warnings: Vec::new() })
        }
        Ok(skipped) => {
            // Already imported: what was said about it then is not news now.
            warnings.clear();
            Ok(skipped)
        }
        Err(e @ (StoreError::Invalid(_) | StoreError::Conflict(_))) => Err(e.to_string()),
        Err(e) => Err(format!("{e}: {}", std::error::Error::source(&e).map(|s| s.to_string()).unwrap_or_default())),
    };
    DocReport { source, title, outcome, warnings }
}

async fn store_one(
    store: &Store,
    ctx: &AuditCtx,
    target: ImportTarget,
    doc: ParsedDoc,
    source: String,
    source_key: String,
    warnings: Vec<String>,
) -> DocReport {
    let (imported, title, warnings) = prepare(target, doc, &source, source_key, warnings, store.now());
    let stored = store.import_item(ctx, target.org_id, imported).await;
    report(source, title, warnings, stored)
}

/// Lines of a JSONL file stored per transaction: one commit (one fsync) for many documents.
const BATCH: usize = 500;

/// A JSONL line parsed and made ready for the store, waiting for its batch.
struct Pending {
    imported: ImportedItem,
    source: String,
    title: String,
    warnings: Vec<String>,
    /// Attached files, stored with the batch.
    files: Vec<ReadFile>,
}

/// What the reader of a JSONL file hands on, in the file's order.
enum Chunk {
    /// Lines ready for the store, up to [`BATCH`] of them.
    Batch(Vec<Pending>),
    /// A line that could not be read, reported after the lines before it.
    Bad(DocReport),
}

/// Reads a JSONL file's lines into batches, on a thread of its own, while the store writes
/// the batch before: parsing and making bodies is off the store's path. Stops when the
/// receiver is gone.
fn read_jsonl(
    target: ImportTarget,
    name: String,
    base: PathBuf,
    bytes: Vec<u8>,
    now: DateTime<Utc>,
    out: tokio::sync::mpsc::Sender<Chunk>,
) {
    let mut warnings = Vec::new();
    let text = decode(&bytes, &mut warnings);
    drop(bytes);
    let mut batch = Vec::with_capacity(BATCH);
    let mut held = 0usize;
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let source = format!("{name}:{}", n + 1);
        let read = serde_json::from_str::<Record>(line).map_err(|e| (String::new(), format!("JSON 格式有误：{e}")));
        let read = read.and_then(|mut r| {
            let files = std::mem::take(&mut r.attachments)
                .iter()
                .map(|f| read_record_file(&base, f))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| (r.title.clone(), e))?;
            Ok((r, files))
        });
        let chunk = match read {
            Ok((r, files)) => {
                let (imported, title, warnings) =
                    prepare(target, record_doc(r), &source, key(line.as_bytes()), warnings.clone(), now);
                held += files.iter().map(|f| f.bytes.len()).sum::<usize>();
                batch.push(Pending { imported, source, title, warnings, files });
                if batch.len() < BATCH && held < BATCH_FILE_BYTES {
                    continue;
                }
                held = 0;
                Chunk::Batch(std::mem::replace(&mut batch, Vec::with_capacity(BATCH)))
            }
            Err((title, e)) => {
                // Reports come in the file's order: the lines before this one first.
                if !batch.is_empty() && out.blocking_send(Chunk::Batch(std::mem::take(&mut batch))).is_err() {
                    return;
                }
                held = 0;
                Chunk::Bad(DocReport { source, title, outcome: Err(e), warnings: vec![] })
            }
        };
        if out.blocking_send(chunk).is_err() {
            return;
        }
    }
    if !batch.is_empty() {
        let _ = out.blocking_send(Chunk::Batch(batch));
    }
}

/// Stores a batch in one transaction. When the batch as a whole fails (a database error on
/// one of its documents), each document is stored on its own, so one bad line costs only
/// itself.
async fn store_batch(
    store: &Store,
    blobs: Option<&crate::files::Blobs>,
    ctx: &AuditCtx,
    target: ImportTarget,
    batch: Vec<Pending>,
) -> Vec<DocReport> {
    // Attached files first, into the file store (content-addressed: a file stored again is
    // the same file); a document whose file cannot be stored is reported, not imported.
    let mut failed = Vec::new();
    let mut ready = Vec::with_capacity(batch.len());
    'docs: for mut p in batch {
        for f in std::mem::take(&mut p.files) {
            let stored = match blobs {
                Some(b) => b.put(&f.bytes).await.map_err(|e| format!("附件「{}」保存失败：{e}", f.name)),
                None => Err(format!("附件「{}」无法保存：此处导入不接受附件", f.name)),
            };
            match stored {
                Ok(sha256) => p.imported.attachments.push(crate::attachments::NewAttachment {
                    name: f.name,
                    kind: f.kind,
                    size: i64::try_from(f.bytes.len()).unwrap_or(i64::MAX),
                    sha256,
                    text: f.text,
                }),
                Err(e) => {
                    failed.push(DocReport { source: p.source, title: p.title, outcome: Err(e), warnings: vec![] });
                    continue 'docs;
                }
            }
        }
        ready.push(p);
    }
    let (items, about): (Vec<ImportedItem>, Vec<_>) =
        ready.into_iter().map(|p| (p.imported, (p.source, p.title, p.warnings))).unzip();
    let mut out = failed;
    match store.import_items(ctx, target.org_id, items.clone()).await {
        Ok(results) => out.extend(
            about.into_iter().zip(results).map(|((source, title, warnings), r)| report(source, title, warnings, r)),
        ),
        Err(e) => {
            tracing::warn!(error = %e, "a batch of the import failed; storing its documents one by one");
            for (imported, (source, title, warnings)) in items.into_iter().zip(about) {
                let stored = store.import_item(ctx, target.org_id, imported).await;
                out.push(report(source, title, warnings, stored));
            }
        }
    }
    out
}

/// Imports every document under `path` into the target org, calling `report` after each one.
/// A JSONL record that attaches files fails: see [`import_path_with_files`].
pub async fn import_path(
    store: &Store,
    ctx: &AuditCtx,
    target: ImportTarget,
    path: &Path,
    report: &mut (dyn FnMut(&DocReport) + Send),
) -> Result<ImportSummary, std::io::Error> {
    import_path_with_files(store, None, ctx, target, path, report).await
}

/// [`import_path`], storing the files JSONL records attach (an archive's `items.jsonl`,
/// 《条例》第二十五条) in `blobs`, each checked against its SHA-256.
pub async fn import_path_with_files(
    store: &Store,
    blobs: Option<&crate::files::Blobs>,
    ctx: &AuditCtx,
    target: ImportTarget,
    path: &Path,
    report: &mut (dyn FnMut(&DocReport) + Send),
) -> Result<ImportSummary, std::io::Error> {
    let mut summary = ImportSummary::default();
    let mut tally = |r: &DocReport, summary: &mut ImportSummary| {
        match &r.outcome {
            Ok(ImportOutcome::Created { .. }) => summary.imported += 1,
            Ok(ImportOutcome::Skipped { .. }) => summary.skipped += 1,
            Err(_) => summary.failed += 1,
        }
        summary.warnings += r.warnings.len();
        report(r);
    };
    for file in files(path)? {
        let name = file.display().to_string();
        let bytes = match std::fs::read(&file) {
            Ok(b) => b,
            Err(e) => {
                tally(
                    &DocReport {
                        source: name,
                        title: String::new(),
                        outcome: Err(format!("无法读取文件：{e}")),
                        warnings: vec![],
                    },
                    &mut summary,
                );
                continue;
            }
        };
        let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("").to_ascii_lowercase();
        if ext != "jsonl" {
            let r = import_document(store, ctx, target, &name, &bytes, &ext).await;
            tally(&r, &mut summary);
            continue;
        }
        let (chunks_tx, mut chunks) = tokio::sync::mpsc::channel(2);
        let now = store.now();
        let base = file.parent().map(Path::to_path_buf).unwrap_or_default();
        let reader = tokio::task::spawn_blocking(move || read_jsonl(target, name, base, bytes, now, chunks_tx));
        while let Some(chunk) = chunks.recv().await {
            match chunk {
                Chunk::Batch(batch) => {
                    for r in store_batch(store, blobs, ctx, target, batch).await {
                        tally(&r, &mut summary);
                    }
                }
                Chunk::Bad(r) => tally(&r, &mut summary),
            }
        }
        reader.await.map_err(std::io::Error::other)?;
    }
    Ok(summary)
}

/// A document that exists only as a PDF (a gazette article as printed, a scanned notice).
#[derive(Debug, Clone, Copy)]
pub struct PdfDoc<'a> {
    /// Where it came from (file name).
    pub source: &'a str,
    pub bytes: &'a [u8],
    /// Its title as the list that names it gives it; empty: read from the PDF's first lines.
    pub title: &'a str,
    /// The day it was published (an issue's 出版日期).
    pub published_on: chrono::NaiveDate,
}

/// Imports a document given only as a PDF: the PDF becomes the item's attachment (its text,
/// where the PDF has any, searched with it), the body says where the text is, and 文号 and
/// 成文日期 are read from the text as a clerk would read a plain-text file. A PDF with no text
/// (a scan) imports with a warning: it is found by its title alone.
pub async fn import_pdf(
    store: &Store,
    blobs: &crate::files::Blobs,
    ctx: &AuditCtx,
    target: ImportTarget,
    doc: PdfDoc<'_>,
) -> DocReport {
    use crate::files::{FileKind, detect, extract_text};
    let fail = |title: &str, e: String| DocReport {
        source: doc.source.to_string(),
        title: title.to_string(),
        outcome: Err(e),
        warnings: vec![],
    };
    if detect(doc.bytes) != Some(FileKind::Pdf) {
        return fail(doc.title, "不是 PDF 文件（按文件内容判断）".into());
    }
    let owned = doc.bytes.to_vec();
    let text = tokio::task::spawn_blocking(move || extract_text(FileKind::Pdf, &owned)).await.unwrap_or_default();
    let mut parsed = parse_text(&text);
    let mut warnings = Vec::new();
    if text.trim().is_empty() {
        warnings.push("PDF 中没有可读取的文字（可能是扫描件），只能按标题检索".into());
    }
    let given = doc.title.trim();
    if !given.is_empty() {
        parsed.title = given.chars().take(200).collect();
    } else if parsed.title.trim().is_empty() {
        return fail("", "PDF 中读不到标题，请在清单的“标题”列写明".into());
    } else {
        warnings.push(format!("标题取自 PDF 的文字：{}", parsed.title));
    }
    let name = Path::new(doc.source)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "原文.pdf".into());
    parsed.body = format!("本文以 PDF 原件刊登，全文见附件“{name}”。");
    parsed.summary = String::new();
    parsed.published_at = Some(doc.published_on.and_hms_opt(9, 0, 0).unwrap_or_default());
    parsed.warnings.clear();
    let sha256 = match blobs.put(doc.bytes).await {
        Ok(sha) => sha,
        Err(e) => return fail(&parsed.title, format!("附件文件保存失败：{e}")),
    };
    let attachment = crate::attachments::NewAttachment {
        name,
        kind: FileKind::Pdf,
        size: i64::try_from(doc.bytes.len()).unwrap_or(i64::MAX),
        sha256,
        text,
    };
    let (mut imported, title, warnings) = prepare(target, parsed, doc.source, key(doc.bytes), warnings, store.now());
    imported.attachments.push(attachment);
    let stored = store.import_item(ctx, target.org_id, imported).await;
    report(doc.source.to_string(), title, warnings, stored)
}

/// Imports one `.txt` or `.html` document given as bytes.
pub async fn import_document(
    store: &Store,
    ctx: &AuditCtx,
    target: ImportTarget,
    source: &str,
    bytes: &[u8],
    ext: &str,
) -> DocReport {
    let mut warnings = Vec::new();
    let text = decode(bytes, &mut warnings);
    let doc = if ext == "txt" { parse_text(&text) } else { parse_html(&text) };
    store_one(store, ctx, target, doc, source.to_string(), key(bytes), warnings).await
}
