//! A region's existing register of agreements brought in (issue 19): the file in the body,
//! a report of every row, accepted rows written in one transaction unless `dry_run`.

use crate::error::ApiError;
use crate::extract::{ApiQuery, LangHeader, Who};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sinergi_app::{RegisterReport, RegisterRequest};

/// What describes an uploaded register (the body is the file itself).
#[derive(Debug, Clone, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RegisterQuery {
    /// The file's name (its extension tells CSV from a workbook when the content does not).
    pub file_name: String,
    /// The region whose register it is (default: the caller's region).
    pub region: Option<String>,
    /// The sheet of a workbook (default: the first).
    pub sheet: Option<String>,
    /// Report every row; store nothing.
    pub dry_run: Option<bool>,
    /// Column choices over the recognised ones, comma-separated `LETTER=MEANING`
    /// (`C=subject,H=ignore`).
    pub columns: Option<String>,
}

/// The region named, else the caller's own.
fn region_of(named: Option<&str>, who: &sinergi_app::Caller) -> Result<String, ApiError> {
    named
        .map(str::to_owned)
        .or_else(|| who.principal.region.clone())
        .ok_or_else(|| ApiError::BadQuery {
            detail:
                "region (wajib bagi akun tanpa daerah / required for an account without a region)"
                    .to_owned(),
        })
}

/// Parses `C=subject,H=ignore` into column choices.
///
/// # Errors
/// A malformed choice, as a bad query naming it.
pub fn column_choices(
    text: Option<&str>,
) -> Result<Vec<(usize, Option<sinergi_register::Column>)>, ApiError> {
    text.unwrap_or_default()
        .split(',')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .map(|c| {
            sinergi_register::columns::parse_choice(c).map_err(|(id, en)| ApiError::BadQuery {
                detail: format!("columns={c}: {id} / {en}"),
            })
        })
        .collect()
}

/// Imports a region's register of agreements (XLSX, XLS, ODS or CSV in the body). Every row
/// is reported: a new case, a PKS joining its KB's case, already imported, a possible
/// duplicate, refused (with what to fix) or skipped. `dry_run=true` stores nothing; otherwise
/// the accepted rows are written in one transaction (201). A file that cannot be read as a
/// register is 422 with the report; re-importing the same file creates nothing new.
#[utoipa::path(post, path = "/api/v1/cases/imports", tag = "cases",
    params(RegisterQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream", description = "The register: XLSX, XLS, ODS or CSV"),
    responses((status = 200, body = RegisterReport, description = "Dry run, or nothing new to store"),
        (status = 201, body = RegisterReport, description = "The accepted rows were stored"),
        (status = 401, body = crate::error::ErrorEnvelope), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 422, body = RegisterReport, description = "The file cannot be read as a register; nothing stored")),
    security(("bearer" = [])))]
pub async fn import_register(
    State(state): State<AppState>,
    Who(who): Who,
    LangHeader(lang): LangHeader,
    ApiQuery(q): ApiQuery<RegisterQuery>,
    body: Bytes,
) -> Result<Response, ApiError> {
    let region = region_of(q.region.as_deref(), &who)?;
    let report = state
        .app
        .import_register(
            &who,
            &RegisterRequest {
                file_name: &q.file_name,
                bytes: &body,
                sheet: q.sheet.as_deref(),
                region: &region,
                columns: column_choices(q.columns.as_deref())?,
                dry_run: q.dry_run.unwrap_or(false),
                lang,
                progress: None,
                import_id: None,
            },
        )
        .await?;
    let status = if !report.problems.is_empty() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else if report.imported {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(report)).into_response())
}

/// One agreement signed before Sinergi, as its document states it; values are written as
/// people write them ("14 Februari 2023", "5 (lima) tahun", "Pemkab Badung").
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct LegacyEntry {
    /// The region recording it (default: the caller's region).
    pub region: Option<String>,
    /// The partner(s): governments by name ("Pemerintah Provinsi Bali", "Kab. Kapuas"),
    /// anyone else by name (a third party).
    pub partner: Option<String>,
    /// KB, PKS, MoU, Nota Kesepahaman, Addendum…
    pub kind: Option<String>,
    pub own_number: Option<String>,
    pub partner_number: Option<String>,
    pub subject: Option<String>,
    pub signed_on: Option<String>,
    pub term: Option<String>,
    pub starts_on: Option<String>,
    pub ends_on: Option<String>,
    /// The OPD carrying it out.
    pub unit: Option<String>,
    pub status: Option<String>,
    pub notes: Option<String>,
    /// For a PKS or addendum: its KB's number.
    pub parent: Option<String>,
    /// Check only; store nothing.
    #[serde(default)]
    pub dry_run: bool,
}

impl LegacyEntry {
    /// The fields with their meanings, empty ones left out.
    #[must_use]
    pub fn fields(&self) -> Vec<(sinergi_register::Column, String)> {
        use sinergi_register::Column as C;
        [
            (C::Partner, &self.partner),
            (C::Kind, &self.kind),
            (C::OwnNumber, &self.own_number),
            (C::PartnerNumber, &self.partner_number),
            (C::Subject, &self.subject),
            (C::SignedOn, &self.signed_on),
            (C::Term, &self.term),
            (C::StartsOn, &self.starts_on),
            (C::EndsOn, &self.ends_on),
            (C::Unit, &self.unit),
            (C::Status, &self.status),
            (C::Notes, &self.notes),
            (C::Parent, &self.parent),
        ]
        .into_iter()
        .filter_map(|(c, v)| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(|v| (c, v.to_owned()))
        })
        .collect()
    }
}

/// Records one agreement signed before Sinergi by hand, by the same rules as a register row:
/// 201 with the report when stored, 200 for `dry_run`, 422 with the report when refused or
/// already recorded (nothing stored).
#[utoipa::path(post, path = "/api/v1/cases/legacy", tag = "cases",
    request_body = LegacyEntry,
    responses((status = 200, body = RegisterReport, description = "Checked (dry run)"),
        (status = 201, body = RegisterReport, description = "Stored"),
        (status = 401, body = crate::error::ErrorEnvelope), (status = 403, body = crate::error::ErrorEnvelope),
        (status = 422, body = RegisterReport, description = "Refused, a possible duplicate or already recorded; nothing stored")),
    security(("bearer" = [])))]
pub async fn record_legacy(
    State(state): State<AppState>,
    Who(who): Who,
    LangHeader(lang): LangHeader,
    crate::extract::ApiJson(entry): crate::extract::ApiJson<LegacyEntry>,
) -> Result<Response, ApiError> {
    let region = region_of(entry.region.as_deref(), &who)?;
    let report = state
        .app
        .record_legacy(&who, &region, &entry.fields(), entry.dry_run, lang)
        .await?;
    let accepted = report.counts.new_cases + report.counts.joins_case == 1;
    let status = if report.imported {
        StatusCode::CREATED
    } else if entry.dry_run && accepted {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Json(report)).into_response())
}
