//! `gongkai-bench summaries`: the office's summary pages at a city's scale (issue 27). Builds
//! (or reuses, with `--dir`) N items spread over `--orgs` orgs — a government, departments,
//! towns and the villages under them — with the search index following, and `--requests`
//! requests filed across the orgs this year, those received more than a month ago accepted
//! and answered (as a city answers within its 20 working days). Then serves
//! it with the real `gongkai serve`, logs the disclosure office in, and measures each page
//! rendered alone: the supervision page, the office's dashboard, the annual report of the
//! top org with everything below, and the catalog page; the catalog page also under wrk at
//! 64 connections with a distinct query string on each request (rendered every time).

use anyhow::{Context, Result};
use gongkai_core::request::{Applicant, ApplicantType, Channel, DEFAULT_SIGN_OFF, Outcome, Step};
use gongkai_core::{CreditCode, OrgIdent, OrgKind, Password, Role, Username};
use gongkai_store::{AuditCtx, NewOrg, NewRequest, NewUser, StepExtra, Store};
use std::path::Path;
use std::time::{Duration, Instant};

/// The top org's code (the district of the other benchmarks).
pub const TOP: &str = "11500114009130039C";
/// The office's login.
const OFFICE: &str = "bench-office";
const PASSWORD: &str = "bench-office-2026";

/// The orgs of a build of `n` orgs: the top government, then 100 departments, 30 towns and
/// villages under the towns. Answers their ids, the top first.
pub async fn make_orgs(store: &Store, n: usize) -> Result<Vec<i64>> {
    let ctx = AuditCtx::cli();
    let top = store
        .create_org(
            &ctx,
            NewOrg {
                parent_code: None,
                ident: OrgIdent::parse(TOP)?,
                name: "基准测试区人民政府".into(),
                short_name: String::new(),
                kind: OrgKind::Government,
            },
        )
        .await?;
    let mut ids = vec![top.id];
    let mut towns = Vec::new();
    for i in 1..n {
        let code = CreditCode::complete(&format!("11500114{i:09}"))?.as_str().to_string();
        let (kind, parent, name) = match i {
            1..=100 => (OrgKind::Department, TOP.to_string(), format!("基准测试区第{i}局")),
            101..=130 => (OrgKind::Town, TOP.to_string(), format!("基准测试区第{}镇", i - 100)),
            _ => {
                let town: &String = &towns[i % towns.len()];
                (OrgKind::Village, town.clone(), format!("第{i}村民委员会"))
            }
        };
        let org = store
            .create_org(
                &ctx,
                NewOrg {
                    parent_code: Some(parent),
                    ident: OrgIdent::parse(&code)?,
                    name,
                    short_name: String::new(),
                    kind,
                },
            )
            .await?;
        if kind == OrgKind::Town {
            towns.push(code);
        }
        ids.push(org.id);
    }
    Ok(ids)
}

/// The days back from today within which a request of the build is still open.
pub const OPEN_DAYS: i64 = 30;

/// Files `n` requests across `orgs` this year (received from 2 January to yesterday), and
/// has each org's handler accept and answer (today) those received more than [`OPEN_DAYS`]
/// ago, so that late in the year about one in eleven stays open, as in a city's office; of
/// those answered, one in ten paused for a consultation and one in twelve was extended.
/// Answers the seconds it took.
pub async fn file_requests(store: &Store, orgs: &[i64], n: usize) -> Result<f64> {
    let ctx = AuditCtx::cli();
    office(store).await?;
    // Each org's own request handler answers its requests and approves their extensions
    // (one password hash for all).
    let hash = store.hash_password(&Password::parse(PASSWORD)?)?;
    let mut handlers = std::collections::HashMap::new();
    for org in store.orgs().await? {
        let name = Username::parse(&format!("bench-h{}", org.id))?;
        let user = match store.user_by_username(&name).await? {
            Some(u) => u,
            None => {
                let new = NewUser {
                    org_code: org.code().to_string(),
                    username: name,
                    display_name: String::new(),
                    password_hash: hash.clone(),
                    roles: vec![Role::RequestHandler, Role::Approver],
                };
                store.create_user(&ctx, new).await?
            }
        };
        handlers.insert(org.id, store.actor(user.id).await?.context("a handler")?);
    }
    let today = store.today();
    let start = chrono::NaiveDate::from_ymd_opt(chrono::Datelike::year(&today), 1, 2).context("date")?;
    let days = (today - start).num_days().max(1);
    let started = Instant::now();
    for i in 0..n {
        let received_on = start + chrono::Duration::days((i as i64 * 7919) % days);
        let new = NewRequest {
            org_id: orgs[i % orgs.len()],
            channel: Channel::Online,
            applicant: Applicant {
                kind: ApplicantType::NaturalPerson,
                name: format!("申请人{}", i % 5000),
                id_type: "居民身份证".into(),
                id_number: String::new(),
                credit_code: String::new(),
                legal_rep: String::new(),
                contact_person: String::new(),
                phone: "13800000000".into(),
                email: String::new(),
                address: "重庆市黔江区".into(),
                postcode: String::new(),
            },
            description: format!("第{i}号项目的批复文件及环境影响评价报告"),
            doc_ref: String::new(),
            purpose: String::new(),
            form: "电子".into(),
            delivery: String::new(),
            submitted_at: store.now(),
            received_on,
            idempotency_key: None,
        };
        let (r, _) = store.file_request(&ctx, new).await?;
        if received_on < today - chrono::Duration::days(OPEN_DAYS) {
            let handler = handlers.get(&r.org_id).context("the org's handler")?;
            let extra = || StepExtra {
                sign_off: DEFAULT_SIGN_OFF.iter().map(|s| s.to_string()).collect(),
                ..Default::default()
            };
            store.apply_request_step(&ctx, handler, r.id, Step::Accept, extra()).await?;
            // One in ten consulted a third party for a week, one in twelve extended (approved
            // by the org's approver): the counts then read their pauses and extensions too.
            if i % 10 == 3 {
                let on = |days| Some(received_on + chrono::Duration::days(days));
                let start = StepExtra { on: on(2), party: "第三方企业".into(), ..extra() };
                store.apply_request_step(&ctx, handler, r.id, Step::StartConsultation, start).await?;
                let end = StepExtra { on: on(9), ..extra() };
                store.apply_request_step(&ctx, handler, r.id, Step::EndConsultation, end).await?;
            }
            if i % 12 == 5 {
                // Within the period (article 33): ten days after receipt.
                let on = Some(received_on + chrono::Duration::days(10));
                let extend = StepExtra { on, comment: "需要调取档案".into(), ..extra() };
                store.apply_request_step(&ctx, handler, r.id, Step::Extend { days: 20 }, extend).await?;
            }
            // Answered through the year as a city answers: 11 to 39 days after receipt (the
            // later ones late), never after today — not all on the day the city is built,
            // which would put the year's replies in this month alone.
            let replied = received_on + chrono::Duration::days(11 + (i as i64 * 7919) % 29);
            let reply = Step::Reply { outcome: Outcome::parse("disclosed").context("outcome")?, reason: String::new() };
            let on = StepExtra { on: Some(replied.min(today)), ..extra() };
            store.apply_request_step(&ctx, handler, r.id, reply, on).await?;
        }
        if (i + 1) % 20_000 == 0 {
            eprintln!("  {} requests filed ({:.0}/s)", i + 1, (i + 1) as f64 / started.elapsed().as_secs_f64());
        }
    }
    Ok(started.elapsed().as_secs_f64())
}

/// The disclosure office of the top org: a supervisor who also handles requests (made once).
async fn office(store: &Store) -> Result<gongkai_core::Actor> {
    let name = Username::parse(OFFICE)?;
    let user = match store.user_by_username(&name).await? {
        Some(u) => u,
        None => {
            store
                .create_user(
                    &AuditCtx::cli(),
                    NewUser {
                        org_code: TOP.into(),
                        username: name,
                        display_name: "政务公开办".into(),
                        password_hash: store.hash_password(&Password::parse(PASSWORD)?)?,
                        roles: vec![Role::Supervisor, Role::RequestHandler],
                    },
                )
                .await?
        }
    };
    store.actor(user.id).await?.context("the office's account")
}

/// One page's times, rendered alone: the first view (nothing kept) and again.
struct Timed {
    first_ms: f64,
    p50_ms: f64,
    p99_ms: f64,
    bytes: usize,
}

async fn time_page(client: &reqwest::Client, url: &str, runs: usize) -> Result<Timed> {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..=runs {
        let started = Instant::now();
        let res = client.get(url).send().await?;
        anyhow::ensure!(res.status() == 200, "{url} answered {}", res.status());
        bytes = res.bytes().await?.len();
        times.push(started.elapsed());
    }
    let first_ms = times.remove(0).as_secs_f64() * 1000.0;
    times.sort();
    let at = |p: f64| times[((times.len() as f64 - 1.0) * p).round() as usize].as_secs_f64() * 1000.0;
    Ok(Timed { first_ms, p50_ms: at(0.5), p99_ms: at(0.99), bytes })
}

/// What the run measured, besides the pages.
pub struct Input<'a> {
    pub gongkai: &'a Path,
    /// The serving node's data directory (its index).
    pub dir: &'a Path,
    /// The store: `sqlite://…` or `postgres://…`.
    pub database: &'a str,
    pub n: usize,
    pub orgs: usize,
    pub requests: usize,
    pub secs: u64,
    pub runs: usize,
}

/// Serves the build and measures the pages; answers the Markdown section.
pub async fn run(input: Input<'_>) -> Result<String> {
    let Input { gongkai, dir, database, n, orgs, requests, secs, runs } = input;
    let (server, url) = crate::pages::start_on(gongkai, dir, database)?;
    let store = Store::open(database).await?;
    crate::pages::await_site_check(&store).await?;
    // A build made by a release that did not keep concluded requests' figures has them kept
    // by the server's job at its first start (as an upgraded deployment does): timed after.
    let cal = store.calendar().await?;
    let waited = Instant::now();
    while store.request_figures_to_keep(&cal).await? {
        anyhow::ensure!(waited.elapsed() < Duration::from_secs(3600), "the request figures were never kept");
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
    eprintln!("  concluded requests' figures kept after {:.0} s", waited.elapsed().as_secs_f64());
    let client = reqwest::Client::builder().cookie_store(true).timeout(Duration::from_secs(600)).build()?;
    let page = client.get(format!("{url}/login")).send().await?.text().await?;
    let csrf = csrf_in(&page).context("the login form's token")?;
    let res = client
        .post(format!("{url}/login"))
        .form(&[("username", OFFICE), ("password", PASSWORD), ("csrf", csrf.as_str())])
        .send()
        .await?;
    anyhow::ensure!(res.status().is_success(), "login answered {}", res.status());
    let year = chrono::Datelike::year(&chrono::Utc::now());
    let pages = [
        ("supervision (the ranked orgs under the office)", "/admin/supervision".to_string()),
        ("the office's dashboard", "/admin".to_string()),
        ("annual report of the top org with everything below", format!("/admin/reports/{TOP}/{year}?scope=tree")),
        ("catalog page (the top org's list, page 2)", format!("/orgs/{TOP}?page=2")),
    ];
    let mut rows = Vec::new();
    for (name, path) in &pages {
        eprintln!("  {name} …");
        rows.push((name, path, time_page(&client, &format!("{url}{path}"), runs).await?));
    }
    let script_dir = tempfile::tempdir()?;
    let script = script_dir.path().join("render-every-time.lua");
    std::fs::write(&script, crate::pages::render_every_time_script())?;
    let catalog = crate::pages::wrk(&format!("{url}/orgs/{TOP}?page=2"), secs, Some(&script))?;
    drop(server);
    let mut md = format!(
        "### Summary pages, {n} items, {requests} requests, {orgs} orgs, on {} ({})\n\n",
        if database.starts_with("postgres") { "PostgreSQL" } else { "SQLite" },
        crate::run_on()
    );
    md.push_str(&format!(
        "| page, rendered alone | first view ms | again: p50 / p99 ms ({runs} runs) | KB |\n|---|---:|---:|---:|\n"
    ));
    for (name, path, t) in &rows {
        md.push_str(&format!(
            "| {name} `{path}` | {:.1} | {:.1} / {:.1} | {:.0} |\n",
            t.first_ms,
            t.p50_ms,
            t.p99_ms,
            t.bytes as f64 / 1024.0
        ));
    }
    md.push_str(&format!(
        "\nThe catalog page rendered every time (a distinct query string on each request; wrk -t2 -c64 -d{secs}s on the same machine): **{:.0} req/s**, p50 / p99 {:.2} / {:.2} ms, {} errors.\n",
        catalog.rps, catalog.p50_ms, catalog.p99_ms, catalog.errors
    ));
    Ok(md)
}

/// Moves the SQLite build in `base` to the PostgreSQL database `pg` with the real
/// `gongkai migrate-store` (once per build: a marker remembers it), and gives the PostgreSQL
/// node a data directory of its own holding a copy of the build's search index: the outbox
/// moves with its row numbers, so the index follows PostgreSQL from where it was, where a
/// deployer's node rebuilds it on its first start. Answers that directory.
pub fn moved_to_postgres(
    gongkai: &Path,
    base: &Path,
    sqlite: &str,
    pg: &str,
    requests: usize,
) -> Result<std::path::PathBuf> {
    let node = base.join("pg-node");
    let marker = node.join("migrated.json");
    let done = std::fs::read_to_string(&marker).ok().and_then(|s| s.trim().parse::<usize>().ok());
    if done == Some(requests) {
        eprintln!("reusing the build moved to PostgreSQL");
        return Ok(node);
    }
    anyhow::ensure!(
        done.is_none(),
        "{} was moved with another build: empty the database and the folder",
        node.display()
    );
    eprintln!("moving the build to PostgreSQL (gongkai migrate-store) …");
    // Run from the node's folder (migrate-store deletes the index of the folder it runs in,
    // to be rebuilt): the build's attachments are read through a link.
    std::fs::create_dir_all(&node)?;
    let files = node.join("files");
    if base.join("files").exists() && !files.exists() {
        std::os::unix::fs::symlink(base.join("files"), &files)?;
    }
    let started = Instant::now();
    let status = std::process::Command::new(gongkai)
        .arg("--data-dir")
        .arg(&node)
        .arg("migrate-store")
        .env("DATABASE_URL", sqlite)
        .env("GONGKAI_MIGRATE_TO", pg)
        .env("RUST_LOG", "warn")
        .status()
        .with_context(|| format!("starting {}", gongkai.display()))?;
    anyhow::ensure!(status.success(), "gongkai migrate-store failed ({status})");
    eprintln!("  moved in {:.0} s", started.elapsed().as_secs_f64());
    let index = node.join("index");
    if index.exists() {
        std::fs::remove_dir_all(&index)?;
    }
    std::fs::create_dir_all(&index)?;
    copy_dir(&base.join("index"), &index)?;
    std::fs::write(&marker, requests.to_string())?;
    Ok(node)
}

fn copy_dir(from: &Path, to: &Path) -> Result<()> {
    std::fs::create_dir_all(to)?;
    for entry in std::fs::read_dir(from)? {
        let entry = entry?;
        let target = to.join(entry.file_name());
        if entry.file_type()?.is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target)?;
        }
    }
    Ok(())
}

/// The CSRF token of the first form on a page.
fn csrf_in(html: &str) -> Option<String> {
    let rest = html.split("name=\"csrf\" value=\"").nth(1)?;
    Some(rest.split('"').next()?.to_string())
}
