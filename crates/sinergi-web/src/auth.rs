//! Who is calling (authentication) and whether they may (authorisation), as two layers:
//! `authenticate` runs on every request and puts the [`Principal`] in the request;
//! `authorize` runs after routing, looks the matched route up in [`crate::policy::ROUTES`],
//! works out the caller's relation to the case or region in the path, consults the
//! permission table and checks the CSRF token of browser sessions.

use crate::error::ApiError;
use crate::middleware::cookie;
use crate::policy::{self, Target};
use crate::state::AppState;
use axum::body::Body;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use sinergi_domain::access::{Actor, Perm, Principal, Relation, Role};
use sinergi_domain::ids::{CaseId, UserId};
use sinergi_store::{CaseAccess, Visibility};
use std::collections::HashMap;
use std::sync::Mutex;
use time::OffsetDateTime;

/// The browser session cookie.
pub const SESSION_COOKIE: &str = "sinergi_session";

/// What the authorisation layer decided, for the handler.
#[derive(Debug, Clone)]
pub struct Access {
    pub principal: Principal,
    pub relation: Relation,
    /// The case in the path, when there is one.
    pub case: Option<CaseAccess>,
    pub request_id: Option<String>,
}

impl Access {
    /// The actor of a change made in this request.
    #[must_use]
    pub fn actor(&self) -> Actor {
        Actor::of(&self.principal, self.request_id.clone())
    }

    /// Whether the caller is an insider of the case (a party or an overseer), who sees more
    /// than its public facts.
    #[must_use]
    pub fn insider(&self) -> bool {
        self.may(Perm::CaseRead)
    }

    /// The caller of a use case in the application layer.
    #[must_use]
    pub fn caller(&self) -> sinergi_app::Caller {
        sinergi_app::Caller::new(self.principal.clone(), self.request_id.clone())
    }

    /// Whether the caller may also do `perm` on the same target (e.g. read private notes).
    #[must_use]
    pub fn may(&self, perm: Perm) -> bool {
        let unit = self
            .case
            .as_ref()
            .is_some_and(|c| c.involves_unit(&self.principal));
        self.principal.may(perm, self.relation, unit)
    }
}

fn bearer(req: &Request) -> Option<&str> {
    req.headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

fn request_id(req: &Request) -> Option<String> {
    req.headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
}

/// Finds the caller: the operator token, an API token, a session cookie, or nobody. A bearer
/// token that is unknown or revoked is refused outright (401) rather than treated as
/// anonymous, so a client learns its token no longer works.
pub async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let now = state.clock.now();
    let principal = if let Some(token) = bearer(&req) {
        if state.settings.token_matches(token) {
            Principal::operator()
        } else {
            match state.store.token_principal(token, now).await {
                Ok(Some(p)) => p,
                Ok(None) => return ApiError::Unauthorized.into_response(),
                Err(e) => return ApiError::from(e).into_response(),
            }
        }
    } else if let Some(secret) = cookie(req.headers(), SESSION_COOKIE) {
        match state.store.session_principal(secret, now).await {
            Ok(Some(p)) => p,
            Ok(None) => Principal::anonymous(),
            Err(e) => return ApiError::from(e).into_response(),
        }
    } else {
        Principal::anonymous()
    };
    req.extensions_mut().insert(principal);
    next.run(req).await
}

fn path_param<'a>(matched: &str, path: &'a str, name: &str) -> Option<&'a str> {
    let want = format!("{{{name}}}");
    matched
        .split('/')
        .zip(path.split('/'))
        .find_map(|(m, p)| (m == want).then_some(p))
}

fn deny(p: &Principal) -> ApiError {
    if p.is_anonymous() {
        ApiError::Unauthorized
    } else {
        ApiError::Forbidden { perm: "" }
    }
}

/// Refuses what the permission table does not allow.
pub async fn authorize(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let page = !req.uri().path().starts_with("/api/");
    match check(&state, req).await {
        Ok(req) => next.run(req).await,
        Err(e) if page => crate::error::PageError(e).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn check(state: &AppState, req: Request) -> Result<Request, ApiError> {
    let matched = req
        .extensions()
        .get::<MatchedPath>()
        .map(|m| m.as_str().to_owned())
        .unwrap_or_default();
    let Some(rule) = policy::lookup(req.method().as_str(), &matched) else {
        tracing::error!(route = %matched, method = %req.method(), "route without a permission policy");
        return Err(ApiError::NoPolicy);
    };
    let principal = req
        .extensions()
        .get::<Principal>()
        .cloned()
        .unwrap_or_else(Principal::anonymous);
    // Nobody signed in: everything beyond public reading needs a sign-in, whatever the target
    // (and whether it exists).
    if principal.is_anonymous() && !matches!(rule.perm, Perm::PublicRead | Perm::CaseRead) {
        return Err(ApiError::Unauthorized);
    }
    let path = req.uri().path().to_owned();
    let param = |name: &str| path_param(&matched, &path, name).map(str::to_owned);
    let mut case = None;
    let relation = match rule.target {
        Target::Nothing => principal
            .region
            .as_ref()
            .map_or(Relation::Unrelated, |_| Relation::Own),
        Target::Region => {
            let code = param("code").unwrap_or_default();
            principal.relation_to_side(&code, &[])
        }
        Target::NewCase => {
            if principal.region.is_some() {
                Relation::Own
            } else {
                Relation::Unrelated
            }
        }
        Target::User => {
            let uid = param("uid").and_then(|u| u.parse::<UserId>().ok());
            let Some(uid) = uid else {
                return Err(ApiError::Domain(sinergi_domain::DomainError::not_found(
                    "user",
                    param("uid").unwrap_or_default(),
                )));
            };
            if principal.user_id == Some(uid.0) {
                Relation::Own
            } else {
                match state.store.get_user(uid).await {
                    Ok(u) => match u.region {
                        Some(r) => principal.relation_to_side(&r, &[]),
                        None if principal.has(Role::Kemendagri) => Relation::Supervised,
                        None => Relation::Unrelated,
                    },
                    Err(_) => {
                        return Err(ApiError::Domain(sinergi_domain::DomainError::not_found(
                            "user", uid,
                        )));
                    }
                }
            }
        }
        Target::Case | Target::CaseParty | Target::CaseOwnSide => {
            let raw = param("id").unwrap_or_default();
            let not_found =
                || ApiError::Domain(sinergi_domain::DomainError::not_found("case", raw.clone()));
            let id: CaseId = match raw.parse() {
                Ok(id) => id,
                Err(_) if path.starts_with("/api/") => {
                    return Err(ApiError::BadPath {
                        detail: format!("id={raw}"),
                    });
                }
                Err(_) => return Err(not_found()),
            };
            let access = state.store.case_access(id).await?.ok_or_else(not_found)?;
            let unit = access.involves_unit(&principal);
            let rel = principal.relation_to_case(&access.parties);
            // A case the caller may not read does not exist for them (the partner does not
            // see the initiator's internal work before the offer).
            if !sinergi_domain::authority::may_read(
                &principal,
                rel,
                access.published,
                access.offered,
                unit,
            ) {
                return Err(not_found());
            }
            let rel = match rule.target {
                // A party's own record: any party of the case passes the route, and the
                // application layer decides whose record it is (naming it when it is not
                // the caller's) — `sinergi_domain::authority`, one home for that rule.
                Target::CaseParty | Target::CaseOwnSide => match &principal.region {
                    Some(r) if access.parties.contains(r) => Relation::Own,
                    _ => Relation::Unrelated,
                },
                _ => rel,
            };
            case = Some(access);
            rel
        }
    };
    let unit = case
        .as_ref()
        .is_some_and(|c: &CaseAccess| c.involves_unit(&principal));
    let published_read = rule.perm == Perm::CaseRead && case.as_ref().is_some_and(|c| c.published);
    // The transition routes carry both the signing step and the other steps: they admit
    // signatories and the secretariat; the application layer checks the step itself
    // (`sinergi_domain::authority`: the permission of the step and whose act it is).
    let allowed = published_read
        || principal.may(rule.perm, relation, unit)
        || (rule.perm == Perm::CaseTransition
            && is_step_route(rule.path)
            && principal.may(Perm::AgreementSign, relation, unit));
    if !allowed {
        if rule.perm.writes() && !principal.can_write && !principal.is_anonymous() {
            return Err(ApiError::ReadOnlyToken);
        }
        let mut e = deny(&principal);
        if let ApiError::Forbidden { perm } = &mut e {
            *perm = rule.perm.as_str();
        }
        return Err(e);
    }
    let access = Access {
        principal,
        relation,
        case,
        request_id: request_id(&req),
    };
    let req = check_csrf(req, &access, state.settings.max_body_bytes).await?;
    let mut req = req;
    req.extensions_mut().insert(access);
    Ok(req)
}

/// The routes that carry a signing step among other steps.
#[must_use]
pub fn is_step_route(path: &str) -> bool {
    path.ends_with("/transitions") || path.ends_with("/transisi")
}

/// A browser session's state-changing request must carry the session's CSRF token: in the
/// `x-csrf-token` header, the `_csrf` query parameter (multipart forms) or the `_csrf` field
/// of a URL-encoded form.
async fn check_csrf(req: Request, access: &Access, limit: usize) -> Result<Request, ApiError> {
    let Some(expected) = access.principal.csrf.as_deref() else {
        return Ok(req);
    };
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return Ok(req);
    }
    let presented = req
        .headers()
        .get("x-csrf-token")
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned)
        .or_else(|| req.uri().query().and_then(|q| form_value(q, "_csrf")));
    if let Some(p) = presented {
        return if constant_eq(&p, expected) {
            Ok(req)
        } else {
            Err(ApiError::Csrf)
        };
    }
    let is_form = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|c| c.starts_with("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(ApiError::Csrf);
    }
    let (parts, body) = req.into_parts();
    let bytes = axum::body::to_bytes(body, limit)
        .await
        .map_err(|_| ApiError::TooLarge)?;
    let text = std::str::from_utf8(&bytes).unwrap_or_default();
    match form_value(text, "_csrf") {
        Some(p) if constant_eq(&p, expected) => Ok(Request::from_parts(parts, Body::from(bytes))),
        _ => Err(ApiError::Csrf),
    }
}

fn form_value(encoded: &str, key: &str) -> Option<String> {
    form_urlencoded::parse(encoded.as_bytes())
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.into_owned())
}

pub(crate) fn constant_eq(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

/// Which cases a principal sees besides the published ones.
#[must_use]
pub fn visibility_of(p: &Principal) -> Visibility {
    if p.has(Role::Operator) || p.has(Role::Kemendagri) {
        return Visibility::All;
    }
    let Some(region) = p.region.clone() else {
        return Visibility::Public;
    };
    if p.has(Role::Pembina) {
        return Visibility::Province(region);
    }
    let only_implementer = p
        .roles
        .iter()
        .all(|r| matches!(r, Role::OpdImplementer | Role::Public));
    match (&p.unit, only_implementer) {
        (Some(unit), true) => Visibility::Unit {
            region,
            unit: unit.clone(),
        },
        (None, true) => Visibility::Public,
        _ => Visibility::Party(region),
    }
}

/// Sign-in attempts per client address within a minute.
#[derive(Debug, Default)]
pub struct LoginLimiter {
    hits: Mutex<HashMap<String, Vec<OffsetDateTime>>>,
}

impl LoginLimiter {
    /// Counts an attempt; `false` when the address made `max` attempts in the last minute.
    pub fn allow(&self, who: &str, max: usize, now: OffsetDateTime) -> bool {
        let mut map = self
            .hits
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if map.len() > 10_000 {
            map.retain(|_, v| v.iter().any(|t| now - *t < time::Duration::minutes(1)));
        }
        let v = map.entry(who.to_owned()).or_default();
        v.retain(|t| now - *t < time::Duration::minutes(1));
        if v.len() >= max {
            return false;
        }
        v.push(now);
        true
    }
}

/// The client address for rate limiting: the peer address when known, else the first
/// `X-Forwarded-For` hop (deployments behind a proxy), else one shared bucket.
#[must_use]
pub fn client_key(
    req_headers: &axum::http::HeaderMap,
    peer: Option<std::net::SocketAddr>,
) -> String {
    peer.map(|a| a.ip().to_string())
        .or_else(|| {
            req_headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .map(|s| s.trim().to_owned())
        })
        .unwrap_or_else(|| "local".to_owned())
}
