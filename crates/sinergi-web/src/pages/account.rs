//! Signing in and out, one's own account (password, API tokens, sessions, own audit trail),
//! a side's private notes on a case, and a case's audit trail.

use super::common::parse_id;
use super::{Chrome, PageError, Visitor, render};
use crate::auth::{SESSION_COOKIE, client_key};
use crate::error::ApiError;
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{FromRequestParts, Path, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use sinergi_domain::Lang;
use sinergi_domain::ids::{NoteId, UserId};
use sinergi_store::{AuditEntry, AuditScope, LoginOutcome};
use std::net::SocketAddr;

/// The peer address, when the server knows it.
pub struct Peer(pub Option<SocketAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<SocketAddr>>()
                .map(|c| c.0),
        ))
    }
}

#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    chrome: Chrome,
    error: Option<String>,
    username: String,
    /// The pre-session token of the sign-in form (login CSRF, issue 16).
    login_token: String,
    /// The single sign-on button's label, when OpenID Connect is configured.
    sso_label: Option<String>,
}

fn sign_in_page(
    state: &AppState,
    v: &Visitor,
    error: Option<String>,
    username: String,
) -> Response {
    let login_token = crate::login_csrf::new_token();
    let mut res = render(&SignInPage {
        chrome: Chrome::new(v, "signin"),
        error,
        username,
        login_token: login_token.clone(),
        sso_label: state.oidc.as_ref().map(|p| p.label().to_owned()),
    });
    if let Some(c) = crate::login_csrf::cookie(&login_token, state.settings.secure_cookies) {
        res.headers_mut().append(header::SET_COOKIE, c);
    }
    res
}

pub async fn sign_in_form(State(state): State<AppState>, v: Visitor) -> Response {
    sign_in_page(&state, &v, None, String::new())
}

/// The sign-in page again, saying why signing in was refused (password or SSO).
pub(super) fn refused(state: &AppState, v: &Visitor, e: &ApiError, username: String) -> Response {
    let mut res = sign_in_page(state, v, Some(e.message(v.lang)), username);
    *res.status_mut() = e.status();
    res
}

/// Opens a browser session for a user who has just proved who they are, by password or
/// through the SSO provider: the one place a session and its cookie are made.
///
/// # Errors
/// Database errors.
pub(super) async fn open_session(
    state: &AppState,
    user: UserId,
    now: time::OffsetDateTime,
) -> Result<HeaderValue, PageError> {
    let (secret, _csrf) = state
        .store
        .create_session(user, &state.settings.login, now)
        .await?;
    session_cookie(state, &secret, None).ok_or(PageError(ApiError::Internal))
}

#[derive(Deserialize)]
pub struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default, rename = "_csrf")]
    csrf: String,
}

fn session_cookie(state: &AppState, value: &str, max_age: Option<i64>) -> Option<HeaderValue> {
    let secure = if state.settings.secure_cookies {
        "; Secure"
    } else {
        ""
    };
    let age = max_age
        .map(|a| format!("; Max-Age={a}"))
        .unwrap_or_default();
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={value}; HttpOnly; SameSite=Strict; Path=/{secure}{age}"
    ))
    .ok()
}

pub(super) fn wib_time(t: time::OffsetDateTime, lang: Lang) -> String {
    let local = t.to_offset(time::UtcOffset::from_hms(7, 0, 0).unwrap_or(time::UtcOffset::UTC));
    format!(
        "{} {:02}.{:02} WIB",
        lang.pick("pukul", "at"),
        local.hour(),
        local.minute()
    )
}

pub async fn sign_in(
    State(state): State<AppState>,
    v: Visitor,
    Peer(peer): Peer,
    headers: HeaderMap,
    Form(f): Form<SignInForm>,
) -> Result<Response, PageError> {
    let now = state.clock.now();
    let refuse = |e: ApiError, username: String| refused(&state, &v, &e, username);
    // A sign-in form posted from another site (login CSRF) lacks this form's token.
    if !crate::login_csrf::matches(&headers, &f.csrf) {
        return Ok(refuse(ApiError::Csrf, f.username));
    }
    if !state.login_limiter.allow(
        &client_key(&headers, peer),
        state.settings.login_attempts_per_minute,
        now,
    ) {
        return Ok(refuse(ApiError::RateLimited, f.username));
    }
    let request_id = headers
        .get("x-request-id")
        .and_then(|h| h.to_str().ok())
        .map(str::to_owned);
    let outcome = state
        .store
        .attempt_login(
            &f.username,
            &f.password,
            &state.settings.login,
            request_id,
            now,
        )
        .await?;
    match outcome {
        LoginOutcome::Ok(user) => {
            let cookie = open_session(&state, user.id, now).await?;
            // A temporary password from the admin is changed before anything else.
            let to = if user.must_change_password {
                "/akun?ok=ganti_sandi#sandi"
            } else {
                "/"
            };
            let mut res = Redirect::to(to).into_response();
            res.headers_mut().insert(header::SET_COOKIE, cookie);
            Ok(res)
        }
        LoginOutcome::Wrong | LoginOutcome::Disabled => {
            Ok(refuse(ApiError::BadCredentials, f.username))
        }
        LoginOutcome::Locked(until) => Ok(refuse(
            ApiError::Locked {
                until: wib_time(until, v.lang),
            },
            f.username,
        )),
    }
}

fn cleared(state: &AppState, to: &str) -> Response {
    let mut res = Redirect::to(to).into_response();
    if let Some(c) = session_cookie(state, "", Some(0)) {
        res.headers_mut().insert(header::SET_COOKIE, c);
    }
    res
}

pub async fn sign_out(
    State(state): State<AppState>,
    v: Visitor,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    if let Some(secret) = crate::middleware::cookie(&headers, SESSION_COOKIE) {
        state
            .store
            .end_session(secret, &v.actor(), state.clock.now())
            .await?;
    }
    Ok(cleared(&state, "/"))
}

pub struct TokenRow {
    pub name: String,
    pub prefix: String,
    pub scopes: String,
    pub created: String,
    pub used: String,
    pub revoked: bool,
}

pub struct AuditRow {
    pub seq: i64,
    pub when: String,
    pub actor: String,
    pub role: String,
    pub action: String,
    pub subject: String,
    pub changes: String,
    pub request_id: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    chrome: Chrome,
    username: String,
    display_name: String,
    region: String,
    unit: String,
    roles: Vec<String>,
    tokens: Vec<TokenRow>,
    audit: Vec<AuditRow>,
    new_token: Option<String>,
    errors: Vec<String>,
    notice: Option<String>,
    is_user: bool,
    language: String,
}

fn audit_rows(entries: Vec<AuditEntry>, v: &Visitor) -> Vec<AuditRow> {
    use super::case::labels::{audit_action, subject_kind};
    let lang = v.lang;
    // A changed field in words ("Tahap", "Versi"), never its key.
    let field = |k: &str| {
        let (id, en) = sinergi_domain::field_words::words(k);
        if lang == Lang::En { en } else { id }
    };
    entries
        .into_iter()
        .map(|e| {
            let changes = match (&e.before, &e.after) {
                (Some(serde_json::Value::Object(b)), Some(serde_json::Value::Object(a))) => {
                    let mut keys: Vec<String> = a
                        .iter()
                        .filter(|(k, v)| b.get(*k) != Some(*v))
                        .map(|(k, _)| field(k))
                        .collect();
                    keys.extend(b.keys().filter(|k| !a.contains_key(*k)).map(|k| field(k)));
                    keys.join(", ")
                }
                (None, Some(_)) => lang.pick("dibuat", "created").to_owned(),
                (Some(_), None) => lang.pick("dihapus/dicabut", "removed/revoked").to_owned(),
                _ => String::new(),
            };
            AuditRow {
                seq: e.seq,
                when: v.stamp(e.at),
                actor: match &e.on_behalf_of {
                    Some(head) => format!("{} {} {head}", e.actor, lang.pick("a.n.", "for")),
                    None => e.actor,
                },
                role: e
                    .role
                    .as_deref()
                    .map(|r| {
                        r.split(',')
                            .map(|one| {
                                sinergi_domain::access::Role::parse(one)
                                    .map_or_else(|_| one.to_owned(), |x| x.label(lang).to_owned())
                            })
                            .collect::<Vec<_>>()
                            .join(", ")
                    })
                    .unwrap_or_default(),
                action: audit_action(&e.action, lang),
                subject: subject_kind(&e.subject_kind, lang).to_owned(),
                changes,
                request_id: e.request_id.unwrap_or_default(),
            }
        })
        .collect()
}

async fn account_page(
    state: &AppState,
    v: &Visitor,
    new_token: Option<String>,
    errors: Vec<String>,
    notice: Option<String>,
) -> Result<Response, PageError> {
    let p = &v.principal;
    let (tokens, audit) = match p.user_id {
        Some(uid) => (
            state.store.list_tokens(UserId(uid)).await?,
            state.store.audit_entries(AuditScope::User(uid), 50).await?,
        ),
        None => (Vec::new(), Vec::new()),
    };
    let date = |t: time::OffsetDateTime| sinergi_domain::locale::date_long(t.date(), v.lang);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let mut res = render(&AccountPage {
        chrome: Chrome::new(v, "account"),
        username: p.username.clone(),
        display_name: p.display_name.clone(),
        region: p.region.clone().unwrap_or_else(|| "—".to_owned()),
        unit: p.unit.clone().unwrap_or_else(|| "—".to_owned()),
        roles: p.roles.iter().map(|r| r.label(v.lang).to_owned()).collect(),
        tokens: tokens
            .into_iter()
            .map(|t| TokenRow {
                name: t.name,
                prefix: t.prefix,
                scopes: t.scopes.join(", "),
                created: date(t.created_at),
                used: t.last_used_at.map(date).unwrap_or_else(|| "—".to_owned()),
                revoked: t.revoked_at.is_some(),
            })
            .collect(),
        audit: audit_rows(audit, v),
        new_token,
        errors,
        notice,
        is_user: p.user_id.is_some(),
        language: p.language.clone().unwrap_or_else(|| "id".to_owned()),
    });
    *res.status_mut() = status;
    Ok(res)
}

pub async fn show(State(state): State<AppState>, v: Visitor) -> Result<Response, PageError> {
    account_page(&state, &v, None, Vec::new(), None).await
}

fn user_of(v: &Visitor) -> Result<UserId, PageError> {
    v.principal
        .user_id
        .map(UserId)
        .ok_or(PageError(ApiError::Unauthorized))
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn change_password(
    State(state): State<AppState>,
    v: Visitor,
    Form(f): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let uid = user_of(&v)?;
    if f.new != f.confirm {
        let msg = v
            .lang
            .pick(
                "Konfirmasi kata sandi baru tidak sama.",
                "The new password confirmation does not match.",
            )
            .to_owned();
        return account_page(&state, &v, None, vec![msg], None).await;
    }
    let now = state.clock.now();
    match state
        .store
        .change_password(
            uid,
            &f.current,
            &f.new,
            &state.settings.login,
            &v.actor(),
            now,
        )
        .await
    {
        Ok(()) => {
            // Every other session ended; this browser gets a fresh one.
            let cookie = open_session(&state, uid, now + time::Duration::seconds(1)).await?;
            let mut res = Redirect::to("/akun?sandi=diubah").into_response();
            res.headers_mut().insert(header::SET_COOKIE, cookie);
            Ok(res)
        }
        Err(e) => {
            let e = ApiError::from(e);
            account_page(&state, &v, None, super::common::messages(&e, v.lang), None).await
        }
    }
}

pub async fn sign_out_everywhere(
    State(state): State<AppState>,
    v: Visitor,
) -> Result<Response, PageError> {
    let uid = user_of(&v)?;
    state
        .store
        .end_all_sessions(uid, &v.actor(), state.clock.now())
        .await?;
    Ok(cleared(&state, "/masuk"))
}

#[derive(Deserialize)]
pub struct LanguageForm {
    #[serde(default)]
    language: String,
}

/// Remembers the user's language: pages follow it unless `?lang=` or the language link says
/// otherwise.
pub async fn set_language(
    State(state): State<AppState>,
    v: Visitor,
    Form(f): Form<LanguageForm>,
) -> Result<Response, PageError> {
    let uid = user_of(&v)?;
    state
        .store
        .set_language(uid, &f.language, &v.actor(), state.clock.now())
        .await?;
    // The language link's cookie would override the preference: clear it.
    let mut res = Redirect::to("/akun").into_response();
    res.headers_mut().insert(
        header::SET_COOKIE,
        HeaderValue::from_static("lang=; SameSite=Lax; Path=/; Max-Age=0"),
    );
    Ok(res)
}

#[derive(Deserialize)]
pub struct TokenForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    scope: String,
}

pub async fn create_token(
    State(state): State<AppState>,
    v: Visitor,
    Form(f): Form<TokenForm>,
) -> Result<Response, PageError> {
    let uid = user_of(&v)?;
    let scopes: Vec<String> = match f.scope.as_str() {
        "read" => vec!["read".into()],
        _ => vec!["read".into(), "write".into()],
    };
    match state
        .store
        .create_token(uid, &f.name, &scopes, &v.actor(), state.clock.now())
        .await
    {
        Ok((_, secret)) => account_page(&state, &v, Some(secret), Vec::new(), None).await,
        Err(e) => {
            let e = ApiError::from(e);
            account_page(&state, &v, None, super::common::messages(&e, v.lang), None).await
        }
    }
}

pub async fn revoke_token(
    State(state): State<AppState>,
    v: Visitor,
    Path(name): Path<String>,
) -> Result<Response, PageError> {
    let uid = user_of(&v)?;
    state
        .store
        .revoke_token(uid, &name, &v.actor(), state.clock.now())
        .await?;
    let notice = format!("{} {name}", v.lang.pick("Token dicabut:", "Token revoked:"));
    account_page(&state, &v, None, Vec::new(), Some(notice)).await
}

#[derive(Deserialize)]
pub struct NoteForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    body: String,
}

/// The caller's side on a case (the authorisation layer made sure it is a party).
fn side_of(v: &Visitor) -> Result<String, PageError> {
    v.principal
        .region
        .clone()
        .ok_or(PageError(ApiError::Forbidden { perm: "note_write" }))
}

pub async fn add_note(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
    Form(f): Form<NoteForm>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let side = side_of(&v)?;
    state
        .store
        .add_note(
            id,
            &sinergi_store::NewNote {
                region: &side,
                kind: &f.kind,
                body: &f.body,
                shared: false,
            },
            &v.actor(),
            state.clock.now(),
        )
        .await?;
    Ok(Redirect::to(&format!("/kerja-sama/{id}?ok=catatan#catatan")).into_response())
}

pub async fn share_note(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, note)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let note: NoteId = note
        .parse()
        .map_err(|_| PageError(sinergi_domain::DomainError::not_found("note", &note).into()))?;
    let side = side_of(&v)?;
    state
        .store
        .share_note(id, note, &side, true, &v.actor(), state.clock.now())
        .await?;
    Ok(Redirect::to(&format!("/kerja-sama/{id}?ok=dibagikan#catatan")).into_response())
}

#[derive(Template)]
#[template(path = "audit.html")]
struct AuditPage {
    chrome: Chrome,
    id: String,
    title: String,
    rows: Vec<AuditRow>,
}

pub async fn case_audit(
    State(state): State<AppState>,
    v: Visitor,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let case = state.store.get_case(id).await?;
    let entries = state
        .store
        .audit_entries(AuditScope::Case(id.0), 500)
        .await?;
    Ok(render(&AuditPage {
        chrome: Chrome::new(&v, "register"),
        id: id.to_string(),
        title: case.title,
        rows: audit_rows(entries, &v),
    }))
}
