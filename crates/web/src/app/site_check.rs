//! The website self-check (网站自查), the use cases: a run over the whole site — the columns,
//! the open letters, the consultation channel, every published body's internal links
//! (opened through the application itself, as a visitor would), every published
//! attachment's file, metadata, guides and annual reports — judged by `core::site_check`
//! and stored; once a day by the scheduler (once across every node) and on demand by the
//! office; and what a staff member may see of the latest run.

use crate::{AppError, AppState};
use axum::body::Body;
use axum::http::Request;
use chrono::Datelike;
use gongkai_core::Actor;
use gongkai_core::site_check::{
    self, BrokenAttachment, BrokenLink, Finding, MediaFacts, OpenLetter, OrgFacts, Severity, Site, Target,
};
use gongkai_store::Org;
use gongkai_store::site_checks::{FindingRow, NewSiteCheck, SiteCheckRun};
use std::collections::HashMap;
use tower::ServiceExt;

/// Public items read at a time while links and files are checked.
const BATCH: i64 = 200;
/// Distinct internal links opened in one run at most; the rest wait for the next run.
pub const MAX_LINKS: usize = 20_000;
/// Distinct links to other sites opened in one run at most (when the operator turns it on).
pub const MAX_EXTERNAL: usize = 2_000;
/// Links to other sites opened at once.
const EXTERNAL_AT_ONCE: usize = 8;

/// What a run looked at.
#[derive(Debug, Clone, Copy, Default, serde::Serialize, utoipa::ToSchema)]
pub struct Counts {
    pub items: i64,
    pub links: i64,
    pub files: i64,
}

/// Runs the check over the whole site and stores it: `daily` runs are stored once a day
/// across every node (`None` when another node stored today's first).
pub async fn run(state: &AppState, by: Option<&Actor>, daily: bool) -> Result<Option<i64>, AppError> {
    let today = state.today();
    let orgs = state.store.orgs().await?;
    if orgs.is_empty() {
        return Ok(None);
    }
    // Everything the sites show, read once; then each top-level org's tree is one site.
    let mut all = Site {
        columns: state.store.site_columns().await?,
        letters: state
            .store
            .open_letters()
            .await?
            .into_iter()
            .map(|l| OpenLetter {
                org_id: l.org_id,
                letter_id: l.id,
                tracking_no: l.tracking_no,
                subject: l.subject,
                received_on: l.received_on,
            })
            .collect(),
        ..Default::default()
    };
    let counts = pages(state, &mut all).await?;
    let consult: Vec<i64> = state
        .store
        .mailboxes()
        .await?
        .iter()
        .filter(|m| m.active && m.kind == gongkai_core::letter::MailboxKind::Consult)
        .map(|m| m.org_id)
        .collect();
    let mut metadata: HashMap<i64, usize> = HashMap::new();
    for (org, _) in state.store.metadata_issues(None, today).await? {
        *metadata.entry(org).or_default() += 1;
    }
    let media: Vec<MediaFacts> = state
        .store
        .media_accounts(None)
        .await?
        .iter()
        .filter(|a| a.state == gongkai_core::media::AccountState::Active)
        .map(|a| MediaFacts {
            org_id: a.org_id,
            account_id: a.id,
            label: a.label(),
            last_update: a.last_update,
            opened_on: a.opened_on,
        })
        .collect();
    let year = today.year() - 1;
    let reports = state.store.report_rows_for_year(year).await?;
    let rules_at = state.store.org_page_paths(gongkai_store::site::PageKind::Rules).await?;
    // One public address serves every site of the platform: its probes speak for each.
    let probes = state.store.site_probes_since(state.now() - chrono::Duration::days(site_check::PROBE_DAYS)).await?;
    let year_start = chrono::NaiveDate::from_ymd_opt(today.year(), 1, 1).unwrap_or(today);
    let mut findings = Vec::new();
    for root in orgs.iter().filter(|o| o.parent_id.is_none()) {
        let within: std::collections::HashSet<i64> =
            orgs.iter().filter(|o| o.path.is_within(&root.path)).map(|o| o.id).collect();
        let site = Site {
            root_org_id: root.id,
            last_publication: state.store.last_public_date_under(&root.path).await?,
            columns: all.columns.iter().filter(|c| within.contains(&c.org_id)).cloned().collect(),
            letters: all.letters.iter().filter(|l| within.contains(&l.org_id)).cloned().collect(),
            consultation_channels: consult.iter().filter(|o| within.contains(o)).count(),
            broken_links: all.broken_links.iter().filter(|b| within.contains(&b.org_id)).cloned().collect(),
            slips: all.slips.iter().filter(|b| within.contains(&b.org_id)).cloned().collect(),
            broken_attachments: all.broken_attachments.iter().filter(|b| within.contains(&b.org_id)).cloned().collect(),
            media: media.iter().filter(|m| within.contains(&m.org_id)).cloned().collect(),
            probes,
            orgs: orgs
                .iter()
                .filter(|o| within.contains(&o.id))
                .map(|o| OrgFacts {
                    org_id: o.id,
                    name: o.name.clone(),
                    has_contact: !o.contact.trim().is_empty(),
                    has_rules: rules_at.iter().any(|p| o.path.as_str().starts_with(p.as_str())),
                    metadata_problems: metadata.get(&o.id).copied().unwrap_or(0),
                    report_due: (gongkai_core::index_no::beijing_date(o.created_at) < year_start)
                        .then(|| gongkai_core::report::due_on(o.kind, year)),
                    last_report_published: reports.iter().any(|r| {
                        r.org_id == o.id
                            && r.scope == gongkai_core::report::Scope::Org
                            && r.state == gongkai_core::report::ReportState::Published
                    }),
                })
                .collect(),
        };
        findings.extend(site_check::assess(&site, today));
    }
    let by_id: HashMap<i64, &Org> = orgs.iter().map(|o| (o.id, o)).collect();
    let rows: Vec<(Finding, String)> = findings
        .into_iter()
        .map(|f| {
            let href = href(&f.target, &by_id);
            (f, href)
        })
        .collect();
    let new = NewSiteCheck {
        checked_on: today,
        daily,
        by_user: by.map(|a| String::from(a.username.clone())).unwrap_or_default(),
        items_checked: counts.items,
        links_checked: counts.links,
        files_checked: counts.files,
    };
    Ok(state.store.save_site_check(&new, &rows).await?)
}

/// Where a finding sends the office: the console page that fixes it, or the column as the
/// public sees it.
fn href(target: &Target, orgs: &HashMap<i64, &Org>) -> String {
    let code = |id: &i64| orgs.get(id).map(|o| o.code().to_string()).unwrap_or_default();
    match target {
        Target::Item(id) => format!("/admin/items/{id}"),
        Target::Letter(id) => format!("/admin/letters/{id}"),
        Target::Sections(org) => format!("/orgs/{}", code(org)),
        Target::Column(org, section) => format!("/orgs/{}?section={section}", code(org)),
        Target::Supervision(org) => format!("/admin/supervision/{}", code(org)),
        Target::OrgPages(org) => format!("/admin/orgs#contact-{org}"),
        Target::OwnPages(org) => format!("/admin/orgs/{}/pages", code(org)),
        Target::Mailboxes => "/admin/mailboxes".to_string(),
        Target::Reports(year) => format!("/admin/reports?year={year}"),
        Target::MediaAccount(id) => format!("/admin/media/{id}"),
    }
}

/// Reads every public item a batch at a time: opens each internal link of its body once
/// (through the application, without a session, as a visitor) and checks each attachment's
/// file is there, whole.
async fn pages(state: &AppState, site: &mut Site) -> Result<Counts, AppError> {
    let app = crate::router(state.clone());
    let public_url = state.config.public_url.clone();
    let mut opened: HashMap<String, Option<String>> = HashMap::new();
    // Links to other sites, each with where it appears: opened after the pages are read.
    let mut external: HashMap<String, Vec<(i64, i64, String, String)>> = HashMap::new();
    let check_external = state.config.check_external_links;
    let mut counts = Counts::default();
    // Each item is scanned with its site's list (the shipped forms, the site's own, its
    // office holders).
    let site_of: HashMap<i64, i64> =
        state.store.orgs().await?.into_iter().map(|o| (o.id, o.path.root_id().unwrap_or(o.id))).collect();
    let mut checkers: HashMap<i64, std::sync::Arc<gongkai_core::wording::Checker>> = HashMap::new();
    let mut after = 0;
    loop {
        let ids = state.store.public_item_ids(after, BATCH).await?;
        let Some(last) = ids.last().copied() else { break };
        after = last;
        let items = state.store.public_items_by_ids(&ids).await?;
        counts.items += items.len() as i64;
        for item in &items {
            let site_id = site_of.get(&item.org_id).copied().unwrap_or(item.org_id);
            let checker = match checkers.entry(site_id) {
                std::collections::hash_map::Entry::Occupied(e) => e.into_mut(),
                std::collections::hash_map::Entry::Vacant(e) => {
                    e.insert(crate::app::wording::checker(state, site_id).await?)
                }
            };
            // Title and body in one scan: a form in both is one finding with its count.
            for slip in checker.scan(&format!("{}\n{}", item.title, item.body)) {
                site.slips.push(site_check::ItemSlip {
                    org_id: item.org_id,
                    item_id: item.id,
                    title: item.title.clone(),
                    slip,
                });
            }
            for link in site_check::links(&item.body) {
                if check_external && let Some(url) = site_check::external_url(&link, &public_url) {
                    if external.len() < MAX_EXTERNAL || external.contains_key(&url) {
                        external.entry(url).or_default().push((item.org_id, item.id, item.title.clone(), link));
                    }
                    continue;
                }
                let Some(path) = site_check::internal_path(&link, &public_url) else { continue };
                if !opened.contains_key(&path) {
                    if opened.len() >= MAX_LINKS {
                        continue;
                    }
                    let outcome = open(&app, &path).await;
                    counts.links += 1;
                    opened.insert(path.clone(), outcome);
                }
                if let Some(Some(outcome)) = opened.get(&path) {
                    site.broken_links.push(BrokenLink {
                        org_id: item.org_id,
                        item_id: item.id,
                        title: item.title.clone(),
                        href: link,
                        outcome: outcome.clone(),
                    });
                }
            }
        }
        let revs: Vec<(i64, i64)> = items.iter().map(|i| (i.id, i.rev)).collect();
        let by_item: HashMap<i64, &gongkai_store::PublicItem> = items.iter().map(|i| (i.id, i)).collect();
        for a in state.store.public_attachments_of(&revs).await? {
            counts.files += 1;
            let outcome = match state.blobs.size(&a.sha256).await {
                Ok(Some(n)) if n == a.size as u64 => continue,
                Ok(Some(n)) => format!("文件大小 {n} 字节，应为 {} 字节", a.size),
                Ok(None) | Err(_) => "文件缺失".to_string(),
            };
            if let Some(item) = by_item.get(&a.item_id) {
                site.broken_attachments.push(BrokenAttachment {
                    org_id: item.org_id,
                    item_id: item.id,
                    title: item.title.clone(),
                    file_name: a.name.clone(),
                    outcome,
                });
            }
        }
    }
    if !external.is_empty() {
        counts.links += external.len() as i64;
        for (url, outcome) in open_external(external.keys().cloned().collect()).await {
            let Some(outcome) = outcome else { continue };
            for (org_id, item_id, title, href) in external.get(&url).into_iter().flatten() {
                site.broken_links.push(BrokenLink {
                    org_id: *org_id,
                    item_id: *item_id,
                    title: title.clone(),
                    href: href.clone(),
                    outcome: outcome.clone(),
                });
            }
        }
    }
    Ok(counts)
}

/// Opens the home page at the public address once, as a visitor outside would (10 s to
/// answer, redirects followed), and records what happened.
pub async fn probe_once(state: &AppState) -> Result<(), AppError> {
    let url = format!("{}/", state.config.public_url.trim_end_matches('/'));
    let started = std::time::Instant::now();
    let outcome = match reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent("gongkai-site-probe")
        .build()
    {
        Ok(client) => client.get(&url).send().await.map(|r| r.status().as_u16()).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    let elapsed = i64::try_from(started.elapsed().as_millis()).unwrap_or(i64::MAX);
    let (status, detail) = match outcome {
        Ok(status) => (status, String::new()),
        Err(e) => (0, e),
    };
    state.store.record_site_probe(status, elapsed, &detail).await?;
    Ok(())
}

/// Probes the home page every `probe_minutes` (when set) until the task is dropped.
pub async fn probes(state: AppState) {
    let minutes = state.config.probe_minutes;
    if minutes == 0 {
        return;
    }
    let mut every = tokio::time::interval(std::time::Duration::from_secs(u64::from(minutes) * 60));
    every.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        every.tick().await;
        if let Err(e) = probe_once(&state).await {
            tracing::warn!(error = %e, "could not record a probe of the home page");
        }
    }
}

/// Opens links to other sites, a few at a time, without cookies or credentials: HEAD, and
/// GET when the server does not answer HEAD. Each URL with `None` when it answers, else
/// what went wrong.
async fn open_external(urls: Vec<String>) -> Vec<(String, Option<String>)> {
    let client = match reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(10))
        .redirect(reqwest::redirect::Policy::limited(5))
        .user_agent("gongkai-site-check")
        .build()
    {
        Ok(c) => c,
        Err(e) => return urls.into_iter().map(|u| (u, Some(format!("无法检查：{e}")))).collect(),
    };
    let mut out = Vec::with_capacity(urls.len());
    for chunk in urls.chunks(EXTERNAL_AT_ONCE) {
        let mut set = tokio::task::JoinSet::new();
        for url in chunk {
            let (client, url) = (client.clone(), url.clone());
            set.spawn(async move {
                let head = client.head(&url).send().await;
                let res = match head {
                    Ok(r)
                        if r.status() == reqwest::StatusCode::METHOD_NOT_ALLOWED
                            || r.status() == reqwest::StatusCode::NOT_IMPLEMENTED =>
                    {
                        client.get(&url).send().await
                    }
                    other => other,
                };
                let outcome = match res {
                    Ok(r) if r.status().is_success() || r.status().is_redirection() => None,
                    Ok(r) if r.status() == reqwest::StatusCode::NOT_FOUND => Some("页面不存在（404）".to_string()),
                    Ok(r) => Some(format!("打开失败（HTTP {}）", r.status().as_u16())),
                    Err(e) if e.is_timeout() => Some("10 秒内未响应".to_string()),
                    Err(_) => Some("无法连接".to_string()),
                };
                (url, outcome)
            });
        }
        while let Some(done) = set.join_next().await {
            if let Ok(pair) = done {
                out.push(pair);
            }
        }
    }
    out
}

/// Opens a path of this site: `None` when it answers, else what went wrong.
async fn open(app: &axum::Router, path: &str) -> Option<String> {
    let Ok(req) = Request::get(path).body(Body::empty()) else {
        return Some("地址格式有误".to_string());
    };
    match app.clone().oneshot(req).await {
        Ok(resp) if resp.status().is_success() || resp.status().is_redirection() => None,
        Ok(resp) if resp.status() == axum::http::StatusCode::NOT_FOUND => Some("页面不存在（404）".to_string()),
        Ok(resp) => Some(format!("打开失败（HTTP {}）", resp.status().as_u16())),
        Err(e) => Some(format!("打开失败：{e}")),
    }
}

/// Once a day at 02:00 Beijing, and at start when today's is missing, the daily run (another
/// node may have stored it first; then this one's is dropped). A site never checked (a new
/// deployment, the demo) is checked at once, whatever the hour: its office should not wait
/// for the night to see where it stands.
pub async fn daily(state: AppState) {
    match state.store.latest_site_check().await {
        Ok(None) => match run(&state, None, true).await {
            Ok(_) => tracing::info!("first website self-check stored"),
            Err(e) => tracing::warn!(error = %e, "the first website self-check failed; the daily run will retry"),
        },
        Ok(Some(_)) => {}
        Err(e) => tracing::warn!(error = %e, "could not read the latest website self-check"),
    }
    let lease = std::time::Duration::from_secs(2 * 3600);
    crate::app::schedule::daily(state, "site_check", 2, lease, |state| async move {
        let today = state.today();
        if state.store.daily_site_check(today).await?.is_some() {
            return Ok("today's run was stored already".to_string());
        }
        Ok(match run(&state, None, true).await? {
            Some(id) => format!("run {id} stored"),
            None => "another node stored today's".to_string(),
        })
    })
    .await
}

/// One org's findings of a run, counted.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct OrgSummary {
    pub org_code: String,
    pub org_name: String,
    pub veto: usize,
    pub deduct: usize,
    pub warn: usize,
}

/// The latest run as a staff member may see it: the findings about the orgs they answer for
/// (the whole site's for an overseer at the top), one org's when asked.
pub struct View {
    pub run: Option<SiteCheckRun>,
    pub findings: Vec<(FindingRow, String)>,
    pub orgs: Vec<OrgSummary>,
    /// The org asked for.
    pub org: Option<Org>,
    /// The staff member may start a run.
    pub may_run: bool,
}

/// The latest run for `actor`, narrowed to the org with `code` when given.
pub async fn view(state: &AppState, actor: &Actor, code: Option<&str>) -> Result<View, AppError> {
    let mut orgs = super::orgs::overseen(state, actor).await?;
    let org = match code.map(str::trim).filter(|c| !c.is_empty()) {
        Some(code) => {
            let org = super::orgs::by_code(state, code).await?;
            actor.may_supervise(&org.path)?;
            orgs.retain(|o| o.id == org.id);
            Some(org)
        }
        None => None,
    };
    orgs.sort_by(|a, b| a.path.as_str().cmp(b.path.as_str()));
    let may_run = actor.is_overseer();
    let Some(run) = state.store.latest_site_check().await? else {
        return Ok(View { run: None, findings: Vec::new(), orgs: Vec::new(), org, may_run });
    };
    let ids: Vec<i64> = orgs.iter().map(|o| o.id).collect();
    let rows = state.store.site_check_findings(run.id, Some(&ids)).await?;
    let names: HashMap<i64, &Org> = orgs.iter().map(|o| (o.id, o)).collect();
    let summaries = orgs
        .iter()
        .map(|o| {
            let of = |s: Severity| rows.iter().filter(|r| r.org_id == o.id && r.severity == s).count();
            OrgSummary {
                org_code: o.code().to_string(),
                org_name: o.name.clone(),
                veto: of(Severity::Veto),
                deduct: of(Severity::Deduct),
                warn: of(Severity::Warn),
            }
        })
        .filter(|s| s.veto + s.deduct + s.warn > 0)
        .collect();
    let findings = rows
        .into_iter()
        .map(|r| {
            let name = names.get(&r.org_id).map(|o| o.name.clone()).unwrap_or_default();
            (r, name)
        })
        .collect();
    Ok(View { run: Some(run), findings, orgs: summaries, org, may_run })
}

/// Starts a run on demand (the office, administrators).
pub async fn run_now(state: &AppState, actor: &Actor) -> Result<i64, AppError> {
    actor.must_oversee()?;
    run(state, Some(actor), false).await?.ok_or_else(|| AppError::invalid("no_site", "还没有任何单位，无法检查"))
}

/// The latest run's 单项否决 risks and warnings about the orgs a staff member answers for.
pub async fn alarms(state: &AppState, actor: &Actor) -> Result<(usize, usize), AppError> {
    let Some(run) = state.store.latest_site_check().await? else { return Ok((0, 0)) };
    let ids: Vec<i64> = super::orgs::overseen(state, actor).await?.iter().map(|o| o.id).collect();
    let rows = state.store.site_check_findings(run.id, Some(&ids)).await?;
    let of = |s: Severity| rows.iter().filter(|r| r.severity == s).count();
    Ok((of(Severity::Veto), of(Severity::Warn)))
}

/// A run as the API shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct RunOut {
    pub id: i64,
    pub checked_on: chrono::NaiveDate,
    /// `daily`（每日自动）或 `manual`（手动）.
    pub trigger: String,
    pub by_user: String,
    pub ran_at: chrono::DateTime<chrono::Utc>,
    pub checked: Counts,
}

/// A finding as the API shows it.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct FindingOut {
    /// 指标代码（home_stale、key_column_stale、empty_column、letter_unanswered、broken_link …）.
    pub rule: String,
    pub rule_label: String,
    /// `veto`（单项否决）、`deduct`（扣分）、`warn`（预警）.
    pub severity: String,
    pub severity_label: String,
    pub org_name: String,
    pub subject: String,
    pub detail: String,
    /// 处理入口（站内路径）.
    pub href: String,
    /// 距阈值天数（负数为已超过）.
    pub days_left: Option<i64>,
}

/// The latest run for the API.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct ReportOut {
    pub run: Option<RunOut>,
    pub orgs: Vec<OrgSummary>,
    pub findings: Vec<FindingOut>,
}

impl From<View> for ReportOut {
    fn from(v: View) -> Self {
        ReportOut {
            run: v.run.map(|r| RunOut {
                id: r.id,
                checked_on: r.checked_on,
                trigger: r.trigger_kind,
                by_user: r.by_user,
                ran_at: r.ran_at,
                checked: Counts { items: r.items_checked, links: r.links_checked, files: r.files_checked },
            }),
            orgs: v.orgs,
            findings: v
                .findings
                .into_iter()
                .map(|(f, org_name)| FindingOut {
                    rule: f.rule.as_str().into(),
                    rule_label: f.rule.label().into(),
                    severity: f.severity.as_str().into(),
                    severity_label: f.severity.label().into(),
                    org_name,
                    subject: f.subject,
                    detail: f.detail,
                    href: f.href,
                    days_left: f.days_left,
                })
                .collect(),
        }
    }
}
