//! Login CSRF (issue 16): a cross-site page could post the sign-in form with the attacker's
//! own name and password and so sign the victim's browser into the attacker's account. The
//! sign-in form carries a pre-session token that must equal the `SameSite=Strict` cookie set
//! with the form: a cross-site POST has neither the cookie nor the token, and is refused
//! (403 `auth.csrf`, the form shown again with a fresh token).

use axum::http::{HeaderMap, HeaderValue};

/// The cookie of the sign-in form's token.
pub const COOKIE: &str = "sinergi_masuk";

/// A fresh random token (244 bits).
pub fn new_token() -> String {
    format!(
        "{}{}",
        uuid::Uuid::new_v4().simple(),
        uuid::Uuid::new_v4().simple()
    )
}

/// The cookie carrying `token`, for the sign-in path only, for two hours.
pub fn cookie(token: &str, secure: bool) -> Option<HeaderValue> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{COOKIE}={token}; HttpOnly; SameSite=Strict; Path=/masuk; Max-Age=7200{secure}"
    ))
    .ok()
}

/// Whether the posted form's token equals the cookie's.
pub fn matches(headers: &HeaderMap, presented: &str) -> bool {
    crate::middleware::cookie(headers, COOKIE)
        .is_some_and(|c| !c.is_empty() && crate::auth::constant_eq(c, presented))
}
