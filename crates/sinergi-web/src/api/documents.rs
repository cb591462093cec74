//! Agreement documents: PDF/DOCX download, drafts with versions, edits, comments, redlines,
//! finalisation, electronic signatures, wet-ink scans, public verification.
//!
//! Routes (registered with their OpenAPI operations in `api::routes`):
//! - `GET  /api/v1/cases/{id}/documents/{kind}/pdf` and `/docx` — read (viewer)
//! - `GET  /api/v1/cases/{id}/documents/{kind}` — draft, versions, comments, scans (viewer)
//! - `POST /api/v1/cases/{id}/documents/{kind}` — start the draft from the template (writer)
//! - `POST /api/v1/cases/{id}/documents/{kind}/edits` — one clause change → new version (writer)
//! - `POST /api/v1/cases/{id}/documents/{kind}/comments` — comment on a clause (writer)
//! - `GET  /api/v1/cases/{id}/documents/{kind}/redline?from=&to=` — redline (viewer)
//! - `POST /api/v1/cases/{id}/documents/{kind}/finalize` — lock the latest version (writer)
//! - `POST /api/v1/cases/{id}/documents/{kind}/signatures` — e-sign the final PDF (writer)
//! - `POST /api/v1/cases/{id}/documents/{kind}/wet-ink` — upload a signed scan (writer)
//! - `POST /api/v1/cases/{id}/documents/{kind}/wet-ink/{scan}/validate` — admin check (writer)
//! - `GET  /api/v1/verifikasi/{code}` — public verification (anyone)

use crate::document_access::{doc_of, kind_of};
use crate::error::ApiError;
use crate::extract::LangHeader;
use crate::extract::{ApiJson, ApiPath, ApiQuery, Viewer, Who};
use crate::state::AppState;
use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use sinergi_app::DocTarget;
use sinergi_documents::redline::ClauseDiff;
use sinergi_domain::DomainError;
use sinergi_domain::ids::{AgreementId, CaseId, OfficialId};
use sinergi_store::{CommentInfo, DocRef, DraftInfo, DraftOp, VersionInfo, WetInkInfo};

/// Which document of its kind: for a PKS or an addendum, the agreement whose text it is.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DocQuery {
    /// For `pks` and `addendum`: the agreement (optional when the case has only one).
    pub agreement: Option<AgreementId>,
}

fn target(id: CaseId, kind: &str, agreement: Option<AgreementId>) -> Result<DocTarget, ApiError> {
    Ok(DocTarget {
        case_id: id,
        kind: kind_of(kind)?,
        agreement,
    })
}

fn file_response(bytes: Vec<u8>, mime: &str, name: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, mime.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// The document as PDF: the stored final file once a version is final, else rendered from
/// the latest draft (or the template filled from the case).
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{kind}/pdf", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), DocQuery),
    responses((status = 422, description = "Jenis naskah tidak dikenal atau penjaga menolak (unknown document kind, or a guard refused)", body = crate::error::ErrorEnvelope), (status = 200, description = "PDF", content_type = "application/pdf"), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn pdf(
    access: crate::auth::Access,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<DocQuery>,
) -> Result<Response, ApiError> {
    let doc = doc_of(&state, id, &kind, q.agreement).await?;
    let kind = doc.kind;
    crate::document_access::require_file_readable(&state, &access, doc).await?;
    state.app.readable_case(&viewer.0, id).await?;
    let bytes = state
        .store
        .document_pdf(doc, &state.documents.context())
        .await?;
    Ok(file_response(
        bytes,
        "application/pdf",
        format!("{}-{id}.pdf", kind.as_str()),
    ))
}

/// The document as DOCX (Word, LibreOffice).
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{kind}/docx", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), DocQuery),
    responses((status = 422, description = "Jenis naskah tidak dikenal atau penjaga menolak (unknown document kind, or a guard refused)", body = crate::error::ErrorEnvelope), (status = 200, description = "DOCX", content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn docx(
    access: crate::auth::Access,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<DocQuery>,
) -> Result<Response, ApiError> {
    let d = doc_of(&state, id, &kind, q.agreement).await?;
    let kind = d.kind;
    crate::document_access::require_file_readable(&state, &access, d).await?;
    state.app.readable_case(&viewer.0, id).await?;
    let doc = state
        .store
        .build_document(d, &state.documents.public_url)
        .await?;
    let bytes = sinergi_documents::docx::render(&doc).map_err(|_| ApiError::Internal)?;
    Ok(file_response(
        bytes,
        sinergi_documents::upload::FileKind::Docx.mime(),
        format!("{}-{id}.docx", kind.as_str()),
    ))
}

/// A draft with everything about it.
#[derive(Serialize, utoipa::ToSchema)]
pub struct DraftView {
    pub draft: Option<DraftInfo>,
    pub versions: Vec<VersionInfo>,
    pub comments: Vec<CommentInfo>,
    pub wet_ink: Vec<WetInkInfo>,
    /// Required sections the latest version lacks (it cannot be finalised until none).
    pub missing_sections: Vec<String>,
}

async fn draft_view(state: &AppState, doc: DocRef) -> Result<DraftView, ApiError> {
    let kind = doc.kind;
    let found = state.store.document_draft(doc).await?;
    let (draft, versions) = match found {
        Some((d, v)) => (Some(d), v),
        None => (None, Vec::new()),
    };
    let template = draft
        .as_ref()
        .map(|d| sinergi_documents::Template::of_draft(kind, &d.template));
    let missing_sections = match (versions.last(), template) {
        (Some(v), Some(Ok(t))) => t.missing_sections(&v.draft()),
        _ => Vec::new(),
    };
    Ok(DraftView {
        draft,
        versions,
        comments: state.store.document_comments(doc).await?,
        wet_ink: state.store.wet_ink_scans(doc).await?,
        missing_sections,
    })
}

/// The draft with its versions, comments, signed scans and missing required sections.
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{kind}", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), DocQuery),
    responses((status = 422, description = "Jenis naskah tidak dikenal atau penjaga menolak (unknown document kind, or a guard refused)", body = crate::error::ErrorEnvelope), (status = 200, body = DraftView), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn show(
    access: crate::auth::Access,
    State(state): State<AppState>,
    viewer: Viewer,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<DocQuery>,
) -> Result<Json<DraftView>, ApiError> {
    let doc = doc_of(&state, id, &kind, q.agreement).await?;
    crate::document_access::require_drafts_readable(&state, &access, doc).await?;
    state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(draft_view(&state, doc).await?))
}

/// Starts the draft from the template, filled from the case (version 1).
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents/{kind}", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), DocQuery), security(("bearer" = [])),
    responses((status = 422, description = "Jenis naskah tidak dikenal atau penjaga menolak (unknown document kind, or a guard refused)", body = crate::error::ErrorEnvelope), (status = 201, body = DraftView), (status = 409, body = crate::error::ErrorEnvelope), (status = 401, body = crate::error::ErrorEnvelope), (status = 403, body = crate::error::ErrorEnvelope)))]
pub async fn start(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<DocQuery>,
) -> Result<(StatusCode, Json<DraftView>), ApiError> {
    let t = target(id, &kind, q.agreement)?;
    state.app.start_draft(&who, t).await?;
    let doc = state.app.doc_ref(t).await?;
    Ok((StatusCode::CREATED, Json(draft_view(&state, doc).await?)))
}

/// One change with the version it was made against.
#[derive(Deserialize, utoipa::ToSchema)]
pub struct EditRequest {
    pub expected_version: i64,
    pub note: Option<String>,
    #[serde(flatten)]
    pub op: DraftOp,
}

/// One clause change (add, edit, remove, reorder) against the version it was made on; a
/// stale `expected_version` is refused. Each change makes a new version.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents/{kind}/edits", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), DocQuery), request_body = EditRequest, security(("bearer" = [])),
    responses((status = 201, body = VersionInfo), (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn edit(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<DocQuery>,
    ApiJson(req): ApiJson<EditRequest>,
) -> Result<(StatusCode, Json<VersionInfo>), ApiError> {
    let t = target(id, &kind, q.agreement)?;
    let v = state
        .app
        .edit_draft(&who, t, req.expected_version, &req.op, req.note.as_deref())
        .await?;
    Ok((StatusCode::CREATED, Json(v)))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CommentRequest {
    pub version: i64,
    pub clause_key: String,
    /// The party the comment is for: the caller's own (it may be left out); only the
    /// operator names another.
    pub party_ordinal: Option<u16>,
    pub body: String,
}

/// A comment on a clause of a version, by one of the parties.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents/{kind}/comments", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), DocQuery), request_body = CommentRequest, security(("bearer" = [])),
    responses((status = 201, body = CommentInfo), (status = 404, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn comment(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<DocQuery>,
    ApiJson(req): ApiJson<CommentRequest>,
) -> Result<(StatusCode, Json<CommentInfo>), ApiError> {
    let t = target(id, &kind, q.agreement)?;
    let c = state
        .app
        .comment(
            &who,
            t,
            req.version,
            &req.clause_key,
            req.party_ordinal,
            &req.body,
        )
        .await?;
    Ok((StatusCode::CREATED, Json(c)))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RedlineQuery {
    pub from: i64,
    pub to: i64,
    /// For `pks` and `addendum`: the agreement (optional when the case has only one).
    pub agreement: Option<AgreementId>,
}

/// The redline between two versions: per clause, inserted and deleted words.
#[utoipa::path(get, path = "/api/v1/cases/{id}/documents/{kind}/redline", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), RedlineQuery),
    responses((status = 422, description = "Jenis naskah tidak dikenal atau penjaga menolak (unknown document kind, or a guard refused)", body = crate::error::ErrorEnvelope), (status = 200, description = "Per clause: heading, change, positions and word segments", body = Vec<Object>), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn show_redline(
    State(state): State<AppState>,
    access: crate::auth::Access,
    viewer: Viewer,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<RedlineQuery>,
) -> Result<Json<Vec<ClauseDiff>>, ApiError> {
    let doc = doc_of(&state, id, &kind, q.agreement).await?;
    crate::document_access::require_drafts_readable(&state, &access, doc).await?;
    state.app.readable_case(&viewer.0, id).await?;
    Ok(Json(state.app.redline(doc, q.from, q.to).await?))
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct FinalizeRequest {
    pub expected_version: i64,
}

/// Locks the latest version: renders and stores the final PDF with its verification code.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents/{kind}/finalize", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), DocQuery), request_body = FinalizeRequest, security(("bearer" = [])),
    responses((status = 200, body = VersionInfo), (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn finalize(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<DocQuery>,
    ApiJson(req): ApiJson<FinalizeRequest>,
) -> Result<Json<VersionInfo>, ApiError> {
    let t = target(id, &kind, q.agreement)?;
    Ok(Json(
        state.app.finalize(&who, t, req.expected_version).await?,
    ))
}

/// A signature (or validated scan) with what it led to.
#[derive(Serialize, utoipa::ToSchema)]
pub struct SignedView<T: utoipa::ToSchema> {
    #[serde(flatten)]
    pub record: T,
    /// The stage (KB) or status (PKS, addendum) reached because every party has now signed.
    pub advanced: Option<String>,
    /// Why it did not move yet although every party signed (e.g. a number still missing).
    pub pending: Option<String>,
}

fn signed_view<T: utoipa::ToSchema>(
    s: sinergi_app::Signed<T>,
    lang: sinergi_domain::Lang,
) -> SignedView<T> {
    SignedView {
        record: s.record,
        advanced: s.advanced,
        pending: s.pending.map(|d| d.message(lang)),
    }
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct SignRequest {
    pub official: OfficialId,
    /// SHA-256 (hex) of the PDF being signed.
    pub sha256: String,
}

/// An electronic signature (Ed25519) of a signatory over the SHA-256 of the final PDF, made by
/// the signatory's own account (linked to the official's record): a KB only by the head of
/// region, a PKS also by an official with a surat kuasa. When it is the last party's, the
/// document is signed and the case moves on (`advanced`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents/{kind}/signatures", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), DocQuery), request_body = SignRequest, security(("bearer" = [])),
    responses((status = 201, body = SignedView<sinergi_store::SignatureInfo>), (status = 403, body = crate::error::ErrorEnvelope), (status = 409, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn sign(
    State(state): State<AppState>,
    Who(who): Who,
    lang: LangHeader,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<DocQuery>,
    ApiJson(req): ApiJson<SignRequest>,
) -> Result<(StatusCode, Json<SignedView<sinergi_store::SignatureInfo>>), ApiError> {
    let t = target(id, &kind, q.agreement)?;
    let s = state.app.sign(&who, t, req.official, &req.sha256).await?;
    Ok((StatusCode::CREATED, Json(signed_view(s, lang.0))))
}

#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WetInkQuery {
    /// For `pks` and `addendum`: the agreement (optional when the case has only one).
    pub agreement: Option<AgreementId>,
    /// The party whose scan it is: the caller's own (it may be left out); only the operator
    /// names another.
    pub party: Option<u16>,
    pub file_name: Option<String>,
    #[serde(default)]
    pub paraf: bool,
    #[serde(default)]
    pub meterai: bool,
    #[serde(default)]
    pub stempel: bool,
}

/// Uploads the scan of the wet-ink signed document (PDF, PNG or JPEG, checked by content)
/// with its checklist.
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents/{kind}/wet-ink", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), WetInkQuery),
    request_body(content = Vec<u8>, content_type = "application/octet-stream"), security(("bearer" = [])),
    responses((status = 201, body = WetInkInfo), (status = 413, body = crate::error::ErrorEnvelope), (status = 415, body = crate::error::ErrorEnvelope), (status = 422, body = crate::error::ErrorEnvelope)))]
pub async fn upload_wet_ink(
    State(state): State<AppState>,
    Who(who): Who,
    ApiPath((id, kind)): ApiPath<(CaseId, String)>,
    ApiQuery(q): ApiQuery<WetInkQuery>,
    body: Bytes,
) -> Result<(StatusCode, Json<WetInkInfo>), ApiError> {
    let t = target(id, &kind, q.agreement)?;
    let s = state
        .app
        .upload_scan(
            &who,
            t,
            q.party,
            &body,
            q.file_name.as_deref(),
            (q.paraf, q.meterai, q.stempel),
        )
        .await?;
    Ok((StatusCode::CREATED, Json(s)))
}

/// The party's own admin checks its scan: refused while the checklist is incomplete. When it
/// is the last party's evidence, the document is signed and the case moves on (`advanced`).
#[utoipa::path(post, path = "/api/v1/cases/{id}/documents/{kind}/wet-ink/{scan}/validate", tag = "documents",
    params(("id" = CaseId, Path), ("kind" = String, Path, description = "kb, pks, addendum, penawaran or berita-acara"), ("scan" = uuid::Uuid, Path), DocQuery), security(("bearer" = [])),
    responses((status = 422, description = "Jenis naskah tidak dikenal atau penjaga menolak (unknown document kind, or a guard refused)", body = crate::error::ErrorEnvelope), (status = 200, body = SignedView<WetInkInfo>), (status = 403, body = crate::error::ErrorEnvelope), (status = 409, body = crate::error::ErrorEnvelope), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn validate_wet_ink(
    State(state): State<AppState>,
    Who(who): Who,
    lang: LangHeader,
    ApiPath((id, kind, scan)): ApiPath<(CaseId, String, uuid::Uuid)>,
    ApiQuery(q): ApiQuery<DocQuery>,
) -> Result<Json<SignedView<WetInkInfo>>, ApiError> {
    let t = target(id, &kind, q.agreement)?;
    Ok(Json(signed_view(
        state.app.validate_scan(&who, t, scan).await?,
        lang.0,
    )))
}

/// Public verification of a final document by its code: who signed, when, in what capacity.
#[utoipa::path(get, path = "/api/v1/verifikasi/{code}", tag = "documents",
    params(("code" = String, Path)),
    responses((status = 200, body = sinergi_store::VerificationReport), (status = 404, body = crate::error::ErrorEnvelope)))]
pub async fn verify(
    State(state): State<AppState>,
    ApiPath(code): ApiPath<String>,
) -> Result<Json<sinergi_store::VerificationReport>, ApiError> {
    state
        .store
        .verify_document(Some(&code), None)
        .await?
        .map(Json)
        .ok_or_else(|| DomainError::not_found("verification_code", code).into())
}
