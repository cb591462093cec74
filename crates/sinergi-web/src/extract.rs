//! Extractors whose rejections are `ApiError`s, and the caller's identity.

use crate::auth::Access;
use crate::error::ApiError;
use axum::extract::rejection::{JsonRejection, PathRejection, QueryRejection};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::StatusCode;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use sinergi_domain::access::{Actor, Principal};

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

/// Who is calling (anonymous visitors included), from the authentication layer.
#[derive(Debug, Clone)]
pub struct Viewer(pub Principal);

impl Viewer {
    #[must_use]
    pub fn is_staff(&self) -> bool {
        !self.0.is_anonymous()
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Viewer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self(
            parts
                .extensions
                .get::<Principal>()
                .cloned()
                .unwrap_or_else(Principal::anonymous),
        ))
    }
}

/// The authorisation layer's decision for this request.
impl<S: Send + Sync> FromRequestParts<S> for Access {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Access>()
            .cloned()
            .ok_or(ApiError::NoPolicy)
    }
}

/// A caller allowed to change data (the authorisation layer has checked the route's
/// permission); anonymous callers get 401. Carries the actor for history and audit.
#[derive(Debug, Clone)]
pub struct Writer(pub Actor);

impl<S: Send + Sync> FromRequestParts<S> for Writer {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let access = Access::from_request_parts(parts, state).await?;
        if access.principal.is_anonymous() {
            return Err(ApiError::Unauthorized);
        }
        Ok(Self(access.actor()))
    }
}

/// The caller of a use case (`sinergi_app`): the principal the authorisation layer admitted,
/// with the request id for the audit log. Anonymous callers get 401.
#[derive(Debug, Clone)]
pub struct Who(pub sinergi_app::Caller);

impl<S: Send + Sync> FromRequestParts<S> for Who {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let access = Access::from_request_parts(parts, state).await?;
        if access.principal.is_anonymous() {
            return Err(ApiError::Unauthorized);
        }
        Ok(Self(access.caller()))
    }
}

/// The caller's language (`?lang=` or `Accept-Language`).
pub struct LangHeader(pub sinergi_domain::Lang);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for LangHeader {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        let lang = crate::middleware::lang_of(&parts.uri, &parts.headers);
        Ok(Self(lang))
    }
}
