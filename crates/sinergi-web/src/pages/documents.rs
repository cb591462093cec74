//! `/kerja-sama/{id}/dokumen/{kind}`: a document's versions, comments and the redline between
//! two versions (inserted and deleted words per clause), with PDF/DOCX downloads;
//! `/verifikasi/{code}`: the public verification page of a final, signed document.

use super::{Chrome, PageError, Visitor, render};
use crate::api::documents::{kind_of, redline_of};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_documents::redline::{ClauseChange, Segment};
use sinergi_domain::DomainError;
use sinergi_domain::ids::CaseId;

/// One run of words in a redline row.
pub struct Run {
    /// "same", "ins" or "del".
    pub op: &'static str,
    pub text: String,
}

pub struct DiffRow {
    pub heading: String,
    pub change: &'static str,
    pub positions: String,
    pub inserted: usize,
    pub deleted: usize,
    pub runs: Vec<Run>,
}

pub struct VersionLine {
    pub number: i64,
    pub author: String,
    pub at: String,
    pub note: String,
    pub is_final: bool,
    pub code: String,
}

pub struct CommentLine {
    pub version: i64,
    pub clause: String,
    pub party: String,
    pub author: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "documents.html")]
struct DocumentsPage {
    chrome: Chrome,
    id: String,
    kind: String,
    kind_label: String,
    case_title: String,
    versions: Vec<VersionLine>,
    from: i64,
    to: i64,
    rows: Vec<DiffRow>,
    comments: Vec<CommentLine>,
    missing: Vec<String>,
}

#[derive(Deserialize)]
pub struct Versions {
    pub from: Option<i64>,
    pub to: Option<i64>,
}

fn change_label(c: ClauseChange) -> &'static str {
    match c {
        ClauseChange::Unchanged => "tetap",
        ClauseChange::Changed => "diubah",
        ClauseChange::Added => "ditambah",
        ClauseChange::Removed => "dihapus",
    }
}

pub async fn show(
    State(state): State<AppState>,
    v: Visitor,
    Path((id, kind)): Path<(CaseId, String)>,
    Query(q): Query<Versions>,
) -> Result<Response, PageError> {
    let kind = kind_of(&kind)?;
    let case = state.store.get_case(id).await?;
    if !case.published && !v.staff {
        return Err(DomainError::not_found("case", id).into());
    }
    let draft = state.store.document_draft(id, kind).await?;
    let versions = draft.map(|(_, v)| v).unwrap_or_default();
    let latest = versions.last().map_or(0, |x| x.number);
    let to = q.to.unwrap_or(latest);
    let from = q.from.unwrap_or((to - 1).max(1));
    let rows = if latest > 0 {
        redline_of(&state, id, kind, from, to)
            .await?
            .into_iter()
            .map(|d| {
                let (inserted, deleted) = d.counts();
                DiffRow {
                    heading: d.heading.clone(),
                    change: change_label(d.change),
                    positions: format!(
                        "{} → {}",
                        d.old_position
                            .map_or("–".to_owned(), |p| format!("Pasal {p}")),
                        d.new_position
                            .map_or("–".to_owned(), |p| format!("Pasal {p}"))
                    ),
                    inserted,
                    deleted,
                    runs: d
                        .segments
                        .into_iter()
                        .map(|s| match s {
                            Segment::Same(t) => Run {
                                op: "same",
                                text: t,
                            },
                            Segment::Ins(t) => Run { op: "ins", text: t },
                            Segment::Del(t) => Run { op: "del", text: t },
                        })
                        .collect(),
                }
            })
            .collect()
    } else {
        Vec::new()
    };
    let comments = state
        .store
        .document_comments(id, kind)
        .await?
        .into_iter()
        .map(|c| CommentLine {
            version: c.version,
            clause: c.clause_key,
            party: sinergi_domain::case::party_role(u16::try_from(c.party_ordinal).unwrap_or(0)),
            author: c.author,
            body: c.body,
        })
        .collect();
    let missing = match (versions.last(), sinergi_documents::Template::embedded(kind)) {
        (Some(v), Ok(t)) => t.missing_sections(&v.draft()),
        _ => Vec::new(),
    };
    Ok(render(&DocumentsPage {
        chrome: Chrome::new(&v, "register"),
        id: id.to_string(),
        kind: kind.as_str().to_owned(),
        kind_label: kind.label_id().to_owned(),
        case_title: case.title,
        versions: versions
            .iter()
            .map(|x| VersionLine {
                number: x.number,
                author: x.author.clone(),
                at: sinergi_domain::locale::date_long(x.created_at.date(), v.lang),
                note: x.change_note.clone().unwrap_or_default(),
                is_final: x.is_final,
                code: x.verification_code.clone().unwrap_or_default(),
            })
            .collect(),
        from,
        to,
        rows,
        comments,
        missing,
    }))
}

pub struct SignatureLine {
    pub party: String,
    pub name: String,
    pub capacity: String,
    pub at: String,
    pub valid: bool,
    pub public_key: String,
}

#[derive(Template)]
#[template(path = "verify.html")]
struct VerifyPage {
    chrome: Chrome,
    code: String,
    title: String,
    version: i64,
    sha256: String,
    signatures: Vec<SignatureLine>,
}

pub async fn verify(
    State(state): State<AppState>,
    v: Visitor,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let report = state
        .store
        .verify_document(Some(&code), None)
        .await?
        .ok_or_else(|| DomainError::not_found("verification_code", &code))?;
    Ok(render(&VerifyPage {
        chrome: Chrome::new(&v, "home"),
        code: report.code,
        title: report.title,
        version: report.version,
        sha256: report.pdf_sha256,
        signatures: report
            .signatures
            .into_iter()
            .map(|s| SignatureLine {
                party: sinergi_domain::case::party_role(
                    u16::try_from(s.party_ordinal).unwrap_or(0),
                ),
                name: s.signer_name,
                capacity: s.capacity,
                at: s
                    .signed_at
                    .format(&time::format_description::well_known::Rfc3339)
                    .unwrap_or_default(),
                valid: s.valid,
                public_key: s.public_key,
            })
            .collect(),
    }))
}
