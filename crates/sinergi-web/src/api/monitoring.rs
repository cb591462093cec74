//! Implementation and monitoring: the work plan with computed progress, realisation with
//! evidence files, programme synergy, the M&E forms. What Sinergi sends out about them —
//! notifications, calendar feeds, reports — is in `api::feeds`.

use crate::api::dto::Items;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Viewer, Who, Writer};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sinergi_domain::DomainError;
use sinergi_domain::ids::CaseId;
use sinergi_domain::monitoring::{
    Activity, Evaluation, EvaluationInput, EvaluationStep, Evidence, NewActivityInput,
    NewProgrammeLinkInput, NewRealisationInput, ProgrammeLink, Realisation,
};
use sinergi_store::WorkPlan;
use uuid::Uuid;

/// The work plan of a case: activities per field under their PKS (or the KB), indicators
/// with targets and realisation, progress computed from the indicators.
#[utoipa::path(get, path = "/api/v1/cases/{id}/work-plan", tag = "monitoring", params(("id" = CaseId, Path)),
    responses((status = 200, body = WorkPlan), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn work_plan(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<WorkPlan>, ApiError> {
    state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(state.store.work_plan(id).await?))
}

/// The activities of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/activities", tag = "monitoring", params(crate::api::Paging, ("id" = CaseId, Path)),
    responses((status = 200, body = Items<Activity>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_activities(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<Activity>>, ApiError> {
    let page = paging.resolve()?;
    state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(Items::paged(
        page,
        state.store.list_activities(id).await?,
    )))
}

/// Adds an activity: field, each party's responsible OPD, schedule, budget per fiscal year
/// with its source, output indicators with targets.
#[utoipa::path(post, path = "/api/v1/cases/{id}/activities", tag = "monitoring", params(("id" = CaseId, Path)),
    request_body = NewActivityInput, security(("bearer" = [])),
    responses((status = 201, body = Activity), (status = 404, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_activity(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NewActivityInput>,
) -> Result<(StatusCode, Json<Activity>), ApiError> {
    let a = state.app.add_activity(&who, id, &input).await?;
    Ok((StatusCode::CREATED, Json(a)))
}

/// Records realisation of one indicator of an activity.
#[utoipa::path(post, path = "/api/v1/cases/{id}/activities/{activity_id}/realisations", tag = "monitoring",
    params(("id" = CaseId, Path), ("activity_id" = String, Path)), request_body = NewRealisationInput, security(("bearer" = [])),
    responses((status = 201, body = Realisation), (status = 404, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_realisation(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, activity)): ApiPath<(CaseId, Uuid)>,
    ApiJson(input): ApiJson<NewRealisationInput>,
) -> Result<(StatusCode, Json<Realisation>), ApiError> {
    let r = state
        .app
        .add_realisation(&who, id, activity, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(r)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct EvidenceQuery {
    /// The file name, e.g. `berita-acara.pdf`.
    pub name: String,
}

/// Attaches an evidence file (photo, berita acara) to a realisation entry: the request body
/// is the file — PDF, DOCX, PNG or JPEG, checked by content, whose media type is recorded.
#[utoipa::path(post, path = "/api/v1/cases/{id}/realisations/{realisation_id}/evidence", tag = "monitoring",
    params(("id" = CaseId, Path), ("realisation_id" = String, Path), EvidenceQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"), security(("bearer" = [])),
    responses((status = 201, body = Evidence), (status = 404, body = crate::error::ErrorEnvelope), (status = 413, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn upload_evidence(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, realisation)): ApiPath<(CaseId, Uuid)>,
    ApiQuery(q): ApiQuery<EvidenceQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<Evidence>), ApiError> {
    let e = state
        .app
        .add_evidence(&who, id, realisation, &q.name, &body)
        .await?;
    Ok((StatusCode::CREATED, Json(e)))
}

/// Downloads an evidence file (staff only: photos and minutes may show people); the `ETag`
/// is its SHA-256.
#[utoipa::path(get, path = "/api/v1/cases/{id}/evidence/{evidence_id}", tag = "monitoring",
    params(("id" = CaseId, Path), ("evidence_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The evidence file as uploaded (its recorded media type).", content(("application/pdf"), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"), ("image/png"), ("image/jpeg"))), (status = 401, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn download_evidence(
    State(state): State<AppState>,
    Writer(_staff): Writer,
    ApiPath((id, evidence)): ApiPath<(CaseId, Uuid)>,
) -> Result<Response, ApiError> {
    state.store.get_case(id).await?;
    let e = state
        .store
        .list_realisations(id)
        .await?
        .into_iter()
        .flat_map(|r| r.evidence)
        .find(|e| e.id == evidence)
        .ok_or_else(|| DomainError::not_found("evidence", evidence))?;
    let bytes = state
        .documents
        .files
        .get(&e.sha256)
        .await
        .map_err(|_| ApiError::Internal)?
        .ok_or_else(|| DomainError::not_found("evidence", evidence))?;
    // The stored name may predate the upload check that strips paths: never echo a path.
    let disposition = sinergi_documents::upload::attachment_disposition(&e.file_name);
    Ok((
        [
            (header::CONTENT_TYPE, e.media_type),
            (header::CONTENT_DISPOSITION, disposition),
            (header::ETAG, format!("\"{}\"", e.sha256)),
        ],
        bytes,
    )
        .into_response())
}

/// The parties' RPJMD/RKPD programmes linked to the case's fields.
#[utoipa::path(get, path = "/api/v1/cases/{id}/programmes", tag = "monitoring", params(crate::api::Paging, ("id" = CaseId, Path)),
    responses((status = 200, body = Items<ProgrammeLink>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_programmes(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<ProgrammeLink>>, ApiError> {
    let page = paging.resolve()?;
    state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(Items::paged(
        page,
        state.store.list_programme_links(id).await?,
    )))
}

/// Links one party's regional programme (RPJMD or RKPD, code and name) to a field.
#[utoipa::path(post, path = "/api/v1/cases/{id}/programmes", tag = "monitoring", params(("id" = CaseId, Path)),
    request_body = NewProgrammeLinkInput, security(("bearer" = [])),
    responses((status = 201, body = ProgrammeLink), (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_programme(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NewProgrammeLinkInput>,
) -> Result<(StatusCode, Json<ProgrammeLink>), ApiError> {
    let l = state.app.add_programme(&who, id, &input).await?;
    Ok((StatusCode::CREATED, Json(l)))
}

/// The M&E forms of a case (staff only).
#[utoipa::path(get, path = "/api/v1/cases/{id}/evaluations", tag = "monitoring", params(crate::api::Paging, ("id" = CaseId, Path)),
    security(("bearer" = [])), responses((status = 200, body = Items<Evaluation>), (status = 401, body = crate::error::ErrorEnvelope)))]
pub async fn list_evaluations(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    Writer(_staff): Writer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<Evaluation>>, ApiError> {
    let page = paging.resolve()?;
    state.store.get_case(id).await?;
    Ok(Json(Items::paged(
        page,
        state.store.list_evaluations(id).await?,
    )))
}

/// Saves a draft form of a period (pelaksana, tkksd_lokus or admin): a new one, or the
/// draft of the same subject, period and form with new content.
#[utoipa::path(post, path = "/api/v1/cases/{id}/evaluations", tag = "monitoring", params(("id" = CaseId, Path)),
    request_body = EvaluationInput, security(("bearer" = [])),
    responses((status = 200, body = Evaluation), (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn save_evaluation(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<EvaluationInput>,
) -> Result<Json<Evaluation>, ApiError> {
    Ok(Json(state.app.save_evaluation(&who, id, &input).await?))
}

#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct EvaluationStepRequest {
    pub step: EvaluationStep,
    pub expected_version: i64,
}

/// Moves a form: `submit` (draft → submitted, complete forms only) or `review`
/// (submitted → reviewed).
#[utoipa::path(post, path = "/api/v1/cases/{id}/evaluations/{evaluation_id}/steps", tag = "monitoring",
    params(("id" = CaseId, Path), ("evaluation_id" = String, Path)), request_body = EvaluationStepRequest, security(("bearer" = [])),
    responses((status = 200, body = Evaluation), (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn evaluation_step(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, evaluation)): ApiPath<(CaseId, Uuid)>,
    ApiJson(req): ApiJson<EvaluationStepRequest>,
) -> Result<Json<Evaluation>, ApiError> {
    Ok(Json(
        state
            .app
            .evaluation_step(&who, id, evaluation, req.step, req.expected_version)
            .await?,
    ))
}
