//! Security headers on every response (issue 16), set in one layer outside everything else so
//! error pages, redirects, 404s and files get them too.
//!
//! - `Content-Security-Policy`: the pages run no JavaScript, so nothing may be scripted,
//!   framed, embedded or posted elsewhere. Styles come from `/static/sinergi.css`; `style`
//!   attributes stay allowed (`style-src-attr`) for the few computed widths (progress bars) —
//!   every value in them is escaped by the templates.
//! - `X-Frame-Options: DENY` for browsers without `frame-ancestors`: the signing and transition
//!   forms can never be framed (clickjacking).
//! - `X-Content-Type-Options: nosniff`: an uploaded scan is never sniffed into HTML.
//! - `Referrer-Policy: no-referrer`: case ids and the private calendar feed's token never
//!   leave in a `Referer`.
//! - `Strict-Transport-Security` when the public address is https.
//! - `Cache-Control: no-store` on every response to a signed-in request (session cookie or
//!   bearer token) and on the private calendar feed, so no browser or proxy keeps private data;
//!   public pages and the stylesheet keep their own caching.

use crate::auth::SESSION_COOKIE;
use crate::middleware::cookie;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;

/// The policy of every response.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'self'; style-src-attr 'unsafe-inline'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

/// HSTS for a year (no `includeSubDomains`: a region's other hosts are not ours to decide).
pub const STRICT_TRANSPORT_SECURITY: &str = "max-age=31536000";

/// Whether a request speaks for someone: a session cookie or a bearer token.
fn signed_in(req: &Request) -> bool {
    req.headers().contains_key(header::AUTHORIZATION)
        || cookie(req.headers(), SESSION_COOKIE).is_some_and(|v| !v.is_empty())
}

/// Paths whose answers are private even without a sign-in (the token is in the path).
fn private_path(path: &str) -> bool {
    path.starts_with("/api/v1/calendar/")
}

/// The layer; `hsts` when the public address is https.
pub async fn layer(State(hsts): State<bool>, req: Request, next: Next) -> Response {
    let path = req.uri().path();
    let no_store = (signed_in(&req) && !path.starts_with("/static/")) || private_path(path);
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CONTENT_SECURITY_POLICY),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(
        "cross-origin-opener-policy",
        HeaderValue::from_static("same-origin"),
    );
    if hsts {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static(STRICT_TRANSPORT_SECURITY),
        );
    }
    if no_store {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}
