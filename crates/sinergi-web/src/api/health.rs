//! Liveness and readiness.

use crate::error::ApiError;
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use serde::Serialize;

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
}

/// The process is alive.
#[utoipa::path(get, path = "/health", tag = "operations", responses((status = 200, body = Health)))]
pub async fn health() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// The database answers and takes writes (a committed probe write): 503 while it cannot
/// (unreachable, full disk, read-only, locked).
#[utoipa::path(get, path = "/ready", tag = "operations", responses((status = 200, body = Health), (status = 503, body = crate::error::ErrorEnvelope)))]
pub async fn ready(State(state): State<AppState>) -> Result<Json<Health>, ApiError> {
    state
        .store
        .ping()
        .await
        .map_err(|_| ApiError::Unavailable)?;
    if let Err(e) = state.store.check_writable(state.clock.now()).await {
        tracing::warn!(error = %e, "readiness: the database does not take writes");
        return Err(ApiError::StorageUnavailable);
    }
    Ok(Json(Health { status: "ready" }))
}
