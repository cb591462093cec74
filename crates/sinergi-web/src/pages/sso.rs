//! Single sign-on through the configured OpenID Connect provider (ADR 0009): `/masuk/sso`
//! sends the browser to the provider, `/masuk/sso/kembali` takes its answer and opens the same
//! session as a password sign-in. Without `[auth.oidc]` both answer 404.

use super::account::{Peer, open_session, refused, wib_time};
use super::{PageError, Visitor, render};
use crate::auth::client_key;
use crate::error::ApiError;
use crate::middleware::cookie;
use crate::oidc::{OidcError, Provider};
use crate::state::AppState;
use askama::Template;
use axum::extract::{RawQuery, State};
use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::{IntoResponse, Redirect, Response};
use sinergi_store::{OidcIdentity, OidcOutcome, User};
use std::sync::Arc;
use time::OffsetDateTime;

/// The cookie that ties the provider's answer to the browser that started the sign-in. Lax,
/// not Strict: the answer arrives as a top-level navigation from the provider's site, and a
/// Strict cookie would not be sent with it.
const PENDING_COOKIE: &str = "sinergi_sso";

fn pending_cookie(state: &AppState, value: &str, max_age: i64) -> Option<HeaderValue> {
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    HeaderValue::from_str(&format!(
        "{PENDING_COOKIE}={value}; HttpOnly; SameSite=Lax; Path=/masuk/sso; Max-Age={max_age}{secure}"
    ))
    .ok()
}

fn provider(state: &AppState) -> Result<Arc<Provider>, PageError> {
    state.oidc.clone().ok_or(PageError(ApiError::RouteNotFound))
}

fn request_id(headers: &HeaderMap) -> Option<String> {
    headers
        .get("x-request-id")
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned)
}

/// `GET /masuk/sso`: records the pending sign-in and sends the browser to the provider.
pub async fn start(
    State(state): State<AppState>,
    v: Visitor,
    Peer(peer): Peer,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let oidc = provider(&state)?;
    let now = state.clock.now();
    // Each start writes a row: it counts against the same limit as password attempts.
    if !state.login_limiter.allow(
        &client_key(&headers, peer),
        state.settings.login_attempts_per_minute,
        now,
    ) {
        return Ok(refused(&state, &v, &ApiError::RateLimited, String::new()));
    }
    let (url, pending) = match oidc.begin(now).await {
        Ok(started) => started,
        Err(e) => return Ok(refused(&state, &v, &e.into(), String::new())),
    };
    let id = state.store.begin_oidc_login(&pending, now).await?;
    let mut res = Redirect::to(&url).into_response();
    let max_age = crate::oidc::PENDING_TTL.whole_seconds();
    if let Some(c) = pending_cookie(&state, &id, max_age) {
        res.headers_mut().insert(header::SET_COOKIE, c);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(res)
}

#[derive(Template)]
#[template(path = "sso_continue.html")]
struct ContinuePage<'a> {
    lang_code: &'a str,
    title: &'a str,
    message: String,
    next: &'a str,
}

/// `GET /masuk/sso/kembali`: the provider's answer. On success a small page sets the session
/// cookie and moves on to `/` by itself: the session cookie is `SameSite=Strict`, and a
/// redirect at the end of the provider's cross-site chain would reach `/` without it.
pub async fn callback(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
    RawQuery(query): RawQuery,
) -> Result<Response, PageError> {
    let oidc = provider(&state)?;
    let now = state.clock.now();
    let mut res = match finish(&state, &oidc, &v, &headers, query.as_deref(), now).await {
        Ok(user) => {
            let cookie = open_session(&state, user.id, now).await?;
            let lang = v.lang;
            let mut res = render(&ContinuePage {
                lang_code: lang.pick("id", "en"),
                title: lang.pick("Berhasil masuk", "Signed in"),
                message: format!(
                    "{} {}.",
                    lang.pick("Anda masuk sebagai", "You are signed in as"),
                    user.display_name
                ),
                next: lang.pick("Lanjutkan", "Continue"),
            });
            res.headers_mut().insert(header::SET_COOKIE, cookie);
            res
        }
        Err(PageError(e)) => refused(&state, &v, &e, String::new()),
    };
    // The pending sign-in is used up, whatever the outcome.
    if let Some(c) = pending_cookie(&state, "", 0) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    res.headers_mut().insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    Ok(res)
}

/// The callback's checks, in order; nothing is stored unless all pass.
async fn finish(
    state: &AppState,
    oidc: &Provider,
    v: &Visitor,
    headers: &HeaderMap,
    query: Option<&str>,
    now: OffsetDateTime,
) -> Result<User, PageError> {
    let param = |name: &str| {
        form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.into_owned())
    };
    // Taken before anything else: a pending sign-in is good for one answer only.
    let pending = match cookie(headers, PENDING_COOKIE) {
        Some(id) if !id.is_empty() => state.store.take_oidc_login(id, now).await?,
        _ => None,
    };
    if let Some(error) = param("error") {
        return Err(PageError(
            OidcError::Provider {
                error,
                description: param("error_description"),
            }
            .into(),
        ));
    }
    let (Some(pending), Some(code), Some(answered)) = (pending, param("code"), param("state"))
    else {
        return Err(PageError(OidcError::State.into()));
    };
    if !crate::auth::constant_eq(&answered, &pending.state) {
        return Err(PageError(OidcError::State.into()));
    }
    let identity = oidc.finish(&pending, &code, now).await?;
    let outcome = state
        .store
        .oidc_sign_in(
            &OidcIdentity {
                issuer: oidc.issuer(),
                subject: &identity.subject,
                username: identity.username.as_deref(),
            },
            request_id(headers),
            now,
        )
        .await?;
    match outcome {
        OidcOutcome::Ok { user, linked } => {
            if linked {
                tracing::info!(user = %user.username, "account linked to its SSO identity");
            }
            Ok(user)
        }
        OidcOutcome::Unregistered { username } => Err(PageError(
            OidcError::Unregistered {
                username,
                claim: oidc.username_claim().to_owned(),
            }
            .into(),
        )),
        OidcOutcome::LinkedToOther { username } => {
            Err(PageError(OidcError::LinkedToOther { username }.into()))
        }
        OidcOutcome::Disabled => Err(PageError(OidcError::Disabled.into())),
        OidcOutcome::Locked(until) => Err(PageError(ApiError::Locked {
            until: wib_time(until, v.lang),
        })),
    }
}
