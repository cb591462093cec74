//! Disputes between the parties of a case (issue 22).

use crate::api::dto::Items;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, Who};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use sinergi_domain::dispute::{Dispute, NewDispute};
use sinergi_domain::ids::{CaseId, DisputeId};

/// The disputes of a case, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/disputes", tag = "cases", params(("id" = String, Path)),
    responses((status = 200, body = Items<Dispute>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_disputes(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<Dispute>>, ApiError> {
    let items = state.app.disputes(&who, id).await?;
    Ok(Json(Items {
        total: i64::try_from(items.len()).unwrap_or(i64::MAX),
        items,
    }))
}

/// Raises a dispute for the caller's own party (the agreement must be signed); it starts in
/// consultation (musyawarah).
#[utoipa::path(post, path = "/api/v1/cases/{id}/disputes", tag = "cases", params(("id" = String, Path)),
    request_body = NewDispute,
    responses((status = 201, body = Dispute), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn raise_dispute(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NewDispute>,
) -> Result<(StatusCode, Json<Dispute>), ApiError> {
    let d = state.app.raise_dispute(&who, id, &input).await?;
    Ok((StatusCode::CREATED, Json(d)))
}

/// What is done to an open dispute.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(tag = "step", rename_all = "snake_case")]
pub enum DisputeStepInput {
    /// Consultation did not settle it: to the Governor (kabupaten/kota of one province) or the
    /// Minister.
    Escalate { expected_version: i64 },
    /// The settlement reached or the forum's decision.
    Resolve {
        expected_version: i64,
        decision: String,
        decided_on: time::Date,
    },
}

/// Escalates or settles a dispute (either party), under its version.
#[utoipa::path(post, path = "/api/v1/cases/{id}/disputes/{dispute}/steps", tag = "cases",
    params(("id" = String, Path), ("dispute" = String, Path)),
    request_body = DisputeStepInput,
    responses((status = 200, body = Dispute), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 409, body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn step_dispute(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, dispute)): ApiPath<(CaseId, uuid::Uuid)>,
    ApiJson(input): ApiJson<DisputeStepInput>,
) -> Result<Json<Dispute>, ApiError> {
    let (version, step) = match input {
        DisputeStepInput::Escalate { expected_version } => {
            (expected_version, sinergi_app::DisputeStep::Escalate)
        }
        DisputeStepInput::Resolve {
            expected_version,
            decision,
            decided_on,
        } => (
            expected_version,
            sinergi_app::DisputeStep::Resolve {
                decision,
                decided_on,
            },
        ),
    };
    Ok(Json(
        state
            .app
            .step_dispute(&who, id, DisputeId(dispute), version, &step)
            .await?,
    ))
}
