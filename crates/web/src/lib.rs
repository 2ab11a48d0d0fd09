//! The HTTP side of gongkai: the public portal, the admin console and the JSON API under
//! `/api/v1`. [`router`] builds the whole application from an [`AppState`]; [`serve`] runs
//! it on a listener until `shutdown` resolves, finishing requests in flight. The CLI and the
//! tests call the same two functions.
#![forbid(unsafe_code)]

pub mod app;
pub mod auth;
pub mod error;
mod etag;
mod handlers;
pub mod mail;
pub mod menu;
mod metrics_layer;
pub mod page_cache;
pub mod site;
pub mod sms;
pub mod util;

pub use error::{ApiError, AppError, PageError};
pub use handlers::openapi_json;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, Request};
use gongkai_store::Store;
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use metrics_exporter_prometheus::{PrometheusBuilder, PrometheusHandle};
use serde::{Deserialize, Serialize};
use std::future::Future;
use std::net::SocketAddr;
use std::num::NonZeroU32;
use std::sync::{Arc, OnceLock};
use std::time::Duration;
use tokio::net::TcpListener;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

/// Settings of the HTTP side (the `[web]` section of the configuration).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub struct WebConfig {
    /// The address the public reaches the site at; `https://…` makes cookies `Secure`.
    pub public_url: String,
    /// Largest request body accepted, in bytes (uploads have their own limit).
    pub body_limit_bytes: usize,
    /// How long a console login lasts, in hours.
    pub session_hours: i64,
    /// Minutes a login may sit unused before it ends (等保 idle timeout).
    pub idle_minutes: i64,
    /// Consecutive failed logins, for one account or from one client, that lock it.
    pub lockout_failures: u32,
    /// How long a lockout lasts, in minutes.
    pub lockout_minutes: i64,
    /// Login attempts allowed per minute from one address and for one user name.
    pub login_attempts_per_minute: u32,
    /// Public submissions (requests, letters) per minute from one address.
    pub public_posts_per_minute: u32,
    /// Request status look-ups per minute from one address.
    pub status_lookups_per_minute: u32,
    /// Attachment uploads per minute by one staff member.
    pub uploads_per_minute: u32,
    /// The reverse proxies in front of the server (addresses or networks, e.g. `127.0.0.1`,
    /// `10.0.0.0/8`). Only a connection from one of these may name the client in
    /// `X-Forwarded-For` or `X-Real-IP`; rate limits and the audit trail then key on that
    /// client. Empty: the connection's own address is the client.
    pub trusted_proxies: Vec<String>,
    /// A secret a Prometheus scraper sends as `Authorization: Bearer …` for `/metrics`.
    /// Empty: `/metrics` answers only connections from this machine. Set it through the
    /// environment (GONGKAI__WEB__METRICS_TOKEN); it is never printed.
    #[serde(skip_serializing)]
    pub metrics_token: String,
    /// Seconds after which a request is answered 408.
    pub request_timeout_secs: u64,
    /// 负面清单: words that must not appear in anything published (checked with the
    /// personal-data and secrecy-marking checks).
    pub negative_list: Vec<String>,
    /// Where attachment files are kept (the CLI sets `DATA_DIR/files`).
    pub files_dir: std::path::PathBuf,
    /// Whether files go into the database or `files_dir` (the CLI sets the top-level `files`).
    #[serde(skip)]
    pub files_storage: gongkai_store::files::FileStorage,
    /// Largest attachment accepted, in bytes.
    pub attachment_limit_bytes: usize,
    /// Topics (主题分类) added to the shipped list.
    pub topics_extra: Vec<String>,
    /// Genres (体裁分类) added to the shipped list.
    pub genres_extra: Vec<String>,
    /// E-mail: `off`, `smtp` or `file` (each message written as an .eml file in `mail_dir`).
    pub mail_transport: String,
    /// For `smtp`: `smtps://user:password@host:465` or `smtp://host:587?tls=required`. Set
    /// it through the environment (GONGKAI__WEB__MAIL_SMTP_URL); it is never printed.
    #[serde(skip_serializing)]
    pub mail_smtp_url: String,
    /// The sender, e.g. `政府信息公开平台 <noreply@example.gov.cn>`.
    pub mail_from: String,
    /// For `file`: where messages are written (the CLI sets `DATA_DIR/mail`).
    pub mail_dir: std::path::PathBuf,
    /// Hour of the day (Beijing, 0–23) the daily reminder goes to request handlers.
    pub mail_reminder_hour: u32,
    /// Days a password may be used before its owner must change it (0: no maximum age).
    pub password_max_days: i64,
    /// Every staff member must have a second factor (TOTP) before using the console or the
    /// API (等保 2.0 level 3); off: each person may turn one on.
    pub require_second_factor: bool,
    /// Text messages (the survey confirmation code): `off`, `file` (each written to
    /// `sms_dir`) or `http` (JSON posted to `sms_http_url`, the SMS gateway).
    pub sms_transport: String,
    /// For `http`: the gateway's address.
    pub sms_http_url: String,
    /// For `http`: a bearer token the gateway expects. Set it through the environment
    /// (GONGKAI__WEB__SMS_TOKEN); it is never printed.
    #[serde(skip_serializing)]
    pub sms_token: String,
    /// For `file`: where messages are written (the CLI sets `DATA_DIR/sms`).
    pub sms_dir: std::path::PathBuf,
    /// The reply outcomes that go out only after an approver of the org signs them off
    /// (答复审批): outcome codes (`withheld.third_party`) or whole groups (`withheld`).
    /// Default: every refusal and partial disclosure. Empty: no sign-off.
    pub sign_off_outcomes: Vec<String>,
    /// The website self-check opens the links of published bodies to other sites too
    /// (HEAD, else GET; 10 s each, 8 at a time, at most 2,000 a run). Off: internal links only.
    pub check_external_links: bool,
    /// Every this many minutes the node opens the home page at `public_url`, from outside
    /// as the inspection's monitor does; the self-check fails the site when it did not open
    /// 5 times in 100 over a week. 0: off (a node that cannot reach its own public address).
    pub probe_minutes: u32,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            public_url: "http://127.0.0.1:8080".into(),
            body_limit_bytes: 2 * 1024 * 1024,
            session_hours: 8,
            idle_minutes: 30,
            lockout_failures: 5,
            lockout_minutes: 15,
            login_attempts_per_minute: 10,
            public_posts_per_minute: 5,
            status_lookups_per_minute: 30,
            uploads_per_minute: 30,
            trusted_proxies: Vec::new(),
            metrics_token: String::new(),
            request_timeout_secs: 30,
            negative_list: Vec::new(),
            files_dir: std::path::PathBuf::from("./data/files"),
            files_storage: gongkai_store::files::FileStorage::Auto,
            attachment_limit_bytes: 50 * 1024 * 1024,
            topics_extra: Vec::new(),
            genres_extra: Vec::new(),
            mail_transport: "off".into(),
            mail_smtp_url: String::new(),
            mail_from: "政府信息公开平台 <noreply@localhost>".into(),
            mail_dir: std::path::PathBuf::from("./data/mail"),
            mail_reminder_hour: 8,
            password_max_days: 0,
            require_second_factor: false,
            sms_transport: "off".into(),
            sms_http_url: String::new(),
            sms_token: String::new(),
            sms_dir: std::path::PathBuf::from("./data/sms"),
            sign_off_outcomes: gongkai_core::request::DEFAULT_SIGN_OFF.iter().map(|s| s.to_string()).collect(),
            check_external_links: false,
            probe_minutes: 0,
        }
    }
}

impl WebConfig {
    /// The topic list in force: the shipped one and this deployment's additions.
    pub fn topics(&self) -> Vec<String> {
        let mut v: Vec<String> = gongkai_core::catalog::topics().into_iter().map(str::to_string).collect();
        v.extend(self.topics_extra.iter().filter(|t| !t.trim().is_empty()).cloned());
        v
    }

    /// The genre list in force.
    pub fn genres(&self) -> Vec<String> {
        let mut v: Vec<String> = gongkai_core::catalog::genres().into_iter().map(str::to_string).collect();
        v.extend(self.genres_extra.iter().filter(|t| !t.trim().is_empty()).cloned());
        v
    }

    /// The trusted proxies as networks; an entry that is neither an address nor a network is
    /// an error naming it.
    pub fn trusted_proxy_nets(&self) -> Result<Vec<ipnet::IpNet>, String> {
        self.trusted_proxies
            .iter()
            .map(|p| {
                let p = p.trim();
                p.parse::<ipnet::IpNet>()
                    .or_else(|_| p.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
                    .map_err(|_| format!("web.trusted_proxies 中的「{p}」不是 IP 地址或网段"))
            })
            .collect()
    }

    /// True when cookies must carry `Secure`.
    pub fn secure_cookies(&self) -> bool {
        self.public_url.starts_with("https://")
    }
}

/// Shared state of every handler; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<Inner>);

/// What [`AppState`] holds.
pub struct Inner {
    /// The store.
    pub store: Store,
    /// The HTTP settings.
    pub config: WebConfig,
    /// Login attempts by client address and by user name.
    pub login_limiter: DefaultKeyedRateLimiter<String>,
    /// Public submissions by client address.
    pub post_limiter: DefaultKeyedRateLimiter<String>,
    /// Status look-ups by client address.
    pub status_limiter: DefaultKeyedRateLimiter<String>,
    /// Attachment uploads by staff member.
    pub upload_limiter: DefaultKeyedRateLimiter<i64>,
    /// This node's name in the claims of scheduled work.
    pub node: String,
    /// Attachment files.
    pub blobs: gongkai_store::files::Blobs,
    /// `web.trusted_proxies`, parsed (the CLI refuses a bad entry at start).
    pub trusted_proxies: Vec<ipnet::IpNet>,
    calendar: tokio::sync::RwLock<Option<(std::time::Instant, Arc<gongkai_core::calendar::Calendar>)>>,
    search: tokio::sync::RwLock<Option<Arc<gongkai_search::SearchIndex>>>,
    /// One search of the index at a time per core (see [`AppState::searching`]).
    search_slots: tokio::sync::Semaphore,
    metrics: PrometheusHandle,
    /// E-mail, when configured.
    pub mailer: Option<Arc<mail::Mailer>>,
    /// Text messages, when configured.
    pub sms: Option<Arc<sms::Sms>>,
    /// Rendered public pages.
    pub pages: page_cache::PageCache,
    /// Figures pages show again and again, kept as pages are.
    pub figures: page_cache::Figures,
    site: tokio::sync::RwLock<Option<SiteCache>>,
}

/// The rate limits that hold across nodes.
#[derive(Debug, Clone, Copy)]
pub enum Limit {
    /// Login attempts, by client address and by user name.
    Login,
    /// Public submissions, by client address.
    Post,
    /// Status look-ups with a query code, by client address.
    Status,
}

/// The settings as last read: when, at which store write count, and what.
type SiteCache = (std::time::Instant, u64, Arc<gongkai_store::site::SiteSettings>);

impl std::ops::Deref for AppState {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

/// The process-wide metrics recorder (one per process, shared by every server in it).
fn metrics_handle() -> PrometheusHandle {
    static HANDLE: OnceLock<PrometheusHandle> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let recorder = PrometheusBuilder::new().build_recorder();
            let handle = recorder.handle();
            // Fails only when another recorder was installed first; then ours just stays idle.
            let _ = metrics::set_global_recorder(recorder);
            handle
        })
        .clone()
}

impl AppState {
    /// Builds the state from a migrated store and the settings.
    pub fn new(store: Store, config: WebConfig) -> Self {
        let quota = |n: u32| Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN));
        Self(Arc::new(Inner {
            blobs: gongkai_store::files::Blobs::for_store(&store, config.files_storage, config.files_dir.clone()),
            store,
            node: app::schedule::node_name(),
            login_limiter: RateLimiter::keyed(quota(config.login_attempts_per_minute)),
            post_limiter: RateLimiter::keyed(quota(config.public_posts_per_minute)),
            status_limiter: RateLimiter::keyed(quota(config.status_lookups_per_minute)),
            upload_limiter: RateLimiter::keyed(quota(config.uploads_per_minute)),
            trusted_proxies: config.trusted_proxy_nets().unwrap_or_default(),
            calendar: tokio::sync::RwLock::new(None),
            search: tokio::sync::RwLock::new(None),
            search_slots: tokio::sync::Semaphore::new(std::thread::available_parallelism().map_or(1, |n| n.get())),
            // A bad mail setting is refused at start by the CLI (`Mailer::from_config`).
            mailer: mail::Mailer::from_config(&config).ok().flatten().map(Arc::new),
            // A bad SMS setting is refused at start by the CLI (`Sms::from_config`).
            sms: sms::Sms::from_config(&config).ok().flatten().map(Arc::new),
            config,
            metrics: metrics_handle(),
            pages: page_cache::PageCache::default(),
            figures: page_cache::Figures::default(),
            site: tokio::sync::RwLock::new(None),
        }))
    }
}

/// The whole application.
pub fn router(state: AppState) -> Router {
    let config = state.config.clone();
    let x_request_id = HeaderName::from_static("x-request-id");
    handlers::routes()
        .with_state(state.clone())
        .layer(axum::middleware::from_fn_with_state(state.clone(), site::layer))
        .layer(axum::middleware::from_fn(menu::layer))
        .layer(axum::middleware::from_fn(etag::conditional))
        .layer(axum::middleware::from_fn_with_state(state, page_cache::layer))
        .layer(axum::middleware::from_fn(metrics_layer::record))
        .layer(CompressionLayer::new())
        // Extractors stop at the ordinary limit; the upload route raises its own. The layer is
        // the hard cap for everything.
        .layer(axum::extract::DefaultBodyLimit::max(config.body_limit_bytes))
        .layer(RequestBodyLimitLayer::new(config.body_limit_bytes.max(config.attachment_limit_bytes) + 64 * 1024))
        .layer(TimeoutLayer::with_status_code(
            axum::http::StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(config.request_timeout_secs),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-content-type-options"),
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("x-frame-options"),
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("referrer-policy"),
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            HeaderName::from_static("content-security-policy"),
            HeaderValue::from_static("default-src 'self'; img-src 'self' data:; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"),
        ))
        .layer(CatchPanicLayer::new())
        .layer(PropagateRequestIdLayer::new(x_request_id.clone()))
        .layer(TraceLayer::new_for_http().make_span_with(|req: &Request<_>| {
            let id = req
                .headers()
                .get("x-request-id")
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("http", http.method = %req.method(), http.path = %req.uri().path(), request.id = %id)
        }))
        .layer(SetRequestIdLayer::new(x_request_id, MakeRequestUuid))
}

/// Serves the application on `listener` until `shutdown` resolves, then stops accepting
/// and lets requests in flight finish.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app).with_graceful_shutdown(shutdown).await
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM. The handlers are installed when this is called,
/// not when the future is first polled: a signal that arrives while the server is still
/// starting (the index being built) then stops it gracefully once it serves, instead of
/// killing the process.
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let (int, term) = {
        use tokio::signal::unix::{SignalKind, signal};
        (signal(SignalKind::interrupt()).ok(), signal(SignalKind::terminate()).ok())
    };
    async move {
        #[cfg(unix)]
        let (ctrl_c, term) = {
            let wait = |s: Option<tokio::signal::unix::Signal>| async move {
                match s {
                    Some(mut s) => {
                        s.recv().await;
                    }
                    None => std::future::pending::<()>().await,
                }
            };
            (wait(int), wait(term))
        };
        #[cfg(not(unix))]
        let (ctrl_c, term) = (
            async {
                let _ = tokio::signal::ctrl_c().await;
            },
            std::future::pending::<()>(),
        );
        tokio::select! {
            () = ctrl_c => {},
            () = term => {},
        }
        tracing::info!("shutdown requested: finishing requests in flight");
    }
}

impl AppState {
    /// The time now, by the store's clock (the one clock).
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.store.now()
    }

    /// Today in Beijing, by the store's clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.store.today()
    }

    /// The working-day calendar in force, cached for ten minutes (so a year loaded on
    /// another node is seen here soon) and refreshed at once when loaded here.
    pub async fn calendar(&self) -> Result<Arc<gongkai_core::calendar::Calendar>, AppError> {
        if let Some((at, cal)) = self.calendar.read().await.as_ref()
            && at.elapsed() < Duration::from_secs(600)
        {
            return Ok(cal.clone());
        }
        let cal = Arc::new(self.store.calendar().await?);
        *self.calendar.write().await = Some((std::time::Instant::now(), cal.clone()));
        Ok(cal)
    }

    /// The site's settings, read again after anything was written here or after five
    /// seconds (so a change made on another node shows soon). A store that cannot be read
    /// gives the defaults rather than failing every page.
    pub async fn site(&self) -> Arc<gongkai_store::site::SiteSettings> {
        let writes = self.store.local_writes();
        if let Some((at, w, s)) = self.site.read().await.as_ref()
            && *w == writes
            && at.elapsed() < Duration::from_secs(5)
        {
            return s.clone();
        }
        match self.store.site_settings().await {
            Ok(s) => {
                let s = Arc::new(s);
                *self.site.write().await = Some((std::time::Instant::now(), writes, s.clone()));
                s
            }
            Err(e) => {
                tracing::warn!(error = %e, "reading the site settings failed; using the last or the defaults");
                self.site.read().await.as_ref().map(|(_, _, s)| s.clone()).unwrap_or_default()
            }
        }
    }

    /// The topic list in force: shipped, configured, and added in the console.
    pub async fn topics(&self) -> Vec<String> {
        let mut v = self.config.topics();
        for t in &self.site().await.topics_extra {
            if !v.contains(t) {
                v.push(t.clone());
            }
        }
        v
    }

    /// The genre list in force: shipped, configured, and added in the console.
    pub async fn genres(&self) -> Vec<String> {
        let mut v = self.config.genres();
        for g in &self.site().await.genres_extra {
            if !v.contains(g) {
                v.push(g.clone());
            }
        }
        v
    }

    /// Whether one more `limit` hit from `key` is allowed: this node's limiter first, then,
    /// on PostgreSQL (where several nodes may share the database, each with its own limiter),
    /// the count across every node in the current minute. A database that cannot count lets
    /// the hit through: the request fails on its own if the database is down.
    pub async fn allow(&self, limit: Limit, key: &str) -> bool {
        let (limiter, per_minute, name) = match limit {
            Limit::Login => (&self.login_limiter, self.config.login_attempts_per_minute, "login"),
            Limit::Post => (&self.post_limiter, self.config.public_posts_per_minute, "post"),
            Limit::Status => (&self.status_limiter, self.config.status_lookups_per_minute, "status"),
        };
        if limiter.check_key(&key.to_string()).is_err() {
            return false;
        }
        if self.store.backend() != gongkai_store::Backend::Postgres {
            return true;
        }
        match self.store.rate_hit(&format!("{name}:{key}"), 60).await {
            Ok(hits) => hits <= i64::from(per_minute.max(1)),
            Err(e) => {
                tracing::warn!(error = %e, "counting a rate-limit hit failed; letting it through");
                true
            }
        }
    }

    /// The version figures kept in [`AppState::figures`] are valid at: this process's store
    /// writes and the page cache's emptyings.
    pub fn figures_version(&self) -> (u64, u64) {
        (self.store.local_writes(), self.pages.generation())
    }

    /// The search index, when this node has one.
    pub async fn search(&self) -> Option<Arc<gongkai_search::SearchIndex>> {
        self.search.read().await.clone()
    }

    /// Runs `work` (a search of the index: CPU from start to end) on the blocking pool, at
    /// most one per core at once. Beyond that a search only takes turns on the cores with
    /// the others, each waiting longer; here it waits its turn in order instead, and the
    /// rest of the site keeps threads to answer with.
    pub async fn searching<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let _slot = self.search_slots.acquire().await.map_err(|e| AppError::Internal(e.into()))?;
        tokio::task::spawn_blocking(work).await.map_err(|e| AppError::Internal(e.into()))
    }

    /// Installs (or replaces) the search index.
    pub async fn set_search(&self, index: Arc<gongkai_search::SearchIndex>) {
        *self.search.write().await = Some(index);
        self.pages.clear();
    }

    /// Follows the store until `stop` resolves, every two seconds: applies the outbox to the
    /// search index (and publications that came due), reopens the index when a rebuild
    /// swapped a new one in, and empties the page cache when anything was written by another
    /// node, a scheduled publication came due or a new day began (Beijing time).
    pub async fn follow_store(self, stop: impl Future<Output = ()>) {
        tokio::pin!(stop);
        let mut mark = self.store.change_mark().await.ok();
        let mut checked = self.now();
        loop {
            tokio::select! {
                () = &mut stop => break,
                () = tokio::time::sleep(Duration::from_secs(2)) => {}
            }
            if let Some(index) = self.search().await {
                if index.replaced() {
                    match gongkai_search::SearchIndex::open(index.dir()) {
                        Ok((fresh, _)) => {
                            tracing::info!("search index replaced by a rebuild: reopened");
                            self.set_search(Arc::new(fresh)).await;
                        }
                        Err(e) => tracing::error!(error = %e, "reopening the rebuilt search index failed"),
                    }
                } else if let Err(e) = index.catch_up(&self.store, 600).await {
                    tracing::warn!(error = %e, "search index catch-up failed; will retry");
                }
            }
            // After the index caught up, so a page rendered after the clearing sees it.
            let now = self.now();
            let new_day = gongkai_core::index_no::beijing(now).date_naive()
                != gongkai_core::index_no::beijing(checked).date_naive();
            let due = new_day
                || self.store.items_published_between(checked, now).await.map(|v| !v.is_empty()).unwrap_or(true);
            let fresh = self.store.change_mark().await.ok();
            if due || fresh.is_none() || fresh != mark {
                self.pages.clear();
            }
            mark = fresh;
            checked = now;
        }
    }

    /// Drops the cached calendar (after a year was loaded).
    pub async fn forget_calendar(&self) {
        *self.calendar.write().await = None;
    }

    /// The metrics in Prometheus text format.
    pub fn metrics_text(&self) -> String {
        self.metrics.render()
    }
}
