//! The site's settings while a request is answered: a middleware puts the settings in force
//! in a task-local, so every template (the header's name, the footer's registration
//! numbers) reads them without each page carrying them.

use crate::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use gongkai_store::site::SiteSettings;
use std::sync::Arc;

tokio::task_local! {
    static SITE: Arc<SiteSettings>;
    static BASE: Arc<str>;
}

/// The settings of the request being answered (the defaults outside a request).
pub fn current() -> Arc<SiteSettings> {
    SITE.try_with(Arc::clone).unwrap_or_default()
}

/// The site's address for absolute links (feeds, the catalog CSV, the sitemap) of the
/// request being answered: `web.public_url`, or, while that is left at its default, the host
/// the request came to — so a server on another port or name links to itself, not to
/// 127.0.0.1:8080.
/// The host (and port) of this request's site, for the `SiteDomain` meta tag.
pub fn domain() -> String {
    let base = base_url();
    let rest = base.split("://").nth(1).unwrap_or(&base);
    rest.split('/').next().unwrap_or_default().to_string()
}

/// The site's address for this request (the configured `public_url`, or the request's host).
pub fn base_url() -> Arc<str> {
    BASE.try_with(Arc::clone).unwrap_or_else(|_| crate::WebConfig::default().public_url.into())
}

fn base_of(state: &AppState, req: &Request) -> Arc<str> {
    let configured = state.config.public_url.trim_end_matches('/');
    let default = crate::WebConfig::default().public_url;
    let host = req.headers().get(axum::http::header::HOST).and_then(|h| h.to_str().ok());
    match host {
        Some(host)
            if configured == default.trim_end_matches('/')
                && !host.is_empty()
                && host.len() <= 255
                && host.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']')) =>
        {
            format!("http://{host}").into()
        }
        _ => configured.into(),
    }
}

/// The middleware.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let settings = state.site().await;
    let base = base_of(&state, &req);
    SITE.scope(settings, BASE.scope(base, next.run(req))).await
}
