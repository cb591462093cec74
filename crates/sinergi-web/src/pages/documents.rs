//! `/kerja-sama/{id}/dokumen/{kind}`: a document's versions, comments and the redline between
//! two versions (inserted and deleted words per clause), with PDF/DOCX downloads and — for
//! those allowed — the forms of `document_forms` (edit, comment, finalise, sign, scans);
//! `/verifikasi/{code}`: the public verification page of a final, signed document.

use super::{Chrome, PageError, Visitor, render};
use crate::state::AppState;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use serde::Deserialize;
use sinergi_documents::redline::{ClauseChange, Segment};
use sinergi_domain::DomainError;
use sinergi_domain::access::Perm;
use sinergi_domain::ids::CaseId;
use sinergi_store::DocRef;

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

/// A clause of the latest version, with its text as the edit form shows it.
pub struct ClauseForm {
    pub key: String,
    pub heading: String,
    pub text: String,
    pub first: bool,
    pub last: bool,
}

/// A signed scan and its checklist.
pub struct ScanLine {
    pub id: String,
    pub party: String,
    /// The visitor is an admin of the scan's party (may validate it).
    pub own: bool,
    pub name: String,
    pub version: i64,
    pub paraf: bool,
    pub meterai: bool,
    pub stempel: bool,
    pub uploaded: String,
    pub validated: String,
}

#[derive(Template)]
#[template(path = "documents.html")]
pub(crate) struct DocumentsPage {
    chrome: Chrome,
    id: String,
    kind: String,
    kind_label: String,
    /// Where each party filed the text: its number, archive classification and how long it
    /// is kept (its register entry), for staff.
    archive: Vec<String>,
    case_title: String,
    versions: Vec<VersionLine>,
    from: i64,
    to: i64,
    rows: Vec<DiffRow>,
    comments: Vec<CommentLine>,
    missing: Vec<String>,
    /// Why the last form was refused.
    errors: Vec<String>,
    can_edit: bool,
    /// Signed: the text can no longer change (only through an addendum).
    locked: bool,
    can_finalize: bool,
    can_sign: bool,
    /// A signing secret is configured (electronic signing is possible).
    signing_enabled: bool,
    /// The latest version (what edits and finalising are made against); 0 = no draft.
    latest: i64,
    latest_final: bool,
    clauses: Vec<ClauseForm>,
    /// SHA-256 of the newest final PDF (what signatures are made over).
    final_sha: String,
    final_code: String,
    /// "name — capacity" of each electronic signature made on the newest final version.
    signed: Vec<String>,
    scans: Vec<ScanLine>,
    /// `?agreement=…` for a PKS or an addendum (kept on every link and form), or empty.
    query: String,
    /// The same as a further parameter (`&agreement=…`) for the upload form's address.
    upload_query: String,
    /// The visitor's own party (ordinal, label), when they belong to one.
    own_party: Option<(i64, String)>,
    /// The official the visitor's account belongs to may sign now: (id, "name — title").
    signer: Option<(String, String)>,
    /// Each government party's evidence on the final text.
    evidence: Vec<EvidenceLine>,
}

#[derive(Deserialize)]
pub struct Versions {
    pub from: Option<i64>,
    pub to: Option<i64>,
    /// For a PKS or an addendum: the agreement whose text it is.
    pub agreement: Option<sinergi_domain::ids::AgreementId>,
}

/// One party's signing evidence on the final text, for the signing section.
pub struct EvidenceLine {
    pub party: String,
    pub status: String,
    pub signed: bool,
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
    access: crate::auth::Access,
    v: Visitor,
    Path((id, kind)): Path<(CaseId, String)>,
    Query(q): Query<Versions>,
) -> Result<Response, PageError> {
    let doc = crate::document_access::doc_of(&state, id, &kind, q.agreement).await?;
    crate::document_access::require_drafts_readable(&state, &access, doc).await?;
    Ok(render(
        &page(&state, &v, doc, (q.from, q.to), Vec::new()).await?,
    ))
}

/// The document page, with `errors` from a refused form.
pub(crate) async fn page(
    state: &AppState,
    v: &Visitor,
    doc: DocRef,
    (from, to): (Option<i64>, Option<i64>),
    errors: Vec<String>,
) -> Result<DocumentsPage, PageError> {
    let (id, kind) = (doc.case_id, doc.kind);
    let case = state.store.get_case(id).await?;
    if !case.published && !v.staff {
        return Err(DomainError::not_found("case", id).into());
    }
    let draft = state.store.document_draft(doc).await?;
    let versions = draft.map(|(_, v)| v).unwrap_or_default();
    let latest = versions.last().map_or(0, |x| x.number);
    let to = to.unwrap_or(latest);
    let from = from.unwrap_or((to - 1).max(1));
    let rows = if latest > 0 {
        state
            .app
            .redline(doc, from, to)
            .await?
            .into_iter()
            .map(diff_row)
            .collect()
    } else {
        Vec::new()
    };
    let comments = state
        .store
        .document_comments(doc)
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
    let template = sinergi_documents::Template::embedded_for(
        kind,
        kind == sinergi_documents::DocumentKind::Kb
            && case.kind == sinergi_domain::case::CaseKind::Sinergi,
    );
    let missing = match (versions.last(), template) {
        (Some(v), Ok(t)) => t.missing_sections(&v.draft()),
        _ => Vec::new(),
    };
    let clauses = versions.last().map_or_else(Vec::new, |x| {
        let n = x.clauses.len();
        x.clauses
            .iter()
            .enumerate()
            .map(|(i, c)| ClauseForm {
                key: c.key.clone(),
                heading: c.heading.clone(),
                text: super::document_forms::ayat_text(&c.ayat),
                first: i == 0,
                last: i + 1 == n,
            })
            .collect()
    });
    let newest_final = versions.iter().rev().find(|x| x.is_final);
    let latest_final = versions.last().is_some_and(|x| x.is_final);
    let own_party = sinergi_domain::authority::own_party(&v.principal, &case);
    let can_sign = v.can(Perm::AgreementSign);
    let signing_enabled = state.documents.signing_secret.is_some();
    // Only the official's own account signs as that official.
    let signer = match (v.principal.official, newest_final) {
        (Some(o), Some(_)) if can_sign && signing_enabled => state
            .store
            .find_official(sinergi_domain::ids::OfficialId(o))
            .await?
            .filter(|o| own_party.is_some_and(|p| p.region.as_ref() == Some(&o.region)))
            .map(|o| (o.id.to_string(), format!("{} — {}", o.name, o.title()))),
        _ => None,
    };
    let text = state.store.final_text(doc).await?;
    let evidence = case
        .government_parties()
        .map(|p| {
            let e = text.as_ref().and_then(|t| t.of(p.ordinal));
            EvidenceLine {
                party: p.short_name().to_owned(),
                status: match e {
                    Some(sinergi_domain::agreement::SignatureEvidence::Electronic {
                        signed_on,
                        ..
                    }) => format!(
                        "{} {}",
                        v.lang.pick(
                            "ditandatangani secara elektronik,",
                            "signed electronically,"
                        ),
                        sinergi_domain::locale::date_long(*signed_on, v.lang)
                    ),
                    Some(sinergi_domain::agreement::SignatureEvidence::WetInk {
                        validated_by,
                        validated_on,
                    }) => format!(
                        "{} {validated_by}, {}",
                        v.lang.pick(
                            "pindaian bertanda tangan basah disahkan oleh",
                            "wet-ink scan validated by"
                        ),
                        sinergi_domain::locale::date_long(*validated_on, v.lang)
                    ),
                    None => v
                        .lang
                        .pick(
                            "belum menandatangani naskah final",
                            "has not signed the final text",
                        )
                        .to_owned(),
                },
                signed: e.is_some(),
            }
        })
        .collect();
    let signed: Vec<String> = match newest_final.and_then(|x| x.verification_code.as_deref()) {
        Some(code) => state
            .store
            .verify_document(Some(code), None)
            .await?
            .map(|r| {
                r.signatures
                    .into_iter()
                    .map(|s| format!("{} — {}", s.signer_name, s.capacity))
                    .collect()
            })
            .unwrap_or_default(),
        None => Vec::new(),
    };
    let is_admin = v.principal.has(sinergi_domain::access::Role::Admin);
    let scans = state
        .store
        .wet_ink_scans(doc)
        .await?
        .into_iter()
        .map(|w| ScanLine {
            id: w.id.to_string(),
            party: w
                .party_ordinal
                .and_then(|o| u16::try_from(o).ok())
                .and_then(|o| case.party(o))
                .map_or_else(String::new, |p| p.short_name().to_owned()),
            own: is_admin
                && own_party.is_some_and(|p| w.party_ordinal == Some(i64::from(p.ordinal))),
            name: w.file_name.unwrap_or_default(),
            version: w.version,
            paraf: w.paraf_every_page,
            meterai: w.meterai,
            stempel: w.stempel,
            uploaded: format!("{}, {}", w.uploaded_by, v.stamp(w.uploaded_at)),
            validated: w.validated_by.map_or_else(String::new, |by| {
                format!(
                    "{by}, {}",
                    w.validated_at.map_or_else(String::new, |t| v.stamp(t))
                )
            }),
        })
        .collect();
    let archive = if v.staff {
        archive_lines(state, doc, &case).await?
    } else {
        Vec::new()
    };
    Ok(DocumentsPage {
        chrome: Chrome::new(v, "register"),
        id: id.to_string(),
        kind: kind.as_str().to_owned(),
        kind_label: match kind.agreement_kind() {
            Some(k) => k.label_in(case.kind).to_owned(),
            None => kind.label_id().to_owned(),
        },
        archive,
        case_title: case.title.clone(),
        versions: versions
            .iter()
            .map(|x| VersionLine {
                number: x.number,
                author: x.author.clone(),
                at: v.stamp(x.created_at),
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
        errors,
        can_edit: v.can(Perm::CaseEdit),
        // Once signed, the text is locked (changes go through an addendum): no edit forms.
        locked: latest_final && !signed.is_empty(),
        can_finalize: v.can(Perm::CaseTransition),
        can_sign,
        signing_enabled,
        latest,
        latest_final,
        clauses,
        final_sha: newest_final
            .and_then(|x| x.pdf_sha256.clone())
            .unwrap_or_default(),
        final_code: newest_final
            .and_then(|x| x.verification_code.clone())
            .unwrap_or_default(),
        signed,
        scans,
        query: doc
            .agreement
            .map_or_else(String::new, |a| format!("?agreement={a}")),
        upload_query: doc
            .agreement
            .map_or_else(String::new, |a| format!("&agreement={a}")),
        own_party: own_party.map(|p| {
            (
                i64::from(p.ordinal),
                format!(
                    "{} — {}",
                    sinergi_domain::case::party_role(p.ordinal),
                    p.name
                ),
            )
        }),
        signer,
        evidence,
    })
}

fn diff_row(d: sinergi_documents::redline::ClauseDiff) -> DiffRow {
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
                at: v.stamp(s.signed_at),
                valid: s.valid,
                public_key: s.public_key,
            })
            .collect(),
    }))
}

/// Each party's register entry for the document: number, klasifikasi, kept until.
async fn archive_lines(
    state: &AppState,
    doc: DocRef,
    case: &sinergi_domain::case::Case,
) -> Result<Vec<String>, PageError> {
    let Some(agreement) = state.store.numbered_agreement(doc).await? else {
        return Ok(Vec::new());
    };
    Ok(state
        .store
        .agreement_register(agreement)
        .await?
        .into_iter()
        .map(|e| {
            let party = u16::try_from(e.party_ordinal)
                .ok()
                .and_then(|o| case.party(o))
                .map_or_else(String::new, |p| p.short_name().to_owned());
            let kept = e
                .retained_until
                .map(|y| format!(" · disimpan s.d. {y}"))
                .unwrap_or_default();
            format!(
                "{party}: {} · klasifikasi {}{kept}",
                e.number, e.classification
            )
        })
        .collect())
}
