//! `gongkai backup` and `gongkai restore`: a folder holding the database (a consistent SQLite
//! copy taken while serving, or `pg_dump`'s custom-format dump), the attachment files kept in
//! the data directory, and a manifest with every table's row count and the audit chain's
//! head. A restore puts it back on an empty target and checks every count and the chain.

use crate::settings::Settings;
use anyhow::{Context, Result};
use gongkai_store::backup::Census;
use gongkai_store::files::Blobs;
use gongkai_store::{Backend, Store};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

const FORMAT: &str = "gongkai-backup/1";
const MANIFEST: &str = "manifest.json";
const SQLITE_FILE: &str = "gongkai.db";
const PG_FILE: &str = "gongkai.pgdump";

/// What `manifest.json` says.
#[derive(serde::Serialize, serde::Deserialize)]
struct Manifest {
    format: String,
    backend: String,
    created_at: chrono::DateTime<chrono::Utc>,
    /// The database as backed up.
    census: Census,
    /// False when the PostgreSQL database changed while it was dumped: the counts are then
    /// those seen just after, and a restore reports differences without failing.
    census_exact: bool,
    /// Attachment files copied from the data directory (files kept in the database travel
    /// with it).
    files: Vec<String>,
}

/// `pg_dump` or `pg_restore`: on the PATH, else the newest of Debian's
/// `/usr/lib/postgresql/*/bin`.
fn pg_tool(name: &str) -> Result<PathBuf> {
    if let Some(paths) = std::env::var_os("PATH") {
        for dir in std::env::split_paths(&paths) {
            let p = dir.join(name);
            if p.is_file() {
                return Ok(p);
            }
        }
    }
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| {
            let v = e.file_name().to_str()?.parse::<u32>().ok()?;
            let p = e.path().join("bin").join(name);
            p.is_file().then_some((v, p))
        })
        .collect();
    found.sort();
    found
        .pop()
        .map(|(_, p)| p)
        .with_context(|| format!("找不到 {name}：请安装 PostgreSQL 客户端工具（postgresql-client）"))
}

/// The URL without its password, and the password (for `PGPASSWORD`, never an argument).
fn split_password(url: &str) -> Result<(String, Option<String>)> {
    let mut u = url::Url::parse(url).context("数据库地址无效")?;
    // Percent-decoded (a `+` in a password is a plus, not a space).
    let password = u.password().map(|p| {
        let p = p.replace('+', "%2B");
        url::form_urlencoded::parse(format!("p={p}").as_bytes()).next().map(|(_, v)| v.into_owned()).unwrap_or_default()
    });
    let _ = u.set_password(None);
    Ok((u.to_string(), password))
}

fn run_pg(tool: &str, args: &[&str], url: &str) -> Result<()> {
    let (url, password) = split_password(url)?;
    let mut cmd = std::process::Command::new(pg_tool(tool)?);
    cmd.args(args).arg("--dbname").arg(&url);
    if let Some(p) = password {
        cmd.env("PGPASSWORD", p);
    }
    let out = cmd.output().with_context(|| format!("运行 {tool}"))?;
    anyhow::ensure!(out.status.success(), "{tool} 失败：{}", String::from_utf8_lossy(&out.stderr).trim());
    Ok(())
}

/// Copies every referenced file kept in the data directory to `to`, each checked by its hash.
async fn copy_files(store: &Store, from: &Blobs, to: &Blobs) -> Result<Vec<String>> {
    let mut copied = Vec::new();
    for sha in store.referenced_blobs().await? {
        if from.is_database() && store.blob_size(&sha).await?.is_some() {
            continue;
        }
        let Ok(bytes) = from.get(&sha).await else { continue };
        anyhow::ensure!(Blobs::hash(&bytes) == sha, "文件 {sha} 的内容与哈希不符，已损坏");
        to.put_in_dir(&bytes)?;
        copied.push(sha);
    }
    Ok(copied)
}

/// `gongkai backup --out DIR`.
pub async fn backup(settings: &Settings, out: &Path) -> Result<ExitCode> {
    anyhow::ensure!(
        !out.exists() || out.read_dir().map(|mut d| d.next().is_none()).unwrap_or(false),
        "备份目录 {} 已存在且不为空",
        out.display()
    );
    std::fs::create_dir_all(out).with_context(|| format!("创建 {}", out.display()))?;
    let store = crate::open(settings).await?;
    let blobs = crate::blobs(&store, settings);
    let url = settings.database_url();
    let (backend, census, exact) = match store.backend() {
        Backend::Sqlite => {
            let copy = out.join(SQLITE_FILE);
            store.sqlite_copy_into(&copy).await?;
            // The copy's own counts: the live database may have moved on since.
            let copied = Store::open(&format!("sqlite://{}", copy.display())).await?;
            let census = copied.census().await?;
            copied.close().await;
            ("sqlite", census, true)
        }
        Backend::Postgres => {
            let before = store.census().await?;
            let file = out.join(PG_FILE);
            let file = file.to_str().context("备份路径须为 UTF-8")?;
            run_pg("pg_dump", &["--format=custom", "--no-owner", "--file", file], &url)?;
            let after = store.census().await?;
            let exact = before == after;
            ("postgres", after, exact)
        }
    };
    let files = copy_files(&store, &blobs, &Blobs::new(out.join("files"))).await?;
    let manifest = Manifest {
        format: FORMAT.into(),
        backend: backend.into(),
        created_at: store.now(),
        census,
        census_exact: exact,
        files,
    };
    std::fs::write(out.join(MANIFEST), serde_json::to_vec_pretty(&manifest)?)?;
    let rows: i64 = manifest.census.tables.values().sum();
    println!(
        "已备份到 {}：{} 张表 {rows} 行，审计链 {} 条，数据目录中的附件 {} 个{}",
        out.display(),
        manifest.census.tables.len(),
        manifest.census.audit_seq,
        manifest.files.len(),
        if exact { "" } else { "（备份期间数据库有写入，核对数字取自备份结束时）" }
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// `gongkai restore --from DIR [--force]`.
pub async fn restore(settings: &Settings, from: &Path, force: bool) -> Result<ExitCode> {
    let manifest: Manifest = serde_json::from_slice(
        &std::fs::read(from.join(MANIFEST)).with_context(|| format!("读取 {}", from.join(MANIFEST).display()))?,
    )
    .context("备份清单无效")?;
    anyhow::ensure!(manifest.format == FORMAT, "不认识的备份格式「{}」", manifest.format);
    let url = settings.database_url();
    let target = if url.starts_with("sqlite:") { "sqlite" } else { "postgres" };
    anyhow::ensure!(
        manifest.backend == target,
        "备份来自 {}，目标是 {target}：不同数据库之间请用 migrate-store 迁移",
        manifest.backend
    );
    if target == "sqlite" {
        let db = settings.data_dir.join(SQLITE_FILE);
        if db.exists() {
            anyhow::ensure!(force, "{} 已存在：确认覆盖请加 --force（原文件改名保留）", db.display());
            let kept = settings.data_dir.join(format!("{SQLITE_FILE}.before-restore"));
            std::fs::rename(&db, &kept)?;
            for ext in ["-wal", "-shm"] {
                let side = settings.data_dir.join(format!("{SQLITE_FILE}{ext}"));
                if side.exists() {
                    std::fs::rename(&side, settings.data_dir.join(format!("{SQLITE_FILE}{ext}.before-restore")))?;
                }
            }
            println!("原数据库已改名为 {}", kept.display());
        }
        std::fs::create_dir_all(&settings.data_dir)?;
        std::fs::copy(from.join(SQLITE_FILE), &db).context("复制数据库文件")?;
    } else {
        let store = Store::open(&url).await?;
        let census = store.census().await?;
        store.close().await;
        let mut args = vec!["--no-owner", "--single-transaction", "--exit-on-error"];
        if !census.tables.is_empty() {
            anyhow::ensure!(force, "目标数据库不是空的：确认清空后恢复请加 --force");
            args.extend(["--clean", "--if-exists"]);
        }
        let file = from.join(PG_FILE);
        args.push(file.to_str().context("备份路径须为 UTF-8")?);
        run_pg("pg_restore", &args, &url)?;
    }
    // Files kept in the data directory; the search index is of another database: rebuilt.
    let into = Blobs::new(settings.data_dir.join("files"));
    let source = Blobs::new(from.join("files"));
    for sha in &manifest.files {
        let bytes = source.get(sha).await.with_context(|| format!("备份中缺少文件 {sha}"))?;
        anyhow::ensure!(Blobs::hash(&bytes) == *sha, "备份中的文件 {sha} 已损坏");
        into.put_in_dir(&bytes)?;
    }
    let index = settings.data_dir.join("index");
    if index.exists() {
        std::fs::remove_dir_all(&index).context("删除旧的搜索索引")?;
    }
    // Checked before any migration a newer build would add.
    let store = Store::open(&url).await?;
    let census = store.census().await?;
    let chain = store.verify_audit_chain().await?;
    store.close().await;
    let mut problems = Vec::new();
    for (table, n) in &manifest.census.tables {
        let got = census.tables.get(table).copied();
        if got != Some(*n) {
            problems.push(format!(
                "表 {table}：备份 {n} 行，恢复后 {}",
                got.map(|g| g.to_string()).unwrap_or("缺失".into())
            ));
        }
    }
    if (census.audit_seq, &census.audit_hash) != (manifest.census.audit_seq, &manifest.census.audit_hash) {
        problems.push(format!("审计链头：备份 {} 条，恢复后 {} 条", manifest.census.audit_seq, census.audit_seq));
    }
    if let Some(b) = &chain.broken {
        problems.push(format!("审计链已被破坏：{b}"));
    }
    let rows: i64 = census.tables.values().sum();
    if problems.is_empty() {
        println!(
            "已恢复：{} 张表 {rows} 行与备份一致，审计链 {} 条完整，附件 {} 个；搜索索引将在启动时重建",
            census.tables.len(),
            chain.verified,
            manifest.files.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    for p in &problems {
        println!("不一致：{p}");
    }
    if manifest.census_exact || chain.broken.is_some() {
        return Ok(ExitCode::from(1));
    }
    println!("（备份期间数据库有写入，以上差异可能来自那些写入）");
    Ok(ExitCode::SUCCESS)
}

/// `gongkai migrate-store --to postgres://…`: copies this SQLite deployment onto a new
/// PostgreSQL database, then checks every table and the audit chain there.
pub async fn migrate_store(settings: &Settings, to: &str) -> Result<ExitCode> {
    anyhow::ensure!(to.starts_with("postgres:") || to.starts_with("postgresql:"), "--to 须为 postgres:// 地址");
    let source = crate::open(settings).await?;
    anyhow::ensure!(source.backend() == Backend::Sqlite, "本部署已在 PostgreSQL 上");
    let target = Store::open(to).await.with_context(|| format!("打开 {}", gongkai_store::redact_url(to)))?;
    let lock = target.lock("migrate").await?;
    let migrated = target.migrate().await;
    lock.release().await;
    migrated.context("迁移目标数据库结构")?;
    let mut plan = target.plan_copy_from(&source).await?;
    let left: i64 = plan.tables.iter().map(|t| t.rows - t.done).sum();
    if plan.resumed {
        println!("继续上次中断的迁移：还有 {left} 行");
    }
    let bar = crate::progress_bar(u64::try_from(left).unwrap_or(0), "行");
    for t in &mut plan.tables {
        bar.set_message(t.name.clone());
        while t.done < t.rows {
            let n = target.copy_batch_from(&source, t, 2000).await.with_context(|| format!("复制表 {}", t.name))?;
            if n == 0 {
                break;
            }
            bar.inc(u64::try_from(n).unwrap_or(0));
        }
    }
    bar.finish_and_clear();
    // The files of the data directory, into the database, each checked by its hash.
    let dir = Blobs::new(settings.data_dir.join("files"));
    let into = Blobs::in_database(target.clone(), settings.data_dir.join("files"));
    let (mut files, mut missing) = (0, Vec::new());
    for sha in source.referenced_blobs().await? {
        if target.blob_size(&sha).await?.is_some() {
            continue;
        }
        match dir.get(&sha).await {
            Ok(bytes) if Blobs::hash(&bytes) == sha => {
                into.put(&bytes).await?;
                files += 1;
            }
            _ => missing.push(sha),
        }
    }
    target.finish_copy().await?;
    let (before, after) = (source.census().await?, target.census().await?);
    let chain = target.verify_audit_chain().await?;
    let mut problems = Vec::new();
    for (table, n) in before.tables.iter().filter(|(t, _)| !t.starts_with("file_")) {
        if after.tables.get(table) != Some(n) {
            problems.push(format!("表 {table}：来源 {n} 行，目标 {:?} 行", after.tables.get(table)));
        }
    }
    if (after.audit_seq, &after.audit_hash) != (before.audit_seq, &before.audit_hash) {
        problems.push("审计链头与来源不同".to_string());
    }
    if let Some(b) = &chain.broken {
        problems.push(format!("审计链已被破坏：{b}"));
    }
    for m in &missing {
        problems.push(format!("附件文件缺失：{m}"));
    }
    source.close().await;
    target.close().await;
    if !problems.is_empty() {
        for p in &problems {
            println!("不一致：{p}");
        }
        return Ok(ExitCode::from(1));
    }
    println!(
        "已迁移到 PostgreSQL：{} 张表 {} 行与来源一致，审计链 {} 条完整，附件文件 {files} 个移入数据库。\n\
         请把 database_url 设为新地址（files 保持 \"auto\"），再启动服务；搜索索引将在启动时重建。",
        after.tables.len(),
        before.tables.values().sum::<i64>(),
        chain.verified
    );
    let index = settings.data_dir.join("index");
    if index.exists() {
        std::fs::remove_dir_all(&index).context("删除旧的搜索索引")?;
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_password_leaves_the_url_decoded() {
        let (url, pw) =
            super::split_password("postgres://gk:p%40ss+w%2Frd@db.example:5432/gongkai?sslmode=require").expect("url");
        assert_eq!(url, "postgres://gk@db.example:5432/gongkai?sslmode=require");
        assert_eq!(pw.as_deref(), Some("p@ss+w/rd"));
        assert_eq!(super::split_password("postgres://db/gk").expect("url").1, None);
    }
}
