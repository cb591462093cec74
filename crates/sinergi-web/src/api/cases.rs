//! The cooperation case: register, create, read, edit, parties, transitions, history.

use crate::api::Paging;
use crate::api::dto::{CaseView, Items};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, LangHeader, Viewer, Who};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sinergi_domain::Lang;
use sinergi_domain::case::{Case, CaseKind, CasePatch, NewCaseInput, PartyPatch, Stage};
use sinergi_domain::ids::CaseId;
use sinergi_domain::workflow::TransitionRequest;
use sinergi_store::{CaseFilter, CaseSort, CaseSummary, HistoryEntry};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CaseQuery {
    /// A party's Kemendagri code.
    pub region: Option<String>,
    /// `ksdd_wajib`, `ksdd_sukarela`, `ksdpk`, `ksdpl`, `ksdll`, `sinergi`.
    pub kind: Option<String>,
    /// A stage such as `KB_DITANDATANGANI`.
    pub stage: Option<String>,
    /// A cooperation field code such as `pariwisata_kebudayaan`.
    pub field: Option<String>,
    /// An urusan code such as `3.26`.
    pub urusan: Option<String>,
    /// The year of the KB signing, or of opening when not signed.
    pub year: Option<i32>,
    /// Words in the title or the parties' names.
    pub q: Option<String>,
    /// `-updated` (default), `updated`, `title`, `-title`, `year`, `-year`.
    pub sort: Option<String>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Rows to skip, 0–100000 (default 0).
    #[param(minimum = 0, maximum = 100_000)]
    pub offset: Option<i64>,
}

fn bad(detail: String) -> ApiError {
    ApiError::BadQuery { detail }
}

/// The register of cases. Anonymous visitors see published cases only.
#[utoipa::path(get, path = "/api/v1/cases", tag = "cases", params(CaseQuery),
    responses((status = 200, body = Items<CaseSummary>), (status = 400, body = crate::error::ErrorEnvelope)))]
pub async fn list_cases(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiQuery(q): ApiQuery<CaseQuery>,
) -> Result<Json<Items<CaseSummary>>, ApiError> {
    let (limit, offset) = Paging {
        limit: q.limit,
        offset: q.offset,
    }
    .resolve()?;
    let nonempty = |s: Option<String>| s.filter(|v| !v.trim().is_empty());
    let filter = CaseFilter {
        region: nonempty(q.region),
        kind: nonempty(q.kind)
            .map(|k| CaseKind::parse(&k).ok_or_else(|| bad(format!("kind={k}"))))
            .transpose()?,
        stage: nonempty(q.stage)
            .map(|s| Stage::parse(&s).ok_or_else(|| bad(format!("stage={s}"))))
            .transpose()?,
        field: nonempty(q.field),
        urusan: nonempty(q.urusan),
        year: q.year,
        q: nonempty(q.q),
        visibility: crate::auth::visibility_of(&viewer.0),
        sort: nonempty(q.sort)
            .map(|s| CaseSort::parse(&s).ok_or_else(|| bad(format!("sort={s}"))))
            .transpose()?
            .unwrap_or_default(),
        limit,
        offset,
    };
    let page = state.store.list_cases(&filter).await?;
    Ok(Json(Items {
        items: page.items,
        total: page.total,
    }))
}

async fn view(state: &AppState, case: Case, staff: bool, lang: Lang) -> Result<CaseView, ApiError> {
    let rules = state.store.rules_of_case(&case).await?;
    Ok(CaseView::new(case, staff, &rules, lang))
}

/// Opens a case between two or more parties.
#[utoipa::path(post, path = "/api/v1/cases", tag = "cases", request_body = NewCaseInput, security(("bearer" = [])),
    responses((status = 201, body = CaseView), (status = 400, body = crate::error::ErrorEnvelope),
        (status = 401, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_case(
    State(state): State<AppState>,
    Who(who): Who,
    lang: LangHeader,
    ApiJson(input): ApiJson<NewCaseInput>,
) -> Result<(StatusCode, Json<CaseView>), ApiError> {
    let case = state.app.create_case(&who, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(view(&state, case, true, lang.0).await?),
    ))
}

/// One case: parties with their own numbers and DPRD gate, fields with urusan, objectives.
#[utoipa::path(get, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = CaseId, Path)),
    responses((status = 200, body = CaseView), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn get_case(
    State(state): State<AppState>,
    viewer: Viewer,
    access: crate::auth::Access,
    lang: LangHeader,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<CaseView>, ApiError> {
    let case = state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(view(&state, case, access.insider(), lang.0).await?))
}

/// Edits the shared content of a case. `expected_version` must be the version last read.
#[utoipa::path(patch, path = "/api/v1/cases/{id}", tag = "cases", params(("id" = CaseId, Path)), request_body = CasePatch,
    security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 404, body = crate::error::ErrorEnvelope),
        (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn patch_case(
    State(state): State<AppState>,
    Who(who): Who,
    lang: LangHeader,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(patch): ApiJson<CasePatch>,
) -> Result<Json<CaseView>, ApiError> {
    let case = state.app.patch_case(&who, id, &patch).await?;
    Ok(Json(view(&state, case, true, lang.0).await?))
}

/// Edits one party's own record: internal status, number, signatory, contact, DPRD assessment.
#[utoipa::path(patch, path = "/api/v1/cases/{id}/parties/{ordinal}", tag = "cases",
    params(("id" = CaseId, Path), ("ordinal" = u16, Path, description = "1 for PIHAK KESATU, 2 for PIHAK KEDUA, …")),
    request_body = PartyPatch, security(("bearer" = [])),
    responses((status = 200, body = CaseView), (status = 404, body = crate::error::ErrorEnvelope),
        (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn patch_party(
    State(state): State<AppState>,
    Who(who): Who,
    lang: LangHeader,
    ApiPath((id, ordinal)): ApiPath<(CaseId, u16)>,
    ApiJson(patch): ApiJson<PartyPatch>,
) -> Result<Json<CaseView>, ApiError> {
    let case = state.app.patch_party(&who, id, ordinal, &patch).await?;
    Ok(Json(view(&state, case, true, lang.0).await?))
}

/// The central government's answers on a cooperation with a foreign partner (KSDPL,
/// KSDLL): the Ministers of Home and Foreign Affairs; the KB is signed once both approved.
#[utoipa::path(get, path = "/api/v1/cases/{id}/central-approvals", tag = "cases", params(("id" = CaseId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Items<sinergi_domain::central_approval::CentralApproval>), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_central_approvals(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<sinergi_domain::central_approval::CentralApproval>>, ApiError> {
    let items = state.app.central_approvals(&who, id).await?;
    Ok(Json(Items {
        total: i64::try_from(items.len()).unwrap_or(i64::MAX),
        items,
    }))
}

/// Records a ministry's answer (the case's Indonesian government party).
#[utoipa::path(post, path = "/api/v1/cases/{id}/central-approvals", tag = "cases", params(("id" = CaseId, Path)),
    request_body = sinergi_domain::central_approval::NewCentralApproval, security(("bearer" = [])),
    responses((status = 201, body = sinergi_domain::central_approval::CentralApproval), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn record_central_approval(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(input): ApiJson<sinergi_domain::central_approval::NewCentralApproval>,
) -> Result<
    (
        StatusCode,
        Json<sinergi_domain::central_approval::CentralApproval>,
    ),
    ApiError,
> {
    let row = state.app.record_central_approval(&who, id, &input).await?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// The latest Kerangka Acuan Kerja of each party of the case.
#[utoipa::path(get, path = "/api/v1/cases/{id}/kak", tag = "cases", params(("id" = CaseId, Path)),
    security(("bearer" = [])),
    responses((status = 200, body = Items<sinergi_domain::kak::Kak>), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_kak(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<sinergi_domain::kak::Kak>>, ApiError> {
    let items = state.app.kak(&who, id).await?;
    Ok(Json(Items {
        total: i64::try_from(items.len()).unwrap_or(i64::MAX),
        items,
    }))
}

/// Saves a new version of one party's Kerangka Acuan Kerja (that party's own act); the
/// offer needs the initiator's.
#[utoipa::path(put, path = "/api/v1/cases/{id}/parties/{ordinal}/kak", tag = "cases",
    params(("id" = CaseId, Path), ("ordinal" = u16, Path, description = "1 for PIHAK KESATU, 2 for PIHAK KEDUA, …")),
    request_body = sinergi_domain::kak::KakInput, security(("bearer" = [])),
    responses((status = 200, body = sinergi_domain::kak::Kak), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 404, body = crate::error::ErrorEnvelope), (status = 409, body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn save_kak(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, ordinal)): ApiPath<(CaseId, u16)>,
    ApiJson(input): ApiJson<sinergi_domain::kak::KakInput>,
) -> Result<Json<sinergi_domain::kak::Kak>, ApiError> {
    Ok(Json(
        state.app.save_kak(&who, id, Some(ordinal), &input).await?,
    ))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TransitionResult {
    pub case: CaseView,
    pub history: HistoryEntry,
}

/// Moves the case along the regulated path. Only the actions allowed from the current stage
/// succeed, and each checks its guards (signatories, letters, DPRD conditions, …).
#[utoipa::path(post, path = "/api/v1/cases/{id}/transitions", tag = "cases", params(("id" = CaseId, Path)),
    request_body = TransitionRequest, security(("bearer" = [])),
    responses((status = 200, body = TransitionResult), (status = 404, body = crate::error::ErrorEnvelope),
        (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn transition_case(
    State(state): State<AppState>,
    Who(who): Who,
    lang: LangHeader,
    ApiPath(id): ApiPath<CaseId>,
    ApiJson(req): ApiJson<TransitionRequest>,
) -> Result<Json<TransitionResult>, ApiError> {
    let (case, history) = state.app.transition(&who, id, &req).await?;
    Ok(Json(TransitionResult {
        case: view(&state, case, true, lang.0).await?,
        history,
    }))
}

/// Every change of the case, oldest first.
#[utoipa::path(get, path = "/api/v1/cases/{id}/history", tag = "cases", params(crate::api::Paging, ("id" = CaseId, Path)),
    responses((status = 200, body = Items<HistoryEntry>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn case_history(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<Items<HistoryEntry>>, ApiError> {
    let page = paging.resolve()?;
    state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(Items::from(
        state.store.case_history_page(id, page.0, page.1).await?,
    )))
}
