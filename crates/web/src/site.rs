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
}

/// The settings of the request being answered (the defaults outside a request).
pub fn current() -> Arc<SiteSettings> {
    SITE.try_with(Arc::clone).unwrap_or_default()
}

/// The middleware.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let settings = state.site().await;
    SITE.scope(settings, next.run(req)).await
}
