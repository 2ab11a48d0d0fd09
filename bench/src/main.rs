//! `gongkai-bench search --n N`: builds N items of about 4 KB from the corpus paragraphs
//! through the real import path, indexes them, and measures query latency over a fixed
//! query mix — and, in the same run, the same corpus and queries in SQLite FTS5 (trigram
//! tokenizer, LIKE for two-character queries, what a team would reach for first). Prints a
//! Markdown table with ratios and, with `--out`, writes it into bench/README.md.
//!
//! `gongkai-bench pages --n N`: serves the same corpus with `gongkai serve` and loads the
//! home, item, catalog and search pages and a static file with wrk (see `pages.rs`). With
//! `--old BIN`, only the search page with distinct queries, an older build's server and this
//! one's in turn, for judging a change side by side.
//!
//! `gongkai-bench summaries --n N --orgs K --requests R`: the office's summary pages and the
//! catalog page over N items and R requests spread across K orgs (see `summaries.rs`).
#![forbid(unsafe_code)]
#![expect(clippy::disallowed_methods, reason = "a benchmark stamps its runs with the real time")]

/// The allocator of the `gongkai` binary, so the import measured here is the one it runs.
#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;

mod lists;
mod pages;
mod peers;
mod relevance;
mod summaries;

use anyhow::{Context, Result};
use clap::Parser;
use gongkai_search::{SearchIndex, SearchRequest};
use gongkai_store::import::ImportedItem;
use gongkai_store::{AuditCtx, ItemDraft, Store};
use sqlx::Connection;
use std::time::{Duration, Instant};

#[derive(Parser)]
struct Args {
    /// Which benchmark.
    #[arg(default_value = "search")]
    which: String,
    /// Number of items.
    #[arg(long, default_value_t = 20_000)]
    n: usize,
    /// Runs of each query.
    #[arg(long, default_value_t = 30)]
    runs: usize,
    /// `queries`: only the queries whose name contains this (for profiling one).
    #[arg(long)]
    only: Option<String>,
    /// Write the results into this Markdown file (replacing its search section).
    #[arg(long)]
    out: Option<std::path::PathBuf>,
    /// Results per query page (what the portal shows: 20).
    #[arg(long, default_value_t = 20)]
    per_page: usize,
    /// The texts for `relevance` (JSONL with title and body).
    #[arg(long)]
    laws: Option<std::path::PathBuf>,
    /// `relevance`: take every STEP-th text.
    #[arg(long, default_value_t = 1)]
    step: usize,
    /// Keep the store, index and FTS5 database in this directory, and reuse them when a
    /// previous run with the same N left them there (for iterating on queries).
    #[arg(long)]
    dir: Option<std::path::PathBuf>,
    /// `pages`: the gongkai binary to serve with (default: next to this one).
    #[arg(long)]
    gongkai: Option<std::path::PathBuf>,
    /// `pages`: instead of every page, load the search page with distinct queries served in
    /// turn by this older gongkai binary and by `--gongkai`, side by side.
    #[arg(long)]
    old: Option<std::path::PathBuf>,
    /// `pages --old`: rounds of the two servers in turn.
    #[arg(long, default_value_t = 3)]
    rounds: usize,
    /// `pages`: seconds of load per page and variant.
    #[arg(long, default_value_t = 10)]
    secs: u64,
    /// `summaries`: the orgs the items and requests are spread over.
    #[arg(long, default_value_t = 1)]
    orgs: usize,
    /// `summaries`: requests filed this year across the orgs.
    #[arg(long, default_value_t = 0)]
    requests: usize,
    /// `summaries`: also measure the build moved to this PostgreSQL database with
    /// `gongkai migrate-store` (an empty database; a later run with the same build reuses it).
    #[arg(long, env = "GONGKAI_BENCH_PG", hide_env_values = true)]
    pg: Option<String>,
}

/// What a reused build remembers of how long it took.
#[derive(serde::Serialize, serde::Deserialize)]
struct Built {
    n: usize,
    /// The import alone (the index following at the same time).
    import_secs: f64,
    /// From the start of the import until the index held every item.
    all_secs: f64,
    /// Indexing the stored items again, alone (when a reused build's index was rebuilt).
    #[serde(default)]
    reindex_secs: Option<f64>,
    fts_secs: f64,
    /// The orgs the items are spread over.
    #[serde(default = "one")]
    orgs: usize,
    /// Requests filed (`summaries`).
    #[serde(default)]
    requests: usize,
}

fn one() -> usize {
    1
}

/// Documents per import transaction (one commit, one fsync per batch).
const BATCH: usize = 500;

const CORPUS: &[&str] = &[
    include_str!("../../demo/corpus/000_a46ebe3c9fae9831.txt"),
    include_str!("../../demo/corpus/001_48fbd0a234bc08f9.txt"),
    include_str!("../../demo/corpus/002_b0d84d08535e947a.txt"),
    include_str!("../../demo/corpus/003_b2b1b5630be58451.txt"),
    include_str!("../../demo/corpus/004_0bc03b790c89a567.txt"),
];

struct Rng(u64);
impl Rng {
    fn next(&mut self) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) as usize
    }
}

struct Doc {
    title: String,
    doc_no: String,
    body: String,
    year: i32,
}

/// Whether the run compares with FTS5 (`search`, and `peers` unless `--only` leaves it out):
/// only then is its database built, at a million items nine minutes more.
fn wants_fts(args: &Args) -> bool {
    match args.which.as_str() {
        "search" => true,
        "peers" => peers::wanted(args.only.as_deref(), "fts5"),
        _ => false,
    }
}

/// The SQLite store of a build in `base` (`gk.db`), as a URL.
pub(crate) fn build_db_url(base: &std::path::Path) -> String {
    format!("sqlite://{}", base.join("gk.db").display())
}

/// When and on what a run was made: the date, the cores, the build.
pub(crate) fn run_on() -> String {
    format!(
        "{} on {} cores, {}",
        chrono::Utc::now().format("%Y-%m-%d"),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        if cfg!(debug_assertions) { "debug build — figures not meaningful" } else { "release build" }
    )
}

/// The corpus paragraphs the generator draws from.
fn paragraphs() -> Vec<&'static str> {
    CORPUS.iter().flat_map(|t| t.lines()).map(str::trim).filter(|l| l.chars().count() > 30).collect()
}

/// Document `i` of the generated corpus: deterministic from `i` alone, so a run of a million
/// never holds the corpus in memory (it is made again for the FTS5 baseline).
fn doc(paras: &[&str], i: usize) -> Doc {
    let prefixes = ["黔江府办发", "永政办函", "常经信办", "武政发", "渝府办发"];
    let mut rng = Rng(7 ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    rng.next();
    let mut body = String::new();
    while body.len() < 4000 {
        body.push_str(paras[rng.next() % paras.len()]);
        body.push('\n');
    }
    let t: String = paras[rng.next() % paras.len()].chars().skip(rng.next() % 10).take(12 + rng.next() % 14).collect();
    let year = 2008 + (rng.next() % 19) as i32;
    Doc {
        title: format!("{t}（第{i}号）"),
        doc_no: format!("{}〔{year}〕{}号", prefixes[i % prefixes.len()], i + 1),
        body,
        year,
    }
}

/// When a generated document of `year` was published.
fn published(year: i32) -> Result<chrono::DateTime<chrono::Utc>> {
    Ok(chrono::NaiveDate::from_ymd_opt(year, 6, 1).context("date")?.and_hms_opt(2, 0, 0).context("time")?.and_utc())
}

/// Document `i` as the import gets it.
fn generated_item(paras: &[&str], i: usize) -> Result<ImportedItem> {
    let d = doc(paras, i);
    let published = published(d.year)?;
    Ok(ImportedItem {
        draft: ItemDraft {
            title: d.title,
            doc_no: d.doc_no,
            body: gongkai_core::html::from_plain_text(&d.body),
            topic: "综合政务".into(),
            genre: ["通知", "意见", "行政规范性文件"][i % 3].into(),
            ..Default::default()
        },
        index_no: None,
        published_at: published,
        validity: gongkai_core::item::Validity::Valid,
        repealed_on: None,
        source_key: format!("bench-{i}"),
        source: "bench".into(),
        attachments: Vec::new(),
    })
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize]
}

/// The process's resident memory in MB: all of it, and the anonymous part (the rest are pages
/// of mapped files — the index — which the kernel may drop and read again).
fn rss_mb() -> (f64, f64) {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .map_or(0.0, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("RssAnon:"))
}

fn dir_size(p: &std::path::Path) -> u64 {
    std::fs::read_dir(p)
        .map(|rd| {
            rd.filter_map(Result::ok)
                .map(
                    |e| {
                        if e.path().is_dir() { dir_size(&e.path()) } else { e.metadata().map(|m| m.len()).unwrap_or(0) }
                    },
                )
                .sum()
        })
        .unwrap_or(0)
}

/// Replaces the section after `marker` (up to the next `## ` heading or `<!-- ` marker) in a
/// Markdown file.
fn write_section(out: &std::path::Path, marker: &str, md: &str) -> Result<()> {
    let old = std::fs::read_to_string(out).unwrap_or_default();
    let (head, rest) = match old.split_once(marker) {
        Some((h, r)) => {
            // The section ends at the next heading or marker.
            let end = [r.find("\n## "), r.find("<!-- ")].into_iter().flatten().min();
            (h.trim_end().to_string(), end.map(|i| r[i..].trim_start().to_string()).unwrap_or_default())
        }
        None => (old.trim_end().to_string(), String::new()),
    };
    let tail = if rest.is_empty() { String::new() } else { format!("\n{rest}") };
    std::fs::write(out, format!("{head}\n\n{marker}\n{}\n{tail}", md.trim_end()))?;
    Ok(())
}

/// Where indexing time goes: folding, jieba and bigrams over N generated bodies.
fn analysis(n: usize) -> Result<String> {
    use gongkai_search::analysis::{BigramTokenizer, ZhTokenizer, fold};
    let paras = paragraphs();
    let docs: Vec<Doc> = (0..n).map(|i| doc(&paras, i)).collect();
    let mb = docs.iter().map(|d| d.body.len()).sum::<usize>() as f64 / 1e6;
    let mut md = format!("analysis of {n} bodies ({mb:.1} MB):\n");
    let mut time = |name: &str, f: &dyn Fn(&str) -> usize| {
        let t = Instant::now();
        let tokens: usize = docs.iter().map(|d| f(&d.body)).sum();
        let secs = t.elapsed().as_secs_f64();
        md.push_str(&format!("- {name}: {:.0} docs/s, {:.1} MB/s, {tokens} tokens\n", n as f64 / secs, mb / secs));
    };
    time("fold", &|b| fold(b).len());
    // As the index reads them: a token stream.
    fn count(mut s: impl tantivy::tokenizer::TokenStream) -> usize {
        let mut n = 0;
        while s.advance() {
            n += s.token().text.len().min(1);
        }
        n
    }
    time("jieba words (stream)", &|b| count(tantivy::tokenizer::Tokenizer::token_stream(&mut ZhTokenizer, b)));
    time("bigrams (stream)", &|b| count(tantivy::tokenizer::Tokenizer::token_stream(&mut BigramTokenizer, b)));
    time("jieba cut_for_search, HMM, folded text (raw)", &|b| {
        gongkai_search::analysis::JIEBA.cut_for_search(&fold(b), true).len()
    });
    let j = &gongkai_search::analysis::JIEBA;
    time("jieba cut_for_search, no HMM (raw)", &|b| j.cut_for_search(b, false).len());
    time("jieba cut_for_search, HMM (raw)", &|b| j.cut_for_search(b, true).len());
    time("jieba cut, no HMM (raw)", &|b| j.cut(b, false).len());
    // The store's side of an import and the index's reading back.
    time("html from plain text", &|b| gongkai_core::html::from_plain_text(b).len());
    time("html sanitize", &|b| gongkai_core::html::sanitize(&gongkai_core::html::from_plain_text(b)).len());
    time("html to text", &|b| gongkai_core::html::to_text(&gongkai_core::html::from_plain_text(b)).len());
    println!("{md}");
    Ok(md)
}

/// Imports N generated items through the store while the index follows the outbox, as a
/// serving node does while `gongkai import` runs: answers the store, the index, the seconds
/// the import took and the seconds until the index held everything.
async fn build_store_and_index(
    base: &std::path::Path,
    n: usize,
    orgs: usize,
) -> Result<(Store, SearchIndex, f64, f64)> {
    let store = Store::open_and_migrate(&build_db_url(base)).await?;
    let ctx = AuditCtx::cli();
    // Each batch goes to one org, in turn.
    let org_ids = summaries::make_orgs(&store, orgs.max(1)).await?;
    let (index, _) = SearchIndex::open(&base.join("index"))?;
    let index = std::sync::Arc::new(index);
    let imported = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    eprintln!("importing {n} items while indexing …");
    let started = Instant::now();
    // The follower, as a serving node runs it: every two seconds it applies what the outbox
    // holds (committing once it has caught up), until the import is over and nothing is left.
    let follower = {
        let (index, store, imported) = (index.clone(), store.clone(), imported.clone());
        tokio::spawn(async move {
            loop {
                let done = imported.load(std::sync::atomic::Ordering::SeqCst);
                let applied = index.catch_up(&store, 0).await?;
                if done && applied == 0 {
                    return Ok::<f64, anyhow::Error>(started.elapsed().as_secs_f64());
                }
                if !done {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                }
            }
        })
    };
    // The documents are made on a thread of their own, a batch or two ahead of the store
    // (as `gongkai import` reads its file ahead): making them is not what is measured.
    let (batches_tx, mut batches) = tokio::sync::mpsc::channel(2);
    let generator = tokio::task::spawn_blocking(move || {
        let paras = paragraphs();
        for start in (0..n).step_by(BATCH) {
            let batch =
                (start..(start + BATCH).min(n)).map(|i| generated_item(&paras, i)).collect::<Result<Vec<_>>>()?;
            if batches_tx.blocking_send(batch).is_err() {
                break;
            }
        }
        Ok::<(), anyhow::Error>(())
    });
    let mut stored = 0;
    while let Some(batch) = batches.recv().await {
        let before = stored;
        let org_id = org_ids[(stored / BATCH) % org_ids.len()];
        stored += batch.len();
        for r in store.import_items(&ctx, org_id, batch).await? {
            r?;
        }
        if stored / 100_000 > before / 100_000 {
            eprintln!(
                "  {stored} stored ({:.0}/s), {} indexed",
                stored as f64 / started.elapsed().as_secs_f64(),
                index.applied()
            );
        }
    }
    generator.await??;
    let import_secs = started.elapsed().as_secs_f64();
    imported.store(true, std::sync::atomic::Ordering::SeqCst);
    let all_secs = follower.await??;
    let index = std::sync::Arc::into_inner(index).context("the follower still holds the index")?;
    Ok((store, index, import_secs, all_secs))
}

/// Loads the same N documents into SQLite FTS5 (trigram).
async fn build_fts(path: &std::path::Path, paras: &[&str], n: usize) -> Result<(sqlx::SqliteConnection, f64)> {
    let mut fts = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", path.display())).await?;
    let started = Instant::now();
    // The table is made in the same transaction as its rows: a build stopped half way leaves
    // no table, so the next run builds it again instead of reusing an empty one.
    sqlx::raw_sql("BEGIN").execute(&mut fts).await?;
    // The publication date beside the text (not indexed), for sorting newest first.
    sqlx::raw_sql("CREATE VIRTUAL TABLE fts USING fts5(title, doc_no, body, published UNINDEXED, tokenize='trigram')")
        .execute(&mut fts)
        .await?;
    for i in 0..n {
        let d = doc(paras, i);
        sqlx::query("INSERT INTO fts (title, doc_no, body, published) VALUES ($1, $2, $3, $4)")
            .bind(&d.title)
            .bind(&d.doc_no)
            .bind(&d.body)
            .bind(published(d.year)?.timestamp())
            .execute(&mut fts)
            .await?;
    }
    sqlx::raw_sql("COMMIT").execute(&mut fts).await?;
    let fts_secs = started.elapsed().as_secs_f64();
    Ok((fts, fts_secs))
}

/// The FTS5 form of a query: words ANDed (trigram needs 3+ characters; shorter words fall
/// back to LIKE, a full scan), bm25 with the title weighted double. Like gongkai's, the page
/// needs the total as well as the first 20 with their titles, 发文字号 and snippets (FTS5's
/// `snippet()`; a `LIKE` match has none, and shows the text's start). Answers the page's
/// query, the count's and the values bound to both.
fn fts_query(q: &str, newest: bool) -> (String, String, Vec<String>) {
    let words: Vec<String> = q.replace('"', " ").split_whitespace().map(str::to_string).collect();
    if words.iter().all(|w| w.chars().count() >= 3) {
        let m = words.iter().map(|w| format!("\"{w}\"")).collect::<Vec<_>>().join(" AND ");
        let order = if newest { "published DESC" } else { "bm25(fts, 2.0, 2.0, 1.0)" };
        (
            format!(
                "SELECT rowid, title, doc_no, snippet(fts, 2, '<b>', '</b>', '…', 64) FROM fts \
                 WHERE fts MATCH $1 ORDER BY {order} LIMIT 20"
            ),
            "SELECT count(*) FROM fts WHERE fts MATCH $1".into(),
            vec![m],
        )
    } else {
        let conds: Vec<String> = (1..=words.len()).map(|i| format!("(title LIKE ${i} OR body LIKE ${i})")).collect();
        (
            format!(
                "SELECT rowid, title, doc_no, substr(body, 1, 120) FROM fts WHERE {}{} LIMIT 20",
                conds.join(" AND "),
                if newest { " ORDER BY published DESC" } else { "" }
            ),
            format!("SELECT count(*) FROM fts WHERE {}", conds.join(" AND ")),
            words.iter().map(|w| format!("%{w}%")).collect(),
        )
    }
}

/// Runs one FTS5 results page (the hits, then the total); answers the total.
async fn fts_page(
    fts: &mut sqlx::SqliteConnection,
    (sql, count_sql, binds): &(String, String, Vec<String>),
) -> Result<i64> {
    let mut q = sqlx::query(sqlx::AssertSqlSafe(sql.clone()));
    for b in binds {
        q = q.bind(b.clone());
    }
    q.fetch_all(&mut *fts).await?;
    let mut c = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(count_sql.clone()));
    for b in binds {
        c = c.bind(b.clone());
    }
    Ok(c.fetch_one(&mut *fts).await?)
}

#[tokio::main]
async fn main() -> Result<()> {
    run(Args::parse()).await.map(|_| ())
}

/// Runs a benchmark; answers the Markdown table.
async fn run(args: Args) -> Result<String> {
    if args.which == "analysis" {
        return analysis(args.n);
    }
    if args.which == "relevance" {
        let laws = args.laws.clone().unwrap_or_else(|| "../shared/laws/regulations.jsonl".into());
        let md = relevance::run(&laws, args.step).await?;
        if let Some(out) = &args.out {
            write_section(out, "<!-- relevance-results -->", &md)?;
        }
        return Ok(md);
    }
    if args.which == "lists" {
        let md = lists::run(args.n, args.runs).await?;
        println!("{md}");
        if let Some(out) = &args.out {
            write_section(out, "<!-- lists-results -->", &md)?;
        }
        return Ok(md);
    }
    if args.which == "ingest" {
        // The import and the index following it, without FTS5 or queries (for profiling).
        let built = prepare(&args).await?;
        let b = &built.built;
        let (rss, anon) = rss_mb();
        let md = format!(
            "ingest of {} items: {:.0} items/s end to end (the store alone {:.0}/s), index {:.1} MB, RSS {:.0} MB ({:.0} MB anonymous)\n",
            args.n,
            args.n as f64 / b.all_secs,
            args.n as f64 / b.import_secs,
            dir_size(&built.base.join("index")) as f64 / 1e6,
            rss,
            anon
        );
        println!("{md}");
        return Ok(md);
    }
    if args.which == "pages" {
        let built = prepare(&args).await?;
        let base = built.base.clone();
        // The server takes the index's writer: close ours first.
        drop(built.index);
        drop(built.fts);
        let gongkai = match &args.gongkai {
            Some(p) => p.clone(),
            None => std::env::current_exe()?.with_file_name("gongkai"),
        };
        let queries = peers::queries(&paragraphs(), peers::QUERIES);
        if let Some(old) = &args.old {
            // The build's first start runs the website self-check; time after it.
            let (server, _) = pages::start(&gongkai, &base)?;
            pages::await_site_check(&built.store).await?;
            drop(server);
            let md = pages::old_against_new(old, &gongkai, &base, args.secs, args.rounds, &queries).await?;
            println!("{md}");
            if let Some(out) = &args.out {
                write_section(out, "<!-- pages-old-new-results -->", &md)?;
            }
            return Ok(md);
        }
        let md = pages::run(&gongkai, &base, &built.store, args.n, args.secs, &queries).await?;
        println!("{md}");
        if let Some(out) = &args.out {
            write_section(out, "<!-- pages-results -->", &md)?;
        }
        return Ok(md);
    }
    if args.which == "summaries" {
        let Prepared { base, store, index, mut built, .. } = prepare(&args).await?;
        if built.requests != args.requests {
            anyhow::ensure!(built.requests == 0, "the build in {} holds {} requests", base.display(), built.requests);
            let orgs: Vec<i64> = store.orgs().await?.iter().map(|o| o.id).collect();
            eprintln!("filing {} requests across {} orgs …", args.requests, orgs.len());
            let secs = summaries::file_requests(&store, &orgs, args.requests).await?;
            eprintln!("filed in {secs:.0} s");
            built.requests = args.requests;
            std::fs::write(base.join("built.json"), serde_json::to_vec(&built)?)?;
        }
        // The server takes the index's writer: close ours first.
        drop(index);
        drop(store);
        let gongkai = match &args.gongkai {
            Some(p) => p.clone(),
            None => std::env::current_exe()?.with_file_name("gongkai"),
        };
        let sqlite = build_db_url(&base);
        let mut databases = vec![(base.clone(), sqlite.clone())];
        if let Some(pg) = &args.pg {
            databases.push((summaries::moved_to_postgres(&gongkai, &base, &sqlite, pg, args.requests)?, pg.clone()));
        }
        let mut md = String::new();
        for (dir, database) in &databases {
            md.push_str(
                &summaries::run(summaries::Input {
                    gongkai: &gongkai,
                    dir,
                    database,
                    n: args.n,
                    orgs: args.orgs,
                    requests: args.requests,
                    secs: args.secs,
                    runs: args.runs,
                })
                .await?,
            );
            md.push('\n');
        }
        println!("{md}");
        if let Some(out) = &args.out {
            write_section(out, "<!-- summaries-results -->", &md)?;
        }
        return Ok(md);
    }
    if args.which == "peers" {
        let Prepared { base, store, index, built, mut fts, _tmp } = prepare(&args).await?;
        // The server takes the index's writer: close ours first.
        drop(index);
        drop(store);
        let gongkai = match &args.gongkai {
            Some(p) => p.clone(),
            None => std::env::current_exe()?.with_file_name("gongkai"),
        };
        let paras = paragraphs();
        let md = peers::run(peers::Input {
            gongkai: &gongkai,
            base: &base,
            paras: &paras,
            n: args.n,
            build_rate: args.n as f64 / built.all_secs,
            fts: &mut fts,
            fts_secs: built.fts_secs,
            only: args.only.as_deref(),
        })
        .await?;
        println!("{md}");
        if let Some(out) = &args.out {
            write_section(out, "<!-- peers-results -->", &md)?;
        }
        return Ok(md);
    }
    // `queries`: gongkai's side of the query mix alone, on a reused build (for iterating).
    anyhow::ensure!(matches!(args.which.as_str(), "search" | "queries"), "unknown benchmark {}", args.which);
    let with_fts = args.which == "search";
    let Prepared { base, store, index, built, mut fts, _tmp } = prepare(&args).await?;
    let fts_path = base.join("fts.db");
    let query_doc_no = doc(&paragraphs(), args.n / 2).doc_no;
    let Built { import_secs, all_secs, reindex_secs, fts_secs, .. } = built;
    let index_mb = dir_size(&base.join("index")) as f64 / 1e6;
    let fts_mb = std::fs::metadata(&fts_path).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    let queries: Vec<(&str, SearchRequest)> = vec![
        ("one word", SearchRequest { q: "政务公开".into(), page: 1, per_page: args.per_page, ..Default::default() }),
        (
            "one word + facets filter",
            SearchRequest {
                q: "政务公开".into(),
                year: Some(2017),
                genre: Some("通知".into()),
                page: 1,
                per_page: args.per_page,
                ..Default::default()
            },
        ),
        (
            "two words",
            SearchRequest { q: "政务公开 考核".into(), page: 1, per_page: args.per_page, ..Default::default() },
        ),
        (
            "phrase",
            SearchRequest { q: "\"依申请公开\"".into(), page: 1, per_page: args.per_page, ..Default::default() },
        ),
        ("two characters", SearchRequest { q: "解读".into(), page: 1, per_page: args.per_page, ..Default::default() }),
        (
            "one word, newest first",
            SearchRequest {
                q: "政务公开".into(),
                sort: gongkai_search::Sort::Date,
                page: 1,
                per_page: args.per_page,
                ..Default::default()
            },
        ),
        (
            "doc_no",
            SearchRequest {
                q: query_doc_no.replace('〔', "[").replace('〕', "]"),
                page: 1,
                per_page: args.per_page,
                ..Default::default()
            },
        ),
    ];
    let mut rows = Vec::new();
    for (name, req) in &queries {
        if args.only.as_deref().is_some_and(|o| !name.contains(o)) {
            continue;
        }
        let mut ours = Vec::new();
        let mut total = 0;
        // Warm-up (the first touch of a cold index reads it from disk), then the timed runs.
        // A results page: the hits, the total and the facets from the index, the snippets
        // from the store's texts.
        for _ in 0..3 {
            index.search(req)?.with_snippets(&store).await?;
        }
        for _ in 0..args.runs {
            let t = Instant::now();
            total = index.search(req)?.with_snippets(&store).await?.total;
            ours.push(t.elapsed());
        }
        ours.sort();
        let fts_form = fts_query(&req.q, req.sort == gongkai_search::Sort::Date);
        if !with_fts {
            let ms = |d: Duration| d.as_secs_f64() * 1000.0;
            println!(
                "{name} ({total} hits): p50 {:.2} / p95 {:.2} / p99 {:.2} ms",
                ms(percentile(&ours, 0.5)),
                ms(percentile(&ours, 0.95)),
                ms(percentile(&ours, 0.99))
            );
            continue;
        }
        let mut theirs = Vec::new();
        for run in 0..args.runs.min(10) + 1 {
            let t = Instant::now();
            fts_page(&mut fts, &fts_form).await?;
            // The first run warms the cache, as for gongkai.
            if run > 0 {
                theirs.push(t.elapsed());
            }
        }
        theirs.sort();
        rows.push((name.to_string(), total, ours, theirs));
    }
    if !with_fts {
        return Ok(String::new());
    }
    let (rss, anon) = rss_mb();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut md = String::new();
    md.push_str(&format!("### Search, {} items of about 4 KB ({})\n\n", args.n, run_on()));
    md.push_str("| figure | gongkai | SQLite FTS5 trigram | ratio (FTS5 / gongkai) |\n|---|---:|---:|---:|\n");
    md.push_str(&format!(
        "| import + index, items/s | {:.0} (the store alone {:.0}/s{}) | {:.0} (index only) | — |\n",
        args.n as f64 / all_secs,
        args.n as f64 / import_secs,
        reindex_secs.map(|s| format!("; indexing again alone {:.0}/s", args.n as f64 / s)).unwrap_or_default(),
        args.n as f64 / fts_secs
    ));
    md.push_str(&format!("| index size, MB | {index_mb:.1} | {fts_mb:.1} | {:.2} |\n", fts_mb / index_mb.max(0.001)));
    md.push_str(&format!(
        "| process RSS after the run, MB | {rss:.0} ({anon:.0} anonymous, the rest mapped index pages) | (same process) | — |\n"
    ));
    for (name, total, ours, theirs) in &rows {
        let (o50, o99) = (ms(percentile(ours, 0.5)), ms(percentile(ours, 0.99)));
        let (t50, t99) = (ms(percentile(theirs, 0.5)), ms(percentile(theirs, 0.99)));
        md.push_str(&format!(
            "| {name} ({total} hits): p50 / p95 / p99 ms | {o50:.2} / {:.2} / {o99:.2} | {t50:.2} / {:.2} / {t99:.2} | {:.1}× p50 |\n",
            ms(percentile(ours, 0.95)),
            ms(percentile(theirs, 0.95)),
            t50 / o50.max(0.001)
        ));
    }
    md.push_str("\nBoth sides answer what a results page needs: the first 20 with their titles, 发文字号 and snippets, and the total (FTS5: the ranked query with `snippet()` and a `count(*)`; gongkai: hits, total — exact up to 10,000, estimated beyond — and facet counts from the index, the snippets from the store's texts, or the index's openings of the texts where nothing is highlighted). FTS5 answers two-character queries only by `LIKE`, a full scan: the trigram tokenizer needs three characters.\n");
    println!("{md}");
    if let Some(out) = args.out {
        write_section(&out, "<!-- search-results -->", &md)?;
    }
    Ok(md)
}

/// The corpus of a run: built, or reused from `--dir`.
struct Prepared {
    base: std::path::PathBuf,
    /// The store the items were imported into (snippets are made from its texts).
    store: Store,
    index: SearchIndex,
    built: Built,
    fts: sqlx::SqliteConnection,
    _tmp: Option<tempfile::TempDir>,
}

/// Builds the store, the index and the FTS5 database of N items (or reuses them).
async fn prepare(args: &Args) -> Result<Prepared> {
    let mut tmp = None;
    let base: std::path::PathBuf = match &args.dir {
        Some(d) => {
            std::fs::create_dir_all(d)?;
            d.clone()
        }
        None => {
            let t = tempfile::tempdir()?;
            let p = t.path().to_path_buf();
            tmp = Some(t);
            p
        }
    };
    let marker = base.join("built.json");
    let paras = paragraphs();
    let reuse: Option<Built> = std::fs::read(&marker)
        .ok()
        .and_then(|b| serde_json::from_slice::<Built>(&b).ok())
        .filter(|b| b.n == args.n && b.orgs == args.orgs.max(1));
    let fts_path = base.join("fts.db");
    let (store, index, built, fts) = match reuse {
        Some(built) => {
            eprintln!("reusing the build in {}", base.display());
            let (index, fresh) = SearchIndex::open(&base.join("index"))?;
            let store = Store::open(&build_db_url(&base)).await?;
            let mut built = built;
            if fresh {
                // The schema changed since: index the stored items again.
                eprintln!("the index is new: indexing the stored items again …");
                let started = Instant::now();
                index.catch_up(&store, 0).await?;
                built.reindex_secs = Some(started.elapsed().as_secs_f64());
                std::fs::write(&marker, serde_json::to_vec(&built)?)?;
            }
            // A build made for `pages` has no FTS5 database yet, and one of an older version
            // of this benchmark no publication dates: the search benchmark (re)builds it.
            let mut fts = None;
            if fts_path.exists() {
                let mut c = sqlx::SqliteConnection::connect(&format!("sqlite://{}", fts_path.display())).await?;
                if sqlx::raw_sql("SELECT published FROM fts LIMIT 0").execute(&mut c).await.is_ok() {
                    fts = Some(c);
                } else {
                    drop(c);
                    std::fs::remove_file(&fts_path)?;
                }
            }
            let fts = if let Some(fts) = fts {
                fts
            } else if wants_fts(args) {
                let (fts, fts_secs) = build_fts(&fts_path, &paras, args.n).await?;
                built.fts_secs = fts_secs;
                std::fs::write(&marker, serde_json::to_vec(&built)?)?;
                fts
            } else {
                // Not asked for FTS5: nothing is made in the directory.
                sqlx::SqliteConnection::connect("sqlite::memory:").await?
            };
            (store, index, built, fts)
        }
        None => {
            for f in ["gk.db", "gk.db-wal", "gk.db-shm", "fts.db", "built.json"] {
                let _ = std::fs::remove_file(base.join(f));
            }
            let _ = std::fs::remove_dir_all(base.join("index"));
            let (store, index, import_secs, all_secs) = build_store_and_index(&base, args.n, args.orgs).await?;
            let n = args.n as f64;
            eprintln!("import + index: {:.0} items/s (the store alone {:.0}/s)", n / all_secs, n / import_secs);
            // The page benchmark needs no FTS5 database (it would double the disk used).
            let (fts, fts_secs) = if wants_fts(args) {
                build_fts(&fts_path, &paras, args.n).await?
            } else {
                (sqlx::SqliteConnection::connect("sqlite::memory:").await?, 0.0)
            };
            let built = Built {
                n: args.n,
                import_secs,
                all_secs,
                reindex_secs: None,
                fts_secs,
                orgs: args.orgs.max(1),
                requests: 0,
            };
            std::fs::write(&marker, serde_json::to_vec(&built)?)?;
            (store, index, built, fts)
        }
    };
    Ok(Prepared { base, store, index, built, fts, _tmp: tmp })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The lists harness runs end to end on a few hundred rows (a smoke test: no figure is
    /// checked, only that every query kind answers with the same count as the plain table).
    #[tokio::test]
    async fn the_lists_benchmark_runs_on_a_few_rows() {
        let md = lists::run(300, 2).await.expect("benchmark");
        assert!(md.contains("import rows/s"), "{md}");
        for line in md.lines().filter(|l| l.contains("rows): p50")) {
            let head = line.split(" rows)").next().expect("counts");
            let counts = head.rsplit('(').next().expect("counts");
            let (a, b) = counts.split_once(" / ").expect("two counts");
            assert_eq!(a, b, "the same rows on both sides: {line}");
        }
    }

    /// The harness runs end to end on a small corpus (a smoke test: no figure is checked,
    /// only that every query kind answers and the table is complete).
    #[tokio::test]
    async fn the_search_benchmark_runs_on_a_small_corpus() {
        let md = run(Args {
            which: "search".into(),
            n: 120,
            runs: 2,
            only: None,
            out: None,
            dir: None,
            laws: None,
            step: 1,
            per_page: 20,
            gongkai: None,
            old: None,
            rounds: 1,
            secs: 1,
            orgs: 1,
            requests: 0,
            pg: None,
        })
        .await
        .expect("benchmark");
        for row in ["import + index", "one word (", "two characters (", "doc_no (1 hits)"] {
            assert!(md.contains(row), "{row} missing from:\n{md}");
        }
    }

    /// The summaries benchmark's city: a government with departments, towns and villages
    /// under the towns, and requests filed across them, those received more than a month ago
    /// answered by their org.
    #[tokio::test]
    async fn the_summaries_city_is_built_with_its_requests() {
        let dir = tempfile::tempdir().expect("dir");
        let store =
            Store::open_and_migrate(&format!("sqlite://{}", dir.path().join("gk.db").display())).await.expect("store");
        let ids = summaries::make_orgs(&store, 140).await.expect("orgs");
        assert_eq!(ids.len(), 140);
        let orgs = store.orgs().await.expect("orgs");
        assert_eq!(orgs.iter().filter(|o| o.path.depth() == 3).count(), 9, "villages under the towns");
        summaries::file_requests(&store, &ids, 40).await.expect("requests");
        let top = orgs.iter().find(|o| o.parent_id.is_none()).expect("top");
        let all = store.request_summaries(top, true, false).await.expect("requests");
        assert_eq!(all.len(), 40);
        let month_ago = store.today() - chrono::Duration::days(summaries::OPEN_DAYS);
        for r in &all {
            assert_eq!(r.replied_on.is_some(), r.received_on < month_ago, "{r:?}");
        }
        let answered: Vec<_> = all.iter().filter(|r| r.replied_on.is_some()).collect();
        let extended = answered.iter().filter(|r| r.extension_days == 20).count();
        let mut paused = 0;
        for r in &answered {
            paused += store.request_pauses(r.id).await.expect("pauses").iter().filter(|p| p.ended_on.is_some()).count();
        }
        assert!(extended > 0 && paused > 0, "{} answered: {extended} extended, {paused} consulted", answered.len());
    }
}
