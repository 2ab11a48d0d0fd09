//! Rendered public pages kept in memory (the hot pages: home, org sub-sites, item pages,
//! searches, feeds), so a page read a thousand times is rendered once. An entry is used only
//! while nothing was written through this process's store since it was rendered (checked on
//! every hit, so a change made here shows at once, as does a new state of the search
//! index); changes made by other nodes on the same PostgreSQL, scheduled publications that
//! come due and a new day empty the cache through
//! [`AppState::follow_store`](crate::AppState::follow_store) within two seconds.
//!
//! Only what is the same for every reader is kept: GET of portal paths without an
//! `Authorization` header, answered 200 without a cookie being set. The request form, the
//! status look-up, notices and attachments are never kept.

use crate::AppState;
use axum::body::{Body, Bytes, HttpBody, to_bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use lru::LruCache;
use std::num::NonZeroUsize;
use std::sync::{Arc, Mutex};

/// Most entries kept.
const MAX_ENTRIES: usize = 20_000;
/// Most bytes kept (bodies).
const MAX_BYTES: usize = 128 * 1024 * 1024;
/// Larger pages are not kept.
const MAX_ENTRY: usize = 1024 * 1024;
/// Longer URLs (long search queries) are not kept.
const MAX_KEY: usize = 1024;

type Version = (u64, u64);

struct Entry {
    headers: HeaderMap,
    body: Bytes,
    /// What the page was rendered from: the store's write count and the search index's
    /// version.
    version: Version,
}

struct Inner {
    map: LruCache<String, Arc<Entry>>,
    bytes: usize,
}

/// The cache; one per [`AppState`].
pub struct PageCache {
    inner: Mutex<Inner>,
    /// Pages being rendered now: a reader who misses waits for the render under way
    /// instead of rendering the same page again (64 readers of a cold page cost one render).
    flights: Mutex<std::collections::HashMap<String, Arc<tokio::sync::Mutex<()>>>>,
    /// Bumped by every [`PageCache::clear`]: what is derived from the store and kept
    /// elsewhere ([`Figures`]) is stale once it moves.
    generation: std::sync::atomic::AtomicU64,
}

impl Default for PageCache {
    fn default() -> Self {
        Self {
            inner: Mutex::new(Inner {
                map: LruCache::new(NonZeroUsize::new(MAX_ENTRIES).unwrap_or(NonZeroUsize::MIN)),
                bytes: 0,
            }),
            flights: Mutex::default(),
            generation: Default::default(),
        }
    }
}

impl PageCache {
    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves a consistent map (every update is one call).
        self.inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn get(&self, key: &str, version: Version) -> Option<Arc<Entry>> {
        let mut inner = self.lock();
        let entry = inner.map.get(key)?.clone();
        if entry.version == version {
            return Some(entry);
        }
        if let Some(old) = inner.map.pop(key) {
            inner.bytes -= old.body.len();
        }
        None
    }

    fn put(&self, key: String, entry: Entry) {
        let mut inner = self.lock();
        inner.bytes += entry.body.len();
        if let Some((_, old)) = inner.map.push(key, Arc::new(entry)) {
            inner.bytes -= old.body.len();
        }
        while inner.bytes > MAX_BYTES {
            match inner.map.pop_lru() {
                Some((_, old)) => inner.bytes -= old.body.len(),
                None => break,
            }
        }
    }

    fn flight(&self, key: &str) -> Arc<tokio::sync::Mutex<()>> {
        let mut flights = self.flights.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        flights.entry(key.to_string()).or_default().clone()
    }

    fn land(&self, key: &str, flight: Arc<tokio::sync::Mutex<()>>) {
        let mut flights = self.flights.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        // Ours and the map's: nobody else waits on it.
        if Arc::strong_count(&flight) <= 2 {
            flights.remove(key);
        }
    }

    /// Forgets every page (something changed elsewhere).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.map.clear();
        inner.bytes = 0;
        self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// How many times the cache was emptied.
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Pages kept now.
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Public pages that are the same for every reader.
fn cacheable_path(path: &str) -> bool {
    match path {
        "/" | "/search" | "/feed.atom" => true,
        p if p.starts_with("/orgs/") => true,
        p if p.starts_with("/items/") => !p.contains("/files/"),
        _ => false,
    }
}

fn etag_matches(if_none_match: Option<&HeaderValue>, etag: Option<&HeaderValue>) -> bool {
    let (Some(inm), Some(tag)) = (if_none_match.and_then(|v| v.to_str().ok()), etag.and_then(|v| v.to_str().ok()))
    else {
        return false;
    };
    inm.split(',').any(|t| t.trim().trim_start_matches("W/") == tag || t.trim() == "*")
}

/// The middleware; it sits outside the ETag one, so kept pages keep their validator.
pub async fn layer(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if req.method() != Method::GET
        || !cacheable_path(req.uri().path())
        || req.headers().contains_key(header::AUTHORIZATION)
    {
        return next.run(req).await;
    }
    // The day is part of the key: what a page shows can end at midnight with nothing
    // written (a 公示期限, a list row's notice period, a deadline's days left).
    let key = format!("{}{}", state.store.today(), req.uri().path_and_query().map(|p| p.as_str()).unwrap_or_default());
    if key.len() > MAX_KEY {
        return next.run(req).await;
    }
    let version = (state.store.local_writes(), state.search().await.map_or(0, |i| i.version()));
    if let Some(entry) = state.pages.get(&key, version) {
        return answer(&req, &entry);
    }
    let flight = state.pages.flight(&key);
    let guard = flight.lock().await;
    if let Some(entry) = state.pages.get(&key, version) {
        drop(guard);
        state.pages.land(&key, flight);
        return answer(&req, &entry);
    }
    let res = render(&state, key.clone(), version, req, next).await;
    drop(guard);
    state.pages.land(&key, flight);
    res
}

/// A kept page as the answer (304 when the reader has it already).
fn answer(req: &Request, entry: &Entry) -> Response {
    if etag_matches(req.headers().get(header::IF_NONE_MATCH), entry.headers.get(header::ETAG)) {
        let mut res = Response::new(Body::empty());
        *res.status_mut() = StatusCode::NOT_MODIFIED;
        *res.headers_mut() = entry.headers.clone();
        res.headers_mut().remove(header::CONTENT_LENGTH);
        return res;
    }
    let mut res = Response::new(Body::from(entry.body.clone()));
    *res.headers_mut() = entry.headers.clone();
    res
}

/// Renders the page and keeps it when it is the same for every reader.
async fn render(state: &AppState, key: String, version: Version, req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    if res.status() != StatusCode::OK
        || res.headers().contains_key(header::SET_COOKIE)
        || HttpBody::size_hint(res.body()).exact().is_none_or(|n| n > MAX_ENTRY as u64)
    {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_ENTRY).await else {
        return Response::builder().status(StatusCode::INTERNAL_SERVER_ERROR).body(Body::empty()).unwrap_or_default();
    };
    state.pages.put(key, Entry { headers: parts.headers.clone(), body: bytes.clone(), version });
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(n: usize, writes: u64) -> Entry {
        Entry { headers: HeaderMap::new(), body: Bytes::from(vec![b'x'; n]), version: (writes, 0) }
    }

    #[test]
    fn only_public_pages_are_kept() {
        for p in ["/", "/search", "/orgs/X", "/orgs/X/guide", "/items/5", "/feed.atom"] {
            assert!(cacheable_path(p), "{p}");
        }
        for p in ["/requests/new", "/requests/status", "/items/5/files/2", "/admin", "/api/v1/items", "/login"] {
            assert!(!cacheable_path(p), "{p}");
        }
    }

    #[test]
    fn an_entry_from_before_a_write_is_not_used() {
        let cache = PageCache::default();
        cache.put("/".into(), entry(10, 3));
        assert!(cache.get("/", (3, 0)).is_some());
        assert!(cache.get("/", (4, 0)).is_none(), "a write since rendering makes the page stale");
        assert!(cache.get("/", (3, 0)).is_none(), "the stale entry was dropped");
        cache.put("/".into(), entry(10, 3));
        assert!(cache.get("/", (3, 1)).is_none(), "so does a new state of the search index");
        assert_eq!(cache.lock().bytes, 0);
    }

    #[test]
    fn the_byte_budget_evicts_the_least_recently_used() {
        let cache = PageCache::default();
        let n = MAX_ENTRY;
        for i in 0..(MAX_BYTES / n + 5) {
            cache.put(format!("/items/{i}"), entry(n, 0));
        }
        let inner = cache.lock();
        assert!(inner.bytes <= MAX_BYTES);
        assert!(!inner.map.contains("/items/0"));
        assert!(inner.map.contains(&format!("/items/{}", MAX_BYTES / n + 4)));
    }

    #[test]
    fn validators_compare_as_browsers_send_them() {
        let tag = HeaderValue::from_static("\"abc\"");
        assert!(etag_matches(Some(&HeaderValue::from_static("W/\"abc\"")), Some(&tag)));
        assert!(etag_matches(Some(&HeaderValue::from_static("\"x\", \"abc\"")), Some(&tag)));
        assert!(!etag_matches(Some(&HeaderValue::from_static("\"x\"")), Some(&tag)));
        assert!(!etag_matches(None, Some(&tag)));
    }
}

/// Figures computed from the store that pages show again and again (an org's section
/// counts, a list's total), kept under the same rule as pages: valid while nothing was
/// written through this process's store and the page cache was not emptied (by another
/// node's write, a publication coming due or a new day). A catalog page rendered for every
/// reader then costs its one page of rows, not a count over a million items.
#[derive(Default)]
pub struct Figures {
    map: Mutex<std::collections::HashMap<String, (Version, Figure)>>,
}

/// A kept figure, of whatever type its use case computes.
type Figure = Arc<dyn std::any::Any + Send + Sync>;

/// Most figures kept; past it the map starts again (figures are cheap to recompute once).
const MAX_FIGURES: usize = 10_000;

impl Figures {
    /// The figure under `key` computed at `version`, or `compute`'s, kept.
    pub async fn get_or<T, F, Fut, E>(&self, key: String, version: Version, compute: F) -> Result<T, E>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: std::future::Future<Output = Result<T, E>>,
    {
        if let Some((v, value)) = self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&key)
            && *v == version
            && let Some(t) = value.downcast_ref::<T>()
        {
            return Ok(t.clone());
        }
        let value = compute().await?;
        let mut map = self.map.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() >= MAX_FIGURES {
            map.clear();
        }
        map.insert(key, (version, Arc::new(value.clone())));
        Ok(value)
    }
}
