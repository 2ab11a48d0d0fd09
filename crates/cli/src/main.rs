//! The `gongkai` command. It parses arguments and calls the library crates; the web
//! application itself is `gongkai_web::router` / `gongkai_web::serve`.
#![forbid(unsafe_code)]

/// mimalloc rather than the system allocator: a bulk import allocates and frees many
/// bodies of a few kilobytes from several threads, which glibc's per-thread arenas hold on
/// to (measured side by side at 100,000 items: half the resident memory at the end and 3 %
/// fewer instructions; docs/DECISIONS.md).
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod backup;
mod demo;
mod settings;

use anyhow::{Context, Result, bail};
use clap::{Args, Parser, Subcommand};
use gongkai_core::{OrgIdent, OrgKind, Password, Role, Username};
use gongkai_store::{AuditCtx, NewOrg, NewUser, Store, redact_url};
use settings::Settings;
use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

/// gongkai (公开): the platform on which a government runs 政务公开 — publishing its
/// information under secrecy review, answering information requests on time, and
/// reporting on it every year.
#[derive(Parser)]
#[command(name = "gongkai", version, about, long_about = None)]
struct Cli {
    /// Data directory (数据目录): the SQLite file, search index and attachments.
    #[arg(long, global = true, value_name = "DIR")]
    data_dir: Option<PathBuf>,
    /// Configuration file (配置文件, TOML); see `gongkai config print-default`.
    #[arg(long, global = true, value_name = "FILE")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the portal, the admin console and the API (启动服务).
    Serve(ServeArgs),
    /// Bring the database schema up to date (数据库迁移) and exit.
    Migrate,
    /// Print the API's OpenAPI 3.1 document (接口说明), as served at /api/openapi.json.
    Openapi,
    /// Orgs, users and API tokens (管理).
    #[command(subcommand)]
    Admin(AdminCommand),
    /// Import documents (导入): a file or folder of .txt, .html and .jsonl, as published items.
    Import {
        /// File or folder.
        path: PathBuf,
        /// The org the documents belong to (所属单位代码).
        #[arg(long)]
        org: String,
        /// The catalog section (栏目) to file them under, by name.
        #[arg(long)]
        section: Option<String>,
    },
    /// The government gazette (政府公报).
    #[command(subcommand)]
    Gazette(GazetteCommand),
    /// Search what is public (检索), from the command line.
    Search {
        /// The query: words, "a phrase", a 发文字号 or an 索引号.
        query: String,
        /// Print JSON instead of lines.
        #[arg(long)]
        json: bool,
    },
    /// Rebuild the search index from the store (重建索引); safe while the server runs: the
    /// new index is swapped in when complete.
    Reindex,
    /// The working-day calendar (工作日历): one value per line, for scripts.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Reports (报告).
    #[command(subcommand)]
    Report(ReportCommand),
    /// Back up the database and the files (备份) into a new folder, with a manifest of every
    /// table's rows and the audit chain's head. SQLite is copied while serving; PostgreSQL
    /// is dumped with pg_dump.
    Backup {
        /// The folder to create.
        #[arg(long)]
        out: PathBuf,
    },
    /// Restore a backup (恢复) onto this deployment's database, then check every table's
    /// rows and the audit chain against the manifest.
    Restore {
        /// The backup folder.
        #[arg(long)]
        from: PathBuf,
        /// Replace a database that is not empty (SQLite's is kept under another name).
        #[arg(long)]
        force: bool,
    },
    /// Move this SQLite deployment to PostgreSQL (迁移到 PostgreSQL): every table, the audit
    /// chain (still verifying), and the files of the data directory into the database.
    /// Stop the server first. Resumable: run it again after an interruption.
    MigrateStore {
        /// The new, empty PostgreSQL database (or set GONGKAI_MIGRATE_TO, which keeps the
        /// password out of the process list).
        #[arg(long, env = "GONGKAI_MIGRATE_TO", hide_env_values = true)]
        to: String,
    },
    /// Exports (导出).
    #[command(subcommand)]
    Export(ExportCommand),
    /// Attachment files (附件文件).
    #[command(subcommand)]
    Files(FilesCommand),
    /// E-mail (邮件).
    #[command(subcommand)]
    Mail(MailCommand),
    /// The audit trail (审计日志).
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Configuration (配置).
    #[command(subcommand)]
    Config(ConfigCommand),
}

#[derive(Args)]
struct ServeArgs {
    /// Address to listen on (监听地址).
    #[arg(long, value_name = "HOST:PORT")]
    addr: Option<String>,
    /// Load demo orgs, staff accounts and documents on first start (演示数据).
    #[arg(long)]
    demo: bool,
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Add an org (添加单位) under a parent, or as a root without --parent.
    AddOrg {
        /// Parent org's code (上级单位代码).
        #[arg(long)]
        parent: Option<String>,
        /// 统一社会信用代码 (18 chars) or 组织机构代码 (9 chars), with its check character.
        #[arg(long)]
        code: String,
        /// Full name (单位全称).
        #[arg(long)]
        name: String,
        /// Short name (简称).
        #[arg(long, default_value = "")]
        short_name: String,
        /// government | department | town | subdistrict | zone | village.
        #[arg(long, value_parser = parse_kind)]
        kind: OrgKind,
    },
    /// Add a staff user (添加用户); the password is read from stdin, never from arguments.
    AddUser {
        /// The user's org code (所属单位代码).
        #[arg(long)]
        org: String,
        /// Login name (用户名).
        #[arg(long)]
        username: String,
        /// Name shown (姓名).
        #[arg(long, default_value = "")]
        display_name: String,
        /// editor | reviewer | approver | request_handler | letter_handler | supervisor | admin |
        /// security_admin | auditor (the last three held by different people: 三员); repeatable.
        #[arg(long = "role", value_parser = parse_role)]
        roles: Vec<Role>,
    },
    /// Set a user's password (重置密码), read from stdin; ends the user's sessions and tokens.
    SetPassword {
        /// Login name (用户名).
        #[arg(long)]
        username: String,
    },
    /// Disable a user (停用账号): they cannot log in; their sessions and tokens end.
    DisableUser {
        /// Login name (用户名).
        #[arg(long)]
        username: String,
    },
    /// Enable a disabled user again (启用账号).
    EnableUser {
        /// Login name (用户名).
        #[arg(long)]
        username: String,
    },
    /// Replace a user's roles (设置角色); their sessions and tokens end.
    SetRoles {
        /// Login name (用户名).
        #[arg(long)]
        username: String,
        /// editor | reviewer | approver | request_handler | letter_handler | supervisor | admin |
        /// security_admin | auditor (the last three held by different people: 三员); repeatable.
        #[arg(long = "role", value_parser = parse_role, required = true)]
        roles: Vec<Role>,
    },
    /// Set a user's e-mail address for reminders (通知邮箱); empty clears it.
    SetEmail {
        /// Login name (用户名).
        #[arg(long)]
        username: String,
        /// The address.
        #[arg(long)]
        email: String,
    },
    /// Create an API token (访问令牌) for a user; prints the token alone on stdout.
    AddToken {
        /// Login name (用户名).
        #[arg(long)]
        username: String,
        /// What the token is for (用途).
        #[arg(long, default_value = "命令行创建")]
        name: String,
    },
    /// Revoke an API token (吊销令牌) by its id.
    RevokeToken {
        /// Token id, as listed in the console.
        #[arg(long)]
        id: i64,
    },
}

#[derive(Subcommand)]
enum GazetteCommand {
    /// Import historical issues (导入往期公报) from a folder holding `issues.csv` — one line an
    /// article: 年度,期号,总期号,出版日期,PDF,栏目,文件[,标题] — and the article files it names
    /// (.txt or .html; or .pdf for an article given only as printed, attached to its item with
    /// its title from 标题 or the PDF's text), imported as published items of the government.
    /// Run again, it adds what is missing.
    Import {
        /// The folder.
        path: PathBuf,
        /// The government whose gazette it is (单位代码).
        #[arg(long)]
        gov: String,
    },
}

#[derive(Subcommand)]
enum CalendarCommand {
    /// Is DATE a working day (工作日)? Prints true or false.
    IsWorkday {
        /// YYYY-MM-DD.
        date: String,
    },
    /// The Nth working day after DATE (the start day not counted).
    AddWorkdays {
        /// YYYY-MM-DD.
        date: String,
        /// Number of working days.
        n: u32,
    },
    /// Every working day from D1 to D2, both included, one per line.
    Workdays {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// How many working days from D1 to D2, both included.
    Count {
        #[arg(long)]
        from: String,
        #[arg(long)]
        to: String,
    },
    /// Load a year's schedule (载入节假日安排) from a file in the data/holidays format.
    Load {
        /// The file.
        file: PathBuf,
    },
    /// The years loaded, with the notice each comes from.
    List,
}

#[derive(Subcommand)]
enum MailCommand {
    /// Send the request handlers' reminder now (办理提醒), as the server does every day.
    Reminders,
}

#[derive(Subcommand)]
enum ExportCommand {
    /// An org's year of publication for the archives and the library (归档导出，《条例》第二十五条):
    /// a BagIt folder with every public revision, its metadata, body and attachments, the
    /// register and the validity history. Resumable: run it again into the same folder.
    Archive {
        /// The org (单位代码).
        #[arg(long)]
        org: String,
        /// The year of publication.
        #[arg(long)]
        year: i32,
        /// The folder to write (default: archive-CODE-YEAR).
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// Check an archive folder against its SHA-256 manifests (校验归档).
    Verify {
        /// The folder.
        dir: PathBuf,
    },
}

#[derive(Subcommand)]
enum FilesCommand {
    /// Copy every file the data refers to into the database or into the data directory
    /// (迁移附件文件); the source is left as it was. Then set `files` to match. Safe to run
    /// again: a file already there is skipped.
    Migrate {
        /// database | directory
        #[arg(long)]
        to: String,
    },
    /// Delete the files nothing refers to any more (清理无引用的文件) — in the database and
    /// in the data directory — stored more than `--keep-hours` ago, so a file being filed
    /// right now is never taken. Safe while the service runs, on any one node.
    Gc {
        /// Keep files stored within this many hours (保留最近若干小时内存入的文件).
        #[arg(long, default_value_t = 24)]
        keep_hours: u32,
        /// Only count what would be deleted (只统计，不删除).
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Subcommand)]
enum ReportCommand {
    /// The annual report (政府信息公开工作年度报告) of an org for a year, in the national
    /// format: the published report if there is one, otherwise the draft computed now.
    Annual {
        /// The org (单位代码).
        #[arg(long)]
        org: String,
        /// The year (年度).
        #[arg(long)]
        year: i32,
        /// html, md, json or xlsx.
        #[arg(long, default_value = "md")]
        format: String,
        /// org (本单位) or tree (含所属单位).
        #[arg(long, default_value = "org")]
        scope: String,
        /// Write to this file instead of standard output (required for xlsx).
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the hash chain of the whole audit trail (校验审计链); exits 1 when broken.
    Verify,
}

#[derive(Subcommand)]
enum ConfigCommand {
    /// Print an annotated configuration file with the defaults (打印默认配置).
    PrintDefault,
}

fn parse_kind(s: &str) -> Result<OrgKind, String> {
    OrgKind::parse(s).ok_or_else(|| {
        format!("unknown kind '{s}' (未知单位类型): government, department, town, subdistrict, zone, village")
    })
}

fn parse_role(s: &str) -> Result<Role, String> {
    Role::parse(s).map_err(|e| e.to_string())
}

fn init_tracing(format: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn,tower_http=info"));
    let builder = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr);
    if format == "json" {
        builder.json().init();
    } else {
        builder.init();
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("错误：无法启动运行时：{e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("错误：{e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<ExitCode> {
    let mut settings = Settings::load(cli.config.as_deref())?;
    if let Some(dir) = cli.data_dir {
        settings.data_dir = dir;
    }
    match cli.command {
        Command::Config(ConfigCommand::PrintDefault) => {
            print!("{}", settings::EXAMPLE);
            Ok(ExitCode::SUCCESS)
        }
        Command::Openapi => {
            println!("{}", gongkai_web::openapi_json());
            Ok(ExitCode::SUCCESS)
        }
        Command::Serve(args) => {
            init_tracing(&settings.log_format);
            if let Some(addr) = args.addr {
                settings.addr = addr;
            }
            serve(settings, args.demo).await
        }
        Command::Migrate => {
            let store = open(&settings).await?;
            println!("数据库已是最新结构（版本 {}）", store.supported_version());
            Ok(ExitCode::SUCCESS)
        }
        Command::Admin(cmd) => admin(&settings, cmd).await,
        Command::Calendar(cmd) => calendar(&settings, cmd).await,
        Command::MigrateStore { to } => backup::migrate_store(&settings, &to).await,
        Command::Export(ExportCommand::Archive { org, year, out }) => export_archive(&settings, &org, year, out).await,
        Command::Export(ExportCommand::Verify { dir }) => {
            let problems = gongkai_web::app::archive::verify(&dir).map_err(|e| anyhow::anyhow!("{e}"))?;
            if problems.is_empty() {
                println!("归档完整：每个文件都与清单中的 SHA-256 一致");
                return Ok(ExitCode::SUCCESS);
            }
            for p in &problems {
                println!("{p}");
            }
            Ok(ExitCode::from(1))
        }
        Command::Backup { out } => backup::backup(&settings, &out).await,
        Command::Restore { from, force } => backup::restore(&settings, &from, force).await,
        Command::Files(FilesCommand::Migrate { to }) => migrate_files(&settings, &to).await,
        Command::Files(FilesCommand::Gc { keep_hours, dry_run }) => collect_files(&settings, keep_hours, dry_run).await,
        Command::Mail(MailCommand::Reminders) => {
            let store = open(&settings).await?;
            let web = web_config(&settings)?;
            anyhow::ensure!(web.mail_transport != "off", "邮件未启用（web.mail_transport = \"off\"）");
            let state = gongkai_web::AppState::new(store.clone(), web);
            let n = gongkai_web::mail::send_reminders(&state).await.map_err(|e| anyhow::anyhow!("{e}"))?;
            println!("已发送 {n} 封办理提醒");
            store.close().await;
            Ok(ExitCode::SUCCESS)
        }
        Command::Report(ReportCommand::Annual { org, year, format, scope, out }) => {
            annual_report(&settings, &org, year, &format, &scope, out).await
        }
        Command::Search { query, json } => search(&settings, &query, json).await,
        Command::Reindex => reindex(&settings).await,
        Command::Import { path, org, section } => import(&settings, &path, &org, section.as_deref()).await,
        Command::Gazette(GazetteCommand::Import { path, gov }) => import_gazette(&settings, &path, &gov).await,
        Command::Audit(AuditCommand::Verify) => {
            let store = open(&settings).await?;
            let report = store.verify_audit_chain().await?;
            match report.broken {
                None => {
                    println!("审计链完整：共 {} 条记录", report.verified);
                    Ok(ExitCode::SUCCESS)
                }
                Some(b) => {
                    println!("审计链已被破坏：{b}（此前 {} 条记录完好）", report.verified);
                    Ok(ExitCode::from(1))
                }
            }
        }
    }
}

/// Opens the configured store and migrates it, creating the data dir for SQLite.
async fn open(settings: &Settings) -> Result<Store> {
    let url = settings.database_url();
    if url.starts_with("sqlite:") {
        std::fs::create_dir_all(&settings.data_dir)
            .with_context(|| format!("无法创建数据目录 {}", settings.data_dir.display()))?;
    }
    let store = Store::open_with(&url, settings.database_pool_size)
        .await
        .with_context(|| format!("打开数据库 {}", redact_url(&url)))?;
    // Nodes started together on one PostgreSQL migrate one after another (the list kinds
    // synced after the migrations included).
    let lock = store.lock("migrate").await?;
    let migrated = store.migrate().await;
    lock.release().await;
    migrated.with_context(|| format!("迁移数据库 {}", redact_url(&url)))?;
    let key = settings.guomi_field_key.as_ref().map(|k| secrecy::ExposeSecret::expose_secret(k).to_string());
    store
        .with_index_pattern(&settings.index_pattern)?
        .with_guomi(settings.guomi)
        .with_field_key(key.as_deref())
        .context("国密字段密钥（GONGKAI__GUOMI_FIELD_KEY）")
}

async fn serve(settings: Settings, demo: bool) -> Result<ExitCode> {
    let store = open(&settings).await?;
    if demo {
        let files = blobs(&store, &settings);
        // Nodes started together with --demo on one database load it once: the others wait,
        // then find it there.
        let lock = store.lock("demo").await?;
        let accounts = demo::ensure(&store, &files).await.context("加载演示数据");
        lock.release().await;
        let accounts = accounts?;
        if !accounts.is_empty() {
            println!("演示账号已创建（密码只显示这一次，请记下）：");
            for a in &accounts {
                let roles: Vec<&str> = a.roles.iter().map(|r| r.label()).collect();
                println!(
                    "  {:<12} 密码 {}  {}，{}（{}）",
                    a.username,
                    a.password,
                    a.display_name,
                    a.org,
                    roles.join("、")
                );
            }
        }
    }
    // Signals are caught from here on: one that comes while the index is being built stops
    // the server once it serves.
    let shutdown = gongkai_web::shutdown_signal();
    let listener =
        tokio::net::TcpListener::bind(&settings.addr).await.with_context(|| format!("无法监听 {}", settings.addr))?;
    let local = listener.local_addr()?;
    tracing::info!(addr = %local, store = ?store.backend(), "gongkai listening");
    println!("gongkai 已启动：http://{local}/  （工作人员登录：http://{local}/login）");
    let web = web_config(&settings)?;
    let state = gongkai_web::AppState::new(store.clone(), web);
    let reminders = tokio::spawn(gongkai_web::mail::daily_reminders(state.clone()));
    tokio::spawn(gongkai_web::app::attachments::read_old_spreadsheets(state.clone()));
    // The search index: opened (or rebuilt when new or unreadable), then kept in step.
    let index_dir = settings.data_dir.join("index");
    let (index, fresh) = gongkai_search::SearchIndex::open(&index_dir).context("打开搜索索引")?;
    let index = std::sync::Arc::new(index);
    if fresh {
        // On stderr: stdout may be a pipe its reader closed after the line above.
        let bar = progress_bar(public_items(&store).await?, "条");
        bar.set_message("正在建立搜索索引");
        let n = index.rebuild(&store, &mut |done| bar.set_position(done)).await.context("建立搜索索引")?;
        bar.finish_and_clear();
        tracing::info!(search.documents = n, "search index built");
    }
    state.set_search(index).await;
    // The website self-check once a day (and now, when today's has not been made).
    let site_check = tokio::spawn(gongkai_web::app::site_check::daily(state.clone()));
    // The home page opened from outside every few minutes (when configured).
    let probes = tokio::spawn(gongkai_web::app::site_check::probes(state.clone()));
    // Concluded requests' figures kept on the calendar in force (after an upgrade, a notice).
    let kept_figures = tokio::spawn(gongkai_web::app::supervision::keep_request_figures(state.clone()));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let follower = tokio::spawn(state.clone().follow_store(async move {
        let mut rx = stop_rx;
        let _ = rx.changed().await;
    }));
    gongkai_web::serve(listener, state, shutdown).await?;
    let _ = stop_tx.send(true);
    let _ = follower.await;
    reminders.abort();
    site_check.abort();
    probes.abort();
    kept_figures.abort();
    store.close().await;
    tracing::info!("stopped");
    Ok(ExitCode::SUCCESS)
}

/// `gongkai files gc`: the files no row refers to, stored before the cut-off, deleted from
/// the database and from the data directory.
async fn collect_files(settings: &Settings, keep_hours: u32, dry_run: bool) -> Result<ExitCode> {
    use gongkai_store::files::Blobs;
    let store = open(settings).await?;
    // Read before anything is listed: a file referred to after this was stored again (and
    // stamped) by the upload that refers to it, so the cut-off keeps it.
    let referenced: std::collections::HashSet<String> = store.referenced_blobs().await?.into_iter().collect();
    let keep = chrono::Duration::hours(i64::from(keep_hours));
    let cut = store.now() - keep;
    let (mut n, mut bytes) = (0u64, 0u64);
    let mut after = String::new();
    loop {
        let page = store.blob_hashes(&after, 500).await?;
        let Some(last) = page.last() else { break };
        after = last.clone();
        for sha in page.iter().filter(|s| !referenced.contains(*s)) {
            if let Some(size) = store.collect_blob(sha, cut, dry_run).await? {
                n += 1;
                bytes += u64::try_from(size).unwrap_or(0);
            }
        }
    }
    let dir = Blobs::new(settings.data_dir.join("files"));
    let before = std::time::SystemTime::now() - keep.to_std().unwrap_or_default();
    let (dn, dbytes) = tokio::task::spawn_blocking(move || dir.collect_in_dir(&referenced, before, dry_run))
        .await?
        .context("清理数据目录中的文件")?;
    store.close().await;
    let (n, mb) = (n + dn, (bytes + dbytes) as f64 / 1_048_576.0);
    if dry_run {
        println!(
            "可清理 {n} 个无引用的文件，共 {mb:.1} MB（{keep_hours} 小时内存入的不计；未删除，去掉 --dry-run 即清理）"
        );
    } else {
        println!("已清理 {n} 个无引用的文件，释放 {mb:.1} MB（{keep_hours} 小时内存入的保留）");
    }
    Ok(ExitCode::SUCCESS)
}

/// `gongkai files migrate`: copies every referenced file to `to`, checking each by its hash.
async fn migrate_files(settings: &Settings, to: &str) -> Result<ExitCode> {
    use gongkai_store::files::{Blobs, FileStorage};
    let to = match to {
        "database" => FileStorage::Database,
        "directory" => FileStorage::Directory,
        _ => anyhow::bail!("--to 只能是 database（数据库）或 directory（数据目录）"),
    };
    let store = open(settings).await?;
    let dir = settings.data_dir.join("files");
    let (from, into) = match to {
        FileStorage::Database => (Blobs::new(&dir), Blobs::in_database(store.clone(), &dir)),
        _ => (Blobs::in_database(store.clone(), &dir), Blobs::new(&dir)),
    };
    let hashes = store.referenced_blobs().await?;
    let bar = progress_bar(hashes.len() as u64, "个文件");
    let (mut copied, mut there, mut missing) = (0u64, 0u64, Vec::new());
    for sha in &hashes {
        bar.inc(1);
        let already = match to {
            FileStorage::Database => store.blob_size(sha).await?.is_some(),
            _ => into.path(sha).exists(),
        };
        if already {
            there += 1;
            continue;
        }
        match from.get(sha).await {
            Ok(bytes) if Blobs::hash(&bytes) == *sha => {
                into.put(&bytes).await.with_context(|| format!("写入文件 {sha}"))?;
                copied += 1;
            }
            Ok(_) => missing.push(format!("{sha}（内容与哈希不符）")),
            Err(_) => missing.push(sha.clone()),
        }
    }
    bar.finish_and_clear();
    let place = if to == FileStorage::Database { "数据库" } else { "数据目录" };
    println!(
        "共 {} 个文件：复制到{place} {copied} 个，已在{place} {there} 个，缺失 {} 个",
        hashes.len(),
        missing.len()
    );
    for m in missing.iter().take(20) {
        println!("  缺失：{m}");
    }
    if missing.len() > 20 {
        println!("  ……另有 {} 个", missing.len() - 20);
    }
    println!(
        "请把配置 files 设为 \"{}\" 后重启各节点。",
        if to == FileStorage::Database { "database" } else { "directory" }
    );
    store.close().await;
    Ok(if missing.is_empty() { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// `gongkai export archive`: the org's year as a BagIt folder, with a progress bar.
async fn export_archive(settings: &Settings, org: &str, year: i32, out: Option<PathBuf>) -> Result<ExitCode> {
    let store = open(settings).await?;
    let org = store.org_by_code(org).await?.with_context(|| format!("单位「{org}」不存在"))?;
    let dir = out.unwrap_or_else(|| PathBuf::from(format!("archive-{}-{year}", org.code())));
    let bar = progress_bar(0, "个版本");
    let files = blobs(&store, settings);
    let mut progress = |done: u64, total: u64| {
        bar.set_length(total);
        bar.set_position(done);
    };
    let summary = gongkai_web::app::archive::export(&store, &files, &org, year, &dir, &mut progress)
        .await
        .map_err(|e| anyhow::anyhow!("{e}"))?;
    bar.finish_and_clear();
    println!(
        "已导出 {}{year} 年的 {} 条信息（{} 个版本，{} 个附件{}）到 {}：{} 个文件，{} 字节",
        org.name,
        summary.items,
        summary.revisions,
        summary.attachments,
        if summary.kept > 0 {
            format!("，续传时保留已完成的 {} 个版本", summary.kept)
        } else {
            String::new()
        },
        dir.display(),
        summary.files,
        summary.bytes
    );
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

/// Where this deployment keeps its attachment files.
fn blobs(store: &Store, settings: &Settings) -> gongkai_store::files::Blobs {
    gongkai_store::files::Blobs::for_store(store, settings.files, settings.data_dir.join("files"))
}

/// The HTTP settings with the paths under the data directory, the mail setting checked.
fn web_config(settings: &Settings) -> Result<gongkai_web::WebConfig> {
    let mut web = settings.web.clone();
    web.files_dir = settings.data_dir.join("files");
    web.files_storage = settings.files;
    if web.mail_dir == gongkai_web::WebConfig::default().mail_dir {
        web.mail_dir = settings.data_dir.join("mail");
    }
    if web.sms_dir == gongkai_web::WebConfig::default().sms_dir {
        web.sms_dir = settings.data_dir.join("sms");
    }
    gongkai_web::mail::Mailer::from_config(&web).map_err(|e| anyhow::anyhow!("邮件设置有误：{e}"))?;
    gongkai_web::sms::Sms::from_config(&web).map_err(|e| anyhow::anyhow!("短信设置有误：{e}"))?;
    web.trusted_proxy_nets().map_err(|e| anyhow::anyhow!(e))?;
    Ok(web)
}

async fn import(settings: &Settings, path: &std::path::Path, org: &str, section: Option<&str>) -> Result<ExitCode> {
    use gongkai_store::importer::{ImportTarget, count_documents, files, import_path_with_files};
    let store = open(settings).await?;
    let org = store.org_by_code(org).await?.with_context(|| format!("单位「{org}」不存在"))?;
    let section_id = match section {
        Some(name) => Some(
            store
                .sections(org.id)
                .await?
                .into_iter()
                .find(|s| s.name == name)
                .with_context(|| format!("{}没有栏目「{name}」", org.name))?
                .id,
        ),
        None => None,
    };
    anyhow::ensure!(path.exists(), "路径不存在：{}", path.display());
    let total = count_documents(&files(path)?)?;
    let bar = progress_bar(total, "篇");
    let mut failures = Vec::new();
    let mut warnings: Vec<(String, String)> = Vec::new();
    let mut report = |r: &gongkai_store::importer::DocReport| {
        bar.inc(1);
        bar.set_message(r.title.chars().take(30).collect::<String>());
        if let Err(e) = &r.outcome {
            failures.push(format!("{}  {}  失败：{e}", r.source, r.title));
        }
        for w in &r.warnings {
            warnings.push((w.clone(), format!("{}  {}", r.source, r.title)));
        }
    };
    // An archive's records attach their files: they go to the platform's file store.
    let blobs = blobs(&store, settings);
    let target = ImportTarget { org_id: org.id, section_id };
    let summary = import_path_with_files(&store, Some(&blobs), &AuditCtx::cli(), target, path, &mut report).await?;
    bar.finish_and_clear();
    for l in &failures {
        println!("{l}");
    }
    for line in warning_lines(&warnings) {
        println!("{line}");
    }
    println!(
        "导入 {} 篇，跳过 {} 篇（已导入过），失败 {} 篇，警告 {} 条",
        summary.imported, summary.skipped, summary.failed, summary.warnings
    );
    store.close().await;
    Ok(if summary.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

/// The warnings of an import, each kind once: a kind (the warning up to its first comma —
/// 未注明发布日期 whatever date was taken instead) that a few documents raised is listed
/// with each of them; one that many raised is one line with its count and the first three.
fn warning_lines(warnings: &[(String, String)]) -> Vec<String> {
    const LISTED: usize = 5;
    let kind = |w: &str| w.split(['，', ',']).next().unwrap_or(w).to_string();
    let mut kinds: Vec<(String, Vec<&(String, String)>)> = Vec::new();
    for w in warnings {
        let k = kind(&w.0);
        match kinds.iter_mut().find(|(known, _)| *known == k) {
            Some((_, ws)) => ws.push(w),
            None => kinds.push((k, vec![w])),
        }
    }
    let mut out = Vec::new();
    for (k, ws) in kinds {
        if ws.len() <= LISTED {
            out.extend(ws.iter().map(|(w, doc)| format!("{doc}\n    警告：{w}")));
        } else {
            let first: Vec<&str> = ws.iter().take(3).map(|(_, doc)| doc.as_str()).collect();
            out.push(format!("警告：{k}（{} 篇，如 {} 等；例：{}）", ws.len(), first.join("；"), ws[0].0));
        }
    }
    out
}

/// `gongkai gazette import`: each line of `issues.csv` an article of an issue; articles are
/// imported as items of the government (skipped when imported before), then each issue is
/// recorded with its printed numbers and its articles in order.
async fn import_gazette(settings: &Settings, dir: &std::path::Path, gov: &str) -> Result<ExitCode> {
    use gongkai_core::gazette::GazetteSection;
    use gongkai_store::ImportOutcome;
    use gongkai_store::gazette::PastIssue;
    use gongkai_store::importer::{ImportTarget, PdfDoc, import_path, import_pdf};
    let store = open(settings).await?;
    let gov = store.org_by_code(gov).await?.with_context(|| format!("单位「{gov}」不存在"))?;
    let manifest = dir.join("issues.csv");
    let text = std::fs::read_to_string(&manifest).with_context(|| format!("读取 {}", manifest.display()))?;
    let rows = gongkai_formats::tables::csv_cells(&text).map_err(|e| anyhow::anyhow!("{}：{e}", manifest.display()))?;
    // 标题 is optional: a `.txt`/`.html` article carries its own; a `.pdf` one may not.
    let header = ["年度", "期号", "总期号", "出版日期", "PDF", "栏目", "文件", "标题"];
    let first = rows.first().context("issues.csv 是空的")?;
    let named: Vec<&str> = first.iter().map(|c| c.trim().trim_start_matches('\u{feff}')).collect();
    anyhow::ensure!(
        (named.len() == 7 || named.len() == 8) && named.iter().zip(header).all(|(a, b)| *a == b),
        "issues.csv 的表头应为：{}（“标题”一列可省略）",
        header.join(",")
    );
    let blobs = blobs(&store, settings);
    // Issues in the order first named, each with its articles.
    let mut issues: Vec<(PastIssue, Vec<(i64, GazetteSection)>)> = Vec::new();
    let mut failed = 0;
    for (n, row) in rows.iter().enumerate().skip(1) {
        let line = n + 1;
        let cell = |i: usize| row.get(i).map(|c| c.trim()).unwrap_or_default();
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let parsed = (|| -> Result<(PastIssue, GazetteSection, PathBuf)> {
            let num =
                |i: usize, what: &str| cell(i).parse::<i64>().with_context(|| format!("{what}「{}」不是数字", cell(i)));
            let past = PastIssue {
                year: i32::try_from(num(0, "年度")?).context("年度无效")?,
                number: num(1, "期号")?,
                total: num(2, "总期号")?,
                published_on: date_arg(cell(3))?,
                pdf_url: cell(4).to_string(),
                title: String::new(),
            };
            let section = GazetteSection::parse(cell(5)).with_context(|| format!("栏目「{}」不是公报栏目", cell(5)))?;
            Ok((past, section, dir.join(cell(6))))
        })();
        let (past, section, file) = match parsed {
            Ok(p) => p,
            Err(e) => {
                println!("第 {line} 行：{e:#}");
                failed += 1;
                continue;
            }
        };
        let mut id = None;
        let mut report = |r: &gongkai_store::importer::DocReport| match &r.outcome {
            Ok(ImportOutcome::Created { id: i, .. }) | Ok(ImportOutcome::Skipped { id: i }) => id = Some(*i),
            Err(e) => println!("第 {line} 行 {}：{e}", r.source),
        };
        let target = ImportTarget { org_id: gov.id, section_id: None };
        let is_pdf = file.extension().and_then(|e| e.to_str()).is_some_and(|e| e.eq_ignore_ascii_case("pdf"));
        if is_pdf {
            // An article given only as printed: the PDF is its attachment and its text.
            match std::fs::read(&file) {
                Ok(bytes) => {
                    let source = file.display().to_string();
                    let doc =
                        PdfDoc { source: &source, bytes: &bytes, title: cell(7), published_on: past.published_on };
                    let r = import_pdf(&store, &blobs, &AuditCtx::cli(), target, doc).await;
                    for w in &r.warnings {
                        println!("第 {line} 行 {}：警告：{w}", r.source);
                    }
                    report(&r);
                }
                Err(e) => println!("第 {line} 行 {}：无法读取文件：{e}", file.display()),
            }
        } else if let Err(e) = import_path(&store, &AuditCtx::cli(), target, &file, &mut report).await {
            println!("第 {line} 行 {}：{e:#}", file.display());
        }
        let Some(id) = id else {
            failed += 1;
            continue;
        };
        match issues.iter_mut().find(|(p, _)| p.year == past.year && p.number == past.number) {
            Some((_, articles)) => articles.push((id, section)),
            None => issues.push((past, vec![(id, section)])),
        }
    }
    let mut done = 0;
    for (past, articles) in &issues {
        match store.import_gazette_issue(&AuditCtx::cli(), gov.id, past, articles).await {
            Ok(issue) => {
                done += 1;
                println!("{}{}：{} 篇", issue.title, issue.label(), articles.len());
            }
            Err(e) => {
                failed += 1;
                println!("{}年第{}期：{e}", past.year, past.number);
            }
        }
    }
    println!("导入公报 {done} 期，失败 {failed} 处");
    store.close().await;
    Ok(if failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn date_arg(s: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").with_context(|| format!("日期「{s}」应为 YYYY-MM-DD"))
}

async fn annual_report(
    settings: &Settings,
    code: &str,
    year: i32,
    format: &str,
    scope: &str,
    out: Option<PathBuf>,
) -> Result<ExitCode> {
    let scope = gongkai_core::report::Scope::parse(scope).context("scope 须为 org 或 tree")?;
    let store = open(settings).await?;
    let org = store.org_by_code(code).await?.with_context(|| format!("未找到单位 {code}"))?;
    let (report, row) = store.annual_report(&org, year, scope).await?;
    let published = gongkai_web::app::reports::published_on(
        row.as_ref().filter(|r| r.state == gongkai_core::report::ReportState::Published),
    );
    let problems = store.report_problems(&report, org.id).await?;
    let bytes = match format {
        "md" => gongkai_core::report::markdown(&report, published).into_bytes(),
        "json" => serde_json::to_vec_pretty(&serde_json::json!({
            "state": row.as_ref().map(|r| r.state.as_str()).unwrap_or("none"),
            "published_on": published,
            "due_on": gongkai_core::report::due_on(org.kind, year),
            "problems": if published.is_some() { Vec::new() } else { problems.clone() },
            "report": report,
        }))?,
        "html" => gongkai_web::app::reports::standalone_html(&org, report, published)?.into_bytes(),
        "xlsx" => {
            anyhow::ensure!(out.is_some(), "xlsx 须用 --out 指定输出文件");
            gongkai_formats::report_xlsx::xlsx(&report, published)?
        }
        other => anyhow::bail!("格式 {other} 无效，可选：html、md、json、xlsx"),
    };
    match out {
        Some(path) => std::fs::write(&path, bytes).with_context(|| format!("写入 {}", path.display()))?,
        None => {
            use std::io::Write;
            std::io::stdout().write_all(&bytes)?;
        }
    }
    if published.is_none() && !problems.is_empty() {
        eprintln!("草稿，审核前须解决 {} 个问题：", problems.len());
        for p in &problems {
            eprintln!("  - {}", p.message);
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn calendar(settings: &Settings, cmd: CalendarCommand) -> Result<ExitCode> {
    let store = open(settings).await?;
    let cal = store.calendar().await?;
    match cmd {
        CalendarCommand::IsWorkday { date } => println!("{}", cal.is_workday(date_arg(&date)?)?),
        CalendarCommand::AddWorkdays { date, n } => {
            let from = date_arg(&date)?;
            let due = cal.add_workdays(from, n)?;
            println!("{due}");
            if cal.provisional_between(from, due) {
                eprintln!("暂定：所经年度的节假日安排尚未载入，按《全国年节及纪念日放假办法》的法定节假日推算");
            }
        }
        CalendarCommand::Workdays { from, to } => {
            for d in cal.workdays(date_arg(&from)?, date_arg(&to)?)? {
                println!("{d}");
            }
        }
        CalendarCommand::Count { from, to } => println!("{}", cal.count(date_arg(&from)?, date_arg(&to)?)?),
        CalendarCommand::Load { file } => {
            let text = std::fs::read_to_string(&file).with_context(|| format!("读取 {}", file.display()))?;
            let year = store.load_holiday_year(&AuditCtx::cli(), &text).await?;
            println!("已载入 {} 年节假日安排（{}，{} 个日期）", year.year, year.notice, year.days.len());
        }
        CalendarCommand::List => {
            for y in cal.years() {
                println!("{}\t{}\t{}", y.year, y.notice, y.title);
            }
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}

async fn search(settings: &Settings, query: &str, json: bool) -> Result<ExitCode> {
    let store = open(settings).await?;
    let dir = settings.data_dir.join("index");
    let (index, fresh) = gongkai_search::SearchIndex::open(&dir).context("打开搜索索引")?;
    if fresh {
        index.rebuild(&store, &mut |_| {}).await?;
    } else {
        index.refresh()?;
        // Bring it up to date when no server holds the writer.
        let _ = index.catch_up(&store, 0).await;
    }
    let r = index
        .search(&gongkai_search::SearchRequest { q: query.to_string(), page: 1, per_page: 20, ..Default::default() })?
        .with_snippets(&store)
        .await?;
    if json {
        println!("{}", serde_json::to_string_pretty(&r)?);
    } else {
        if let Some(n) = &r.note {
            eprintln!("{n}");
        }
        println!("{} {} 条", if r.total_is_estimate { "约" } else { "共" }, r.total);
        for h in &r.hits {
            let date = h.published_at.map(|t| gongkai_core::index_no::beijing_date(t).to_string()).unwrap_or_default();
            println!("{}\t{}\t{}\t{}\t{}", h.id, date, h.org_name, h.doc_no, h.title);
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A progress bar for a long job, with the total and the time left:
/// `[00:01:02] ████████░░░░ 1200/5000 条，剩余约 3m  关于…` (drawn on a terminal only).
pub(crate) fn progress_bar(total: u64, unit: &str) -> indicatif::ProgressBar {
    let bar = indicatif::ProgressBar::new(total);
    let template = format!("[{{elapsed_precise}}] {{bar:30}} {{pos}}/{{len}} {unit}，剩余约 {{eta}}  {{msg}}");
    bar.set_style(
        indicatif::ProgressStyle::with_template(&template).unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    bar
}

/// How many items are public: the total of an index build.
async fn public_items(store: &Store) -> Result<u64> {
    Ok(u64::try_from(store.public_count(&Default::default()).await?).unwrap_or(0))
}

async fn reindex(settings: &Settings) -> Result<ExitCode> {
    let store = open(settings).await?;
    let dir = settings.data_dir.join("index");
    let bar = progress_bar(public_items(&store).await?, "条");
    let n = gongkai_search::SearchIndex::rebuild_into(&dir, &store, &mut |done| bar.set_position(done)).await?;
    bar.finish_and_clear();
    println!("搜索索引已重建：{n} 条");
    Ok(ExitCode::SUCCESS)
}

/// Reads the password for `username` from the first line of stdin (the account policy:
/// length, kinds, not common, not the name).
fn read_password(username: &Username) -> Result<Password> {
    let mut line = String::new();
    std::io::stdin().lock().read_line(&mut line).context("从标准输入读取密码")?;
    let line = line.trim_end_matches(['\r', '\n']);
    if line.is_empty() {
        bail!("请从标准输入提供密码，例如：echo 'PASSWORD' | gongkai admin add-user …");
    }
    Ok(Password::parse_for(line, username.as_str())?)
}

/// Disables or enables a user by login name.
async fn set_active(store: &Store, ctx: &AuditCtx, username: &str, active: bool) -> Result<()> {
    let username = Username::parse(username)?;
    let user =
        store.user_by_username(&username).await?.with_context(|| format!("用户「{}」不存在", username.as_str()))?;
    store.set_user_active(ctx, user.id, active).await?;
    println!("已{}用户 {}", if active { "启用" } else { "停用" }, username.as_str());
    Ok(())
}

async fn admin(settings: &Settings, cmd: AdminCommand) -> Result<ExitCode> {
    let store = open(settings).await?;
    let ctx = AuditCtx::cli();
    match cmd {
        AdminCommand::AddOrg { parent, code, name, short_name, kind } => {
            let ident = OrgIdent::parse(&code)?;
            let org = store.create_org(&ctx, NewOrg { parent_code: parent, ident, name, short_name, kind }).await?;
            println!("已添加单位：{}（{}）", org.name, org.code());
        }
        AdminCommand::AddUser { org, username, display_name, roles } => {
            let username = Username::parse(&username)?;
            if store.org_by_code(&org).await?.is_none() {
                bail!("单位「{org}」不存在");
            }
            let password = read_password(&username)?;
            let password_hash = store.hash_password(&password)?;
            let org_code = OrgIdent::parse(&org)?.as_str().to_string();
            let user = store
                .create_user_by_admin(&ctx, NewUser { org_code, username, display_name, password_hash, roles })
                .await?;
            let roles: Vec<&str> = user.roles.iter().map(|r| r.as_str()).collect();
            println!("已添加用户：{}（角色：{}）", user.username.as_str(), roles.join(", "));
        }
        AdminCommand::SetPassword { username } => {
            let username = Username::parse(&username)?;
            let password = read_password(&username)?;
            store.set_password(&ctx, &username, store.hash_password(&password)?).await?;
            println!("已重置用户 {} 的密码", username.as_str());
        }
        AdminCommand::DisableUser { username } => set_active(&store, &ctx, &username, false).await?,
        AdminCommand::EnableUser { username } => set_active(&store, &ctx, &username, true).await?,
        AdminCommand::SetRoles { username, roles } => {
            let username = Username::parse(&username)?;
            let user = store
                .user_by_username(&username)
                .await?
                .with_context(|| format!("用户「{}」不存在", username.as_str()))?;
            store.set_user_roles(&ctx, user.id, &roles).await?;
            let labels: Vec<&str> = roles.iter().map(|r| r.label()).collect();
            println!("已设置用户 {} 的角色：{}", username.as_str(), labels.join("、"));
        }
        AdminCommand::SetEmail { username, email } => {
            let username = Username::parse(&username)?;
            let user = store
                .user_by_username(&username)
                .await?
                .with_context(|| format!("用户「{}」不存在", username.as_str()))?;
            store.set_user_email(&ctx, user.id, &email).await?;
            println!("已设置用户 {} 的通知邮箱", username.as_str());
        }
        AdminCommand::AddToken { username, name } => {
            let username = Username::parse(&username)?;
            let user = store
                .user_by_username(&username)
                .await?
                .with_context(|| format!("用户「{}」不存在", username.as_str()))?;
            let (_, secret) = store.create_token(&ctx, user.id, &name).await?;
            println!("{secret}");
        }
        AdminCommand::RevokeToken { id } => {
            store.revoke_token(&ctx, id).await?;
            println!("已吊销令牌 {id}");
        }
    }
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
