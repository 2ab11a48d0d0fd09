//! `gongkai-bench peers --n N`: a results page from gongkai, over HTTP with its facets and
//! snippets, beside the engines people build such sites with — Xapian (CJK n-grams,
//! in-process through Debian's python3-xapian) and Groonga (bigrams, over its own HTTP
//! server, Debian's groonga-bin) — and SQLite FTS5, on the same corpus and the same 300
//! queries of 2–6 characters, in one run (issue 29).
//!
//! Each engine answers what a results page needs: the first 20 by relevance with their
//! titles, 发文字号 and highlighted snippets, and the total. Every query is asked once
//! untimed (the first touch reads the index from disk), then once timed.

use super::{Doc, Rng, doc, fts_page, fts_query, percentile};
use anyhow::{Context, Result, bail, ensure};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// Queries in the mix.
pub const QUERIES: usize = 300;

/// `count` distinct queries of 2–6 Han characters cut from the corpus paragraphs, the same
/// in every run.
pub fn queries(paras: &[&str], count: usize) -> Vec<String> {
    let mut rng = Rng(29);
    let mut out: Vec<String> = Vec::with_capacity(count);
    while out.len() < count {
        let p: Vec<char> = paras[rng.next() % paras.len()].chars().collect();
        let len = 2 + rng.next() % 5;
        if p.len() < len {
            continue;
        }
        let start = rng.next() % (p.len() - len + 1);
        let w = &p[start..start + len];
        if w.iter().all(|c| ('\u{4e00}'..='\u{9fff}').contains(c)) {
            let s: String = w.iter().collect();
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// One engine's figures.
struct Side {
    name: &'static str,
    /// Timed answers, sorted.
    times: Vec<Duration>,
    /// Items per second its build took (for gongkai: the import with the index following).
    build_rate: Option<f64>,
    /// The mean total the pages reported.
    mean_total: f64,
    /// Why it was not measured.
    missing: Option<String>,
}

impl Side {
    fn missing(name: &'static str, why: String) -> Self {
        Side { name, times: Vec::new(), build_rate: None, mean_total: 0.0, missing: Some(why) }
    }
}

fn mean(totals: &[u64]) -> f64 {
    totals.iter().sum::<u64>() as f64 / totals.len().max(1) as f64
}

/// A port free on loopback now.
fn free_port() -> Result<u16> {
    Ok(std::net::TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}

/// Fetches `url` and answers its body; anything but 200 is an error.
async fn fetch(client: &reqwest::Client, url: &str, query: &[(&str, &str)]) -> Result<Vec<u8>> {
    let r = client.get(url).query(query).send().await?;
    let status = r.status();
    let body = r.bytes().await?.to_vec();
    ensure!(status == 200, "{url} {query:?} answered {status}: {}", String::from_utf8_lossy(&body));
    Ok(body)
}

/// gongkai's results page (`/search?q=`), rendered for every request: the query string
/// differs each time (`_=`), so no kept page answers.
async fn gongkai_side(url: &str, queries: &[String], build_rate: f64) -> Result<Side> {
    let client = reqwest::Client::new();
    let page = format!("{url}/search");
    for (i, q) in queries.iter().enumerate() {
        fetch(&client, &page, &[("q", q), ("_", &format!("w{i}"))]).await?;
    }
    let mut times = Vec::with_capacity(queries.len());
    for (i, q) in queries.iter().enumerate() {
        let t = Instant::now();
        fetch(&client, &page, &[("q", q), ("_", &format!("t{i}"))]).await?;
        times.push((t.elapsed(), q));
    }
    // The slowest queries, for whoever works on the tail.
    times.sort();
    let slowest: Vec<String> =
        times.iter().rev().take(8).map(|(t, q)| format!("{q} {:.2} ms", t.as_secs_f64() * 1000.0)).collect();
    eprintln!("gongkai's slowest queries: {}", slowest.join(", "));
    let times: Vec<Duration> = times.into_iter().map(|(t, _)| t).collect();
    // The totals, from the API (the same search), for the table's "mean total".
    let mut totals = Vec::with_capacity(queries.len());
    for q in queries {
        let body = fetch(&client, &format!("{url}/api/v1/search"), &[("q", q)]).await?;
        let v: serde_json::Value = serde_json::from_slice(&body)?;
        totals.push(v["total"].as_u64().context("total")?);
    }
    Ok(Side {
        name: "gongkai over HTTP (page with facets)",
        times,
        build_rate: Some(build_rate),
        mean_total: mean(&totals),
        missing: None,
    })
}

/// The total of a query, from the API.
async fn total_of(client: &reqwest::Client, url: &str, q: &str) -> Result<u64> {
    let body = fetch(client, &format!("{url}/api/v1/search"), &[("q", q)]).await?;
    serde_json::from_slice::<serde_json::Value>(&body)?["total"].as_u64().context("total")
}

/// The page's fixed cost: the results page of a query matching a few dozen items (a full
/// page of 20 hits) against that of a query of the same form matching one, alternately,
/// `runs` times each — titles end in （第N号）, so `第150` matches 第150号, 第1500–1509号, …
/// and `第150号` one item. Both match so few items that what differs is the work per hit on
/// the page. Answers (the queries with their totals, the full page's p50, the one hit's).
async fn fixed_cost(url: &str, runs: usize) -> Result<((String, u64, String, u64), Duration, Duration)> {
    let client = reqwest::Client::new();
    let page = format!("{url}/search");
    let mut pair = None;
    for k in [15u64, 150, 1_500, 15_000, 150_000] {
        let total = total_of(&client, url, &format!("第{k}")).await?;
        if (20..=300).contains(&total) {
            pair =
                Some((format!("第{k}"), total, format!("第{k}号"), total_of(&client, url, &format!("第{k}号")).await?));
            break;
        }
    }
    let (many_q, many_total, one_q, one_total) = pair.context("no query of the form 第N matches 20 to 300 items")?;
    let (mut many, mut one) = (Vec::new(), Vec::new());
    for i in 0..runs + 3 {
        for (q, into) in [(&many_q, &mut many), (&one_q, &mut one)] {
            let t = Instant::now();
            fetch(&client, &page, &[("q", q), ("_", &format!("f{i}"))]).await?;
            if i >= 3 {
                into.push(t.elapsed());
            }
        }
    }
    many.sort();
    one.sort();
    Ok(((many_q, many_total, one_q, one_total), percentile(&many, 0.5), percentile(&one, 0.5)))
}

/// Groonga 13 over its HTTP server: a bigram index (`TokenBigram`, `NormalizerAuto`) on
/// title and body built after loading (its fastest way), `select` with the title weighted
/// double, `snippet_html(body)` and the exact total; its query cache off.
async fn groonga_side(dir: &Path, paras: &[&str], n: usize, queries: &[String]) -> Result<Side> {
    const NAME: &str = "Groonga 13 over HTTP (bigram, `snippet_html`, exact total)";
    if Command::new("groonga").arg("--version").output().is_err() {
        return Ok(Side::missing(NAME, "groonga not installed (apt install groonga-bin)".into()));
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let db = dir.join("db");
    let made = Command::new("groonga").arg("-n").arg(&db).arg("shutdown").output()?;
    ensure!(made.status.success(), "groonga -n: {}", String::from_utf8_lossy(&made.stderr));
    let port = free_port()?;
    let server = Command::new("groonga")
        .args(["-s", "--protocol", "http", "--bind-address", "127.0.0.1", "--port", &port.to_string()])
        .arg(&db)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .context("starting groonga")?;
    let _server = super::pages::Server(server);
    let base = format!("http://127.0.0.1:{port}/d");
    let client = reqwest::Client::new();
    let mut up = false;
    for _ in 0..100 {
        if fetch(&client, &format!("{base}/status"), &[]).await.is_ok() {
            up = true;
            break;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    ensure!(up, "groonga did not start on port {port}");
    let cmd = |name: &str, args: &[(&str, &str)]| {
        let url = format!("{base}/{name}");
        let args: Vec<(String, String)> = args.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        let client = client.clone();
        async move {
            let pairs: Vec<(&str, &str)> = args.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
            fetch(&client, &url, &pairs).await
        }
    };
    let started = Instant::now();
    cmd("table_create", &[("name", "Items"), ("flags", "TABLE_NO_KEY")]).await?;
    for (name, ty) in [("title", "ShortText"), ("doc_no", "ShortText"), ("body", "Text")] {
        cmd("column_create", &[("table", "Items"), ("name", name), ("flags", "COLUMN_SCALAR"), ("type", ty)]).await?;
    }
    let mut batch = Vec::with_capacity(1000);
    for i in 0..n {
        let Doc { title, doc_no, body, .. } = doc(paras, i);
        batch.push(serde_json::json!({ "title": title, "doc_no": doc_no, "body": body }));
        if batch.len() == 1000 || i + 1 == n {
            let r = client
                .post(format!("{base}/load"))
                .query(&[("table", "Items")])
                .header("Content-Type", "application/json")
                .body(serde_json::to_vec(&batch)?)
                .send()
                .await?;
            ensure!(r.status() == 200, "groonga load answered {}", r.status());
            r.bytes().await?;
            batch.clear();
        }
    }
    cmd(
        "table_create",
        &[
            ("name", "Terms"),
            ("flags", "TABLE_PAT_KEY"),
            ("key_type", "ShortText"),
            ("default_tokenizer", "TokenBigram"),
            ("normalizer", "NormalizerAuto"),
        ],
    )
    .await?;
    cmd(
        "column_create",
        &[
            ("table", "Terms"),
            ("name", "idx"),
            ("flags", "COLUMN_INDEX|WITH_POSITION|WITH_SECTION"),
            ("type", "Items"),
            ("source", "title,body"),
        ],
    )
    .await?;
    let build = started.elapsed().as_secs_f64();
    let select = |q: &str| {
        cmd(
            "select",
            &[
                ("table", "Items"),
                ("match_columns", "title * 2 || body"),
                ("query", q),
                ("output_columns", "_id,title,doc_no,snippet_html(body)"),
                ("limit", "20"),
                ("sort_keys", "-_score"),
                ("cache", "no"),
            ],
        )
    };
    for q in queries {
        select(q).await?;
    }
    let (mut times, mut totals) = (Vec::new(), Vec::new());
    for q in queries {
        let t = Instant::now();
        let body = select(q).await?;
        times.push(t.elapsed());
        let v: serde_json::Value = serde_json::from_slice(&body)?;
        totals.push(v[1][0][0][0].as_u64().with_context(|| format!("groonga's total in {v}"))?);
    }
    times.sort();
    Ok(Side { name: NAME, times, build_rate: Some(n as f64 / build), mean_total: mean(&totals), missing: None })
}

/// Xapian 1.4 in-process (`bench/peers/xapian_peer.py` under Debian's Python): CJK n-gram
/// terms, `MSet::snippet`, the estimated total.
fn xapian_side(dir: &Path, paras: &[&str], n: usize, queries: &[String]) -> Result<Side> {
    const NAME: &str = "Xapian 1.4 in-process (CJK n-grams, `MSet::snippet`, estimated total)";
    let python = std::env::var("XAPIAN_PYTHON").unwrap_or_else(|_| "/usr/bin/python3".into());
    let has = Command::new(&python).args(["-c", "import xapian"]).output().map(|o| o.status.success());
    if has.ok() != Some(true) {
        return Ok(Side::missing(NAME, "python3-xapian not installed (apt install python3-xapian)".into()));
    }
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir)?;
    let script = dir.join("xapian_peer.py");
    std::fs::write(&script, include_str!("../peers/xapian_peer.py"))?;
    let qfile = dir.join("queries.txt");
    std::fs::write(&qfile, queries.join("\n"))?;
    let mut child = Command::new(&python)
        .arg(&script)
        .arg(dir.join("db"))
        .arg(&qfile)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let mut stdin = std::io::BufWriter::new(child.stdin.take().context("stdin")?);
    for i in 0..n {
        let Doc { title, doc_no, body, .. } = doc(paras, i);
        serde_json::to_writer(&mut stdin, &serde_json::json!({ "title": title, "doc_no": doc_no, "body": body }))?;
        stdin.write_all(b"\n")?;
    }
    drop(stdin);
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("the Xapian peer failed ({})", out.status);
    }
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).context("the Xapian peer's answer")?;
    let mut times: Vec<Duration> = v["times_ms"]
        .as_array()
        .context("times")?
        .iter()
        .filter_map(|t| t.as_f64())
        .map(|ms| Duration::from_secs_f64(ms / 1000.0))
        .collect();
    times.sort();
    let totals: Vec<u64> = v["totals"].as_array().context("totals")?.iter().filter_map(|t| t.as_u64()).collect();
    let build = v["build_secs"].as_f64().context("build_secs")?;
    Ok(Side { name: NAME, times, build_rate: Some(n as f64 / build), mean_total: mean(&totals), missing: None })
}

/// SQLite FTS5 with the trigram tokenizer (`LIKE` for two characters), in-process.
async fn fts_side(fts: &mut sqlx::SqliteConnection, fts_secs: f64, n: usize, queries: &[String]) -> Result<Side> {
    let forms: Vec<_> = queries.iter().map(|q| fts_query(q, false)).collect();
    for f in &forms {
        fts_page(fts, f).await?;
    }
    let (mut times, mut totals) = (Vec::new(), Vec::new());
    for f in &forms {
        let t = Instant::now();
        totals.push(fts_page(fts, f).await? as u64);
        times.push(t.elapsed());
    }
    times.sort();
    Ok(Side {
        name: "SQLite FTS5 trigram in-process (`snippet()`, `LIKE` for two characters, exact total)",
        times,
        build_rate: (fts_secs > 0.0).then(|| n as f64 / fts_secs),
        mean_total: mean(&totals),
        missing: None,
    })
}

/// What the run needs of the build.
pub struct Input<'a> {
    pub gongkai: &'a Path,
    pub base: &'a Path,
    pub paras: &'a [&'a str],
    pub n: usize,
    /// gongkai's import with indexing, items per second.
    pub build_rate: f64,
    pub fts: &'a mut sqlx::SqliteConnection,
    pub fts_secs: f64,
    /// Only these engines (names contain one of them), or all.
    pub only: Option<&'a str>,
}

/// Whether `--only` (engines named in part, comma-separated: `gongkai,groonga`) asks for
/// the engine `name`; everything when it is not given.
pub fn wanted(only: Option<&str>, name: &str) -> bool {
    only.is_none_or(|o| o.split(',').any(|o| name.contains(o.trim())))
}

/// Runs the comparison; answers the Markdown section.
pub async fn run(input: Input<'_>) -> Result<String> {
    let Input { gongkai, base, paras, n, build_rate, fts, fts_secs, only } = input;
    let queries = queries(paras, QUERIES);
    let wanted = |name: &str| wanted(only, name);
    let mut sides = Vec::new();
    let mut fixed = None;
    if wanted("gongkai") {
        let (server, url) = super::pages::start(gongkai, base)?;
        sides.push(gongkai_side(&url, &queries, build_rate).await?);
        fixed = Some(fixed_cost(&url, 50).await?);
        drop(server);
    }
    if wanted("xapian") {
        sides.push(xapian_side(&base.join("xapian"), paras, n, &queries)?);
    }
    if wanted("groonga") {
        sides.push(groonga_side(&base.join("groonga"), paras, n, &queries).await?);
    }
    if wanted("fts5") {
        sides.push(fts_side(fts, fts_secs, n, &queries).await?);
    }
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let mut md = format!(
        "### Search against the peers, {n} items of about 4 KB, {QUERIES} queries of 2–6 characters ({})\n\n",
        crate::run_on()
    );
    md.push_str("| engine, each answering a results page (20 hits with title and snippet, and the total) | p50 ms | p95 ms | p99 ms | mean total | build items/s |\n|---|---:|---:|---:|---:|---:|\n");
    for s in &sides {
        match &s.missing {
            Some(why) => md.push_str(&format!("| {} | — | — | — | — | {why} |\n", s.name)),
            None => md.push_str(&format!(
                "| {} | {:.2} | {:.2} | {:.2} | {:.0} | {} |\n",
                s.name,
                ms(percentile(&s.times, 0.5)),
                ms(percentile(&s.times, 0.95)),
                ms(percentile(&s.times, 0.99)),
                s.mean_total,
                s.build_rate.map(|r| format!("{r:.0}")).unwrap_or_else(|| "—".into())
            )),
        }
    }
    if let Some(((many_q, many_total, one_q, one_total), many, one)) = fixed {
        md.push_str(&format!(
            "\nThe page's fixed cost (gongkai over HTTP, 50 alternating runs each): `{many_q}` ({many_total} matches, 20 hits on the page) p50 {:.2} ms, `{one_q}` ({one_total} match{}) p50 {:.2} ms — {:+.2} ms for 19 more hits on the page.\n",
            ms(many),
            if one_total == 1 { "" } else { "es" },
            ms(one),
            ms(many) - ms(one)
        ));
    }
    md.push_str("\ngongkai's build is the real import (store, revisions, audit, outbox) with the index following; Groonga's loads over HTTP in batches of 1,000 and builds its index after; Xapian's is fed JSON lines on stdin. Each engine answers every query once untimed, then once timed; Groonga's query cache is off and gongkai's kept pages are not used (a distinct query string each time). The totals differ by what each counts as a match: Xapian ANDs the n-grams anywhere in the text, Groonga and gongkai match the characters in sequence, and Xapian's total is an estimate.\n");
    Ok(md)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_names_engines_in_part() {
        assert!(wanted(None, "fts5"));
        assert!(wanted(Some("gongkai,groonga"), "groonga") && !wanted(Some("gongkai,groonga"), "fts5"));
        assert!(wanted(Some("fts"), "fts5") && wanted(Some("gongkai, fts5"), "fts5"));
    }

    #[test]
    fn the_query_mix_is_the_same_every_time_and_only_han() {
        let paras = super::super::paragraphs();
        let a = queries(&paras, QUERIES);
        assert_eq!(a, queries(&paras, QUERIES));
        assert_eq!(a.len(), QUERIES);
        for q in &a {
            let n = q.chars().count();
            assert!((2..=6).contains(&n), "{q}");
            assert!(q.chars().all(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{q}");
        }
        let lengths: std::collections::BTreeSet<usize> = a.iter().map(|q| q.chars().count()).collect();
        assert_eq!(lengths.len(), 5, "every length from 2 to 6 appears");
    }
}
