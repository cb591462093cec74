//! The HTML rendering of [`ApiError`]: an error page in the request's language, with the
//! request id (never a stack trace), and [`PageError`], the error a page handler returns.

use super::{ApiError, ErrorBody, ErrorFormat};
use askama::Template;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use sinergi_domain::Lang;

/// An error shown as an HTML page (with the request id, never a stack trace).
#[derive(Debug)]
pub struct PageError(pub ApiError);

impl<E: Into<ApiError>> From<E> for PageError {
    fn from(e: E) -> Self {
        Self(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let mut res = self.0.into_response();
        if let Some(body) = res.extensions_mut().get_mut::<ErrorBody>() {
            body.format = ErrorFormat::Html;
        }
        res
    }
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage<'a> {
    pub lang_code: &'a str,
    pub title: &'a str,
    pub message: &'a str,
    pub code: &'a str,
    pub request_id: &'a str,
    pub home: &'a str,
    pub status: u16,
}

/// The HTML page of an error, in the request's language.
#[must_use]
pub fn error_page(e: &ApiError, lang: Lang, request_id: &str) -> String {
    let status = e.status();
    let title = match status {
        StatusCode::NOT_FOUND => lang.pick("Halaman tidak ditemukan", "Page not found"),
        StatusCode::INTERNAL_SERVER_ERROR => lang.pick("Terjadi kesalahan", "Something went wrong"),
        StatusCode::UNAUTHORIZED => lang.pick("Perlu masuk", "Sign-in needed"),
        _ => lang.pick(
            "Permintaan tidak dapat diproses",
            "The request cannot be processed",
        ),
    };
    let message = e.message(lang);
    ErrorPage {
        lang_code: match lang {
            Lang::Id => "id",
            Lang::En => "en",
        },
        title,
        message: &message,
        code: e.code(),
        request_id,
        home: lang.pick("Kembali ke beranda", "Back to the home page"),
        status: status.as_u16(),
    }
    .render()
    .unwrap_or_else(|_| format!("{title}: {message} ({request_id})"))
}
