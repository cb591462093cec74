//! Cross-cutting layers: the error body in the caller's language with the request id.

use crate::error::{ErrorBody, render_body};
use axum::extract::Request;
use axum::http::{HeaderMap, Uri, header};
use axum::middleware::Next;
use axum::response::Response;
use sinergi_domain::Lang;

/// A cookie's value.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .find_map(|kv| {
            let (k, v) = kv.trim().split_once('=')?;
            (k == name).then_some(v)
        })
}

/// The language of a request: `?lang=en|id` first, then the `lang` cookie the language link
/// sets, then `Accept-Language`; Indonesian by default. The one place that decides it.
#[must_use]
pub fn lang_of(uri: &Uri, headers: &HeaderMap) -> Lang {
    lang_for(uri, headers, None)
}

fn parse_lang(v: &str) -> Option<Lang> {
    match v {
        "en" => Some(Lang::En),
        "id" => Some(Lang::Id),
        _ => None,
    }
}

/// As [`lang_of`], with a signed-in user's preference between the explicit choices (query,
/// cookie) and the browser's `Accept-Language`.
#[must_use]
pub fn lang_for(uri: &Uri, headers: &HeaderMap, preferred: Option<&str>) -> Lang {
    uri.query()
        .and_then(|q| {
            q.split('&')
                .find_map(|kv| kv.strip_prefix("lang=").and_then(parse_lang))
        })
        .or_else(|| cookie(headers, "lang").and_then(parse_lang))
        .or_else(|| preferred.and_then(parse_lang))
        .unwrap_or_else(|| {
            headers
                .get(header::ACCEPT_LANGUAGE)
                .and_then(|v| v.to_str().ok())
                .map_or(Lang::Id, Lang::from_accept_language)
        })
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
    let lang = lang_of(req.uri(), req.headers());
    let id = request_id(&req);
    let mut res = next.run(req).await;
    // A body over a route's limit is refused by axum's extractors (raw bytes, multipart)
    // before any handler runs; it gets the same envelope as every other error.
    if res.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE
        && res.extensions().get::<ErrorBody>().is_none()
    {
        res = axum::response::IntoResponse::into_response(crate::ApiError::TooLarge);
    }
    if let Some(body) = res.extensions().get::<ErrorBody>().cloned() {
        return render_body(&body, lang, &id, res);
    }
    res
}

/// The path as logs may show it: a secret carried in the path (the private calendar feed's
/// token) is replaced by `***`.
#[must_use]
pub fn loggable_path(path: &str) -> std::borrow::Cow<'_, str> {
    match path.strip_prefix("/api/v1/calendar/") {
        Some(rest) => {
            let tail = rest.split_once('/').map_or("", |(_, t)| t);
            format!("/api/v1/calendar/***/{tail}").into()
        }
        None => path.into(),
    }
}

/// A tracing span that carries the request id.
pub fn span_with_request_id(req: &axum::http::Request<axum::body::Body>) -> tracing::Span {
    let id = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("-");
    tracing::info_span!("request", method = %req.method(), uri = %loggable_path(req.uri().path()), request_id = %id)
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_calendar_feed_token_never_reaches_the_log() {
        assert_eq!(
            super::loggable_path("/api/v1/calendar/rahasia-token-123/sinergi.ics"),
            "/api/v1/calendar/***/sinergi.ics"
        );
        assert_eq!(super::loggable_path("/api/v1/cases"), "/api/v1/cases");
    }
}
