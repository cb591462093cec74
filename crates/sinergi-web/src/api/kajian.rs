//! TKKSD kajian records and their telaahan staf (issue 22).

use crate::api::dto::Items;
use crate::error::ApiError;
use crate::extract::{ApiPath, ApiQuery, Who};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sinergi_domain::ids::CaseId;
use sinergi_domain::kajian::KajianRecord;
use uuid::Uuid;

/// The kajian the caller's own side's TKKSD held on the case (recorded with its
/// `recommend` or `review_offer` step): the meeting, who attended, the minutes, the
/// recommendation and who decided it. The other side's kajian are not shown.
#[utoipa::path(get, path = "/api/v1/cases/{id}/kajian", tag = "cases", params(("id" = CaseId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Items<KajianRecord>), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_kajian(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<KajianRecord>>, ApiError> {
    let items = state.app.kajian(&who, id).await?;
    Ok(Json(Items {
        total: i64::try_from(items.len()).unwrap_or(i64::MAX),
        items,
    }))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TelaahanQuery {
    /// The file name, e.g. `telaahan-staf.pdf`.
    pub name: String,
}

/// Attaches the telaahan staf to one of the own side's kajian: the request body is the file
/// (PDF, DOCX, PNG or JPEG, checked by content).
#[utoipa::path(post, path = "/api/v1/cases/{id}/kajian/{kajian_id}/telaahan", tag = "cases",
    params(("id" = CaseId, Path), ("kajian_id" = String, Path), TelaahanQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"), security(("bearer" = [])),
    responses((status = 201, body = KajianRecord), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 413, body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn attach_telaahan(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, kajian)): ApiPath<(CaseId, Uuid)>,
    ApiQuery(q): ApiQuery<TelaahanQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<KajianRecord>), ApiError> {
    let k = state
        .app
        .attach_telaahan(&who, id, kajian, &q.name, &body)
        .await?;
    Ok((StatusCode::CREATED, Json(k)))
}

/// Downloads the telaahan staf of one of the own side's kajian; the `ETag` is its SHA-256.
#[utoipa::path(get, path = "/api/v1/cases/{id}/kajian/{kajian_id}/telaahan-file", tag = "cases",
    params(("id" = CaseId, Path), ("kajian_id" = String, Path)), security(("bearer" = [])),
    responses((status = 200, description = "The file as uploaded (its recorded media type).", content(("application/pdf"), ("application/vnd.openxmlformats-officedocument.wordprocessingml.document"), ("image/png"), ("image/jpeg"))),
        (status = 401, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn download_telaahan(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, kajian)): ApiPath<(CaseId, Uuid)>,
) -> Result<Response, ApiError> {
    let (file, bytes) = state.app.telaahan_file(&who, id, kajian).await?;
    Ok((
        [
            (header::CONTENT_TYPE, file.media_type),
            (
                header::CONTENT_DISPOSITION,
                sinergi_documents::upload::attachment_disposition(&file.file_name),
            ),
            (header::ETAG, format!("\"{}\"", file.sha256)),
        ],
        bytes,
    )
        .into_response())
}
