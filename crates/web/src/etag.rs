//! Conditional GET: a strong validator for every successful GET of a page, a stylesheet, a
//! feed, a CSV or API JSON, computed from the bytes sent, so a browser, a proxy or a
//! crawler that already has the page gets `304 Not Modified` instead of the body. Pages
//! are marked `no-cache` (always revalidated: they carry per-session tokens and change
//! when items are published), so nothing stale is ever shown. Private answers — the console,
//! login, an applicant's own request pages, anything asked with a token or a query code —
//! are `private, no-store` instead: no shared cache and no browser history keeps them.

use axum::body::{Body, HttpBody, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use sha2::{Digest, Sha256};

/// Bodies larger than this are sent as they are (attachments stream).
const MAX_BUFFERED: usize = 4 * 1024 * 1024;

fn cacheable(content_type: &str) -> bool {
    ["text/html", "text/css", "application/json", "application/atom+xml", "text/csv", "text/markdown"]
        .iter()
        .any(|t| content_type.starts_with(t))
}

/// Whether an answer is for one person only.
fn is_private(req: &Request) -> bool {
    let path = req.uri().path();
    ["/admin", "/login", "/logout", "/requests"]
        .iter()
        .any(|p| path.strip_prefix(p).is_some_and(|rest| rest.is_empty() || rest.starts_with('/')))
        || req.headers().contains_key(header::AUTHORIZATION)
        || req.uri().query().is_some_and(|q| q.split('&').any(|kv| kv.starts_with("code=")))
}

/// The middleware.
pub async fn conditional(req: Request, next: Next) -> Response {
    if is_private(&req) {
        let mut res = next.run(req).await;
        res.headers_mut().insert(header::CACHE_CONTROL, HeaderValue::from_static("private, no-store"));
        return res;
    }
    if !matches!(*req.method(), Method::GET | Method::HEAD) {
        return next.run(req).await;
    }
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let res = next.run(req).await;
    let content_type = res.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if res.status() != StatusCode::OK
        || !cacheable(content_type)
        || res.headers().contains_key(header::SET_COOKIE)
        || res.headers().contains_key(header::ETAG)
    {
        return res;
    }
    let is_html = content_type.starts_with("text/html");
    // Only bodies whose size is known and small are buffered; streams pass through.
    if HttpBody::size_hint(res.body()).exact().is_none_or(|n| n > MAX_BUFFERED as u64) {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_BUFFERED).await else {
        return Response::builder().status(StatusCode::INTERNAL_SERVER_ERROR).body(Body::empty()).unwrap_or_default();
    };
    let tag = format!("\"{}\"", hex::encode(&Sha256::digest(&bytes)[..12]));
    if let Ok(v) = HeaderValue::from_str(&tag) {
        parts.headers.insert(header::ETAG, v);
    }
    if is_html && !parts.headers.contains_key(header::CACHE_CONTROL) {
        parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    }
    let matches = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == tag || t.trim() == "*"));
    if matches {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}
