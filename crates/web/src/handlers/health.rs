//! Liveness, readiness and metrics for the operator's probes and Prometheus.

use crate::AppState;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::IntoResponse;
use axum::routing::get;

pub fn routes() -> Router<AppState> {
    Router::new().route("/healthz", get(healthz)).route("/readyz", get(readyz)).route("/metrics", get(metrics))
}

/// The process is up.
async fn healthz() -> &'static str {
    "ok"
}

/// The store answers.
async fn readyz(State(state): State<AppState>) -> impl IntoResponse {
    if crate::app::ready(&state).await {
        (StatusCode::OK, "ready")
    } else {
        (StatusCode::SERVICE_UNAVAILABLE, "store unavailable")
    }
}

/// Prometheus text exposition, for the operator only: with `web.metrics_token` set, to a
/// request bearing it; without, to a connection from this machine (a scraper beside it).
/// The figures (failed logins among them) are not for the public.
async fn metrics(State(state): State<AppState>, req: axum::extract::Request) -> axum::response::Response {
    let token = state.config.metrics_token.trim();
    let allowed = if token.is_empty() {
        req.extensions()
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .is_some_and(|c| c.0.ip().is_loopback())
    } else {
        req.headers()
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| crate::util::same_secret(given.trim(), token))
    };
    if !allowed {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    ([(axum::http::header::CONTENT_TYPE, "text/plain; version=0.0.4")], state.metrics_text()).into_response()
}
