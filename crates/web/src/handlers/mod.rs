//! Routes, laid out as the product is: `api/` (JSON under /api/v1), `portal/` (the public
//! site), `console/` (staff pages under /admin), `health` (probes and metrics).

pub(crate) mod api;
mod console;
mod health;
mod portal;

use crate::{AppError, AppState, PageError};
use axum::Router;
use axum::http::{HeaderValue, Uri, header};
use axum::response::IntoResponse;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(health::routes())
        .nest("/api/v1", api::routes())
        .merge(portal::routes())
        .merge(console::routes())
        .route("/static/site.css", get(stylesheet))
        .fallback(not_found)
}

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        include_str!("../../static/site.css"),
    )
}

async fn not_found(uri: Uri) -> axum::response::Response {
    if uri.path().starts_with("/api/") {
        crate::ApiError(AppError::NotFound("接口不存在".into())).into_response()
    } else {
        PageError(AppError::NotFound("页面不存在".into())).into_response()
    }
}
