//! Routes, laid out as the product is: `api/` (JSON under /api/v1), `portal/` (the public
//! site), `console/` (staff pages under /admin), `health` (probes and metrics).

pub(crate) mod api;
mod console;
mod files;
mod health;
mod portal;

use crate::{AppError, AppState, PageError};
use axum::Router;
use axum::http::{HeaderValue, Uri, header};
use axum::response::IntoResponse;
use axum::routing::get;
use utoipa_axum::router::OpenApiRouter;

pub fn routes() -> Router<AppState> {
    let (api, doc) = OpenApiRouter::new().nest("/api/v1", api::routes()).split_for_parts();
    let doc = openapi_document(doc);
    Router::new()
        .merge(health::routes())
        .merge(api)
        .route(
            "/api/openapi.json",
            get(move || std::future::ready(([(header::CONTENT_TYPE, "application/json")], doc.clone()))),
        )
        .merge(portal::routes())
        .merge(console::routes())
        .route("/static/site.css", get(stylesheet))
        .route("/static/similar.js", get(|| std::future::ready(script(include_str!("../../static/similar.js")))))
        .route(
            "/static/request_form.js",
            get(|| std::future::ready(script(include_str!("../../static/request_form.js")))),
        )
        .route("/prefs.css", get(prefs_css))
        .route("/prefs/text-size", get(toggle_text_size))
        .fallback(not_found)
}

/// The OpenAPI document: the collected paths with the title, version and bearer scheme.
fn openapi_document(mut doc: utoipa::openapi::OpenApi) -> String {
    use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
    doc.info.title = "gongkai API".into();
    doc.info.version = env!("CARGO_PKG_VERSION").into();
    doc.info.description = Some(
        "政府信息公开平台接口。错误返回 { \"code\": \"snake_case\", \"message\": \"中文说明\" }；工作人员用 Authorization: Bearer 令牌。".into(),
    );
    let components = doc.components.get_or_insert_with(Default::default);
    components
        .add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    doc.to_json().unwrap_or_else(|_| "{}".into())
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

/// A script shipped in the binary.
fn script(body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/javascript; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=3600")),
        ],
        body,
    )
}

const TEXT_COOKIE: &str = "gk_text";

fn large_text(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .any(|c| c.trim() == format!("{TEXT_COOKIE}=large"))
}

/// The reader's preferences as a stylesheet: large text (大字版) when chosen. Every page
/// links it, so the choice needs no script and no change to each page.
async fn prefs_css(headers: axum::http::HeaderMap) -> impl IntoResponse {
    let css = if large_text(&headers) {
        "html { font-size: 125%; }\nbody { line-height: 1.9; }\n.muted, .small, small { font-size: 1rem; }\n.report-table, .meta-table { font-size: 1.05rem; }\n"
    } else {
        "/* 标准字号 */\n"
    };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
            (header::VARY, HeaderValue::from_static("Cookie")),
        ],
        css,
    )
}

/// Switches between standard and large text and goes back to the page the reader was on.
async fn toggle_text_size(headers: axum::http::HeaderMap) -> impl IntoResponse {
    let next = if large_text(&headers) { "standard" } else { "large" };
    // Back to the same site's page only.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<Uri>().ok())
        .and_then(|u| u.path_and_query().map(|p| p.as_str().to_string()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let cookie = format!("{TEXT_COOKIE}={next}; Path=/; Max-Age=31536000; SameSite=Lax");
    (
        axum::http::StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, HeaderValue::from_str(&cookie).unwrap_or(HeaderValue::from_static(""))),
            (header::LOCATION, HeaderValue::from_str(&back).unwrap_or(HeaderValue::from_static("/"))),
        ],
    )
}

async fn not_found(uri: Uri) -> axum::response::Response {
    if uri.path().starts_with("/api/") {
        crate::ApiError(AppError::NotFound("接口不存在".into())).into_response()
    } else {
        PageError(AppError::NotFound("页面不存在".into())).into_response()
    }
}
