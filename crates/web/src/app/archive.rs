//! The archive export (条例 第二十五条: copies for the 国家档案馆 and the public library): an
//! org's year of publication as a BagIt 1.0 folder (RFC 8493) — every revision that went
//! public that year with its full metadata (JSON and CSV), its body as HTML and as text, its
//! attachments; the publication register and the validity history of those items; a SHA-256
//! manifest of every file. `data/items.jsonl` is in `gongkai import`'s format, so the public
//! items can be rebuilt on an empty platform. Resumable: a revision whose folder is complete
//! is not written again.

use crate::AppError;
use chrono::{Datelike, TimeZone};
use gongkai_store::archive::ArchiveRevision;
use gongkai_store::files::Blobs;
use gongkai_store::{Org, Store};
use sha2::{Digest, Sha256};
use std::path::{Path, PathBuf};

/// Revisions read at a time.
const BATCH: i64 = 200;

/// What an export wrote.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ArchiveSummary {
    pub revisions: u64,
    pub items: u64,
    pub attachments: u64,
    /// Revisions found complete from an interrupted run and kept.
    pub kept: u64,
    pub files: u64,
    pub bytes: u64,
}

fn io(e: impl std::fmt::Display) -> AppError {
    AppError::Internal(anyhow::anyhow!("归档写入失败：{e}"))
}

/// A CSV file: UTF-8 with a BOM (Excel reads it), formula-like cells defused.
pub fn csv_bytes(rows: impl IntoIterator<Item = Vec<String>>) -> Result<Vec<u8>, AppError> {
    let mut w = csv::Writer::from_writer(Vec::from("\u{feff}".as_bytes()));
    for line in rows {
        w.write_record(line.iter().map(|c| crate::util::csv_safe(c).into_owned()))
            .map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))?;
    }
    w.into_inner().map_err(|e| AppError::Internal(anyhow::anyhow!("csv: {e}")))
}

/// A file name that is safe in any file system and keeps its Chinese.
fn safe_name(name: &str) -> String {
    let s: String =
        name.chars().map(|c| if c.is_control() || r#"/\:*?"<>|"#.contains(c) { '_' } else { c }).take(80).collect();
    let s = s.trim_matches(|c: char| c == '.' || c.is_whitespace()).to_string();
    if s.is_empty() { "file".into() } else { s }
}

fn beijing(t: &chrono::DateTime<chrono::Utc>) -> String {
    gongkai_core::index_no::beijing(*t).format("%Y-%m-%d %H:%M:%S").to_string()
}

/// Writes `bytes` to `path` through a temporary file, so a kill leaves no half file.
fn write(path: &Path, bytes: &[u8]) -> Result<(), AppError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(io)?;
    }
    let tmp = path.with_extension("part");
    std::fs::write(&tmp, bytes).map_err(io)?;
    std::fs::rename(&tmp, path).map_err(io)
}

/// A revision's folder under `data/`.
fn revision_folder(r: &ArchiveRevision) -> String {
    format!("items/{}-r{}", r.item_id, r.rev)
}

/// The file name of a revision's `k`-th attachment in its folder.
fn attachment_file(k: usize, name: &str) -> String {
    format!("{:02}-{}", k + 1, safe_name(name))
}

/// The line of `data/items.jsonl` (`gongkai import`'s record) for a revision, with its
/// attachments as written in its folder (named relative to `data/`, with their SHA-256).
fn import_record(r: &ArchiveRevision, attachments: &[gongkai_store::Attachment]) -> serde_json::Value {
    let files: Vec<serde_json::Value> = attachments
        .iter()
        .enumerate()
        .map(|(k, a)| {
            serde_json::json!({
                "name": a.name,
                "file": format!("{}/attachments/{}", revision_folder(r), attachment_file(k, &a.name)),
                "sha256": a.sha256,
            })
        })
        .collect();
    serde_json::json!({
        "attachments": files,
        "title": r.title,
        "body": r.body,
        "doc_no": r.doc_no,
        "index_no": r.index_no,
        "issuer": r.issuer_name,
        "topic": r.topic,
        "genre": r.genre,
        "summary": r.summary,
        "written_on": r.written_on.map(|d| d.to_string()),
        "published_at": r.first_published_at.unwrap_or(r.published_at).to_rfc3339(),
        "validity": r.validity,
        "disclosure_attr": r.disclosure_attr,
        "reprinted_from": r.reprinted_from,
        "reprint_url": r.reprint_url,
    })
}

const REVISION_HEADER: [&str; 20] = [
    "信息ID",
    "版本",
    "索引号",
    "标题",
    "发文字号",
    "发文机关",
    "联合发文",
    "主题分类",
    "体裁",
    "成文日期",
    "本版发布时间",
    "首次发布时间",
    "有效性",
    "废止日期",
    "公开方式",
    "摘要",
    "内容哈希",
    "所属单位",
    "转载来源",
    "原文地址",
];

fn revision_cells(r: &ArchiveRevision) -> Vec<String> {
    vec![
        r.item_id.to_string(),
        r.rev.to_string(),
        r.index_no.clone().unwrap_or_default(),
        r.title.clone(),
        r.doc_no.clone(),
        r.issuer_name.clone(),
        r.co_issuers.clone(),
        r.topic.clone(),
        r.genre.clone(),
        r.written_on.map(|d| d.to_string()).unwrap_or_default(),
        beijing(&r.published_at),
        r.first_published_at.as_ref().map(beijing).unwrap_or_default(),
        gongkai_core::item::Validity::parse(&r.validity).map(|v| v.label().to_string()).unwrap_or(r.validity.clone()),
        r.repealed_on.map(|d| d.to_string()).unwrap_or_default(),
        r.disclosure_attr.clone(),
        r.summary.clone(),
        r.content_hash.clone(),
        r.org_name.clone(),
        r.reprinted_from.clone(),
        r.reprint_url.clone(),
    ]
}

/// Exports `org`'s year `year` into the folder `dir` (created, or resumed when it holds an
/// interrupted export of the same org and year). `progress` hears (done, total) revisions.
pub async fn export(
    store: &Store,
    blobs: &Blobs,
    org: &Org,
    year: i32,
    dir: &Path,
    progress: &mut (dyn FnMut(u64, u64) + Send),
) -> Result<ArchiveSummary, AppError> {
    let start = chrono::NaiveDate::from_ymd_opt(year, 1, 1)
        .ok_or_else(|| AppError::Invalid { code: "bad_year", message: format!("年份「{year}」无效") })?;
    let to_utc = |d: chrono::NaiveDate| {
        chrono::Utc.from_utc_datetime(&(d.and_time(chrono::NaiveTime::MIN) - chrono::Duration::hours(8)))
    };
    let (from, to) = (to_utc(start), to_utc(start.with_year(year + 1).unwrap_or(start)));
    let data = dir.join("data");
    let marker = dir.join("bag-info.txt");
    let identifier = format!("gongkai-archive-{}-{year}", org.code());
    if marker.exists() {
        let info = std::fs::read_to_string(&marker).map_err(io)?;
        if !info.contains(&identifier) {
            return Err(AppError::Invalid {
                code: "archive_dir_taken",
                message: format!("{} 已是另一份归档（不是 {} {year} 年）", dir.display(), org.name),
            });
        }
    } else if dir.exists() && std::fs::read_dir(dir).map_err(io)?.next().is_some() {
        return Err(AppError::Invalid {
            code: "archive_dir_taken",
            message: format!("{} 已存在且不是本单位本年度的归档", dir.display()),
        });
    }
    std::fs::create_dir_all(&data).map_err(io)?;
    // Written first (and rewritten at the end), so a resumed run knows the folder is its own.
    write(&marker, format!("External-Identifier: {identifier}\n").as_bytes())?;

    // Every revision, read in keyset order; each written to its own folder.
    let mut all: Vec<ArchiveRevision> = Vec::new();
    let mut after = (0i64, 0i64);
    loop {
        let batch = store.archive_revisions(org.id, from, to, after, BATCH).await?;
        let Some(last) = batch.last() else { break };
        after = (last.item_id, last.rev);
        all.extend(batch);
    }
    let total = all.len() as u64;
    let mut summary = ArchiveSummary { revisions: total, ..Default::default() };
    for (n, r) in all.iter().enumerate() {
        let folder = data.join(revision_folder(r));
        let metadata = folder.join("metadata.json");
        let attachments = store.public_attachments(r.item_id, r.rev).await?;
        if metadata.exists() {
            summary.kept += 1;
            summary.attachments += attachments.len() as u64;
        } else {
            let mut files = Vec::new();
            for (k, a) in attachments.iter().enumerate() {
                let bytes = blobs.get(&a.sha256).await.map_err(|e| io(format!("附件「{}」缺失：{e}", a.name)))?;
                let name = attachment_file(k, &a.name);
                write(&folder.join("attachments").join(&name), &bytes)?;
                files.push(serde_json::json!({ "name": a.name, "file": format!("attachments/{name}"),
                    "mime": a.mime, "size": a.size, "sha256": a.sha256 }));
                summary.attachments += 1;
            }
            write(&folder.join("body.html"), r.body.as_bytes())?;
            write(&folder.join("body.txt"), gongkai_core::html::to_text(&r.body).as_bytes())?;
            let mut meta = serde_json::to_value(r).map_err(io)?;
            meta["attachments"] = serde_json::Value::Array(files);
            // Last: its presence marks the folder complete.
            write(&metadata, &serde_json::to_vec_pretty(&meta).map_err(io)?)?;
        }
        progress(n as u64 + 1, total);
    }

    // The tables: every revision; each item once, as `gongkai import` reads it (its newest
    // revision here); the register and the validity history of these items.
    let revisions = csv_bytes(
        std::iter::once(REVISION_HEADER.iter().map(|s| s.to_string()).collect()).chain(all.iter().map(revision_cells)),
    )?;
    write(&data.join("revisions.csv"), &revisions)?;
    let mut jsonl = String::new();
    for r in &all {
        jsonl.push_str(&serde_json::to_string(r).map_err(io)?);
        jsonl.push('\n');
    }
    write(&data.join("revisions.jsonl"), jsonl.as_bytes())?;
    let mut newest: Vec<&ArchiveRevision> = Vec::new();
    for r in &all {
        match newest.last_mut() {
            Some(last) if last.item_id == r.item_id => *last = r,
            _ => newest.push(r),
        }
    }
    summary.items = newest.len() as u64;
    let mut items = String::new();
    for r in &newest {
        let attachments = store.public_attachments(r.item_id, r.rev).await?;
        items.push_str(&import_record(r, &attachments).to_string());
        items.push('\n');
    }
    write(&data.join("items.jsonl"), items.as_bytes())?;
    let ids: Vec<i64> = newest.iter().map(|r| r.item_id).collect();
    let register = store.register_of(&ids).await?;
    let register_rows = |only_validity: bool| {
        std::iter::once(
            ["信息ID", "版本", "事项", "时间", "作者", "审查人", "审批人", "发布人", "渠道", "说明", "内容哈希"]
                .iter()
                .map(|s| s.to_string())
                .collect::<Vec<_>>(),
        )
        .chain(register.iter().filter(move |g| !only_validity || g.event == "set_validity").map(|g| {
            vec![
                g.item_id.to_string(),
                g.rev.map(|r| r.to_string()).unwrap_or_default(),
                gongkai_core::item::event_label(&g.event).to_string(),
                beijing(&g.at),
                g.author.clone(),
                g.reviewer.clone(),
                g.approver.clone(),
                g.publisher.clone(),
                g.channel.clone(),
                g.note.clone(),
                g.content_hash.clone(),
            ]
        }))
    };
    write(&data.join("register.csv"), &csv_bytes(register_rows(false))?)?;
    write(&data.join("validity.csv"), &csv_bytes(register_rows(true))?)?;

    // BagIt: the manifest of every payload file, then the tag files and their manifest.
    let mut payload: Vec<PathBuf> = Vec::new();
    walk(&data, &mut payload)?;
    payload.sort();
    let mut manifest = String::new();
    for p in &payload {
        let bytes = std::fs::read(p).map_err(io)?;
        summary.files += 1;
        summary.bytes += bytes.len() as u64;
        manifest.push_str(&format!("{}  {}\n", hex::encode(Sha256::digest(&bytes)), relative(dir, p)));
    }
    write(&dir.join("manifest-sha256.txt"), manifest.as_bytes())?;
    write(&dir.join("bagit.txt"), b"BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n")?;
    let info = format!(
        "Source-Organization: {}\nExternal-Identifier: {identifier}\nExternal-Description: {}{year}年度公开的政府信息（《中华人民共和国政府信息公开条例》第二十五条），共 {} 条信息、{} 个版本、{} 个附件\nBagging-Date: {}\nPayload-Oxum: {}.{}\nBag-Software-Agent: gongkai {}\n",
        org.name,
        org.name,
        summary.items,
        summary.revisions,
        summary.attachments,
        store.today(),
        summary.bytes,
        summary.files,
        env!("CARGO_PKG_VERSION"),
    );
    write(&marker, info.as_bytes())?;
    let mut tags = String::new();
    for name in ["bagit.txt", "bag-info.txt", "manifest-sha256.txt"] {
        let bytes = std::fs::read(dir.join(name)).map_err(io)?;
        tags.push_str(&format!("{}  {name}\n", hex::encode(Sha256::digest(&bytes))));
    }
    write(&dir.join("tagmanifest-sha256.txt"), tags.as_bytes())?;
    Ok(summary)
}

/// The path of `p` under `dir`, with `/` separators, as BagIt manifests write it.
fn relative(dir: &Path, p: &Path) -> String {
    p.strip_prefix(dir).unwrap_or(p).components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), AppError> {
    for e in std::fs::read_dir(dir).map_err(io)? {
        let p = e.map_err(io)?.path();
        if p.is_dir() {
            walk(&p, out)?;
        } else if p.extension().is_none_or(|x| x != "part") {
            out.push(p);
        }
    }
    Ok(())
}

/// Checks a bag: every file of both manifests there with its hash, and no payload file the
/// manifest does not name. Answers the problems found (none: valid).
pub fn verify(dir: &Path) -> Result<Vec<String>, AppError> {
    let mut problems = Vec::new();
    let mut named = std::collections::BTreeSet::new();
    for manifest in ["manifest-sha256.txt", "tagmanifest-sha256.txt"] {
        let text = std::fs::read_to_string(dir.join(manifest)).map_err(io)?;
        for line in text.lines().filter(|l| !l.trim().is_empty()) {
            let Some((hash, path)) = line.split_once("  ") else {
                problems.push(format!("{manifest}：无法读取的一行「{line}」"));
                continue;
            };
            named.insert(path.to_string());
            match std::fs::read(dir.join(path)) {
                Ok(bytes) if hex::encode(Sha256::digest(&bytes)) == hash => {}
                Ok(_) => problems.push(format!("{path}：内容与清单中的哈希不符")),
                Err(_) => problems.push(format!("{path}：缺失")),
            }
        }
    }
    let mut payload = Vec::new();
    walk(&dir.join("data"), &mut payload)?;
    for p in payload {
        let r = relative(dir, &p);
        if !named.contains(&r) {
            problems.push(format!("{r}：不在清单中"));
        }
    }
    Ok(problems)
}

/// The archive of the actor's org for `year`, as a ZIP of the bag, for the disclosure office
/// or an administrator of the org (the console's 归档导出); audited.
pub async fn zip_for(
    state: &crate::AppState,
    actor: &gongkai_core::Actor,
    ctx: &gongkai_store::AuditCtx,
    year: i32,
) -> Result<(String, Vec<u8>), AppError> {
    actor.must_oversee()?;
    let this_year = chrono::Datelike::year(&state.today());
    if !(2008..=this_year).contains(&year) {
        return Err(AppError::invalid_field(
            "bad_year",
            "year",
            format!("年份应在 2008（《条例》施行）至 {this_year} 之间"),
        ));
    }
    let org = crate::app::orgs::own(state, actor).await?;
    let tmp = tempfile::tempdir().map_err(io)?;
    let name = format!("archive-{}-{year}", org.code());
    let dir = tmp.path().join(&name);
    export(&state.store, &state.blobs, &org, year, &dir, &mut |_, _| {}).await?;
    let bytes = tokio::task::spawn_blocking(move || zip_dir(&dir)).await.map_err(io)??;
    drop(tmp);
    state.store.audit_event(ctx, "archive.export", "org", &format!("{} {year}", org.code())).await?;
    Ok((format!("{name}.zip"), bytes))
}

/// A folder as a ZIP (its name as the top folder), files in name order.
fn zip_dir(dir: &Path) -> Result<Vec<u8>, AppError> {
    use std::io::Write;
    let top = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "archive".into());
    let mut files = Vec::new();
    walk(dir, &mut files)?;
    files.sort();
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for p in files {
        zip.start_file(format!("{top}/{}", relative(dir, &p)), options).map_err(io)?;
        zip.write_all(&std::fs::read(&p).map_err(io)?).map_err(io)?;
    }
    Ok(zip.finish().map_err(io)?.into_inner())
}
