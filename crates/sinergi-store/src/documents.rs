//! Agreement documents of a case: the template input gathered from the case, drafts as
//! clause trees with immutable versions, comments per clause, the final PDF (stored
//! content-addressed), wet-ink scans and electronic signatures with public verification.

mod drafts;
mod final_text;
mod signing;
mod wet_ink;

use crate::files::FileStore;
use crate::{Store, StoreError};
use serde::{Deserialize, Serialize};
use sinergi_documents::DocumentKind;
use sinergi_documents::draft::{Ayat, Clause, Draft};
use sinergi_documents::input::{
    DocumentInput, MeetingInput, ParentInput, PartyInput, SignatoryInput,
};
use sinergi_documents::upload::{self};
use sinergi_domain::DomainError;
use sinergi_domain::agreement::{Agreement, AgreementKind};
use sinergi_domain::catalog::catalog;
use sinergi_domain::ids::{AgreementId, CaseId};
use sinergi_domain::official::OfficeKind;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

/// Which document: the case, the kind, and for a PKS or an addendum the agreement it is the
/// text of (a case has one KB but may have a PKS per field).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DocRef {
    pub case_id: CaseId,
    pub kind: DocumentKind,
    pub agreement: Option<AgreementId>,
}

impl DocRef {
    /// A document that exists once per case (KB, penawaran, berita acara).
    #[must_use]
    pub fn of_case(case_id: CaseId, kind: DocumentKind) -> Self {
        Self {
            case_id,
            kind,
            agreement: None,
        }
    }
}

/// A draft of one kind of document for a case.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DraftInfo {
    pub id: Uuid,
    pub case_id: CaseId,
    #[schema(value_type = String, example = "kb")]
    pub kind: DocumentKind,
    pub template: String,
    pub latest_version: i64,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// One immutable version of a draft.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VersionInfo {
    pub number: i64,
    #[schema(value_type = Vec<Object>)]
    pub clauses: Vec<Clause>,
    pub change_note: Option<String>,
    pub author: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    pub is_final: bool,
    #[serde(with = "time::serde::rfc3339::option")]
    pub finalized_at: Option<OffsetDateTime>,
    pub pdf_sha256: Option<String>,
    pub verification_code: Option<String>,
}

impl VersionInfo {
    #[must_use]
    pub fn draft(&self) -> Draft {
        Draft {
            clauses: self.clauses.clone(),
        }
    }
}

/// A comment on a clause of a version.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CommentInfo {
    pub id: Uuid,
    pub version: i64,
    pub clause_key: String,
    pub party_ordinal: i64,
    pub author: String,
    pub body: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

/// One change to a clause tree; each makes a new version.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
#[serde(tag = "op", rename_all = "snake_case")]
pub enum DraftOp {
    /// Adds a clause at a 0-based position (default: at the end).
    Add {
        key: Option<String>,
        heading: String,
        #[schema(value_type = Vec<Object>)]
        ayat: Vec<Ayat>,
        at: Option<usize>,
    },
    /// Replaces a clause's heading and paragraphs.
    Edit {
        key: String,
        heading: String,
        #[schema(value_type = Vec<Object>)]
        ayat: Vec<Ayat>,
    },
    Remove {
        key: String,
    },
    /// Puts the clauses in this order of keys.
    Reorder {
        keys: Vec<String>,
    },
}

/// A signature as shown on the verification page.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SignatureInfo {
    pub party_ordinal: i64,
    pub official_id: Uuid,
    pub signer_name: String,
    pub capacity: String,
    pub scheme: String,
    #[serde(with = "time::serde::rfc3339")]
    pub signed_at: OffsetDateTime,
    /// Hex of the public key (published).
    pub public_key: String,
    /// Whether the signature is valid for the recorded file hash.
    pub valid: bool,
}

/// What a verification finds.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct VerificationReport {
    pub code: String,
    pub case_id: CaseId,
    #[schema(value_type = String, example = "kb")]
    pub kind: DocumentKind,
    pub version: i64,
    pub title: String,
    /// SHA-256 of the final PDF as issued.
    pub pdf_sha256: String,
    /// When a file was presented: whether it is byte for byte the issued one.
    pub file_unchanged: Option<bool>,
    pub signatures: Vec<SignatureInfo>,
}

/// A wet-ink scan with its checklist.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WetInkInfo {
    pub id: Uuid,
    pub version: i64,
    /// Whose scan it is (each party uploads and validates its own); `None` for scans from
    /// before parties were recorded.
    pub party_ordinal: Option<i64>,
    pub file_sha256: String,
    pub file_name: Option<String>,
    pub paraf_every_page: bool,
    pub meterai: bool,
    pub stempel: bool,
    pub uploaded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub uploaded_at: OffsetDateTime,
    pub validated_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub validated_at: Option<OffsetDateTime>,
}

/// Settings the document operations need.
#[derive(Debug, Clone)]
pub struct DocumentContext<'a> {
    pub files: &'a dyn FileStore,
    /// Base address of the public verification page ("https://sinergi.example").
    pub public_url: &'a str,
    /// Server secret the signing keys are sealed with.
    pub signing_secret: &'a [u8],
    pub max_upload_bytes: u64,
    /// Image, package and size limits of uploads (issue 16).
    pub upload_limits: upload::Limits,
}

#[derive(sqlx::FromRow)]
struct DraftRow {
    id: Uuid,
    case_id: Uuid,
    kind: String,
    template: String,
    latest_version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

#[derive(sqlx::FromRow)]
struct VersionRow {
    number: i64,
    clauses: Json<Vec<Clause>>,
    change_note: Option<String>,
    author: String,
    created_at: OffsetDateTime,
    #[sqlx(rename = "final")]
    is_final: bool,
    finalized_at: Option<OffsetDateTime>,
    pdf_sha256: Option<String>,
    verification_code: Option<String>,
}

#[derive(sqlx::FromRow)]
struct SigRow {
    party_ordinal: i64,
    official_id: Uuid,
    signer_name: String,
    capacity: String,
    scheme: String,
    signed_at: OffsetDateTime,
    pdf_sha256: String,
    code: String,
    signature: Vec<u8>,
    public_key: Vec<u8>,
}

fn draft_info(r: DraftRow) -> Result<DraftInfo, StoreError> {
    Ok(DraftInfo {
        id: r.id,
        case_id: CaseId(r.case_id),
        kind: DocumentKind::parse(&r.kind)
            .ok_or_else(|| crate::rows::corrupt("document kind", &r.kind))?,
        template: r.template,
        latest_version: r.latest_version,
        created_at: r.created_at,
        updated_at: r.updated_at,
    })
}

fn version_info(r: VersionRow) -> VersionInfo {
    VersionInfo {
        number: r.number,
        clauses: r.clauses.0,
        change_note: r.change_note,
        author: r.author,
        created_at: r.created_at,
        is_final: r.is_final,
        finalized_at: r.finalized_at,
        pdf_sha256: r.pdf_sha256,
        verification_code: r.verification_code,
    }
}

fn refuse(code: &'static str, id: impl Into<String>, en: impl Into<String>) -> StoreError {
    DomainError::guard(code, id, en).into()
}

/// Random bytes for key material and codes, from the operating system's generator.
fn random<const N: usize>() -> [u8; N] {
    let mut out = [0u8; N];
    rand::fill(&mut out[..]);
    out
}

const DRAFT_COLS: &str = "id, case_id, kind, template, latest_version, created_at, updated_at";
const VERSION_COLS: &str = "number, clauses, change_note, author, created_at, final, finalized_at, pdf_sha256, verification_code";

fn agreement_kind(kind: DocumentKind) -> Option<AgreementKind> {
    match kind {
        DocumentKind::Kb => Some(AgreementKind::Kb),
        DocumentKind::Pks => Some(AgreementKind::Pks),
        DocumentKind::Addendum => Some(AgreementKind::Addendum),
        _ => None,
    }
}

/// Whole years between two dates, when the term is a whole number of years.
fn whole_years(a: Option<time::Date>, b: Option<time::Date>) -> Option<u32> {
    let (a, b) = (a?, b?);
    let years = u32::try_from(b.year() - a.year()).ok()?;
    (years > 0 && sinergi_domain::agreement::add_years(a, years) == b).then_some(years)
}

impl Store {
    /// The facts a document of `kind` is filled with, gathered from the case, its latest
    /// agreement of that kind, the officials and the meetings.
    ///
    /// # Errors
    /// `case.not_found`; database errors.
    pub async fn document_input(&self, doc: DocRef) -> Result<DocumentInput, StoreError> {
        let (case_id, kind) = (doc.case_id, doc.kind);
        let case = self.get_case(case_id).await?;
        let agreements = self.list_agreements(case_id).await?;
        let agreement: Option<&Agreement> = match doc.agreement {
            Some(id) => agreements.iter().find(|a| a.id == id),
            None => {
                agreement_kind(kind).and_then(|k| agreements.iter().rev().find(|a| a.kind == k))
            }
        };
        let kb = agreements.iter().find(|a| a.kind == AgreementKind::Kb);
        let regions: Vec<String> = case
            .parties
            .iter()
            .filter_map(|p| p.region.as_ref().map(ToString::to_string))
            .collect();
        let officials = self.officials_of_regions(&regions).await?;
        let meetings = if kind == DocumentKind::BeritaAcara {
            self.list_meetings(case_id).await?
        } else {
            Vec::new()
        };
        let meeting = meetings.iter().max_by_key(|m| m.date);
        let parties = case
            .parties
            .iter()
            .map(|p| {
                let ap = agreement.and_then(|a| a.parties.iter().find(|x| x.ordinal == p.ordinal));
                let mut signatory = ap.and_then(|ap| {
                    Some(SignatoryInput {
                        name: ap.signatory_name.clone()?,
                        title: ap.signatory_title.clone()?,
                    })
                });
                let head = || {
                    officials
                        .iter()
                        .find(|o| {
                            Some(&o.region) == p.region.as_ref()
                                && o.office == OfficeKind::KepalaDaerah
                        })
                        .map(|o| SignatoryInput {
                            name: o.name.clone(),
                            title: o.title(),
                        })
                };
                match kind {
                    DocumentKind::Penawaran if signatory.is_none() => signatory = head(),
                    DocumentKind::BeritaAcara => {
                        signatory = meeting.and_then(|m| {
                            m.participants
                                .iter()
                                .find(|x| x.region.as_ref() == p.region.as_ref())
                                .map(|x| SignatoryInput {
                                    name: x.name.clone(),
                                    title: x.position.clone(),
                                })
                        });
                    }
                    _ => {}
                }
                PartyInput {
                    ordinal: p.ordinal,
                    government: p.name.clone(),
                    number: match kind {
                        DocumentKind::Penawaran => p.document_number.clone(),
                        _ => ap.and_then(|ap| ap.number.clone()),
                    },
                    signatory,
                    power_of_attorney: ap.and_then(|ap| ap.power_of_attorney.clone()),
                    unit: p.contact.unit.clone(),
                    letterhead: p
                        .region
                        .as_ref()
                        .and_then(|r| sinergi_documents::letterhead::for_region(r.as_str())),
                }
            })
            .collect();
        let parent = agreement
            .and_then(|a| a.parent)
            .and_then(|id| agreements.iter().find(|a| a.id == id))
            .or(if kind == DocumentKind::Kb { None } else { kb })
            .map(|p| ParentInput {
                title: p.title.clone(),
                numbers: p.parties.iter().map(|x| x.number.clone()).collect(),
                signed_on: p.signed_on,
            });
        let title = agreement.map_or_else(
            || match kind {
                DocumentKind::Kb => format!("Kesepakatan Bersama tentang {}", case.title),
                _ => case.title.clone(),
            },
            |a| a.title.clone(),
        );
        let field_ordinals: Vec<u16> = agreement.map(|a| a.fields.clone()).unwrap_or_default();
        let fields = case
            .fields
            .iter()
            .filter(|f| field_ordinals.is_empty() || field_ordinals.contains(&f.ordinal))
            .map(|f| {
                f.code
                    .as_deref()
                    .and_then(|c| catalog().fields.iter().find(|x| x.code == c))
                    .map_or_else(|| f.label.clone(), |x| x.name.clone())
            })
            .collect();
        let (place, date) = match kind {
            DocumentKind::BeritaAcara => {
                (meeting.map(|m| m.place.clone()), meeting.map(|m| m.date))
            }
            _ => (
                agreement.and_then(|a| a.place.clone()),
                agreement.and_then(|a| a.signed_on),
            ),
        };
        Ok(DocumentInput {
            title,
            case_title: case.title.clone(),
            object: case.object.clone(),
            background: case.background.clone(),
            objectives: case.objectives.clone(),
            fields,
            place,
            date,
            starts_on: agreement.and_then(|a| a.starts_on),
            ends_on: agreement.and_then(|a| a.ends_on),
            term_years: agreement.and_then(|a| whole_years(a.starts_on, a.ends_on)),
            budget_minor: None,
            parties,
            parent,
            changes: agreement.and_then(|a| a.changes.clone()),
            reason: agreement.and_then(|a| a.reason.clone()),
            meeting: meeting.map(|m| MeetingInput {
                kind: sinergi_documents::model::meeting_kind_label(m.kind.as_str()),
                title: m.title.clone(),
                date: Some(m.date),
                place: Some(m.place.clone()),
                time: None,
                participants: m
                    .participants
                    .iter()
                    .map(|p| format!("{}, {}", p.name, p.position))
                    .collect(),
                agenda: m.agenda.clone(),
                minutes: m.minutes.clone(),
                outcomes: m.outcomes.clone(),
                next_steps: m.next_steps.iter().map(|s| s.text.clone()).collect(),
            }),
            fictional: case.fictional,
        })
    }
}
