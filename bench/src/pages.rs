//! `gongkai-bench pages`: page throughput of the portal. Serves the benchmark corpus with the
//! real `gongkai serve` and loads, with wrk (Debian's `wrk`) at 64 connections, the home page,
//! an item page, a catalog page (an org's list) and a search page — each as readers hit them
//! (the same URL again and again, so the kept rendering answers) and rendered every time (a
//! distinct query string on each request) — beside a static file served by the same server
//! in the same run, the ceiling of this stack.

use anyhow::{Context, Result, bail};
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Each wrk thread's number (`tid`) and a count of its requests (`counter`, raised by each
/// `request()`): what makes every URL distinct, so no kept page is used.
const THREAD_AND_COUNTER: &str = r#"
local threads = 0
function setup(thread)
  thread:set("tid", threads)
  threads = threads + 1
end
local counter = 0
"#;

/// Makes every request's URL distinct (`_=thread-counter`), so no kept page is used.
pub(crate) fn render_every_time_script() -> String {
    format!(
        r#"{THREAD_AND_COUNTER}
function request()
  counter = counter + 1
  local sep = string.find(wrk.path, "?", 1, true) and "&" or "?"
  return wrk.format(nil, wrk.path .. sep .. "_=" .. tostring(tid) .. "-" .. counter)
end
"#
    )
}

/// Asks a different query of the search page on each request — the `peers` mix of 300, each
/// thread starting at its own place in it — with a distinct query string (`_=`), so neither a
/// kept page nor a repeated search answers: a long tail of distinct queries, as real search
/// traffic is. `queries` are already encoded (`q=…`).
pub(crate) fn distinct_queries_script(queries: &[String]) -> String {
    let list: Vec<String> = queries.iter().map(|q| format!("\"{q}\"")).collect();
    format!(
        r#"
local queries = {{ {} }}
{THREAD_AND_COUNTER}
function request()
  counter = counter + 1
  local q = queries[(counter + tid * 151) % #queries + 1]
  return wrk.format(nil, "/search?" .. q .. "&_=" .. tostring(tid) .. "-" .. counter)
end
"#,
        list.join(", ")
    )
}

/// Writes the distinct-queries script for `queries` into `dir`; answers the queries as
/// encoded (`q=…`) and the script's path.
fn write_distinct_queries_script(dir: &Path, queries: &[String]) -> Result<(Vec<String>, std::path::PathBuf)> {
    let encoded: Vec<String> = queries
        .iter()
        .map(|q| Ok(reqwest::Url::parse_with_params("http://x/search", [("q", q)])?.query().unwrap_or("").to_string()))
        .collect::<Result<_>>()?;
    let script = dir.join("distinct-queries.lua");
    std::fs::write(&script, distinct_queries_script(&encoded))?;
    Ok((encoded, script))
}

/// One wrk run's figures.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Load {
    pub rps: f64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub errors: u64,
}

/// Reads a latency as wrk prints it (`812.00us`, `1.23ms`, `2.01s`) in milliseconds.
fn millis(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, factor) = if let Some(n) = s.strip_suffix("us") {
        (n, 0.001)
    } else if let Some(n) = s.strip_suffix("ms") {
        (n, 1.0)
    } else if let Some(n) = s.strip_suffix('m') {
        (n, 60_000.0)
    } else if let Some(n) = s.strip_suffix('s') {
        (n, 1000.0)
    } else {
        return None;
    };
    num.trim().parse::<f64>().ok().map(|v| v * factor)
}

/// Reads wrk's report (run with `--latency`).
pub fn parse_wrk(out: &str) -> Option<Load> {
    let mut load = Load { rps: 0.0, p50_ms: 0.0, p99_ms: 0.0, errors: 0 };
    for line in out.lines() {
        let line = line.trim();
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next()) {
            (Some("50%"), Some(v)) => load.p50_ms = millis(v)?,
            (Some("99%"), Some(v)) => load.p99_ms = millis(v)?,
            (Some("Requests/sec:"), Some(v)) => load.rps = v.parse().ok()?,
            _ => {}
        }
        if let Some(n) = line.strip_prefix("Non-2xx or 3xx responses:") {
            load.errors += n.trim().parse::<u64>().unwrap_or(0);
        }
        if let Some(rest) = line.strip_prefix("Socket errors:") {
            // "connect 0, read 0, write 0, timeout 0"
            load.errors +=
                rest.split(',').filter_map(|p| p.split_whitespace().last()?.parse::<u64>().ok()).sum::<u64>();
        }
    }
    (load.rps > 0.0).then_some(load)
}

pub(crate) fn wrk(url: &str, secs: u64, script: Option<&Path>) -> Result<Load> {
    let mut cmd = Command::new("wrk");
    cmd.args(["-t2", "-c64", &format!("-d{secs}s"), "--latency", "--timeout", "10s"]);
    if let Some(s) = script {
        cmd.arg("-s").arg(s);
    }
    let out = cmd.arg(url).output().context("wrk (apt install wrk)")?;
    let text = String::from_utf8_lossy(&out.stdout);
    parse_wrk(&text).with_context(|| format!("unreadable wrk output for {url}:\n{text}"))
}

/// A child process (a server under load) killed when dropped.
pub(crate) struct Server(pub(crate) Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Starts `gongkai serve` on the corpus in `base` and answers its address.
pub(crate) fn start(gongkai: &Path, base: &Path) -> Result<(Server, String)> {
    start_on(gongkai, base, &crate::build_db_url(base))
}

/// Serves the data directory `dir` on the store at `database` (SQLite or PostgreSQL).
pub(crate) fn start_on(gongkai: &Path, dir: &Path, database: &str) -> Result<(Server, String)> {
    let mut child = Command::new(gongkai)
        .arg("--data-dir")
        .arg(dir)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .env("DATABASE_URL", database)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {}", gongkai.display()))?;
    let stdout = child.stdout.take().context("stdout")?;
    let server = Server(child);
    for line in BufReader::new(stdout).lines() {
        let line = line?;
        if let Some(rest) = line.split("gongkai 已启动：").nth(1) {
            let url = rest.split_whitespace().next().unwrap_or("").trim_end_matches('/').to_string();
            return Ok((server, url));
        }
    }
    bail!("gongkai serve exited before it started")
}

/// Waits for the website self-check the first start on a build runs over every item (about
/// a minute at a million, on both cores), so pages are timed after it, not beside it.
pub(crate) async fn await_site_check(store: &gongkai_store::Store) -> Result<()> {
    let waited = std::time::Instant::now();
    while store.latest_site_check().await?.is_none() {
        anyhow::ensure!(waited.elapsed().as_secs() < 1800, "the website self-check never finished");
        tokio::time::sleep(std::time::Duration::from_secs(2)).await;
    }
    eprintln!("  the website self-check stored after {:.0} s", waited.elapsed().as_secs_f64());
    Ok(())
}

/// Runs the benchmark; answers the Markdown section.
pub async fn run(
    gongkai: &Path,
    base: &Path,
    store: &gongkai_store::Store,
    n: usize,
    secs: u64,
    queries: &[String],
) -> Result<String> {
    let (server, url) = start(gongkai, base)?;
    await_site_check(store).await?;
    let script_dir = tempfile::tempdir()?;
    let script = script_dir.path().join("render-every-time.lua");
    std::fs::write(&script, render_every_time_script())?;
    let (encoded, distinct) = write_distinct_queries_script(script_dir.path(), queries)?;
    let pages = [
        ("home page", "/".to_string()),
        ("item page", format!("/items/{}", (n / 2).max(1))),
        ("catalog page (an org's list, page 2)", "/orgs/11500114009130039C?page=2".to_string()),
        ("search page (政务公开)", "/search?q=%E6%94%BF%E5%8A%A1%E5%85%AC%E5%BC%80".to_string()),
    ];
    // Each page answers 200 before it is loaded (a 404 would be fast and meaningless).
    for (name, path) in &pages {
        let status = status_of(&format!("{url}{path}"))?;
        anyhow::ensure!(status == 200, "{name} {path} answered {status}");
    }
    let static_load = wrk(&format!("{url}/static/site.css"), secs, None)?;
    let mut rows = Vec::new();
    for (name, path) in &pages {
        let kept = wrk(&format!("{url}{path}"), secs, None)?;
        let rendered = wrk(&format!("{url}{path}"), secs, Some(&script))?;
        rows.push((name, path, kept, rendered));
    }
    // Every query of the mix answers a page before the load (the first touch reads the index).
    for q in &encoded {
        let status = status_of(&format!("{url}/search?{q}"))?;
        anyhow::ensure!(status == 200, "/search?{q} answered {status}");
    }
    let distinct_load = wrk(&format!("{url}/search"), secs, Some(&distinct))?;
    drop(server);
    let mut md = format!("### Pages, {n} items ({}; wrk -t2 -c64 -d{secs}s on the same machine)\n\n", crate::run_on());
    md.push_str("| page | req/s | p50 / p99 ms | % of static | rendered every time: req/s | p50 / p99 ms |\n|---|---:|---:|---:|---:|---:|\n");
    md.push_str(&format!(
        "| static file (/static/site.css) | {:.0} | {:.2} / {:.2} | 100 | — | — |\n",
        static_load.rps, static_load.p50_ms, static_load.p99_ms
    ));
    let mut errors = static_load.errors;
    for (name, path, kept, rendered) in &rows {
        md.push_str(&format!(
            "| {name} `{path}` | {:.0} | {:.2} / {:.2} | {:.0} | {:.0} | {:.2} / {:.2} |\n",
            kept.rps,
            kept.p50_ms,
            kept.p99_ms,
            100.0 * kept.rps / static_load.rps.max(1.0),
            rendered.rps,
            rendered.p50_ms,
            rendered.p99_ms
        ));
        errors += kept.errors + rendered.errors;
    }
    md.push_str(&format!(
        "| search page, a different query on each request (the {} queries of `peers`, 2–6 characters) | — | — | — | {:.0} | {:.2} / {:.2} |\n",
        queries.len(),
        distinct_load.rps,
        distinct_load.p50_ms,
        distinct_load.p99_ms
    ));
    errors += distinct_load.errors;
    md.push_str(&format!(
        "\nEvery answer 200 ({errors} errors or non-2xx answers). \"Rendered every time\" adds a distinct query string to each request, so no kept page is used: the cost of querying the store (or the index) and rendering the template.\n"
    ));
    Ok(md)
}

/// Loads the search page with distinct queries (as [`run`] does) served in turn by an older
/// build and by `gongkai`, on the same corpus, for `rounds` rounds: the side-by-side figures a
/// change to search is judged by, since absolute figures drift with the machine. Each server
/// answers every query once (the first touch reads the index) and is warmed for 4 s before
/// it is timed. Answers the Markdown section.
///
/// The older build may not know the newest migrations the corpus's database records; while
/// it serves, their rows are set aside in `_bench_hidden_migrations`, and put back before
/// the newer build starts — kept in the database itself, so a run killed midway is mended
/// by the next.
pub async fn old_against_new(
    old: &Path,
    gongkai: &Path,
    base: &Path,
    secs: u64,
    rounds: usize,
    queries: &[String],
) -> Result<String> {
    use sqlx::Connection;
    let mut db = sqlx::SqliteConnection::connect(&crate::build_db_url(base)).await?;
    sqlx::query("CREATE TABLE IF NOT EXISTS _bench_hidden_migrations AS SELECT * FROM _sqlx_migrations WHERE 0")
        .execute(&mut db)
        .await?;
    restore_migrations(&mut db).await?;
    let script_dir = tempfile::tempdir()?;
    let (encoded, distinct) = write_distinct_queries_script(script_dir.path(), queries)?;
    let unknown = unknown_migrations(&mut db, old).await?;
    if !unknown.is_empty() {
        eprintln!("  the older build does not know migrations {unknown:?}: set aside while it serves");
    }
    let mut rows: Vec<(Load, Load)> = Vec::new();
    let loads = async {
        for round in 1..=rounds {
            let mut pair = Vec::new();
            for (label, binary) in [("old", old), ("new", gongkai)] {
                let (server, url) = if label == "old" {
                    hide_migrations(&mut db, &unknown).await?;
                    start(binary, base).context("the older build did not start on this corpus")?
                } else {
                    restore_migrations(&mut db).await?;
                    start(binary, base)?
                };
                for q in &encoded {
                    let status = status_of(&format!("{url}/search?{q}&_=touch-{round}-{label}"))?;
                    anyhow::ensure!(status == 200, "{label}: /search?{q} answered {status}");
                }
                wrk(&format!("{url}/search"), 4, Some(&distinct))?;
                let load = wrk(&format!("{url}/search"), secs, Some(&distinct))?;
                eprintln!(
                    "  round {round} {label}: {:.0} req/s, p50 {:.2} ms, p99 {:.2} ms, {} errors",
                    load.rps, load.p50_ms, load.p99_ms, load.errors
                );
                drop(server);
                if label == "old" {
                    restore_migrations(&mut db).await?;
                }
                pair.push(load);
            }
            rows.push((pair[0], pair[1]));
        }
        anyhow::Ok(())
    }
    .await;
    // Whatever happened, the newer build's database is left whole.
    restore_migrations(&mut db).await?;
    loads?;
    let mut md = format!(
        "### Search page with distinct queries, older build against this one ({}; wrk -t2 -c64 -d{secs}s, the servers in turn on the same corpus)\n\n",
        crate::run_on()
    );
    md.push_str(&format!("older: `{}`; this: `{}`\n\n", old.display(), gongkai.display()));
    md.push_str("| round | older req/s | p50 / p99 ms | this req/s | p50 / p99 ms |\n|---:|---:|---:|---:|---:|\n");
    let mut errors = 0;
    for (i, (o, n)) in rows.iter().enumerate() {
        md.push_str(&format!(
            "| {} | {:.0} | {:.2} / {:.2} | {:.0} | {:.2} / {:.2} |\n",
            i + 1,
            o.rps,
            o.p50_ms,
            o.p99_ms,
            n.rps,
            n.p50_ms,
            n.p99_ms
        ));
        errors += o.errors + n.errors;
    }
    let mean = |f: fn(&(Load, Load)) -> f64| rows.iter().map(f).sum::<f64>() / rows.len().max(1) as f64;
    let (old_mean, new_mean) = (mean(|r| r.0.rps), mean(|r| r.1.rps));
    md.push_str(&format!(
        "| mean | {old_mean:.0} | | {new_mean:.0} | |\n\nThis build {:+.1} % against the older ({} queries of `peers`, each asked once per server before the load; {errors} errors or non-2xx answers).\n",
        100.0 * (new_mean / old_mean.max(1e-9) - 1.0),
        queries.len()
    ));
    Ok(md)
}

/// The applied migrations an older build does not know: those after the newest one whose
/// checksum its binary holds (sqlx builds each migration's SHA-384 into the binary).
async fn unknown_migrations(db: &mut sqlx::SqliteConnection, old: &Path) -> Result<Vec<i64>> {
    let binary = std::fs::read(old).with_context(|| format!("reading {}", old.display()))?;
    let applied: Vec<(i64, Vec<u8>)> =
        sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations ORDER BY version").fetch_all(&mut *db).await?;
    let known = applied
        .iter()
        .rposition(|(_, checksum)| memchr::memmem::find(&binary, checksum).is_some())
        .with_context(|| format!("{} holds none of the corpus's migrations", old.display()))?;
    Ok(applied[known + 1..].iter().map(|(v, _)| *v).collect())
}

/// Sets aside the rows of the migrations `versions` (those an older build does not know).
async fn hide_migrations(db: &mut sqlx::SqliteConnection, versions: &[i64]) -> Result<()> {
    for v in versions {
        sqlx::query("INSERT INTO _bench_hidden_migrations SELECT * FROM _sqlx_migrations WHERE version = ?")
            .bind(v)
            .execute(&mut *db)
            .await?;
        sqlx::query("DELETE FROM _sqlx_migrations WHERE version = ?").bind(v).execute(&mut *db).await?;
    }
    Ok(())
}

/// Puts back the migration rows set aside for an older build.
async fn restore_migrations(db: &mut sqlx::SqliteConnection) -> Result<()> {
    sqlx::query("INSERT OR IGNORE INTO _sqlx_migrations SELECT * FROM _bench_hidden_migrations")
        .execute(&mut *db)
        .await?;
    sqlx::query("DELETE FROM _bench_hidden_migrations").execute(&mut *db).await?;
    Ok(())
}

/// A plain HTTP/1.1 GET over a socket (the benchmark needs only the status).
fn status_of(url: &str) -> Result<u16> {
    use std::io::{Read, Write};
    let rest = url.strip_prefix("http://").context("http URL")?;
    let (host, path) = rest.split_once('/').map(|(h, p)| (h, format!("/{p}"))).unwrap_or((rest, "/".into()));
    let mut s = std::net::TcpStream::connect(host)?;
    write!(s, "GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")?;
    let mut head = [0u8; 12];
    s.read_exact(&mut head)?;
    let text = String::from_utf8_lossy(&head);
    text.get(9..12).and_then(|c| c.parse().ok()).context("status line")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_script_makes_every_url_distinct() {
        let distinct = distinct_queries_script(&["q=%E6%94%BF".into(), "q=%E5%85%AC".into()]);
        assert!(distinct.contains(r#"local queries = { "q=%E6%94%BF", "q=%E5%85%AC" }"#), "{distinct}");
        for script in [distinct, render_every_time_script()] {
            assert!(script.contains("function setup(thread)") && script.contains("local counter = 0"), "{script}");
            assert!(script.contains(r#"_=" .. tostring(tid) .. "-" .. counter"#), "{script}");
        }
    }

    /// An older build is told apart by the migrations whose checksums its binary holds: the
    /// newest it lacks are set aside while it serves and put back whole.
    #[tokio::test]
    async fn an_older_build_is_served_without_the_migrations_it_lacks() {
        use sqlx::Connection;
        let dir = tempfile::tempdir().expect("dir");
        let store = gongkai_store::Store::open_and_migrate(&crate::build_db_url(dir.path())).await.expect("store");
        drop(store);
        let mut db = sqlx::SqliteConnection::connect(&crate::build_db_url(dir.path())).await.expect("db");
        let all: Vec<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&mut db)
                .await
                .expect("migrations");
        assert!(all.len() > 3, "{} migrations", all.len());
        // A "binary" holding every checksum but the last two's, among other bytes.
        let older = dir.path().join("older");
        let mut bytes = b"ELF".to_vec();
        for (_, checksum) in &all[..all.len() - 2] {
            bytes.extend_from_slice(checksum);
            bytes.extend_from_slice(b"\0rodata\0");
        }
        std::fs::write(&older, &bytes).expect("write");
        let unknown = unknown_migrations(&mut db, &older).await.expect("unknown");
        assert_eq!(unknown, vec![all[all.len() - 2].0, all[all.len() - 1].0]);
        sqlx::query("CREATE TABLE _bench_hidden_migrations AS SELECT * FROM _sqlx_migrations WHERE 0")
            .execute(&mut db)
            .await
            .expect("table");
        hide_migrations(&mut db, &unknown).await.expect("hide");
        let left: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM _sqlx_migrations").fetch_one(&mut db).await.expect("n");
        assert_eq!(left as usize, all.len() - 2);
        restore_migrations(&mut db).await.expect("restore");
        let back: Vec<(i64, Vec<u8>)> =
            sqlx::query_as("SELECT version, checksum FROM _sqlx_migrations ORDER BY version")
                .fetch_all(&mut db)
                .await
                .expect("migrations");
        assert_eq!(back, all);
        // A binary holding none of them is refused: nothing would tell its migrations apart.
        std::fs::write(&older, b"not a gongkai").expect("write");
        assert!(unknown_migrations(&mut db, &older).await.is_err());
    }

    #[test]
    fn reads_wrk_reports() {
        let out = "Running 10s test @ http://127.0.0.1:8080/\n  2 threads and 64 connections\n  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    Latency     5.01ms    1.20ms  30.00ms   90.00%\n    Req/Sec     6.40k   300.00     7.00k    70.00%\n  Latency Distribution\n     50%  812.00us\n     75%    5.20ms\n     90%    6.00ms\n     99%   12.34ms\n  127800 requests in 10.00s, 1.20GB read\n  Non-2xx or 3xx responses: 3\nRequests/sec:  12780.50\nTransfer/sec:    122.88MB\n";
        let load = parse_wrk(out).expect("parsed");
        assert_eq!(load.rps, 12780.50);
        assert!((load.p50_ms - 0.812).abs() < 1e-9);
        assert!((load.p99_ms - 12.34).abs() < 1e-9);
        assert_eq!(load.errors, 3);
        assert_eq!(millis("1.50s"), Some(1500.0));
        assert!(parse_wrk("garbage").is_none());
    }
}
