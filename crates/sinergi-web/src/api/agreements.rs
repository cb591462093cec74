//! The Kesepakatan Bersama, its PKS children and addenda.

use crate::api::dto::Items;
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, Viewer, Who};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use sinergi_domain::FieldError;
use sinergi_domain::agreement::{
    Agreement, AgreementPatch, AgreementTransitionRequest, NewAgreementInput,
};
use sinergi_domain::ids::{AgreementId, CaseId};

#[derive(Serialize, utoipa::ToSchema)]
pub struct AgreementView {
    #[serde(flatten)]
    pub agreement: Agreement,
    pub kind_label: String,
}

impl From<Agreement> for AgreementView {
    fn from(a: Agreement) -> Self {
        Self {
            kind_label: a.kind.label_id().to_owned(),
            agreement: a,
        }
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CreatedAgreement {
    #[serde(flatten)]
    pub agreement: AgreementView,
    /// Non-blocking notes, e.g. a PKS ending after its KB.
    pub warnings: Vec<FieldError>,
}

/// The agreement documents of a case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/agreements", tag = "agreements", params(crate::api::Paging, ("id" = CaseId, Path)),
    responses((status = 200, body = Items<AgreementView>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_agreements(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<AgreementView>>, ApiError> {
    let page = paging.resolve()?;
    state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(Items::paged(
        page,
        state
            .store
            .list_agreements(id)
            .await?
            .into_iter()
            .map(AgreementView::from)
            .collect(),
    )))
}

/// One agreement document.
#[utoipa::path(get, path = "/api/v1/cases/{id}/agreements/{agreement_id}", tag = "agreements",
    params(("id" = CaseId, Path), ("agreement_id" = AgreementId, Path)),
    responses((status = 200, body = AgreementView), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn get_agreement(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, agreement_id)): ApiPath<(CaseId, AgreementId)>,
) -> Result<Json<AgreementView>, ApiError> {
    state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(
        state.store.get_agreement(id, agreement_id).await?.into(),
    ))
}

/// Creates the KB (one per case), a PKS (only under an active KB, within the maximum term)
/// or an addendum (of a signed KB or PKS).
#[utoipa::path(post, path = "/api/v1/cases/{id}/agreements", tag = "agreements", params(("id" = CaseId, Path)),
    request_body = NewAgreementInput, security(("bearer" = [])),
    responses((status = 201, body = CreatedAgreement), (status = 404, body = crate::error::ErrorEnvelope),
        (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_agreement(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<NewAgreementInput>,
) -> Result<(StatusCode, Json<CreatedAgreement>), ApiError> {
    let (a, warnings) = state.app.create_agreement(&who, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedAgreement {
            agreement: a.into(),
            warnings,
        }),
    ))
}

/// Edits an unsigned agreement: each party's number and signatory, place, dates.
#[utoipa::path(patch, path = "/api/v1/cases/{id}/agreements/{agreement_id}", tag = "agreements",
    params(("id" = CaseId, Path), ("agreement_id" = AgreementId, Path)),
    request_body = AgreementPatch, security(("bearer" = [])),
    responses((status = 200, body = AgreementView), (status = 404, body = crate::error::ErrorEnvelope),
        (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn patch_agreement(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, agreement_id)): ApiPath<(CaseId, AgreementId)>,
    ApiJson(patch): ApiJson<AgreementPatch>,
) -> Result<Json<AgreementView>, ApiError> {
    Ok(Json(
        state
            .app
            .patch_agreement(&who, id, agreement_id, &patch)
            .await?
            .into(),
    ))
}

/// Moves a PKS (PENYUSUNAN → KAJIAN_TKKSD → FINAL → MENUNGGU_TTD → DITANDATANGANI →
/// PELAKSANAAN → SELESAI, or DICABUT / DITOLAK) or an addendum (→ FINAL → DITANDATANGANI).
/// Signing checks the signatories: the kepala daerah, or an official with a surat kuasa.
#[utoipa::path(post, path = "/api/v1/cases/{id}/agreements/{agreement_id}/transitions", tag = "agreements",
    params(("id" = CaseId, Path), ("agreement_id" = AgreementId, Path)),
    request_body = AgreementTransitionRequest, security(("bearer" = [])),
    responses((status = 200, body = AgreementView), (status = 404, body = crate::error::ErrorEnvelope),
        (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn transition_agreement(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, agreement_id)): ApiPath<(CaseId, AgreementId)>,
    ApiJson(req): ApiJson<AgreementTransitionRequest>,
) -> Result<Json<AgreementView>, ApiError> {
    Ok(Json(
        state
            .app
            .transition_agreement(&who, id, agreement_id, &req)
            .await?
            .into(),
    ))
}

/// The surat kuasa recorded for a PKS: who granted it to whom, its number and date.
#[utoipa::path(get, path = "/api/v1/cases/{id}/agreements/{agreement_id}/powers-of-attorney", tag = "agreements",
    params(("id" = CaseId, Path), ("agreement_id" = AgreementId, Path)),
    responses((status = 200, body = Items<sinergi_domain::power_of_attorney::PowerOfAttorney>),
        (status = 404, body = crate::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn list_powers_of_attorney(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, agreement_id)): ApiPath<(CaseId, AgreementId)>,
) -> Result<Json<Items<sinergi_domain::power_of_attorney::PowerOfAttorney>>, ApiError> {
    state.app.readable_case(&viewer.0, id).await?;
    state.store.get_agreement(id, agreement_id).await?;
    let items = state.store.powers_of_attorney(agreement_id).await?;
    Ok(Json(Items {
        total: i64::try_from(items.len()).unwrap_or(i64::MAX),
        items,
    }))
}

/// Records the surat kuasa by which the grantor's kepala daerah lets one of its officials
/// sign this PKS (that party's own act). A PKS signed by someone other than the kepala daerah
/// names one of these by its number.
#[utoipa::path(post, path = "/api/v1/cases/{id}/agreements/{agreement_id}/powers-of-attorney", tag = "agreements",
    params(("id" = CaseId, Path), ("agreement_id" = AgreementId, Path)),
    request_body = sinergi_domain::power_of_attorney::NewPowerOfAttorney, security(("bearer" = [])),
    responses((status = 201, body = sinergi_domain::power_of_attorney::PowerOfAttorney),
        (status = 403, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn record_power_of_attorney(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, agreement_id)): ApiPath<(CaseId, AgreementId)>,
    ApiJson(input): ApiJson<sinergi_domain::power_of_attorney::NewPowerOfAttorney>,
) -> Result<
    (
        StatusCode,
        Json<sinergi_domain::power_of_attorney::PowerOfAttorney>,
    ),
    ApiError,
> {
    let k = state
        .app
        .record_power_of_attorney(&who, id, agreement_id, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(k)))
}
