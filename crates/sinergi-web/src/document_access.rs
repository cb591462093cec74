//! Who may read an agreement document of a case (issue 16; docs/permissions.md, "What a
//! published case shows"). The parties and their overseers (insiders) see drafts, versions,
//! redlines, clause comments and scans. Everyone else — anonymous visitors and staff of
//! unrelated regions, who may read a published case — sees a document only while no draft
//! exists (the template filled from the case's public facts) or, as PDF or DOCX, once its
//! latest version is final; a draft's text and the comments on it do not exist for them (404).

use crate::auth::Access;
use crate::error::ApiError;
use crate::state::AppState;
use sinergi_documents::DocumentKind;
use sinergi_domain::DomainError;
use sinergi_domain::ids::{AgreementId, CaseId};
use sinergi_store::DocRef;

fn not_found(kind: DocumentKind) -> ApiError {
    DomainError::not_found("document", kind.as_str()).into()
}

/// What an outsider may see of a document.
enum Outside {
    /// No draft: only the template filled from public facts.
    NoDraft,
    /// The latest version is final.
    Final,
    /// A draft in progress.
    Draft,
}

async fn outside(state: &AppState, doc: DocRef) -> Result<Outside, ApiError> {
    Ok(match state.store.document_draft(doc).await? {
        None => Outside::NoDraft,
        Some((_, versions)) if versions.last().is_some_and(|v| v.is_final) => Outside::Final,
        Some(_) => Outside::Draft,
    })
}

/// The draft page, versions, comments, redlines: insiders; others only while no draft exists.
///
/// # Errors
/// `document.not_found` for an outsider once a draft exists; database errors.
pub async fn require_drafts_readable(
    state: &AppState,
    access: &Access,
    doc: DocRef,
) -> Result<(), ApiError> {
    if access.insider() || matches!(outside(state, doc).await?, Outside::NoDraft) {
        Ok(())
    } else {
        Err(not_found(doc.kind))
    }
}

/// The PDF and DOCX: insiders; others while no draft exists or once the latest is final.
///
/// # Errors
/// `document.not_found` for an outsider while a draft is in progress; database errors.
pub async fn require_file_readable(
    state: &AppState,
    access: &Access,
    doc: DocRef,
) -> Result<(), ApiError> {
    if access.insider() || !matches!(outside(state, doc).await?, Outside::Draft) {
        Ok(())
    } else {
        Err(not_found(doc.kind))
    }
}

/// The stored document a request names.
pub(crate) async fn doc_of(
    state: &AppState,
    id: CaseId,
    kind: &str,
    agreement: Option<AgreementId>,
) -> Result<DocRef, ApiError> {
    let kind = kind_of(kind)?;
    Ok(state
        .app
        .doc_ref(sinergi_app::DocTarget {
            case_id: id,
            kind,
            agreement,
        })
        .await?)
}

/// The kind in a path segment.
pub(crate) fn kind_of(s: &str) -> Result<DocumentKind, ApiError> {
    Ok(sinergi_app::document_kind(s)?)
}
