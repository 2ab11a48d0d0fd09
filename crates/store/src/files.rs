//! Attachment files: stored content-addressed (SHA-256) under the data dir, written to a
//! temporary file, synced and renamed into place, so a crash never leaves half a file under
//! a real name; their type told by content, not by name; their text extracted (PDF, DOCX)
//! for search and for the privacy check.

use sha2::{Digest, Sha256};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

/// The kinds of file an item may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Doc,
    Docx,
    Xls,
    Xlsx,
    Ofd,
    Jpeg,
    Png,
    Gif,
    Webp,
    Bmp,
    Tiff,
}

impl FileKind {
    /// The MIME type served.
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Doc => "application/msword",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Xls => "application/vnd.ms-excel",
            Self::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Self::Ofd => "application/ofd",
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Gif => "image/gif",
            Self::Webp => "image/webp",
            Self::Bmp => "image/bmp",
            Self::Tiff => "image/tiff",
        }
    }

    /// A short label for the public page.
    pub fn label(self) -> &'static str {
        match self {
            Self::Pdf => "PDF",
            Self::Doc | Self::Docx => "Word",
            Self::Xls | Self::Xlsx => "Excel",
            Self::Ofd => "OFD",
            _ => "图片",
        }
    }

    /// From a stored MIME type.
    pub fn from_mime(mime: &str) -> Option<Self> {
        [
            Self::Pdf,
            Self::Doc,
            Self::Docx,
            Self::Xls,
            Self::Xlsx,
            Self::Ofd,
            Self::Jpeg,
            Self::Png,
            Self::Gif,
            Self::Webp,
            Self::Bmp,
            Self::Tiff,
        ]
        .into_iter()
        .find(|k| k.mime() == mime)
    }
}

/// Tells a file's kind from its bytes; `None` for anything not allowed.
pub fn detect(bytes: &[u8]) -> Option<FileKind> {
    let kind = infer::get(bytes)?;
    Some(match kind.mime_type() {
        "application/pdf" => FileKind::Pdf,
        "application/msword" => FileKind::Doc,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document" => FileKind::Docx,
        "application/vnd.ms-excel" => FileKind::Xls,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" => FileKind::Xlsx,
        "image/jpeg" => FileKind::Jpeg,
        "image/png" => FileKind::Png,
        "image/gif" => FileKind::Gif,
        "image/webp" => FileKind::Webp,
        "image/bmp" => FileKind::Bmp,
        "image/tiff" => FileKind::Tiff,
        // OLE compound files that infer cannot narrow down are Word or Excel 97-2003.
        "application/x-ole-storage" => FileKind::Doc,
        // Office files whose entries are not in the order infer expects are still zips:
        // look inside.
        "application/zip" if zip_has(bytes, "word/document.xml") => FileKind::Docx,
        "application/zip" if zip_has(bytes, "xl/workbook.xml") => FileKind::Xlsx,
        "application/zip" if zip_has(bytes, "OFD.xml") => FileKind::Ofd,
        _ => return None,
    })
}

fn zip_has(bytes: &[u8], name: &str) -> bool {
    zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok_and(|mut z| z.by_name(name).is_ok())
}

/// The text of a PDF, DOCX, XLSX or XLS (empty for other kinds or unreadable files; a
/// malformed PDF must not bring the server down, so the PDF reader runs under
/// `catch_unwind`).
pub fn extract_text(kind: FileKind, bytes: &[u8]) -> String {
    match kind {
        FileKind::Docx => docx_text(bytes).unwrap_or_default(),
        FileKind::Xlsx | FileKind::Xls => sheet_text(bytes).unwrap_or_default(),
        FileKind::Pdf => {
            let owned = bytes.to_vec();
            std::panic::catch_unwind(move || pdf_extract::extract_text_from_mem(&owned).unwrap_or_default())
                .unwrap_or_default()
        }
        _ => String::new(),
    }
}

/// A workbook's cells as text: a line per row, cells apart by tabs, sheet after sheet (a
/// phone number typed as a number reads as its digits).
fn sheet_text(bytes: &[u8]) -> Option<String> {
    use calamine::Reader;
    let mut book = calamine::open_workbook_auto_from_rs(std::io::Cursor::new(bytes)).ok()?;
    let mut out = String::new();
    for name in book.sheet_names() {
        let Ok(range) = book.worksheet_range(&name) else { continue };
        for row in range.rows() {
            let cells: Vec<String> = row.iter().map(ToString::to_string).collect();
            if cells.iter().any(|c| !c.is_empty()) {
                out.push_str(cells.join("\t").trim_end());
                out.push('\n');
            }
        }
    }
    Some(out)
}

fn docx_text(bytes: &[u8]) -> Option<String> {
    use quick_xml::events::Event;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).ok()?;
    let mut xml = String::new();
    archive.by_name("word/document.xml").ok()?.take(64 * 1024 * 1024).read_to_string(&mut xml).ok()?;
    let mut reader = quick_xml::Reader::from_str(&xml);
    let mut out = String::new();
    let mut in_text = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) if e.name().as_ref() == "w:t" => in_text = true,
            Ok(Event::End(e)) if e.name().as_ref() == "w:t" => in_text = false,
            Ok(Event::End(e)) if e.name().as_ref() == "w:p" => out.push('\n'),
            Ok(Event::Empty(e)) if matches!(e.name().as_ref(), "w:tab" | "w:br") => out.push(' '),
            Ok(Event::Text(t)) if in_text => out.push_str(&t.into_inner()),
            Ok(Event::GeneralRef(r)) if in_text => out.push_str(match &*r {
                "amp" => "&",
                "lt" => "<",
                "gt" => ">",
                "quot" => "\"",
                "apos" => "'",
                _ => "",
            }),
            Ok(Event::Eof) => break,
            Err(_) => return if out.is_empty() { None } else { Some(out) },
            _ => {}
        }
    }
    Some(out)
}

/// The entries of a directory (none when it does not exist), in no particular order.
fn read_dir_or_empty(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.map(|e| e.map(|e| e.path())).collect(),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound || e.kind() == std::io::ErrorKind::NotADirectory => {
            Ok(Vec::new())
        }
        Err(e) => Err(e),
    }
}

/// Content-addressed file storage: under a directory (the SQLite default), or in the
/// database (PostgreSQL's default), so several nodes share nothing but the database.
#[derive(Debug, Clone)]
pub struct Blobs {
    dir: PathBuf,
    db: Option<crate::Store>,
}

/// Where a deployment keeps its files.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileStorage {
    /// In the database on PostgreSQL, in the directory on SQLite.
    #[default]
    Auto,
    /// In the database.
    Database,
    /// In the data directory's `files/`.
    Directory,
}

impl FileStorage {
    /// Whether files go into the database of `backend`.
    pub fn in_database(self, backend: crate::Backend) -> bool {
        match self {
            Self::Auto => backend == crate::Backend::Postgres,
            Self::Database => true,
            Self::Directory => false,
        }
    }
}

fn db_error(e: crate::StoreError) -> std::io::Error {
    std::io::Error::other(e)
}

impl Blobs {
    /// Files go under `dir` (created when missing).
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into(), db: None }
    }

    /// Files go into the store's database; `dir` is still read for a file not found there
    /// (one stored before the deployment moved its files).
    pub fn in_database(store: crate::Store, dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into(), db: Some(store) }
    }

    /// Files where `storage` says for this store.
    pub fn for_store(store: &crate::Store, storage: FileStorage, dir: impl Into<PathBuf>) -> Self {
        if storage.in_database(store.backend()) { Self::in_database(store.clone(), dir) } else { Self::new(dir) }
    }

    /// Whether files go into the database.
    pub fn is_database(&self) -> bool {
        self.db.is_some()
    }

    /// The SHA-256 of some bytes, in hex.
    pub fn hash(bytes: &[u8]) -> String {
        hex::encode(Sha256::digest(bytes))
    }

    /// Where the file with this hash lives in the directory.
    pub fn path(&self, sha256: &str) -> PathBuf {
        let (a, rest) = sha256.split_at(2.min(sha256.len()));
        let (b, _) = rest.split_at(2.min(rest.len()));
        self.dir.join(a).join(b).join(sha256)
    }

    /// Stores bytes (once: the same content is the same file); answers the hash.
    pub async fn put(&self, bytes: &[u8]) -> std::io::Result<String> {
        match &self.db {
            Some(store) => store.put_blob(bytes).await.map_err(db_error),
            None => {
                let (this, bytes) = (self.clone(), bytes.to_vec());
                tokio::task::spawn_blocking(move || this.put_in_dir(&bytes)).await.map_err(std::io::Error::other)?
            }
        }
    }

    /// Reads a stored file.
    pub async fn get(&self, sha256: &str) -> std::io::Result<Vec<u8>> {
        if !sha256.chars().all(|c| c.is_ascii_hexdigit()) || sha256.len() != 64 {
            return Err(std::io::Error::new(std::io::ErrorKind::InvalidInput, "bad hash"));
        }
        if let Some(store) = &self.db
            && let Some(bytes) = store.blob(sha256).await.map_err(db_error)?
        {
            return Ok(bytes);
        }
        let path = self.path(sha256);
        tokio::task::spawn_blocking(move || std::fs::read(path)).await.map_err(std::io::Error::other)?
    }

    /// The size of a stored file; `None` when it is missing.
    pub async fn size(&self, sha256: &str) -> std::io::Result<Option<u64>> {
        if let Some(store) = &self.db
            && let Some(n) = store.blob_size(sha256).await.map_err(db_error)?
        {
            return Ok(Some(u64::try_from(n).unwrap_or(0)));
        }
        match std::fs::metadata(self.path(sha256)) {
            Ok(m) => Ok(Some(m.len())),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Stores bytes under the directory: written to a temporary file, synced and renamed.
    pub fn put_in_dir(&self, bytes: &[u8]) -> std::io::Result<String> {
        let sha = Self::hash(bytes);
        let path = self.path(&sha);
        // Already kept: stamped as written now, so `files gc` leaves it to the rows about to
        // refer to it. Gone meanwhile (collected): written again below.
        match std::fs::File::options().write(true).open(&path) {
            Ok(f) => {
                f.set_modified(std::time::SystemTime::now())?;
                return Ok(sha);
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            // Kept but not ours to stamp (a read-only copy): the upload still succeeds.
            Err(e) if e.kind() == std::io::ErrorKind::PermissionDenied => return Ok(sha),
            Err(e) => return Err(e),
        }
        let parent = path.parent().unwrap_or(&self.dir);
        std::fs::create_dir_all(parent)?;
        let tmp = parent.join(format!(".{sha}.{}.tmp", std::process::id()));
        {
            let mut f = std::fs::File::create(&tmp)?;
            f.write_all(bytes)?;
            f.sync_all()?;
        }
        std::fs::rename(&tmp, &path)?;
        Ok(sha)
    }

    /// Deletes the files under the directory that `referenced` does not hold and that were
    /// written (or written again) before `before`, and temporary files left by an
    /// interrupted write; answers how many and their bytes (with `dry_run`, what would be
    /// deleted). Each is first renamed aside and its time read again: a put of the same
    /// bytes before the rename has stamped it (it is put back); one after finds it gone and
    /// writes it again.
    pub fn collect_in_dir(
        &self,
        referenced: &std::collections::HashSet<String>,
        before: std::time::SystemTime,
        dry_run: bool,
    ) -> std::io::Result<(u64, u64)> {
        let (mut n, mut bytes) = (0, 0);
        let old = |m: &std::fs::Metadata| m.modified().map(|t| t < before);
        for a in read_dir_or_empty(&self.dir)? {
            for b in read_dir_or_empty(&a)? {
                for file in read_dir_or_empty(&b)? {
                    let name = file.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
                    if let Some(stored) = name.strip_prefix(".gc.") {
                        // Left aside by a run that stopped: put back, judged by the next run.
                        if !b.join(stored).exists() && !dry_run {
                            std::fs::rename(&file, b.join(stored))?;
                        }
                        continue;
                    }
                    let meta = std::fs::symlink_metadata(&file)?;
                    if !meta.is_file() || !old(&meta)? {
                        continue;
                    }
                    let stored = name.len() == 64 && name.bytes().all(|c| c.is_ascii_hexdigit());
                    let interrupted = name.starts_with('.') && name.ends_with(".tmp");
                    if (stored && referenced.contains(&name)) || !(stored || interrupted) {
                        continue;
                    }
                    if dry_run {
                        (n, bytes) = (n + 1, bytes + meta.len());
                        continue;
                    }
                    let aside = b.join(format!(".gc.{name}"));
                    std::fs::rename(&file, &aside)?;
                    let meta = std::fs::metadata(&aside)?;
                    if old(&meta)? {
                        std::fs::remove_file(&aside)?;
                        (n, bytes) = (n + 1, bytes + meta.len());
                    } else if file.exists() {
                        std::fs::remove_file(&aside)?;
                    } else {
                        std::fs::rename(&aside, &file)?;
                    }
                }
            }
        }
        Ok((n, bytes))
    }

    /// The directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `files gc` in the directory: old files nothing refers to and an interrupted write's
    /// leftover go; a referenced one, one written again since and a fresh one stay; a file
    /// left aside by a stopped run is put back; a dry run deletes nothing.
    #[test]
    fn files_nothing_refers_to_are_collected_from_the_directory() {
        let dir = tempfile::tempdir().expect("dir");
        let blobs = Blobs::new(dir.path());
        let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(3 * 86400);
        let age = |path: &Path| {
            std::fs::File::options().write(true).open(path).expect("open").set_modified(long_ago).expect("age");
        };
        let mut shas = Vec::new();
        for bytes in [&b"kept"[..], b"orphan", b"again", b"aside"] {
            let sha = blobs.put_in_dir(bytes).expect("put");
            age(&blobs.path(&sha));
            shas.push(sha);
        }
        let [kept, orphan, again, aside] = [0, 1, 2, 3].map(|i| shas[i].clone());
        let fresh = blobs.put_in_dir(b"fresh").expect("put");
        assert_eq!(blobs.put_in_dir(b"again").expect("put"), again);
        let parent = blobs.path(&orphan).parent().expect("parent").to_path_buf();
        let leftover = parent.join(format!(".{orphan}.1234.tmp"));
        std::fs::write(&leftover, b"half").expect("tmp");
        age(&leftover);
        let aside_path = blobs.path(&aside);
        let set_aside = aside_path.parent().expect("parent").join(format!(".gc.{aside}"));
        std::fs::rename(&aside_path, &set_aside).expect("aside");
        let referenced: std::collections::HashSet<String> = [kept.clone(), aside.clone()].into();
        let cut = std::time::SystemTime::now() - std::time::Duration::from_secs(86400);
        assert_eq!(blobs.collect_in_dir(&referenced, cut, true).expect("dry"), (2, 10));
        assert!(blobs.path(&orphan).exists() && leftover.exists() && set_aside.exists());
        assert_eq!(blobs.collect_in_dir(&referenced, cut, false).expect("gc"), (2, 10));
        assert!(!blobs.path(&orphan).exists() && !leftover.exists());
        for sha in [&kept, &again, &fresh, &aside] {
            assert!(blobs.path(sha).exists(), "{sha}");
        }
        assert!(!set_aside.exists());
        // Written again after it was collected: whole.
        assert_eq!(blobs.put_in_dir(b"orphan").expect("put"), orphan);
        assert_eq!(std::fs::read(blobs.path(&orphan)).expect("read"), b"orphan");
    }

    fn docx(paragraphs: &[&str]) -> Vec<u8> {
        let mut buf = std::io::Cursor::new(Vec::new());
        {
            let mut z = zip::ZipWriter::new(&mut buf);
            let opts = zip::write::SimpleFileOptions::default();
            z.start_file("[Content_Types].xml", opts).expect("entry");
            z.write_all(br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#).expect("write");
            z.start_file("word/document.xml", opts).expect("entry");
            let body: String = paragraphs
                .iter()
                .map(|p| format!("<w:p><w:r><w:t xml:space=\"preserve\">{p}</w:t></w:r></w:p>"))
                .collect();
            z.write_all(format!(r#"<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>"#).as_bytes()).expect("write");
            z.finish().expect("finish");
        }
        buf.into_inner()
    }

    #[test]
    fn docx_is_detected_by_content_and_its_text_read() {
        let bytes = docx(&["附件一：联系人名单", "张三 13812345678 &amp; 李四"]);
        assert_eq!(detect(&bytes), Some(FileKind::Docx));
        assert_eq!(extract_text(FileKind::Docx, &bytes), "附件一：联系人名单\n张三 13812345678 & 李四\n");
    }

    #[test]
    fn a_workbook_is_read_cell_by_cell_numbers_included() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let sheet = book.add_worksheet();
        sheet.write_string(0, 0, "张某某").expect("cell");
        sheet.write_number(0, 1, 13800138000.0).expect("cell");
        let bytes = book.save_to_buffer().expect("xlsx");
        assert_eq!(detect(&bytes), Some(FileKind::Xlsx));
        assert_eq!(extract_text(FileKind::Xlsx, &bytes), "张某某\t13800138000\n");
        assert_eq!(extract_text(FileKind::Xlsx, b"PK not a workbook"), "");
    }

    #[test]
    fn other_content_is_refused_whatever_its_name() {
        assert_eq!(detect(b"<html><script>alert(1)</script></html>"), None);
        assert_eq!(detect(b"MZ\x90\x00\x03\x00\x00\x00"), None, "a Windows executable");
        assert_eq!(detect(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"), Some(FileKind::Png));
        assert_eq!(detect(b"%PDF-1.4\n"), Some(FileKind::Pdf));
    }

    #[test]
    fn a_broken_pdf_gives_no_text_and_no_panic() {
        assert_eq!(extract_text(FileKind::Pdf, b"%PDF-1.4\n garbage"), "");
    }

    #[test]
    fn chinese_text_is_read_from_a_pdf_with_a_cid_font() {
        let pdf =
            gongkai_testkit::pdf::with_text(&["重庆市黔江区人民政府关于加强河道管理的通知", "黔江府发〔2019〕7号"]);
        let text = extract_text(FileKind::Pdf, &pdf);
        assert!(text.contains("重庆市黔江区人民政府关于加强河道管理的通知"), "{text:?}");
        assert!(text.contains("黔江府发〔2019〕7号"), "{text:?}");
    }

    #[tokio::test]
    async fn blobs_are_stored_once_by_content() {
        let dir = tempfile::tempdir().expect("dir");
        let blobs = Blobs::new(dir.path());
        let a = blobs.put(b"same").await.expect("put");
        let b = blobs.put(b"same").await.expect("put");
        assert_eq!(a, b);
        assert_eq!(blobs.get(&a).await.expect("get"), b"same");
        assert!(blobs.path(&a).starts_with(dir.path()));
        assert!(blobs.get("../../etc/passwd").await.is_err());
        assert_eq!(blobs.size(&a).await.expect("size"), Some(4));
    }
}
