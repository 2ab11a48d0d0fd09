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
        .route("/static/care.js", get(|| std::future::ready(script(include_str!("../../static/care.js")))))
        .route("/static/cursor.svg", get(|| std::future::ready(svg(include_str!("../../static/cursor.svg")))))
        .route("/static/cursor-link.svg", get(|| std::future::ready(svg(include_str!("../../static/cursor-link.svg")))))
        .route("/static/console.js", get(|| std::future::ready(script(include_str!("../../static/console.js")))))
        .route("/static/editor.js", get(|| std::future::ready(script(include_str!("../../static/editor.js")))))
        .route(
            "/static/vendor/squire.js",
            get(|| std::future::ready(script(include_str!("../../static/vendor/squire.js")))),
        )
        .route(
            "/static/vendor/purify.js",
            get(|| std::future::ready(script(include_str!("../../static/vendor/purify.js")))),
        )
        .route("/prefs.css", get(prefs_css))
        .route("/prefs/care", get(toggle_care_mode))
        // The 大字版's address, in pages kept or bookmarked before the 关怀版.
        .route("/prefs/text-size", get(toggle_care_mode))
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
    doc.info.contact = Some(
        utoipa::openapi::ContactBuilder::new()
            .name(Some("gongkai 政府信息公开平台"))
            .url(Some(env!("CARGO_PKG_REPOSITORY")))
            .build(),
    );
    let components = doc.components.get_or_insert_with(Default::default);
    components
        .add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    let Ok(mut value) = serde_json::to_value(&doc) else { return "{}".into() };
    normalise_openapi(&mut value);
    value.to_string()
}

/// The OpenAPI document of the API, as served at `/api/openapi.json` (`gongkai openapi`).
pub fn openapi_json() -> String {
    let (_, doc) = OpenApiRouter::<AppState>::new().nest("/api/v1", api::routes()).split_for_parts();
    openapi_document(doc)
}

/// Makes the collected document say what the server does and valid OpenAPI 3.1: every
/// response has its description; every operation id is unique; a parameter declared for
/// the path that the path does not name is the query parameter it is; and the error
/// answers every handler can give are listed — 400 and 422 for what the request carries
/// (a body or parameters: malformed, or refused with a code), 401 and 403 where a token is
/// needed, 404 where the path names something.
fn normalise_openapi(doc: &mut serde_json::Value) {
    use serde_json::{Value, json};
    const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
    let error = |description: &str| {
        json!({ "description": description,
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } } })
    };
    let described = |code: &str| match code {
        "200" => "成功",
        "201" => "已创建",
        "204" => "已完成，无内容",
        "303" => "转到结果页",
        _ => "见说明",
    };
    let mut ids = std::collections::HashSet::new();
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    for (path, item) in paths.iter_mut() {
        let named: Vec<String> =
            path.split('{').skip(1).filter_map(|s| s.split_once('}').map(|(n, _)| n.to_string())).collect();
        let Some(item) = item.as_object_mut() else { continue };
        for (method, op) in item.iter_mut().filter(|(m, _)| METHODS.contains(&m.as_str())) {
            let Some(op) = op.as_object_mut() else { continue };
            let mut has_params = false;
            if let Some(params) = op.get_mut("parameters").and_then(Value::as_array_mut) {
                for p in params.iter_mut() {
                    let name = p.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
                    if p.get("in").and_then(Value::as_str) == Some("path") && !named.contains(&name) {
                        p["in"] = json!("query");
                        p["required"] = json!(false);
                    }
                }
                has_params = !params.is_empty();
            }
            let id = op.get("operationId").and_then(Value::as_str).unwrap_or_default().to_string();
            if id.is_empty() || !ids.insert(id) {
                let slug: String = path
                    .trim_start_matches("/api/v1/")
                    .chars()
                    .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
                    .collect();
                let unique = format!("{method}_{}", slug.trim_matches('_'));
                ids.insert(unique.clone());
                op.insert("operationId".into(), json!(unique));
            }
            let has_body = op.contains_key("requestBody");
            let secured = op.get("security").and_then(Value::as_array).is_some_and(|s| !s.is_empty());
            let responses = op.entry("responses").or_insert_with(|| json!({}));
            let Some(responses) = responses.as_object_mut() else { continue };
            for (code, r) in responses.iter_mut() {
                if let Some(r) = r.as_object_mut().filter(|r| !r.contains_key("$ref")) {
                    let empty = r.get("description").and_then(Value::as_str).is_none_or(str::is_empty);
                    if empty {
                        r.insert("description".into(), json!(described(code)));
                    }
                }
            }
            let mut add = |code: &str, description: &str| {
                responses.entry(code.to_string()).or_insert_with(|| error(description));
            };
            if has_body || has_params {
                add("400", "请求格式有误");
                add("422", "输入有误或被退回");
            }
            if secured {
                add("401", "未登录或令牌无效");
                add("403", "无权操作");
            }
            if !named.is_empty() {
                add("404", "不存在");
            }
        }
    }
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

/// An image shipped in the binary (the 关怀版's pointers).
fn svg(body: &'static str) -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("image/svg+xml")),
            (header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=86400")),
        ],
        body,
    )
}

/// The cookie that remembers the 关怀版 for a year.
const CARE_COOKIE: &str = "gk_mode";
/// The 大字版's cookie before the 关怀版 replaced it: still honoured, cleared on the way back.
const OLD_TEXT_COOKIE: &str = "gk_text";

fn care_mode(headers: &axum::http::HeaderMap) -> bool {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .map(str::trim)
        .any(|c| c == format!("{CARE_COOKIE}=care") || c == format!("{OLD_TEXT_COOKIE}=large"))
}

/// The reader's preferences as a stylesheet: the 关怀版 (`static/care.css`) when chosen.
/// Every page links it, so the choice needs no script, and the pages themselves stay the
/// same for every reader (they are kept rendered).
async fn prefs_css(headers: axum::http::HeaderMap) -> impl IntoResponse {
    let css = if care_mode(&headers) { include_str!("../../static/care.css") } else { "/* 标准版 */\n" };
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static("text/css; charset=utf-8")),
            (header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")),
            (header::VARY, HeaderValue::from_static("Cookie")),
        ],
        css,
    )
}

/// Switches between the standard version and the 关怀版, remembered for a year, and goes
/// back to the page the reader was on.
async fn toggle_care_mode(headers: axum::http::HeaderMap) -> impl IntoResponse {
    let next = if care_mode(&headers) { "standard" } else { "care" };
    // Back to the same site's page only.
    let back = headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|r| r.parse::<Uri>().ok())
        .and_then(|u| u.path_and_query().map(|p| p.as_str().to_string()))
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/".into());
    let cookie = format!("{CARE_COOKIE}={next}; Path=/; Max-Age=31536000; SameSite=Lax");
    let old = format!("{OLD_TEXT_COOKIE}=; Path=/; Max-Age=0; SameSite=Lax");
    let mut res = axum::http::StatusCode::SEE_OTHER.into_response();
    let h = res.headers_mut();
    for c in [cookie, old] {
        if let Ok(v) = HeaderValue::from_str(&c) {
            h.append(header::SET_COOKIE, v);
        }
    }
    h.insert(header::LOCATION, HeaderValue::from_str(&back).unwrap_or(HeaderValue::from_static("/")));
    res
}

async fn not_found(uri: Uri) -> axum::response::Response {
    if uri.path().starts_with("/api/") {
        crate::ApiError(AppError::NotFound("接口不存在".into())).into_response()
    } else {
        PageError(AppError::NotFound("页面不存在".into())).into_response()
    }
}
