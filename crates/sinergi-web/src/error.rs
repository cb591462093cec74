//! The API's one error type and its one JSON envelope:
//! `{"error": {"code", "message", "fields": [...]}, "request_id"}`, with the message in the
//! caller's language (Indonesian by default, English on `Accept-Language: en` or `?lang=en`).

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use sinergi_domain::{DomainError, FieldError, Lang};
use sinergi_store::StoreError;
use std::sync::Arc;

/// Everything an API handler can answer with instead of success.
#[derive(Debug)]
pub enum ApiError {
    Domain(DomainError),
    Unauthorized,
    /// Signed in, but the role or the relation to the case does not allow it.
    Forbidden {
        perm: &'static str,
    },
    /// A new case that does not include the caller's own region.
    NotOwnRegion,
    /// A read-scoped API token used for a change.
    ReadOnlyToken,
    /// A state-changing form without the session's CSRF token.
    Csrf,
    /// Wrong user name or password.
    BadCredentials,
    /// Too many failed sign-ins: locked until the given local time label.
    Locked {
        until: String,
    },
    /// Too many sign-in attempts from one address.
    RateLimited,
    /// A refused OpenID Connect sign-in.
    Oidc(crate::oidc::OidcError),
    /// A route without a permission policy (a programming error, refused).
    NoPolicy,
    WriteConflict,
    BadJson {
        detail: String,
    },
    BadQuery {
        detail: String,
    },
    BadPath {
        detail: String,
    },
    TooLarge,
    UnsupportedMediaType,
    RouteNotFound,
    MethodNotAllowed,
    Unavailable,
    /// The database cannot take writes now (full disk, I/O error, locked): nothing was saved.
    StorageUnavailable,
    Internal,
}

mod html;
pub use html::{PageError, error_page};

/// How an error is rendered: the JSON envelope (API) or an HTML page (pages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorFormat {
    Json,
    Html,
}

/// The error carried to the rendering layer in the response's extensions.
#[derive(Clone, Debug)]
pub struct ErrorBody {
    pub error: Arc<ApiError>,
    pub format: ErrorFormat,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorEnvelope {
    pub error: ErrorDetail,
    pub request_id: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `case.invalid_transition`.
    pub code: String,
    /// Human message in the caller's language.
    pub message: String,
    pub fields: Vec<FieldMessage>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldMessage {
    pub field: String,
    pub code: String,
    pub message: String,
}

impl ApiError {
    #[must_use]
    pub fn status(&self) -> StatusCode {
        match self {
            Self::Domain(d) => match d {
                DomainError::NotFound { .. } => StatusCode::NOT_FOUND,
                DomainError::Forbidden { .. }
                | DomainError::NotYourAct { .. }
                | DomainError::NotOwnRegion { .. }
                | DomainError::AccountsOfAnotherRegion { .. } => StatusCode::FORBIDDEN,
                DomainError::VersionConflict { .. }
                | DomainError::InvalidTransition { .. }
                | DomainError::CaseClosed(_) => StatusCode::CONFLICT,
                _ => StatusCode::UNPROCESSABLE_ENTITY,
            },
            Self::Unauthorized | Self::BadCredentials => StatusCode::UNAUTHORIZED,
            Self::Forbidden { .. } | Self::NotOwnRegion | Self::ReadOnlyToken | Self::Csrf => {
                StatusCode::FORBIDDEN
            }
            Self::Locked { .. } | Self::RateLimited => StatusCode::TOO_MANY_REQUESTS,
            Self::Oidc(e) => e.status(),
            Self::NoPolicy => StatusCode::INTERNAL_SERVER_ERROR,
            Self::WriteConflict => StatusCode::CONFLICT,
            Self::BadJson { .. } | Self::BadQuery { .. } | Self::BadPath { .. } => {
                StatusCode::BAD_REQUEST
            }
            Self::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::RouteNotFound => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed => StatusCode::METHOD_NOT_ALLOWED,
            Self::Unavailable | Self::StorageUnavailable => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Domain(d) => d.code(),
            Self::Unauthorized => "auth.required",
            Self::Forbidden { .. } => "auth.forbidden",
            Self::ReadOnlyToken => "auth.read_only_token",
            Self::NotOwnRegion => "auth.not_own_region",
            Self::Csrf => "auth.csrf",
            Self::BadCredentials => "auth.bad_credentials",
            Self::Locked { .. } => "auth.locked",
            Self::RateLimited => "auth.rate_limited",
            Self::Oidc(e) => e.code(),
            Self::NoPolicy => "auth.no_policy",
            Self::WriteConflict => "request.conflict",
            Self::BadJson { .. } => "request.malformed_json",
            Self::BadQuery { .. } => "request.invalid_query",
            Self::BadPath { .. } => "request.invalid_path",
            Self::TooLarge => "request.too_large",
            Self::UnsupportedMediaType => "request.unsupported_media_type",
            Self::RouteNotFound => "route.not_found",
            Self::MethodNotAllowed => "route.method_not_allowed",
            Self::Unavailable => "service.unavailable",
            Self::StorageUnavailable => "service.storage_unavailable",
            Self::Internal => "internal",
        }
    }

    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let (id, en): (String, String) = match self {
            Self::Domain(d) => return d.message(lang),
            Self::Oidc(e) => return e.message(lang),
            Self::Unauthorized => (
                "Perlu masuk terlebih dahulu (di peramban melalui halaman Masuk; untuk API dengan token pada header Authorization: Bearer …). Token yang dicabut atau sesi yang sudah keluar tidak berlaku lagi.".into(),
                "You need to sign in first (in the browser through the Sign-in page; for the API with a token in the Authorization: Bearer … header). A revoked token or an ended session no longer works.".into(),
            ),
            Self::Forbidden { perm } => (
                format!("Peran Anda tidak mengizinkan tindakan ini ({perm}) pada data ini."),
                format!("Your role does not allow this action ({perm}) on this data."),
            ),
            Self::NotOwnRegion => (
                "Anda hanya dapat membuka kerja sama yang melibatkan daerah Anda sendiri sebagai salah satu pihak.".into(),
                "You can only open a cooperation in which your own region is one of the parties.".into(),
            ),
            Self::ReadOnlyToken => (
                "Token API ini hanya untuk membaca; buat token dengan cakupan write untuk mengubah data.".into(),
                "This API token is read-only; create a token with the write scope to change data.".into(),
            ),
            Self::Csrf => (
                "Formulir ini tidak sah atau sudah kedaluwarsa (token CSRF tidak cocok). Muat ulang halaman, lalu kirim lagi.".into(),
                "This form is invalid or has expired (the CSRF token does not match). Reload the page and send it again.".into(),
            ),
            Self::BadCredentials => (
                "Nama pengguna atau kata sandi salah.".into(),
                "Wrong user name or password.".into(),
            ),
            Self::Locked { until } => (
                format!("Akun dikunci sementara karena terlalu banyak percobaan masuk yang gagal. Coba lagi setelah {until}."),
                format!("The account is locked for a while after too many failed sign-ins. Try again after {until}."),
            ),
            Self::RateLimited => (
                "Terlalu banyak percobaan masuk dari alamat ini. Tunggu satu menit, lalu coba lagi.".into(),
                "Too many sign-in attempts from this address. Wait a minute and try again.".into(),
            ),
            Self::NoPolicy => (
                "Alamat ini belum memiliki aturan hak akses sehingga ditolak.".into(),
                "This address has no access policy yet, so it is refused.".into(),
            ),
            Self::WriteConflict => (
                "Perubahan bertabrakan dengan perubahan lain yang baru saja disimpan. Muat ulang lalu ulangi.".into(),
                "The change collided with another change just saved. Reload and try again.".into(),
            ),
            Self::BadJson { detail } => (
                format!("Isi permintaan bukan JSON yang valid atau tidak sesuai bentuknya: {detail}"),
                format!("The request body is not valid JSON or does not have the expected shape: {detail}"),
            ),
            Self::BadQuery { detail } => (
                format!("Parameter pencarian tidak valid: {detail}"),
                format!("Invalid query parameters: {detail}"),
            ),
            Self::BadPath { detail } => (
                format!("Alamat tidak valid: {detail}"),
                format!("Invalid address: {detail}"),
            ),
            Self::TooLarge => (
                "Isi permintaan terlalu besar.".into(),
                "The request body is too large.".into(),
            ),
            Self::UnsupportedMediaType => (
                "Isi permintaan harus berformat JSON (Content-Type: application/json).".into(),
                "The request body must be JSON (Content-Type: application/json).".into(),
            ),
            Self::RouteNotFound => ("Alamat tidak ditemukan.".into(), "No such address.".into()),
            Self::MethodNotAllowed => (
                "Metode HTTP ini tidak didukung untuk alamat tersebut.".into(),
                "This HTTP method is not supported for that address.".into(),
            ),
            Self::Unavailable => (
                "Layanan belum siap; basis data tidak dapat dihubungi.".into(),
                "The service is not ready; the database cannot be reached.".into(),
            ),
            Self::StorageUnavailable => (
                "Basis data tidak dapat menyimpan saat ini (penyimpanan penuh atau terkunci); perubahan Anda TIDAK tersimpan. Coba lagi beberapa saat lagi.".into(),
                "The database cannot save right now (storage full or locked); your change was NOT saved. Try again in a while.".into(),
            ),
            Self::Internal => (
                "Terjadi kesalahan pada server. Sebutkan nomor permintaan saat melapor.".into(),
                "Something went wrong on the server. Quote the request id when reporting it.".into(),
            ),
        };
        match lang {
            Lang::Id => id,
            Lang::En => en,
        }
    }

    fn fields(&self) -> &[FieldError] {
        match self {
            Self::Domain(d) => d.fields(),
            _ => &[],
        }
    }
}

impl From<DomainError> for ApiError {
    fn from(e: DomainError) -> Self {
        Self::Domain(e)
    }
}

impl From<sinergi_app::AppError> for ApiError {
    fn from(e: sinergi_app::AppError) -> Self {
        match e {
            sinergi_app::AppError::Refused(d) => Self::Domain(d),
            sinergi_app::AppError::Store(s) => Self::from(s),
        }
    }
}

impl From<crate::oidc::OidcError> for ApiError {
    fn from(e: crate::oidc::OidcError) -> Self {
        Self::Oidc(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => Self::Domain(d),
            StoreError::Conflict(detail) => {
                tracing::warn!(%detail, "write conflict");
                Self::WriteConflict
            }
            StoreError::Unavailable(e) => {
                tracing::error!(error.message = %e, "database cannot take writes");
                Self::StorageUnavailable
            }
            other => {
                let chain = error_chain(&other);
                tracing::error!(error.message = %other, error.cause_chain = %chain, "store error");
                Self::Internal
            }
        }
    }
}

pub(crate) fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cur = e.source();
    while let Some(c) = cur {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cur = c.source();
    }
    s
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = self.status().into_response();
        res.extensions_mut().insert(ErrorBody {
            error: Arc::new(self),
            format: ErrorFormat::Json,
        });
        res
    }
}

/// Builds the JSON body of an error response (called by the rendering layer).
pub(crate) fn render_body(
    body: &ErrorBody,
    lang: Lang,
    request_id: &str,
    res: Response,
) -> Response {
    let e = &body.error;
    if body.format == ErrorFormat::Html {
        let status = res.status();
        let html = error_page(e, lang, request_id);
        let mut out = (status, axum::response::Html(html)).into_response();
        if let Some(id) = res.headers().get("x-request-id") {
            out.headers_mut().insert("x-request-id", id.clone());
        }
        return out;
    }
    let envelope = ErrorEnvelope {
        error: ErrorDetail {
            code: e.code().to_owned(),
            message: e.message(lang),
            fields: e
                .fields()
                .iter()
                .map(|f| FieldMessage {
                    field: f.field.clone(),
                    code: f.code.clone(),
                    message: f.message(lang).to_owned(),
                })
                .collect(),
        },
        request_id: request_id.to_owned(),
    };
    let (mut parts, _) = res.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let mut out = (parts.status, axum::Json(envelope)).into_response();
    for (k, v) in &parts.headers {
        if k != axum::http::header::CONTENT_TYPE {
            out.headers_mut().insert(k.clone(), v.clone());
        }
    }
    out
}

pub(crate) async fn not_found_route(uri: axum::http::Uri) -> Response {
    let p = uri.path();
    if p.starts_with("/api/") || p == "/health" || p == "/ready" {
        ApiError::RouteNotFound.into_response()
    } else {
        PageError(ApiError::RouteNotFound).into_response()
    }
}

pub(crate) async fn method_not_allowed() -> ApiError {
    ApiError::MethodNotAllowed
}

pub(crate) fn panic_response(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    tracing::error!("handler panicked");
    ApiError::Internal.into_response()
}
