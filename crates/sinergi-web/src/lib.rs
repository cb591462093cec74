//! Sinergi's HTTP interface: the JSON API under `/api/v1` (and, later, the HTML pages).
//!
//! Every route is registered in [`api::routes`], where its OpenAPI description is generated
//! from the handler's annotations, so the document and the router cannot drift apart.

pub mod api;
pub mod auth;
mod cache;
mod document_access;
pub mod error;
mod extract;
mod login_csrf;
mod middleware;
pub mod oidc;
pub mod openapi;
pub mod pages;
pub mod policy;
pub mod potential;
pub mod reports;
pub mod security_headers;
mod state;

pub use error::ApiError;
pub use oidc::OidcSettings;
pub use state::{AppState, DocumentSettings, WebSettings};

use axum::Router;
use axum::extract::DefaultBodyLimit;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::trace::TraceLayer;

/// The whole application router.
pub fn router(state: AppState) -> Router {
    let max_body = state.settings.max_body_bytes;
    let max_upload = state.documents.max_upload_bytes;
    let hsts = state.settings.hsts;
    let (api, openapi) = api::routes_with_upload_limit(max_upload).split_for_parts();
    let openapi = openapi::complete(openapi);
    let rules = std::sync::Arc::new(openapi::QueryRules::from_document(&openapi));
    let openapi_json = std::sync::Arc::new(openapi);
    let api = api.route_layer(axum::middleware::from_fn_with_state(
        rules,
        openapi::enforce_query,
    ));
    Router::new()
        .merge(api)
        .merge(pages::routes(max_upload))
        .route(
            "/api/v1/openapi.json",
            axum::routing::get(move || {
                let doc = openapi_json.clone();
                async move { axum::Json(doc.as_ref().clone()) }
            }),
        )
        .route_layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authorize,
        ))
        .fallback(error::not_found_route)
        .method_not_allowed_fallback(error::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::authenticate,
        ))
        .with_state(state)
        .layer(DefaultBodyLimit::max(max_body))
        .layer(axum::middleware::from_fn_with_state(
            std::sync::Arc::new(cache::PageCache::default()),
            cache::layer,
        ))
        .layer(axum::middleware::from_fn(middleware::render_errors))
        .layer(CatchPanicLayer::custom(error::panic_response))
        .layer(TraceLayer::new_for_http().make_span_with(middleware::span_with_request_id))
        .layer(PropagateRequestIdLayer::x_request_id())
        .layer(SetRequestIdLayer::x_request_id(MakeRequestUuid))
        .layer(axum::middleware::from_fn_with_state(
            hsts,
            security_headers::layer,
        ))
}

/// The OpenAPI document of the API.
#[must_use]
pub fn openapi() -> utoipa::openapi::OpenApi {
    openapi::complete(api::routes().split_for_parts().1)
}
