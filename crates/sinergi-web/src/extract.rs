//! Extractors whose rejections are `ApiError`s, and the caller's identity.

use crate::error::ApiError;
use crate::state::AppState;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;

/// JSON body; malformed JSON, a wrong shape, a missing content type or an oversized body
/// become specific API errors.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(Self(v)),
            Err(r) => Err(match r {
                JsonRejection::MissingJsonContentType(_) => ApiError::UnsupportedMediaType,
                r if r.status() == StatusCode::PAYLOAD_TOO_LARGE => ApiError::TooLarge,
                JsonRejection::BytesRejection(ref b)
                    if b.status() == StatusCode::PAYLOAD_TOO_LARGE =>
                {
                    ApiError::TooLarge
                }
                other => ApiError::BadJson {
                    detail: other.body_text(),
                },
            }),
        }
    }
}

/// Query string parameters.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| Self(q.0))
            .map_err(|r: QueryRejection| ApiError::BadQuery {
                detail: r.body_text(),
            })
    }
}

/// Path parameters.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| Self(p.0))
            .map_err(|r: PathRejection| ApiError::BadPath {
                detail: r.body_text(),
            })
    }
}

/// Who is calling: staff (with a valid token) or an anonymous visitor.
#[derive(Debug, Clone)]
pub struct Viewer {
    pub staff: Option<String>,
}

impl Viewer {
    #[must_use]
    pub fn is_staff(&self) -> bool {
        self.staff.is_some()
    }
}

fn bearer(parts: &Parts) -> Option<&str> {
    parts
        .headers
        .get(axum::http::header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
}

impl FromRequestParts<AppState> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match bearer(parts) {
            None => Ok(Self { staff: None }),
            Some(t) if state.settings.token_matches(t) => Ok(Self {
                staff: Some("admin".to_owned()),
            }),
            Some(_) => Err(ApiError::Unauthorized),
        }
    }
}

/// A caller allowed to change data; anonymous callers get 401.
#[derive(Debug, Clone)]
pub struct Writer(pub String);

impl FromRequestParts<AppState> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match Viewer::from_request_parts(parts, state).await?.staff {
            Some(name) => Ok(Self(name)),
            None => Err(ApiError::Unauthorized),
        }
    }
}
