//! Regions (Kemendagri codes), their officials and TKKSD.

use crate::api::Paging;
use crate::api::dto::{Items, OfficialView};
use crate::error::ApiError;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Viewer, Writer};
use crate::state::AppState;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use sinergi_domain::DomainError;
use sinergi_domain::ids::{OfficialId, TkksdId};
use sinergi_domain::official::{NewOfficialInput, NewTkksdInput, TkksdMember};
use sinergi_reference::RegionLevel;
use sinergi_store::{RegionDetail, RegionFilter, RegionSummary};

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegionQuery {
    /// `province`, `regency`, `city`, `district` or `village`.
    pub level: Option<String>,
    /// Name (any spelling variant) or code prefix.
    pub q: Option<String>,
    /// Parent code.
    pub parent: Option<String>,
    /// Only provinces, regencies and cities (the 552 governments).
    pub daerah: Option<bool>,
    /// Page size, 1–500 (default 50).
    #[param(minimum = 1, maximum = 500)]
    pub limit: Option<i64>,
    /// Rows to skip, 0–100000 (default 0).
    #[param(minimum = 0, maximum = 100_000)]
    pub offset: Option<i64>,
}

/// Regions by level, name (with spelling variants such as "Palangka Raya"/"Palangkaraya") or parent.
#[utoipa::path(get, path = "/api/v1/regions", tag = "regions", params(RegionQuery),
    responses((status = 200, body = Items<RegionSummary>), (status = 400, body = crate::error::ErrorEnvelope)))]
pub async fn list_regions(
    State(state): State<AppState>,
    ApiQuery(q): ApiQuery<RegionQuery>,
) -> Result<Json<Items<RegionSummary>>, ApiError> {
    let (limit, offset) = Paging {
        limit: q.limit,
        offset: q.offset,
    }
    .resolve()?;
    let level = match q.level.as_deref() {
        None | Some("") => None,
        Some(l) => Some(l.parse::<RegionLevel>().map_err(|_| ApiError::BadQuery {
            detail: format!("level={l} (province, regency, city, district, village)"),
        })?),
    };
    let page = state
        .store
        .list_regions(&RegionFilter {
            level,
            q: q.q,
            parent: q.parent,
            daerah_only: q.daerah.unwrap_or(false),
            limit,
            offset,
        })
        .await?;
    Ok(Json(Items {
        items: page.items,
        total: page.total,
    }))
}

/// One region with its ancestors, aliases and neighbours.
#[utoipa::path(get, path = "/api/v1/regions/{code}", tag = "regions", params(("code" = String, Path, description = "Kemendagri code, e.g. 62 or 62.71")),
    responses((status = 200, body = RegionDetail), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn get_region(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<RegionDetail>, ApiError> {
    Ok(Json(state.store.get_region(&code).await?))
}

/// The land borders of a region as Sinergi counts them for a Kerja Sama Wajib: the shipped
/// list ([U] reference data) with the operator's corrections (a removed one flagged).
#[utoipa::path(get, path = "/api/v1/regions/{code}/borders", tag = "regions", params(("code" = String, Path, description = "Kemendagri code, e.g. 62.71")),
    responses((status = 200, body = Items<sinergi_store::BorderRow>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_borders(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Items<sinergi_store::BorderRow>>, ApiError> {
    state.store.get_region(&code).await?;
    let items = state.store.borders_of(&code).await?;
    Ok(Json(Items {
        total: i64::try_from(items.len()).unwrap_or(i64::MAX),
        items,
    }))
}

/// An operator's correction of a land border.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
pub struct BorderCorrection {
    /// `true`: the two regions share a land border; `false`: they do not.
    pub present: bool,
    /// The basis of the correction (a map, a regulation on the boundary).
    pub note: String,
}

/// Corrects the border of two provinces or two kabupaten/kota (operator only); audited, and
/// kept when a newer shipped border list is loaded.
#[utoipa::path(put, path = "/api/v1/borders/{a}/{b}", tag = "regions",
    params(("a" = String, Path, description = "Kemendagri code"), ("b" = String, Path, description = "Kemendagri code")),
    request_body = BorderCorrection,
    responses((status = 200, body = sinergi_store::BorderRow), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 403, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope),
        (status = 422, body = crate::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn correct_border(
    State(state): State<AppState>,
    Writer(actor): Writer,
    ApiPath((a, b)): ApiPath<(String, String)>,
    ApiJson(body): ApiJson<BorderCorrection>,
) -> Result<Json<sinergi_store::BorderRow>, ApiError> {
    Ok(Json(
        state
            .store
            .correct_border(&a, &b, body.present, &body.note, &actor, state.clock.now())
            .await?,
    ))
}

/// The reports the region sent up the line (mapping to Kemendagri, evaluation and
/// implementation to the Governor and the Minister), newest first.
#[utoipa::path(get, path = "/api/v1/regions/{code}/report-submissions", tag = "regions", params(("code" = String, Path)),
    responses((status = 200, body = Items<sinergi_store::SubmissionRow>), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 403, body = crate::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn list_report_submissions(
    State(state): State<AppState>,
    crate::extract::Who(who): crate::extract::Who,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Items<sinergi_store::SubmissionRow>>, ApiError> {
    let items = state.app.report_submissions(&who, &code).await?;
    Ok(Json(Items {
        total: i64::try_from(items.len()).unwrap_or(i64::MAX),
        items,
    }))
}

/// Records that the region sent a report (its own secretariat).
#[utoipa::path(post, path = "/api/v1/regions/{code}/report-submissions", tag = "regions", params(("code" = String, Path)),
    request_body = sinergi_domain::report_submission::NewReportSubmission,
    responses((status = 201, body = sinergi_store::SubmissionRow), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 403, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn record_report_submission(
    State(state): State<AppState>,
    crate::extract::Who(who): crate::extract::Who,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<sinergi_domain::report_submission::NewReportSubmission>,
) -> Result<(StatusCode, Json<sinergi_store::SubmissionRow>), ApiError> {
    let row = state
        .app
        .record_report_submission(&who, &code, &input)
        .await?;
    Ok((StatusCode::CREATED, Json(row)))
}

#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    /// Only the numbers issued in this year (default: the latest 500).
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i32>,
}

/// A region's numbering rules and the numbers it issued.
#[derive(Serialize, utoipa::ToSchema)]
pub struct NumberingView {
    pub rules: Vec<sinergi_store::NumberingRuleRow>,
    pub register: Vec<sinergi_store::RegisterEntry>,
}

/// The region's numbering rules (Kode Klasifikasi Arsip, unit code, pattern, retention) and
/// its register of issued numbers, newest first: its own staff and its overseers.
#[utoipa::path(get, path = "/api/v1/regions/{code}/numbering", tag = "regions", params(RegisterQuery, ("code" = String, Path)),
    responses((status = 200, body = NumberingView), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 403, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn get_numbering(
    ApiQuery(q): ApiQuery<RegisterQuery>,
    State(state): State<AppState>,
    crate::extract::Who(who): crate::extract::Who,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<NumberingView>, ApiError> {
    let (rules, register) = state.app.numbering(&who, &code, q.year).await?;
    Ok(Json(NumberingView { rules, register }))
}

/// Sets the region's numbering rule for `kb`, `pks`, `addendum` or `surat` (its own
/// secretariat); numbers are then issued from it when such a document is finalised, or when
/// an outgoing letter without a number is recorded.
#[utoipa::path(put, path = "/api/v1/regions/{code}/numbering-rules/{kind}", tag = "regions",
    params(("code" = String, Path), ("kind" = String, Path, description = "kb, pks, addendum or surat")),
    request_body = sinergi_domain::numbering::NumberingRuleInput,
    responses((status = 200, body = sinergi_store::NumberingRuleRow), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 403, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn set_numbering_rule(
    State(state): State<AppState>,
    crate::extract::Who(who): crate::extract::Who,
    ApiPath((code, kind)): ApiPath<(String, String)>,
    ApiJson(input): ApiJson<sinergi_domain::numbering::NumberingRuleInput>,
) -> Result<Json<sinergi_store::NumberingRuleRow>, ApiError> {
    let kind = sinergi_app::numbered_kind(&kind)?;
    Ok(Json(
        state
            .app
            .set_numbering_rule(&who, &code, kind, &input)
            .await?,
    ))
}

/// The region's Perangkat Daerah (OPD), by name. Once a region has this list, a unit named on
/// an official, a user, a party contact or a case must be one of them.
#[utoipa::path(get, path = "/api/v1/regions/{code}/units", tag = "regions", params(("code" = String, Path)),
    responses((status = 200, body = Items<sinergi_store::OpdRow>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_region_units(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Items<sinergi_store::OpdRow>>, ApiError> {
    let items = state.app.opds(&code).await?;
    Ok(Json(Items {
        total: i64::try_from(items.len()).unwrap_or(i64::MAX),
        items,
    }))
}

/// Adds an OPD to the region's list (its own secretariat).
#[utoipa::path(post, path = "/api/v1/regions/{code}/units", tag = "regions", params(("code" = String, Path)),
    request_body = sinergi_domain::opd::NewOpdInput,
    responses((status = 201, body = sinergi_store::OpdRow), (status = 401, body = crate::error::ErrorEnvelope),
        (status = 403, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)),
    security(("bearer" = [])))]
pub async fn add_region_unit(
    State(state): State<AppState>,
    crate::extract::Who(who): crate::extract::Who,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<sinergi_domain::opd::NewOpdInput>,
) -> Result<(StatusCode, Json<sinergi_store::OpdRow>), ApiError> {
    let row = state.app.add_opd(&who, &code, &input).await?;
    Ok((StatusCode::CREATED, Json(row)))
}

/// The officials of a region (personal contact data for staff only).
#[utoipa::path(get, path = "/api/v1/regions/{code}/officials", tag = "regions", params(crate::api::Paging, ("code" = String, Path)),
    responses((status = 200, body = Items<OfficialView>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_officials(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<Items<OfficialView>>, ApiError> {
    let page = paging.resolve()?;
    state.store.get_region(&code).await?;
    let list = state.store.officials_of_regions(&[code]).await?;
    Ok(Json(Items::paged(
        page,
        list.into_iter()
            .map(|o| OfficialView::new(o, viewer.is_staff()))
            .collect(),
    )))
}

/// Adds an official (with Pj./Plt./Plh. status and term) to a region.
#[utoipa::path(post, path = "/api/v1/regions/{code}/officials", tag = "regions", params(("code" = String, Path)),
    request_body = NewOfficialInput, security(("bearer" = [])),
    responses((status = 201, body = OfficialView), (status = 401, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_official(
    State(state): State<AppState>,
    Writer(actor): Writer,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<NewOfficialInput>,
) -> Result<(StatusCode, Json<OfficialView>), ApiError> {
    let o = state
        .store
        .create_official(&code, &input, &actor, state.clock.now())
        .await?;
    Ok((StatusCode::CREATED, Json(OfficialView::new(o, true))))
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TkksdMemberView {
    pub official: OfficialView,
    pub position: sinergi_domain::official::TkksdPosition,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TkksdView {
    pub id: TkksdId,
    pub region: String,
    pub decree_number: Option<String>,
    pub decree_date: Option<time::Date>,
    pub period_start: Option<time::Date>,
    pub period_end: Option<time::Date>,
    pub secretariat_unit: Option<String>,
    pub members: Vec<TkksdMemberView>,
}

async fn tkksd_view(state: &AppState, code: &str, staff: bool) -> Result<TkksdView, ApiError> {
    let Some(t) = state.store.current_tkksd(code).await? else {
        return Err(DomainError::not_found("tkksd", code).into());
    };
    let officials = state.store.officials_of_regions(&[code.to_owned()]).await?;
    let find = |id: OfficialId| officials.iter().find(|o| o.id == id).cloned();
    Ok(TkksdView {
        id: t.id,
        region: t.region.to_string(),
        decree_number: t.decree_number,
        decree_date: t.decree_date,
        period_start: t.period_start,
        period_end: t.period_end,
        secretariat_unit: t.secretariat_unit,
        members: t
            .members
            .iter()
            .filter_map(|m: &TkksdMember| {
                find(m.official).map(|o| TkksdMemberView {
                    official: OfficialView::new(o, staff),
                    position: m.position,
                })
            })
            .collect(),
    })
}

/// The region's current TKKSD.
#[utoipa::path(get, path = "/api/v1/regions/{code}/tkksd", tag = "regions", params(("code" = String, Path)),
    responses((status = 200, body = TkksdView), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn get_tkksd(
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<TkksdView>, ApiError> {
    Ok(Json(tkksd_view(&state, &code, viewer.is_staff()).await?))
}

/// Forms the region's TKKSD (its members must be officials of the region).
#[utoipa::path(post, path = "/api/v1/regions/{code}/tkksd", tag = "regions", params(("code" = String, Path)),
    request_body = NewTkksdInput, security(("bearer" = [])),
    responses((status = 201, body = TkksdView), (status = 401, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn create_tkksd(
    State(state): State<AppState>,
    Writer(actor): Writer,
    ApiPath(code): ApiPath<String>,
    ApiJson(input): ApiJson<NewTkksdInput>,
) -> Result<(StatusCode, Json<TkksdView>), ApiError> {
    state
        .store
        .create_tkksd(&code, &input, &actor, state.clock.now())
        .await?;
    Ok((
        StatusCode::CREATED,
        Json(tkksd_view(&state, &code, true).await?),
    ))
}
