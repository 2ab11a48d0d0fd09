//! Known-item evaluation (issue 8): the real laws and regulations imported through
//! `gongkai import`, a deterministic set of queries a person would type for a document they
//! know — its title, a phrase from it, its title mistyped, its title in traditional
//! characters or in Taiwan's words — and for each the rank of the intended document, in gongkai and, in the same
//! run, in SQLite FTS5 given the same plain query.

use anyhow::{Context, Result};
use gongkai_search::{SearchIndex, SearchRequest};
use gongkai_store::importer::{ImportTarget, import_path};
use gongkai_store::{AuditCtx, ImportOutcome, NewOrg, Store};
use sqlx::Connection;
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// The kinds of query, in report order.
pub const KINDS: [&str; 6] = [
    "title",
    "fragment",
    "title, one character dropped",
    "title, two words swapped",
    "title, traditional",
    "title, Taiwan words",
];

/// One query with the document it is meant to find.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    pub kind: &'static str,
    pub query: String,
    /// Index of the intended text in the input.
    pub target: usize,
}

/// success@1, success@10 and MRR@10 of a list of ranks (1-based; `None`: not in the top 10).
pub fn metrics(ranks: &[Option<usize>]) -> (f64, f64, f64) {
    if ranks.is_empty() {
        return (0.0, 0.0, 0.0);
    }
    let n = ranks.len() as f64;
    let at = |k: usize| ranks.iter().filter(|r| r.is_some_and(|r| r <= k)).count() as f64 / n;
    let mrr = ranks.iter().map(|r| r.filter(|r| *r <= 10).map(|r| 1.0 / r as f64).unwrap_or(0.0)).sum::<f64>() / n;
    (at(1), at(10), mrr)
}

/// A title as people type it: without the 中华人民共和国 prefix and without bracketed parts
/// such as （试行） or （2019年修订）.
pub fn plain_title(title: &str) -> String {
    let t = title.trim();
    let t = t.strip_prefix("中华人民共和国").unwrap_or(t);
    let mut out = String::new();
    let mut depth = 0usize;
    for c in t.chars() {
        match c {
            '（' | '(' | '〔' | '[' | '【' => depth += 1,
            '）' | ')' | '〕' | ']' | '】' => depth = depth.saturating_sub(1),
            c if depth == 0 && !c.is_whitespace() => out.push(c),
            _ => {}
        }
    }
    out
}

struct Rng(u64);
impl Rng {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// The title with one character (not the first) dropped.
pub fn drop_one(title: &str, rng_seed: u64) -> Option<String> {
    let chars: Vec<char> = title.chars().collect();
    if chars.len() < 4 {
        return None;
    }
    let at = 1 + Rng(rng_seed).below(chars.len() - 1);
    Some(chars.iter().enumerate().filter(|(i, _)| *i != at).map(|(_, c)| c).collect())
}

/// The title with two adjacent words (as jieba cuts it) swapped.
pub fn swap_two(title: &str, rng_seed: u64) -> Option<String> {
    let words: Vec<&str> = gongkai_search::analysis::JIEBA.cut(title, false).into_iter().map(|t| t.word).collect();
    if words.len() < 2 {
        return None;
    }
    let i = Rng(rng_seed).below(words.len() - 1);
    let mut w = words.clone();
    w.swap(i, i + 1);
    let s: String = w.concat();
    (s != title).then_some(s)
}

/// Letters and digits only: how a reader (and the search) compares phrases.
fn letters(s: &str) -> String {
    s.chars().filter(|c| c.is_alphanumeric()).collect()
}

/// A 10–16 character fragment of one of the body's sentences that occurs in no other text
/// (compared without punctuation and spaces: a phrase that another text has with other
/// punctuation does not single out one document for a person who remembers the words).
fn fragment(bodies: &[String], plain: &[String], target: usize, seed: u64) -> Option<String> {
    let sentences: Vec<Vec<char>> = bodies[target]
        .split(['。', '！', '？', '；', '\n'])
        .map(|s| s.trim().chars().collect::<Vec<char>>())
        .filter(|s| s.len() >= 16)
        .collect();
    if sentences.is_empty() {
        return None;
    }
    let mut rng = Rng(seed);
    for _ in 0..12 {
        let s = &sentences[rng.below(sentences.len())];
        let len = 10 + rng.below(7);
        let start = rng.below(s.len() - len + 1);
        let f: String = s[start..start + len].iter().collect();
        let key = letters(&f);
        if key.chars().count() >= 8 && plain.iter().enumerate().all(|(i, b)| i == target || !b.contains(&key)) {
            return Some(f);
        }
    }
    None
}

/// Simplified to Taiwan's traditional characters and words.
static TAIWAN: std::sync::LazyLock<Option<ferrous_opencc::OpenCC>> =
    std::sync::LazyLock::new(|| ferrous_opencc::OpenCC::from_config(ferrous_opencc::config::BuiltinConfig::S2twp).ok());

/// The deterministic query set over every `step`-th text.
pub fn cases(titles: &[String], bodies: &[String], step: usize) -> Vec<Case> {
    let mut out = Vec::new();
    let plain_bodies: Vec<String> = bodies.iter().map(|b| letters(b)).collect();
    for i in (0..titles.len()).step_by(step.max(1)) {
        let plain = plain_title(&titles[i]);
        if plain.chars().count() < 2 {
            continue;
        }
        let seed = 0x5eed ^ (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        out.push(Case { kind: KINDS[0], query: plain.clone(), target: i });
        if let Some(f) = fragment(bodies, &plain_bodies, i, seed) {
            out.push(Case { kind: KINDS[1], query: f, target: i });
        }
        if let Some(q) = drop_one(&plain, seed) {
            out.push(Case { kind: KINDS[2], query: q, target: i });
        }
        if let Some(q) = swap_two(&plain, seed) {
            out.push(Case { kind: KINDS[3], query: q, target: i });
        }
        let trad = zhconv::zhconv(&plain, zhconv::Variant::ZhHant);
        // Taiwan's vocabulary (OpenCC's s2twp: 資訊 for 信息, 軟體 for 软件, 網路 for
        // 网络) — only the titles it changes beyond their characters.
        let taiwan = TAIWAN.as_ref().map(|cc| cc.convert(&plain)).unwrap_or_default();
        if !taiwan.is_empty() && letters(&taiwan) != letters(&trad) {
            out.push(Case { kind: KINDS[5], query: taiwan, target: i });
        }
        out.push(Case { kind: KINDS[4], query: trad, target: i });
    }
    out
}

#[derive(serde::Deserialize)]
struct Law {
    title: String,
    body: String,
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn pct(v: &mut [Duration], p: f64) -> f64 {
    if v.is_empty() {
        return 0.0;
    }
    v.sort();
    ms(v[((v.len() as f64 - 1.0) * p).round() as usize])
}

/// Runs the evaluation on a JSONL file of texts; answers the Markdown table.
pub async fn run(laws: &Path, step: usize) -> Result<String> {
    let text = std::fs::read_to_string(laws).with_context(|| format!("读取 {}", laws.display()))?;
    let rows: Vec<Law> =
        text.lines().filter(|l| !l.trim().is_empty()).map(serde_json::from_str).collect::<Result<_, _>>()?;
    let titles: Vec<String> = rows.iter().map(|r| r.title.clone()).collect();
    let bodies: Vec<String> = rows.iter().map(|r| r.body.clone()).collect();

    let dir = tempfile::tempdir()?;
    let store = Store::open_and_migrate(&format!("sqlite://{}", dir.path().join("gk.db").display())).await?;
    let ctx = AuditCtx::cli();
    let org = store
        .create_org(
            &ctx,
            NewOrg {
                parent_code: None,
                ident: gongkai_core::OrgIdent::parse("11100000000013127D")?,
                name: "中华人民共和国国务院".into(),
                short_name: String::new(),
                kind: gongkai_core::OrgKind::Government,
            },
        )
        .await?;
    // Through `gongkai import`: the JSONL path with its parsing, cleaning and warnings.
    let mut ids: HashMap<String, i64> = HashMap::new();
    let started = Instant::now();
    let summary = import_path(&store, &ctx, ImportTarget { org_id: org.id, section_id: None }, laws, &mut |r| {
        if let Ok(ImportOutcome::Created { id, .. }) = &r.outcome {
            ids.insert(r.source.clone(), *id);
        }
    })
    .await?;
    let import_secs = started.elapsed().as_secs_f64();
    anyhow::ensure!(summary.failed == 0, "{} texts failed to import", summary.failed);
    // Sources are `file:line`; line n is text n-1.
    let id_of: Vec<i64> = (0..rows.len())
        .map(|i| ids.iter().find(|(s, _)| s.ends_with(&format!(":{}", i + 1))).map(|(_, id)| *id).unwrap_or(-1))
        .collect();
    let (index, _) = SearchIndex::open(&dir.path().join("index"))?;
    index.catch_up(&store, 0).await?;

    let fts_path = dir.path().join("fts.db");
    let mut fts = sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", fts_path.display())).await?;
    sqlx::raw_sql("CREATE VIRTUAL TABLE fts USING fts5(title, body, tokenize='trigram')").execute(&mut fts).await?;
    sqlx::raw_sql("BEGIN").execute(&mut fts).await?;
    for (i, r) in rows.iter().enumerate() {
        sqlx::query("INSERT INTO fts (rowid, title, body) VALUES ($1, $2, $3)")
            .bind(id_of[i])
            .bind(&r.title)
            .bind(&r.body)
            .execute(&mut fts)
            .await?;
    }
    sqlx::raw_sql("COMMIT").execute(&mut fts).await?;

    let cases = cases(&titles, &bodies, step);
    let mut ours: HashMap<&str, (Vec<Option<usize>>, Vec<Duration>)> = HashMap::new();
    let mut theirs: HashMap<&str, (Vec<Option<usize>>, Vec<Duration>)> = HashMap::new();
    let mut misses = Vec::new();
    for c in &cases {
        let want = id_of[c.target];
        let t = Instant::now();
        let res = index.search(&SearchRequest { q: c.query.clone(), page: 1, per_page: 10, ..Default::default() })?;
        let took = t.elapsed();
        let rank = res.hits.iter().position(|h| h.id as i64 == want).map(|p| p + 1);
        if rank != Some(1) && misses.iter().filter(|m: &&String| m.starts_with(&format!("- {} `", c.kind))).count() < 8
        {
            misses.push(format!(
                "- {} `{}` → {} (first: {})",
                c.kind,
                c.query,
                rank.map(|r| format!("rank {r}")).unwrap_or("not in top 10".into()),
                res.hits.first().map(|h| h.title.as_str()).unwrap_or("nothing")
            ));
        }
        let e = ours.entry(c.kind).or_default();
        e.0.push(rank);
        e.1.push(took);

        let t = Instant::now();
        let found = fts_query(&mut fts, &c.query).await?;
        let took = t.elapsed();
        let e = theirs.entry(c.kind).or_default();
        e.0.push(found.iter().position(|id| *id == want).map(|p| p + 1));
        e.1.push(took);
    }

    let mut md = format!(
        "### Known-item search on {} real laws and regulations ({} on {} cores, {})\n\n\
         {} queries; imported through `gongkai import` ({:.0} texts/s). For each kind: success@1 / success@10 / MRR@10, and latency p50 / p99 in ms.\n\n\
         | query kind | n | gongkai s@1 / s@10 / MRR | FTS5 s@1 / s@10 / MRR | gongkai p50 / p99 ms | FTS5 p50 / p99 ms |\n|---|---:|---|---|---:|---:|\n",
        rows.len(),
        chrono::Utc::now().format("%Y-%m-%d"),
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        if cfg!(debug_assertions) { "debug build" } else { "release build" },
        cases.len(),
        rows.len() as f64 / import_secs,
    );
    let mut all_ours = (Vec::new(), Vec::new());
    let mut all_theirs = (Vec::new(), Vec::new());
    let mut line = |name: &str,
                    o: &mut (Vec<Option<usize>>, Vec<Duration>),
                    t: &mut (Vec<Option<usize>>, Vec<Duration>)| {
        let (a1, a10, am) = metrics(&o.0);
        let (b1, b10, bm) = metrics(&t.0);
        md.push_str(&format!(
            "| {name} | {} | {a1:.3} / {a10:.3} / {am:.3} | {b1:.3} / {b10:.3} / {bm:.3} | {:.2} / {:.2} | {:.2} / {:.2} |\n",
            o.0.len(),
            pct(&mut o.1, 0.5),
            pct(&mut o.1, 0.99),
            pct(&mut t.1, 0.5),
            pct(&mut t.1, 0.99)
        ));
    };
    for kind in KINDS {
        let (mut o, mut t) = (ours.remove(kind).unwrap_or_default(), theirs.remove(kind).unwrap_or_default());
        all_ours.0.extend(o.0.iter().copied());
        all_ours.1.extend(o.1.iter().copied());
        all_theirs.0.extend(t.0.iter().copied());
        all_theirs.1.extend(t.1.iter().copied());
        line(kind, &mut o, &mut t);
    }
    line("**all**", &mut all_ours, &mut all_theirs);
    md.push_str("\nFTS5 gets the same plain query: words ANDed as quoted trigram phrases, bm25 with the title weighted double (words shorter than three characters fall back to `LIKE`).\n");
    if !misses.is_empty() {
        md.push_str("\nQueries where gongkai did not put the intended text first:\n\n");
        md.push_str(&misses.join("\n"));
        md.push('\n');
    }
    println!("{md}");
    Ok(md)
}

/// The FTS5 baseline: words ANDed, bm25 with the title weighted double; LIKE for short words.
async fn fts_query(fts: &mut sqlx::SqliteConnection, q: &str) -> Result<Vec<i64>> {
    let words: Vec<String> = q.split_whitespace().map(str::to_string).collect();
    if words.is_empty() {
        return Ok(Vec::new());
    }
    let rows: Vec<(i64,)> = if words.iter().all(|w| w.chars().count() >= 3) {
        let m = words.iter().map(|w| format!("\"{}\"", w.replace('"', ""))).collect::<Vec<_>>().join(" AND ");
        sqlx::query_as("SELECT rowid FROM fts WHERE fts MATCH $1 ORDER BY bm25(fts, 2.0, 1.0) LIMIT 10")
            .bind(m)
            .fetch_all(&mut *fts)
            .await?
    } else {
        let conds: Vec<String> = (1..=words.len()).map(|i| format!("(title LIKE ${i} OR body LIKE ${i})")).collect();
        let sql = format!("SELECT rowid FROM fts WHERE {} LIMIT 10", conds.join(" AND "));
        let mut query = sqlx::query_as(sqlx::AssertSqlSafe(sql));
        for w in &words {
            query = query.bind(format!("%{w}%"));
        }
        query.fetch_all(&mut *fts).await?
    };
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metrics_of_known_ranks() {
        let (s1, s10, mrr) = metrics(&[Some(1), Some(3), None, Some(11)]);
        assert_eq!((s1, s10), (0.25, 0.5));
        assert!((mrr - (1.0 + 1.0 / 3.0) / 4.0).abs() < 1e-9);
        assert_eq!(metrics(&[]), (0.0, 0.0, 0.0));
    }

    #[test]
    fn queries_are_made_as_people_type_them() {
        assert_eq!(plain_title("中华人民共和国计量法实施细则"), "计量法实施细则");
        assert_eq!(plain_title("国务院关于修改《某条例》的决定（2019年修订）"), "国务院关于修改《某条例》的决定");
        let dropped = drop_one("生产安全事故应急条例", 3).expect("dropped");
        assert_eq!(dropped.chars().count(), 9);
        assert!(dropped.starts_with('生'));
        let swapped = swap_two("生产安全事故应急条例", 3).expect("swapped");
        assert_ne!(swapped, "生产安全事故应急条例");
        assert_eq!(swapped.chars().count(), 10);
        let titles = vec!["甲条例".to_string(), "乙办法".to_string()];
        let bodies = vec![
            "第一条 为了规范甲事项的管理工作，保障各方合法权益，制定本条例。".to_string(),
            "第一条 为了规范乙事项的管理工作，制定本办法。".to_string(),
        ];
        let cs = cases(&titles, &bodies, 1);
        let frag = cs.iter().find(|c| c.kind == "fragment" && c.target == 0).expect("fragment");
        assert!(bodies[0].contains(&frag.query) && !bodies[1].contains(&frag.query));
        assert!((10..=16).contains(&frag.query.chars().count()));
        assert_eq!(cases(&titles, &bodies, 1), cs, "deterministic");
    }

    /// The harness end to end on a tiny set of texts whose ranks are known: each title finds
    /// its own text first.
    #[tokio::test]
    async fn the_harness_ranks_a_tiny_set() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("tiny.jsonl");
        let laws = [
            (
                "中华人民共和国防汛条例",
                "第一条 为了做好防汛抗洪工作，保障人民生命财产安全和经济建设的顺利进行，根据《中华人民共和国水法》，制定本条例。",
            ),
            (
                "重大动物疫情应急条例",
                "第一条 为了迅速控制、扑灭重大动物疫情，保障养殖业生产安全，保护公众身体健康与生命安全，制定本条例。",
            ),
            (
                "广播电视设施保护条例",
                "第一条 为了维护广播电视设施的安全，确保广播电视信号顺利优质地播放和接收，制定本条例。",
            ),
        ];
        let text: String = laws
            .iter()
            .map(|(t, b)| format!("{}\n", serde_json::json!({ "title": t, "body": b, "genre": "法律法规" })))
            .collect();
        std::fs::write(&path, text).expect("write");
        let md = run(&path, 1).await.expect("run");
        let title_row = md.lines().find(|l| l.starts_with("| title |")).expect("title row");
        assert!(title_row.contains("| 3 | 1.000 / 1.000 / 1.000 |"), "{md}");
    }
}
