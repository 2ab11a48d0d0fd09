//! Structured lists at scale (issue 25): N 行政处罚决定 rows (双公示) imported through the real
//! path — adjustments of at most 100,000 rows, each checked against the schema, submitted,
//! passed and signed, applied in the signing transaction with history and audit — and the
//! public table's queries with filters, side by side with the same rows in a plain SQLite
//! table (one INSERT each in one transaction; the same filters, counts and pages in SQL).

use anyhow::{Context, Result};
use gongkai_core::list::{AdjustKind, MAX_IMPORT_ROWS, RowChange, Values};
use gongkai_core::review::ReviewStep;
use gongkai_core::{OrgIdent, OrgKind, Password, Role, Username};
use gongkai_store::{AuditCtx, NewAdjustment, NewOrg, NewUser, RowQuery, Store};
use sqlx::Connection;
use std::time::{Duration, Instant};

const TYPES: [&str; 3] = ["法人及非法人组织", "个体工商户", "自然人"];
const CATEGORIES: [&str; 4] = ["警告", "罚款", "没收违法所得、没收非法财物", "责令停产停业"];
const SURNAMES: [&str; 8] = ["王", "李", "张", "刘", "陈", "杨", "黄", "赵"];

/// Row `i`: deterministic, one in ten a natural person, a third past their 公示期限.
fn row(i: usize) -> Values {
    let ty = match i % 10 {
        0 => TYPES[2],
        1..=3 => TYPES[1],
        _ => TYPES[0],
    };
    let name = if ty == TYPES[2] {
        format!("{}{}", SURNAMES[i % SURNAMES.len()], ["建国", "秀英", "志强", "丽华"][i / 8 % 4])
    } else {
        format!("黔江区某某{i}号商贸有限公司")
    };
    let year = 2020 + (i % 7);
    let decided = format!("{year}-{:02}-{:02}", 1 + i % 12, 1 + i % 28);
    let until = format!("{}-{:02}-{:02}", year + if i.is_multiple_of(3) { 1 } else { 3 }, 1 + i % 12, 1 + i % 28);
    [
        ("subject_name", name),
        ("subject_type", ty.to_string()),
        ("decision_no", format!("黔江市监罚〔{year}〕{i}号")),
        ("facts", format!("经营超过保质期的食品（第 {i} 号案）")),
        ("basis", "《中华人民共和国食品安全法》第一百二十四条".to_string()),
        ("category", CATEGORIES[i % CATEGORIES.len()].to_string()),
        ("content", "没收违法所得并处罚款".to_string()),
        ("amount", format!("{}.{:02}", i % 50, i % 100)),
        ("decided_on", decided),
        ("authority", "重庆市黔江区市场监督管理局".to_string()),
        ("notice_until", until),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    sorted[((sorted.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0
}

async fn actors(store: &Store) -> Result<[gongkai_core::Actor; 3]> {
    let ctx = AuditCtx::cli();
    let code = "11500114009130039C";
    store
        .create_org(
            &ctx,
            NewOrg {
                parent_code: None,
                ident: OrgIdent::parse(code)?,
                name: "重庆市黔江区人民政府".into(),
                short_name: String::new(),
                kind: OrgKind::Government,
            },
        )
        .await?;
    let hash = gongkai_store::auth::hash_password(&Password::parse("bench-password-1")?)?;
    let mut out = Vec::new();
    for (name, role) in [("editor", Role::Editor), ("reviewer", Role::Reviewer), ("approver", Role::Approver)] {
        let u = store
            .create_user(
                &ctx,
                NewUser {
                    org_code: code.into(),
                    username: Username::parse(name)?,
                    display_name: name.into(),
                    password_hash: hash.clone(),
                    roles: vec![role],
                },
            )
            .await?;
        out.push(store.actor(u.id).await?.context("actor")?);
    }
    out.try_into().map_err(|_| anyhow::anyhow!("three actors"))
}

/// Runs the benchmark on `n` rows, each query kind `runs` times; answers the Markdown table.
pub async fn run(n: usize, runs: usize) -> Result<String> {
    let tmp = tempfile::tempdir()?;
    let url = format!("sqlite://{}?mode=rwc", tmp.path().join("gongkai.db").display());
    let store = Store::open_and_migrate(&url).await?;
    let [editor, reviewer, approver] = actors(&store).await?;
    let org_id = editor.org_id;
    let ctx = AuditCtx::cli();
    let today = chrono::NaiveDate::from_ymd_opt(2026, 12, 3).context("date")?;

    // gongkai: adjustments of up to 100,000 rows through the review path.
    let started = Instant::now();
    let mut done = 0;
    while done < n {
        let chunk = (n - done).min(MAX_IMPORT_ROWS);
        let changes = (done..done + chunk).map(|i| RowChange { row_id: None, values: row(i) }).collect();
        let new = NewAdjustment {
            kind: "penalty".into(),
            org_id,
            adjust: AdjustKind::Add,
            basis: format!("双公示第 {} 批", done / MAX_IMPORT_ROWS + 1),
            effective_on: today,
            changes,
        };
        let a = store.draft_list_adjustment(&ctx, &editor, new).await?;
        store.list_adjustment_step(&ctx, &editor, a.id, ReviewStep::Submit).await?;
        store.list_adjustment_step(&ctx, &reviewer, a.id, ReviewStep::Pass).await?;
        store.list_adjustment_step(&ctx, &approver, a.id, ReviewStep::Approve).await?;
        done += chunk;
        eprintln!("  {done} rows signed ({:.0}/s)", done as f64 / started.elapsed().as_secs_f64());
    }
    let gk_secs = started.elapsed().as_secs_f64();

    // The search index follows the outbox as a server's follower does: every row, masked.
    let started = Instant::now();
    let (index, _) = gongkai_search::SearchIndex::open(&tmp.path().join("index"))?;
    index.catch_up(&store, 0).await?;
    let index_secs = started.elapsed().as_secs_f64();

    // The peer: the same rows in a plain SQLite table with the same indexes.
    let mut peer =
        sqlx::SqliteConnection::connect(&format!("sqlite://{}?mode=rwc", tmp.path().join("plain.db").display()))
            .await?;
    sqlx::raw_sql(
        "CREATE TABLE penalty (id INTEGER PRIMARY KEY, subject_name TEXT, subject_type TEXT, decision_no TEXT, facts TEXT, \
         basis TEXT, category TEXT, content TEXT, amount TEXT, decided_on TEXT, authority TEXT, notice_until TEXT); \
         CREATE INDEX penalty_filter ON penalty(subject_type, category, id); CREATE INDEX penalty_until ON penalty(notice_until);",
    )
    .execute(&mut peer)
    .await?;
    let started = Instant::now();
    sqlx::raw_sql("BEGIN").execute(&mut peer).await?;
    for i in 0..n {
        let v = row(i);
        let get = |k: &str| v.get(k).cloned().unwrap_or_default();
        sqlx::query(
            "INSERT INTO penalty (subject_name, subject_type, decision_no, facts, basis, category, content, amount, decided_on, authority, notice_until) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(get("subject_name"))
        .bind(get("subject_type"))
        .bind(get("decision_no"))
        .bind(get("facts"))
        .bind(get("basis"))
        .bind(get("category"))
        .bind(get("content"))
        .bind(get("amount"))
        .bind(get("decided_on"))
        .bind(get("authority"))
        .bind(get("notice_until"))
        .execute(&mut peer)
        .await?;
    }
    sqlx::raw_sql("COMMIT").execute(&mut peer).await?;
    let peer_secs = started.elapsed().as_secs_f64();

    // The queries a citizen makes of the table: filters, a keyword, both, a deep page.
    // A company whose row is still public (decided in 2026, or in 2024–2025 with three years).
    let public = (n / 2..n).find(|i| i % 10 >= 4 && (i % 7 == 6 || (i % 7 >= 4 && i % 3 != 0))).unwrap_or(0);
    let company = format!("某某{public}号");
    let deep = ((n as i64 / 3) / 20 / 2).max(1);
    let kinds: Vec<(&str, RowQuery)> = vec![
        ("first page, no filter", RowQuery { limit: 20, ..Default::default() }),
        ("one filter (类别)", RowQuery { filter1: TYPES[1].into(), limit: 20, ..Default::default() }),
        (
            "two filters",
            RowQuery { filter1: TYPES[0].into(), filter2: CATEGORIES[1].into(), limit: 20, ..Default::default() },
        ),
        ("keyword (a company)", RowQuery { q: company.clone(), limit: 20, ..Default::default() }),
        (
            "keyword + filter",
            RowQuery { q: "商贸".into(), filter2: CATEGORIES[3].into(), limit: 20, ..Default::default() },
        ),
        ("page far back", RowQuery { limit: 20, offset: deep * 20, ..Default::default() }),
    ];
    let mut md = format!(
        "\n{n} 行政处罚决定 rows, {runs} runs of each query (page of 20 with the total; the public rows only: \
         not removed, 公示期限 not over).\n\n\
         | | gongkai (store, SQLite; words through the search index) | gongkai, words by `LIKE` in the store (before) | plain SQLite table |\n|---|---:|---:|---:|\n\
         | import rows/s | {:.0} (schema checks, review path, history, audit) | | {:.0} (one INSERT each, one transaction) |\n\
         | search index rows/s (following the outbox) | {:.0} | | |\n",
        n as f64 / gk_secs,
        n as f64 / peer_secs,
        n as f64 / index_secs,
    );
    for (name, q) in kinds {
        let mut gk = Vec::with_capacity(runs);
        let mut before = Vec::with_capacity(runs);
        let mut total = 0;
        let mut before_total = 0;
        for _ in 0..runs {
            let t = Instant::now();
            let (rows, count) = public_page(&store, &index, &q, today).await?;
            gk.push(t.elapsed());
            total = count;
            std::hint::black_box(rows);
            if !q.q.is_empty() {
                let t = Instant::now();
                let (rows, count) = store.public_list_rows("penalty", &q, today).await?;
                before.push(t.elapsed());
                before_total = count;
                std::hint::black_box(rows);
            }
        }
        anyhow::ensure!(
            before.is_empty() || before_total == total,
            "{name}: the index counts {total}, the store {before_total}"
        );
        let mut cond = String::from("notice_until >= $1");
        let mut values: Vec<String> = vec![today.to_string()];
        if !q.filter1.is_empty() {
            values.push(q.filter1.clone());
            cond.push_str(&format!(" AND subject_type = ${}", values.len()));
        }
        if !q.filter2.is_empty() {
            values.push(q.filter2.clone());
            cond.push_str(&format!(" AND category = ${}", values.len()));
        }
        if !q.q.is_empty() {
            values.push(format!("%{}%", q.q));
            cond.push_str(&format!(
                " AND (subject_name || ' ' || decision_no || ' ' || facts || ' ' || category || ' ' || authority) LIKE ${}",
                values.len()
            ));
        }
        let mut plain = Vec::with_capacity(runs);
        let mut plain_total = 0i64;
        for _ in 0..runs {
            let t = Instant::now();
            let sql = format!("SELECT COUNT(*) FROM penalty WHERE {cond}");
            let mut count = sqlx::query_scalar::<_, i64>(sqlx::AssertSqlSafe(sql));
            for v in &values {
                count = count.bind(v);
            }
            plain_total = count.fetch_one(&mut peer).await?;
            let sql = format!("SELECT * FROM penalty WHERE {cond} ORDER BY id DESC LIMIT 20 OFFSET {}", q.offset);
            let mut page = sqlx::query(sqlx::AssertSqlSafe(sql));
            for v in &values {
                page = page.bind(v);
            }
            std::hint::black_box(page.fetch_all(&mut peer).await?);
            plain.push(t.elapsed());
        }
        gk.sort();
        plain.sort();
        before.sort();
        let before = if before.is_empty() {
            String::new()
        } else {
            format!("{:.2} / {:.2}", percentile(&before, 0.5), percentile(&before, 0.99))
        };
        md.push_str(&format!(
            "| {name} ({total} / {plain_total} rows): p50 / p99 ms | {:.2} / {:.2} | {before} | {:.2} / {:.2} |\n",
            percentile(&gk, 0.5),
            percentile(&gk, 0.99),
            percentile(&plain, 0.5),
            percentile(&plain, 0.99)
        ));
    }
    let size = |f: &str| std::fs::metadata(tmp.path().join(f)).map(|m| m.len()).unwrap_or(0) as f64 / 1e6;
    let index_mb = dir_size(&tmp.path().join("index").join("rows")) as f64 / 1e6;
    md.push_str(&format!(
        "| database size MB | {:.0} (+ {index_mb:.0} rows index) | | {:.0} |\n",
        size("gongkai.db"),
        size("plain.db")
    ));
    Ok(md)
}

/// A page of the public table as the portal asks for it (`app::lists`): words through the
/// search index and the page's rows from the store, filters alone from the store.
async fn public_page(
    store: &Store,
    index: &gongkai_search::SearchIndex,
    q: &RowQuery,
    today: chrono::NaiveDate,
) -> Result<(Vec<gongkai_store::ListRow>, i64)> {
    if q.q.is_empty() {
        return Ok(store.public_list_rows("penalty", q, today).await?);
    }
    let found = index.search_rows(&gongkai_search::RowRequest {
        q: q.q.clone(),
        kind: Some("penalty".into()),
        filter1: q.filter1.clone(),
        filter2: q.filter2.clone(),
        today,
        offset: q.offset as usize,
        limit: q.limit as usize,
        ..Default::default()
    })?;
    let rows = store.list_rows_by_ids(&found.ids).await?;
    Ok((rows, found.total as i64))
}

fn dir_size(dir: &std::path::Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok()?.metadata().ok()).map(|m| m.len()).sum())
        .unwrap_or(0)
}
