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

async fn not_found(uri: Uri) -> axum::response::Response {
    if uri.path().starts_with("/api/") {
        crate::ApiError(AppError::NotFound("接口不存在".into())).into_response()
    } else {
        PageError(AppError::NotFound("页面不存在".into())).into_response()
    }
}
