//! Cross-cutting layers: the error body in the caller's language with the request id.

use crate::error::{ErrorBody, render_body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use sinergi_domain::Lang;

/// The language of a request: `?lang=en|id` first, then `Accept-Language`.
#[must_use]
pub fn request_lang(req: &Request) -> Lang {
    if let Some(q) = req.uri().query() {
        for kv in q.split('&') {
            match kv {
                "lang=en" => return Lang::En,
                "lang=id" => return Lang::Id,
                _ => {}
            }
        }
    }
    req.headers()
        .get(axum::http::header::ACCEPT_LANGUAGE)
        .and_then(|v| v.to_str().ok())
        .map_or(Lang::Id, Lang::from_accept_language)
}

fn request_id(req: &Request) -> String {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-")
        .to_owned()
}

/// Renders every error response once, in the request's language, with its request id.
pub async fn render_errors(req: Request, next: Next) -> Response {
    let lang = request_lang(&req);
    let id = request_id(&req);
    let res = next.run(req).await;
    if let Some(body) = res.extensions().get::<ErrorBody>().cloned() {
        return render_body(&body, lang, &id, res);
    }
    res
}

/// A tracing span that carries the request id.
pub fn span_with_request_id(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), uri = %req.uri().path(), request_id = %id)
}
