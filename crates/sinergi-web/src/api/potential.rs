//! Regional potential and partner matching (analytics.md): a region's potential, the partner
//! finder, a pair, a case's scope against its pair, and BPS table imports.

use crate::error::ApiError;
use crate::extract::LangHeader;
use crate::extract::{ApiPath, ApiQuery, Viewer, Writer};
use crate::potential::{
    DataChoice, PairView, PartnerQuery, PartnersView, PotentialView, ScopeCheck,
};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sinergi_domain::ids::CaseId;
use sinergi_store::{BatchSummary, BatchView, BpsImport, PanelLevel, TableUnit};

/// Period and data choice of a potential.
#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PotentialQuery {
    /// Start year (default: the earliest year of the longest complete run ending at `end`).
    pub start: Option<i32>,
    /// End year (default: the region's latest complete year).
    pub end: Option<i32>,
    /// `real` or `synthetic` (default: real when it suffices, else synthetic when loaded).
    #[param(inline)]
    pub data: Option<DataChoice>,
}

/// A region's potential: sector structure, LQ, DLQ classes, Klassen, shift-share, with
/// sources; `"synthetic": true` when the numbers are the synthetic data set.
#[utoipa::path(get, path = "/api/v1/regions/{code}/potential", tag = "potential",
    params(("code" = String, Path, description = "Kemendagri code of a province, regency or city"), PotentialQuery),
    responses((status = 200, body = PotentialView), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn get_potential(
    State(state): State<AppState>,
    LangHeader(lang): LangHeader,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<PotentialQuery>,
) -> Result<Json<PotentialView>, ApiError> {
    Ok(Json(
        crate::potential::potential(&state, &code, q.start, q.end, q.data, lang).await?,
    ))
}

/// Every other region of the comparison set ranked by mutual score (or a one-way score),
/// filterable by partner level and island group.
#[utoipa::path(get, path = "/api/v1/regions/{code}/partners", tag = "potential",
    params(("code" = String, Path), PartnerQuery),
    responses((status = 200, body = PartnersView), (status = 400, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn list_partners(
    State(state): State<AppState>,
    LangHeader(lang): LangHeader,
    ApiPath(code): ApiPath<String>,
    ApiQuery(q): ApiQuery<PartnerQuery>,
) -> Result<Json<PartnersView>, ApiError> {
    Ok(Json(
        crate::potential::partners(&state, &code, &q, lang).await?,
    ))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DataQuery {
    /// `real` or `synthetic`.
    #[param(inline)]
    pub data: Option<DataChoice>,
}

/// A pair: both directions, mutual score, similarity, per-sector contributions and the
/// cooperation fields they suggest, each with the sentence behind it.
#[utoipa::path(get, path = "/api/v1/regions/{code}/partners/{partner}", tag = "potential",
    params(("code" = String, Path), ("partner" = String, Path), DataQuery),
    responses((status = 200, body = PairView), (status = 400, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn get_pair(
    State(state): State<AppState>,
    LangHeader(lang): LangHeader,
    ApiPath((code, partner)): ApiPath<(String, String)>,
    ApiQuery(q): ApiQuery<DataQuery>,
) -> Result<Json<PairView>, ApiError> {
    Ok(Json(
        crate::potential::pair(&state, &code, &partner, q.data, lang).await?,
    ))
}

/// The case's proposed fields checked against the analysis of its pair of parties.
#[utoipa::path(get, path = "/api/v1/cases/{id}/scope-check", tag = "potential",
    params(("id" = String, Path)),
    responses((status = 200, body = ScopeCheck), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn case_scope_check(
    State(state): State<AppState>,
    LangHeader(lang): LangHeader,
    viewer: Viewer,
    ApiPath(id): ApiPath<CaseId>,
) -> Result<Json<ScopeCheck>, ApiError> {
    let case = state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(
        crate::potential::scope_check(&state, &case, lang).await?,
    ))
}

/// What describes an uploaded table (the body is the file itself).
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// The file's name (its extension tells CSV from XLSX when the content does not).
    pub file_name: String,
    pub year: i32,
    /// `adhb` or `adhk`.
    pub price_basis: String,
    /// Stored on every value.
    pub source: String,
    /// `province` (default) or `regency`.
    pub level: Option<String>,
    /// For a regency table: its province's code.
    pub province: Option<String>,
    /// `juta_rupiah`, `miliar_rupiah` (default) or `triliun_rupiah`.
    pub unit: Option<String>,
    pub sheet: Option<String>,
    /// Report only; store nothing.
    pub dry_run: Option<bool>,
    /// Store the mapped rows although some rows were rejected.
    pub accept_partial: Option<bool>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportResponse {
    pub dry_run: bool,
    /// Whether the table can be (or was) stored.
    pub importable: bool,
    pub stored: Option<BatchSummary>,
    /// Every row: mapped, skipped or rejected, with file, line and problem.
    #[schema(value_type = Object)]
    pub report: sinergi_bps::ReportView,
    /// Why nothing was stored, when refused.
    pub error: Option<ImportRefusal>,
}

#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct ImportRefusal {
    pub code: String,
    pub message: String,
    pub problems: Vec<String>,
}

/// Imports a BPS PDRB table (CSV or XLSX in the body). `dry_run=true` reports every row and
/// stores nothing; a table with rejected rows is refused (422, nothing stored) unless
/// `accept_partial=true`.
#[utoipa::path(post, path = "/api/v1/observations/imports", tag = "potential",
    params(ImportQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The table file: CSV, XLSX, XLS or ODS"),
    responses((status = 200, body = ImportResponse, description = "Dry run"), (status = 201, body = ImportResponse),
        (status = 401, body = crate::error::ErrorEnvelope), (status = 422, body = ImportResponse, description = "Refused; nothing stored")),
    security(("bearer" = [])))]
pub async fn import_table(
    State(state): State<AppState>,
    Writer(actor): Writer,
    LangHeader(lang): LangHeader,
    ApiQuery(q): ApiQuery<ImportQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let level = match q.level.as_deref().unwrap_or("province") {
        "province" => PanelLevel::Province,
        "regency" => PanelLevel::Regency,
        other => {
            return Err(ApiError::BadQuery {
                detail: format!("level={other} (province, regency)"),
            });
        }
    };
    if !["adhb", "adhk"].contains(&q.price_basis.as_str()) {
        return Err(ApiError::BadQuery {
            detail: format!("price_basis={} (adhb, adhk)", q.price_basis),
        });
    }
    let unit = match q.unit.as_deref() {
        None => TableUnit::MiliarRupiah,
        Some(u) => TableUnit::parse(u).ok_or_else(|| ApiError::BadQuery {
            detail: format!("unit={u} (juta_rupiah, miliar_rupiah, triliun_rupiah)"),
        })?,
    };
    if q.source.trim().is_empty() {
        return Err(ApiError::BadQuery {
            detail: "source (wajib diisi / required)".to_owned(),
        });
    }
    let dry_run = q.dry_run.unwrap_or(false);
    let accept_partial = q.accept_partial.unwrap_or(false);
    let outcome = state
        .store
        .import_bps_table(
            &BpsImport {
                file_name: &q.file_name,
                bytes: &body,
                sheet: q.sheet.as_deref(),
                year: q.year,
                price_basis: &q.price_basis,
                level,
                province: q.province.as_deref(),
                source: q.source.trim(),
                unit,
                dry_run,
                accept_partial,
                limits: state.settings.import_limits,
            },
            &actor,
            state.clock.now(),
        )
        .await?;
    let importable = outcome.report.importable(accept_partial);
    let refused = !dry_run && outcome.stored.is_none();
    let error = refused.then(|| ImportRefusal {
        code: "import.refused".to_owned(),
        message: lang
            .pick(
                "Tidak ada yang diimpor: ada masalah pada berkas atau barisnya. Perbaiki berkasnya, atau kirim ulang dengan accept_partial=true untuk menyimpan baris yang dipetakan saja.",
                "Nothing imported: the file or some of its rows have problems. Fix the file, or send it again with accept_partial=true to store the mapped rows only.",
            )
            .to_owned(),
        problems: outcome.report.problem_lines(lang),
    });
    let status = if dry_run {
        StatusCode::OK
    } else if refused {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::CREATED
    };
    Ok((
        status,
        Json(ImportResponse {
            dry_run,
            importable,
            stored: outcome.stored,
            report: outcome.report.view(lang),
            error,
        }),
    )
        .into_response())
}

/// The stored batches (imports, published seed figures, the synthetic set), newest first.
#[utoipa::path(get, path = "/api/v1/observations/batches", tag = "potential",
    params(crate::api::Paging), responses((status = 200, body = crate::api::dto::Items<BatchView>)))]
pub async fn list_batches(
    crate::extract::ApiQuery(paging): crate::extract::ApiQuery<crate::api::Paging>,
    State(state): State<AppState>,
) -> Result<Json<crate::api::dto::Items<BatchView>>, ApiError> {
    let page = paging.resolve()?;
    Ok(Json(crate::api::dto::Items::from(
        state.store.observation_batches_page(page.0, page.1).await?,
    )))
}
