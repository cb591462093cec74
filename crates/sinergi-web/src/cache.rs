//! A micro-cache for the pages anonymous visitors read: the rendered HTML of a `GET` is kept
//! for at most one second, and dropped at once when this server accepts any change. Signed-in
//! staff always get a fresh page. Several nodes on one PostgreSQL database see each other's
//! changes within that second.

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

const TTL: Duration = Duration::from_secs(1);
const MAX_ENTRIES: usize = 4096;
const MAX_BODY: usize = 512 * 1024;

#[derive(Debug, Default)]
pub struct PageCache {
    generation: AtomicU64,
    entries: Mutex<HashMap<String, Entry>>,
}

#[derive(Debug, Clone)]
struct Entry {
    at: Instant,
    generation: u64,
    content_type: header::HeaderValue,
    body: Bytes,
}

fn header_str(h: &HeaderMap, name: header::HeaderName) -> &str {
    h.get(name).and_then(|v| v.to_str().ok()).unwrap_or("")
}

/// The cache key, or `None` when the request must not be served from the cache.
fn key(req: &Request) -> Option<String> {
    if req.method() != Method::GET {
        return None;
    }
    let path = req.uri().path();
    if path.starts_with("/api/")
        || path.starts_with("/static/")
        || path == "/health"
        || path == "/ready"
        || path == "/masuk"
        || path.starts_with("/masuk/")
    {
        return None;
    }
    let cookies = header_str(req.headers(), header::COOKIE);
    if cookies.contains(crate::auth::SESSION_COOKIE)
        || req.headers().contains_key(header::AUTHORIZATION)
    {
        return None;
    }
    let lang_cookie = cookies
        .split(';')
        .map(str::trim)
        .find(|c| c.starts_with("lang="))
        .unwrap_or("");
    Some(format!(
        "{}\n{}\n{}",
        req.uri(),
        lang_cookie,
        header_str(req.headers(), header::ACCEPT_LANGUAGE)
    ))
}

impl PageCache {
    fn get(&self, key: &str, now: Instant) -> Option<Entry> {
        let generation = self.generation.load(Ordering::Acquire);
        let map = self.entries.lock().ok()?;
        map.get(key)
            .filter(|e| e.generation == generation && now.duration_since(e.at) < TTL)
            .cloned()
    }

    fn put(&self, key: String, entry: Entry) {
        if let Ok(mut map) = self.entries.lock() {
            if map.len() >= MAX_ENTRIES {
                map.clear();
            }
            map.insert(key, entry);
        }
    }

    /// Forgets every page (something changed).
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
    }
}

/// The layer: serve from the cache, fill it, and invalidate it on accepted changes.
pub async fn layer(
    State(cache): State<std::sync::Arc<PageCache>>,
    req: Request,
    next: Next,
) -> Response {
    let changes = !matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS);
    let Some(key) = key(&req) else {
        let res = next.run(req).await;
        if changes && res.status().as_u16() < 400 {
            cache.invalidate();
        }
        return res;
    };
    let now = Instant::now();
    if let Some(hit) = cache.get(&key, now) {
        return ([(header::CONTENT_TYPE, hit.content_type)], hit.body).into_response();
    }
    let generation = cache.generation.load(Ordering::Acquire);
    let res = next.run(req).await;
    let html = header_str(res.headers(), header::CONTENT_TYPE).starts_with("text/html");
    if res.status() != StatusCode::OK || !html || res.headers().contains_key(header::SET_COOKIE) {
        return res;
    }
    let (parts, body) = res.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "page too large").into_response();
    };
    if let Some(ct) = parts.headers.get(header::CONTENT_TYPE) {
        cache.put(
            key,
            Entry {
                at: now,
                generation,
                content_type: ct.clone(),
                body: bytes.clone(),
            },
        );
    }
    Response::from_parts(parts, Body::from(bytes))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req(uri: &str, cookie: Option<&str>) -> Request {
        let mut b = axum::http::Request::builder().uri(uri);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        b.body(Body::empty()).unwrap()
    }

    #[test]
    fn only_anonymous_page_reads_are_cached() {
        assert!(key(&req("/kerja-sama", None)).is_some());
        assert!(key(&req("/kerja-sama", Some("sinergi_session=x"))).is_none());
        assert!(key(&req("/api/v1/cases", None)).is_none());
        assert!(key(&req("/masuk/sso/kembali?code=a&state=b", None)).is_none());
        assert_ne!(
            key(&req("/", Some("lang=en"))),
            key(&req("/", Some("lang=id")))
        );
    }

    #[test]
    fn a_change_invalidates_every_page() {
        let c = PageCache::default();
        let now = Instant::now();
        let e = Entry {
            at: now,
            generation: 0,
            content_type: header::HeaderValue::from_static("text/html"),
            body: Bytes::from_static(b"x"),
        };
        c.put("k".into(), e);
        assert!(c.get("k", now).is_some());
        assert!(c.get("k", now + TTL).is_none(), "expires after the TTL");
        c.invalidate();
        assert!(c.get("k", now).is_none(), "gone after a change");
    }
}
