//! Agreement documents of a case: the template input gathered from the case, drafts as
//! clause trees with immutable versions, comments per clause, the final PDF (stored
//! content-addressed), wet-ink scans and electronic signatures with public verification.

use crate::audit::{Change, append_audit};
use crate::files::FileStore;
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use serde::{Deserialize, Serialize};
use sinergi_documents::draft::{Ayat, Clause, Draft};
use sinergi_documents::input::{
    DocumentInput, MeetingInput, ParentInput, PartyInput, SignatoryInput,
};
use sinergi_documents::sign::{self, Ed25519Signer, Signer as _, Statement};
use sinergi_documents::upload::{self, FileKind};
use sinergi_documents::{Document, DocumentKind, Template, Verification};
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::agreement::{Agreement, AgreementKind, FinalText, SignatureEvidence};
use sinergi_domain::catalog::catalog;
use sinergi_domain::ids::{AgreementId, CaseId, OfficialId};
use sinergi_domain::official::{OfficeKind, Official};
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
            .ok_or_else(|| StoreError::Config(format!("unknown document kind {}", r.kind)))?,
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

fn io(e: &std::io::Error) -> StoreError {
    StoreError::Config(format!(
        "penyimpanan berkas gagal (file storage failed): {e}"
    ))
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

    async fn find_draft(&self, doc: DocRef) -> Result<Option<DraftInfo>, StoreError> {
        let (case_id, kind) = (doc.case_id, doc.kind);
        let row: Option<DraftRow> = match doc.agreement {
            Some(a) => {
                let sql = format!(
                    "SELECT {DRAFT_COLS} FROM document_drafts WHERE case_id = $1 AND kind = $2 AND agreement_id = $3"
                );
                on_pool!(&self.db, p => {
                    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case_id.0).bind(kind.as_str()).bind(a.0).fetch_optional(p).await?
                })
            }
            None => {
                let sql = format!(
                    "SELECT {DRAFT_COLS} FROM document_drafts WHERE case_id = $1 AND kind = $2 AND agreement_id IS NULL"
                );
                on_pool!(&self.db, p => {
                    sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case_id.0).bind(kind.as_str()).fetch_optional(p).await?
                })
            }
        };
        row.map(draft_info).transpose()
    }

    async fn require_draft(&self, doc: DocRef) -> Result<DraftInfo, StoreError> {
        let kind = doc.kind;
        self.find_draft(doc).await?.ok_or_else(|| {
            refuse(
                "document.draft_not_found",
                format!("Belum ada draf {} untuk kerja sama ini.", kind.label_id()),
                format!("There is no {} draft for this case yet.", kind.label_id()),
            )
        })
    }

    /// The versions of a draft, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn document_versions(&self, draft_id: Uuid) -> Result<Vec<VersionInfo>, StoreError> {
        let sql = format!(
            "SELECT {VERSION_COLS} FROM document_versions WHERE draft_id = $1 ORDER BY number"
        );
        let rows: Vec<VersionRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(draft_id).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(version_info).collect())
    }

    /// The draft of `kind` with its versions, if one was started.
    ///
    /// # Errors
    /// Database errors.
    pub async fn document_draft(
        &self,
        doc: DocRef,
    ) -> Result<Option<(DraftInfo, Vec<VersionInfo>)>, StoreError> {
        let Some(d) = self.find_draft(doc).await? else {
            return Ok(None);
        };
        let versions = self.document_versions(d.id).await?;
        Ok(Some((d, versions)))
    }

    /// Starts the draft of `kind` from its template: version 1.
    ///
    /// # Errors
    /// A draft of that kind already exists; `case.not_found`.
    pub async fn start_document_draft(
        &self,
        doc: DocRef,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(DraftInfo, VersionInfo), StoreError> {
        let (case_id, kind) = (doc.case_id, doc.kind);
        if self.find_draft(doc).await?.is_some() {
            return Err(refuse(
                "document.draft_exists",
                format!(
                    "Draf {} sudah ada; ubah versi terakhirnya.",
                    kind.label_id()
                ),
                format!(
                    "A {} draft already exists; change its latest version.",
                    kind.label_id()
                ),
            ));
        }
        let input = self.document_input(doc).await?;
        let template = Template::embedded(kind).map_err(|e| StoreError::Config(e.to_string()))?;
        let first = template
            .initial_draft(&input)
            .map_err(|e| StoreError::Config(e.to_string()))?;
        let draft = DraftInfo {
            id: Uuid::now_v7(),
            case_id,
            kind,
            template: template.id(),
            latest_version: 1,
            created_at: now,
            updated_at: now,
        };
        let version = VersionInfo {
            number: 1,
            clauses: first.clauses,
            // Words for the reader; the template's id stays in the draft's record.
            change_note: Some(format!(
                "Dibuat dari templat baku (versi templat {})",
                template.id().rsplit('@').next().unwrap_or("1")
            )),
            author: actor.label.clone(),
            created_at: now,
            is_final: false,
            finalized_at: None,
            pdf_sha256: None,
            verification_code: None,
        };
        let mut h = HistoryEntry::new(case_id, actor, "document_draft_started", now);
        h.details = serde_json::json!({ "kind": kind, "template": draft.template });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO document_drafts (id, case_id, kind, template, latest_version, created_at, updated_at, agreement_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(draft.id).bind(case_id.0).bind(kind.as_str()).bind(&draft.template).bind(1_i64).bind(now).bind(now).bind(doc.agreement.map(|a| a.0))
                .execute(&mut *tx).await?;
            sqlx::query("INSERT INTO document_versions (draft_id, number, clauses, change_note, author, created_at, final) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(draft.id).bind(1_i64).bind(Json(&version.clauses)).bind(version.change_note.as_deref()).bind(&actor.label).bind(now).bind(false)
                .execute(&mut *tx).await?;
            insert_history!(tx, &h);
            append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details));
            tx.commit().await?;
        });
        Ok((draft, version))
    }

    async fn signature_count(&self, draft_id: Uuid) -> Result<i64, StoreError> {
        let n: i64 = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM document_signatures WHERE draft_id = $1) + (SELECT COUNT(*) FROM wet_ink_scans WHERE draft_id = $1 AND validated_at IS NOT NULL)")
                .bind(draft_id).fetch_one(p).await?
        });
        Ok(n)
    }

    /// Applies one change to the latest version, making version N+1. `expected_version`
    /// must be the latest number (a stale edit is refused); a final version is never
    /// changed (the change makes a new version after it), and once a final version is
    /// signed the text is locked.
    ///
    /// # Errors
    /// A stale version; a signed (locked) document; an unknown clause; an empty clause.
    #[allow(
        clippy::too_many_arguments,
        reason = "the request's parts plus actor and time"
    )]
    pub async fn edit_document_draft(
        &self,
        doc: DocRef,
        expected_version: i64,
        op: &DraftOp,
        note: Option<&str>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<VersionInfo, StoreError> {
        let (case_id, kind) = (doc.case_id, doc.kind);
        let d = self.require_draft(doc).await?;
        if expected_version != d.latest_version {
            return Err(DomainError::VersionConflict {
                expected: expected_version,
                current: d.latest_version,
            }
            .into());
        }
        let versions = self.document_versions(d.id).await?;
        let latest = versions
            .last()
            .ok_or_else(|| StoreError::Config("draft without versions".into()))?;
        if latest.is_final && self.signature_count(d.id).await? > 0 {
            return Err(refuse(
                "document.locked",
                format!(
                    "Versi {} sudah final dan ditandatangani; naskah terkunci. Perubahan hanya melalui addendum.",
                    latest.number
                ),
                format!(
                    "Version {} is final and signed; the text is locked. Changes go through an addendum.",
                    latest.number
                ),
            ));
        }
        let mut draft = latest.draft();
        let bad = |e: sinergi_documents::draft::DraftError| {
            refuse(
                "document.bad_edit",
                format!("Perubahan ditolak: {e}."),
                format!("The change is refused: {e}."),
            )
        };
        match op {
            DraftOp::Add {
                key,
                heading,
                ayat,
                at,
            } => {
                let key = key
                    .clone()
                    .filter(|k| !k.trim().is_empty())
                    .unwrap_or_else(|| format!("pasal_{}", Uuid::now_v7().simple()));
                draft
                    .add(
                        Clause {
                            key,
                            heading: heading.trim().to_owned(),
                            ayat: ayat.clone(),
                        },
                        *at,
                    )
                    .map_err(bad)?;
            }
            DraftOp::Edit { key, heading, ayat } => {
                draft
                    .edit(key, heading.trim().to_owned(), ayat.clone())
                    .map_err(bad)?;
            }
            DraftOp::Remove { key } => {
                draft.remove(key).map_err(bad)?;
            }
            DraftOp::Reorder { keys } => draft.reorder(keys).map_err(bad)?,
        }
        let next = expected_version + 1;
        let version = VersionInfo {
            number: next,
            clauses: draft.clauses,
            change_note: note
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_owned),
            author: actor.label.clone(),
            created_at: now,
            is_final: false,
            finalized_at: None,
            pdf_sha256: None,
            verification_code: None,
        };
        let mut h = HistoryEntry::new(case_id, actor, "document_edited", now);
        h.details = serde_json::json!({ "kind": kind, "version": next });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query("UPDATE document_drafts SET latest_version = $1, updated_at = $2 WHERE id = $3 AND latest_version = $4")
                .bind(next).bind(now).bind(d.id).bind(expected_version)
                .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(DomainError::VersionConflict { expected: expected_version, current: expected_version + 1 }.into());
            }
            sqlx::query("INSERT INTO document_versions (draft_id, number, clauses, change_note, author, created_at, final) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(d.id).bind(next).bind(Json(&version.clauses)).bind(version.change_note.as_deref()).bind(&actor.label).bind(now).bind(false)
                .execute(&mut *tx).await?;
            insert_history!(tx, &h);
            append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details));
            tx.commit().await?;
        });
        Ok(version)
    }

    /// Adds a comment by one party on a clause of a version.
    ///
    /// # Errors
    /// Unknown version or clause; unknown party; an empty comment.
    #[allow(clippy::too_many_arguments, reason = "one row's fields")]
    pub async fn comment_document(
        &self,
        doc: DocRef,
        version: i64,
        clause_key: &str,
        party_ordinal: i64,
        body: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<CommentInfo, StoreError> {
        let case_id = doc.case_id;
        let d = self.require_draft(doc).await?;
        let case = self.get_case(case_id).await?;
        if !case
            .parties
            .iter()
            .any(|p| i64::from(p.ordinal) == party_ordinal)
        {
            return Err(refuse(
                "document.unknown_party",
                format!("Pihak nomor {party_ordinal} tidak ada dalam kerja sama ini."),
                format!("There is no party number {party_ordinal} in this case."),
            ));
        }
        let versions = self.document_versions(d.id).await?;
        let Some(v) = versions.iter().find(|v| v.number == version) else {
            return Err(DomainError::not_found("document_version", version).into());
        };
        if !v.clauses.iter().any(|c| c.key == clause_key) {
            return Err(refuse(
                "document.unknown_clause",
                format!("Pasal {clause_key} tidak ada pada versi {version}."),
                format!("Clause {clause_key} is not in version {version}."),
            ));
        }
        let body = body.trim();
        if body.is_empty() || body.chars().count() > 5000 {
            return Err(refuse(
                "document.bad_comment",
                "Komentar harus diisi (paling banyak 5000 karakter).",
                "A comment must have text (at most 5000 characters).",
            ));
        }
        let c = CommentInfo {
            id: Uuid::now_v7(),
            version,
            clause_key: clause_key.to_owned(),
            party_ordinal,
            author: actor.label.clone(),
            body: body.to_owned(),
            created_at: now,
        };
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO document_comments (id, draft_id, version, clause_key, party_ordinal, author, body, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(c.id).bind(d.id).bind(version).bind(&c.clause_key).bind(party_ordinal).bind(&actor.label).bind(&c.body).bind(now)
                .execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("document.comment", "case", case_id).case(case_id.0)
                .after(&serde_json::json!({ "clause": &c.clause_key, "version": version, "body": &c.body })));
            tx.commit().await?;
        });
        Ok(c)
    }

    /// The comments of a draft, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn document_comments(&self, doc: DocRef) -> Result<Vec<CommentInfo>, StoreError> {
        let Some(d) = self.find_draft(doc).await? else {
            return Ok(Vec::new());
        };
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            version: i64,
            clause_key: String,
            party_ordinal: i64,
            author: String,
            body: String,
            created_at: OffsetDateTime,
        }
        let rows: Vec<Row> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, version, clause_key, party_ordinal, author, body, created_at FROM document_comments WHERE draft_id = $1 ORDER BY created_at, id")
                .bind(d.id).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| CommentInfo {
                id: r.id,
                version: r.version,
                clause_key: r.clause_key,
                party_ordinal: r.party_ordinal,
                author: r.author,
                body: r.body,
                created_at: r.created_at,
            })
            .collect())
    }

    /// The document of `kind` as it stands: the latest version of its draft (with the
    /// verification mark when final), or the template filled from the case when no draft
    /// was started.
    ///
    /// # Errors
    /// `case.not_found`; a draft lacking a required section.
    pub async fn build_document(
        &self,
        doc: DocRef,
        public_url: &str,
    ) -> Result<Document, StoreError> {
        let kind = doc.kind;
        let input = self.document_input(doc).await?;
        let draft = self.document_draft(doc).await?;
        let latest = draft.as_ref().and_then(|(_, v)| v.last().cloned());
        let mut doc = sinergi_documents::build(
            kind,
            &input,
            latest.as_ref().map(VersionInfo::draft).as_ref(),
        )
        .map_err(|e| {
            refuse(
                "document.incomplete",
                format!("Naskah belum lengkap: {e}."),
                format!("The document is incomplete: {e}."),
            )
        })?;
        if let Some(v) = &latest {
            if let Some(code) = &v.verification_code {
                doc.verification = Some(verification(public_url, code));
            } else {
                doc.footer_note = Some(format!(
                    "Draf versi {} — bukan naskah final{}",
                    v.number,
                    doc.footer_note
                        .as_deref()
                        .map(|n| format!(" · {n}"))
                        .unwrap_or_default()
                ));
            }
        }
        Ok(doc)
    }

    /// The official PDF of the latest version: the stored final file when the version is
    /// final (byte for byte what was signed), a fresh rendering otherwise.
    ///
    /// # Errors
    /// Rendering or storage errors.
    pub async fn document_pdf(
        &self,
        doc: DocRef,
        ctx: &DocumentContext<'_>,
    ) -> Result<Vec<u8>, StoreError> {
        if let Some((_, versions)) = self.document_draft(doc).await?
            && let Some(sha) = versions.last().and_then(|v| v.pdf_sha256.clone())
        {
            return ctx
                .files
                .get(&sha)
                .await
                .map_err(|e| io(&e))?
                .ok_or_else(|| {
                    StoreError::Config(format!("final PDF {sha} is missing from file storage"))
                });
        }
        let doc = self.build_document(doc, ctx.public_url).await?;
        render_pdf(doc).await
    }

    /// Finalises the latest version: checks the required sections, renders the PDF with a
    /// verification code and QR, stores it content-addressed and records its hash. The
    /// version is locked from then on (a change makes a new version).
    ///
    /// # Errors
    /// A stale version; a version already final; missing required sections.
    pub async fn finalize_document(
        &self,
        doc: DocRef,
        expected_version: i64,
        ctx: &DocumentContext<'_>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<VersionInfo, StoreError> {
        let (case_id, kind) = (doc.case_id, doc.kind);
        let d = self.require_draft(doc).await?;
        if expected_version != d.latest_version {
            return Err(DomainError::VersionConflict {
                expected: expected_version,
                current: d.latest_version,
            }
            .into());
        }
        let versions = self.document_versions(d.id).await?;
        let mut v = versions
            .last()
            .cloned()
            .ok_or_else(|| StoreError::Config("draft without versions".into()))?;
        if v.is_final {
            return Err(refuse(
                "document.already_final",
                format!("Versi {} sudah final.", v.number),
                format!("Version {} is already final.", v.number),
            ));
        }
        let code = sign::verification_code(random());
        let input = self.document_input(doc).await?;
        let mut doc = sinergi_documents::build(kind, &input, Some(&v.draft())).map_err(|e| {
            refuse(
                "document.incomplete",
                format!("Naskah belum dapat difinalkan: {e}."),
                format!("The document cannot be finalised: {e}."),
            )
        })?;
        doc.verification = Some(verification(ctx.public_url, &code));
        doc.issued_at = now
            .format(&time::format_description::well_known::Rfc3339)
            .ok();
        let pdf = render_pdf(doc).await?;
        let sha = ctx.files.put(&pdf).await.map_err(|e| io(&e))?;
        let mut h = HistoryEntry::new(case_id, actor, "document_finalized", now);
        h.details =
            serde_json::json!({ "kind": kind, "version": v.number, "sha256": sha, "code": code });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO stored_files (sha256, kind, size, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING")
                .bind(&sha).bind("pdf").bind(i64::try_from(pdf.len()).unwrap_or(i64::MAX)).bind(now)
                .execute(&mut *tx).await?;
            let n = sqlx::query("UPDATE document_versions SET final = $1, finalized_at = $2, pdf_sha256 = $3, verification_code = $4 WHERE draft_id = $5 AND number = $6 AND final = $7")
                .bind(true).bind(now).bind(&sha).bind(&code).bind(d.id).bind(v.number).bind(false)
                .execute(&mut *tx).await?.rows_affected();
            if n != 1 {
                return Err(DomainError::VersionConflict { expected: expected_version, current: expected_version }.into());
            }
            insert_history!(tx, &h);
            append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details));
            tx.commit().await?;
        });
        v.is_final = true;
        v.finalized_at = Some(now);
        v.pdf_sha256 = Some(sha);
        v.verification_code = Some(code);
        Ok(v)
    }

    async fn final_version(&self, doc: DocRef) -> Result<(DraftInfo, VersionInfo), StoreError> {
        let d = self.require_draft(doc).await?;
        let versions = self.document_versions(d.id).await?;
        let v = versions
            .into_iter()
            .rev()
            .find(|v| v.is_final)
            .ok_or_else(|| {
                refuse(
                    "document.not_final",
                    "Belum ada versi final untuk ditandatangani.",
                    "There is no final version to sign yet.",
                )
            })?;
        Ok((d, v))
    }

    /// Records the electronic signature of `official` for party `party` on the final PDF.
    /// The caller presents the SHA-256 of the file it signs; a different file is refused.
    /// Who may sign (the official's own account, the signatory rule) is the application
    /// layer's check, made before this is called.
    ///
    /// # Errors
    /// No final version; a different file; a party already signed.
    #[allow(
        clippy::too_many_arguments,
        reason = "the request's parts plus actor and time"
    )]
    pub async fn sign_document(
        &self,
        doc: DocRef,
        official: &Official,
        party: u16,
        presented_sha256: &str,
        ctx: &DocumentContext<'_>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<SignatureInfo, StoreError> {
        let case_id = doc.case_id;
        let kind = doc.kind;
        let (d, v) = self.final_version(doc).await?;
        let (Some(sha), Some(code)) = (v.pdf_sha256.clone(), v.verification_code.clone()) else {
            return Err(StoreError::Config("final version without file".into()));
        };
        if !presented_sha256.eq_ignore_ascii_case(sha.as_str()) {
            return Err(refuse(
                "document.signature_other_file",
                format!(
                    "Tanda tangan ditolak: berkas yang ditandatangani (SHA-256 {presented_sha256}) bukan naskah final versi {} (SHA-256 {sha}).",
                    v.number
                ),
                format!(
                    "Signature refused: the signed file (SHA-256 {presented_sha256}) is not the final version {} (SHA-256 {sha}).",
                    v.number
                ),
            ));
        }
        let role = sinergi_domain::case::party_role(party);
        let key = self.signing_key(official, ctx, now).await?;
        let statement = Statement {
            sha256: sha.clone(),
            code: code.clone(),
            signer: official.id.to_string(),
            name: official.name.clone(),
            capacity: format!("{} — {role}", official.title()),
            signed_at: now
                .format(&time::format_description::well_known::Rfc3339)
                .unwrap_or_default(),
        };
        let signature = key
            .1
            .sign(&statement)
            .map_err(|e| StoreError::Config(e.to_string()))?;
        let info = SignatureInfo {
            party_ordinal: i64::from(party),
            official_id: official.id.0,
            signer_name: official.name.clone(),
            capacity: statement.capacity.clone(),
            scheme: key.1.scheme().to_owned(),
            signed_at: now,
            public_key: sign::hex(&key.1.public_key()),
            valid: true,
        };
        let mut h = HistoryEntry::new(case_id, actor, "document_signed", now);
        h.details = serde_json::json!({ "kind": kind, "version": v.number, "official": official.id, "party": party, "sha256": sha });
        let res: Result<(), StoreError> = on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let ins = sqlx::query("INSERT INTO document_signatures (id, draft_id, version, party_ordinal, official_id, key_id, scheme, pdf_sha256, code, signer_name, capacity, signed_at, signature, user_id) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)")
                .bind(Uuid::now_v7()).bind(d.id).bind(v.number).bind(i64::from(party)).bind(official.id.0).bind(key.0)
                .bind(key.1.scheme()).bind(&sha).bind(&code).bind(&official.name).bind(&statement.capacity).bind(now).bind(&signature)
                .bind(actor.user_id)
                .execute(&mut *tx).await;
            match ins {
                Err(sqlx::Error::Database(e)) if e.is_unique_violation() => Err(refuse(
                    "document.party_already_signed",
                    format!("{role} sudah menandatangani versi {}.", v.number),
                    format!("{role} has already signed version {}.", v.number),
                )),
                Err(e) => Err(e.into()),
                Ok(_) => {
                    insert_history!(tx, &h);
                    append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details));
                    tx.commit().await?;
                    Ok(())
                }
            }
        });
        res?;
        Ok(info)
    }

    /// The final text of a document and each party's signature evidence on it: electronic
    /// signatures and validated wet-ink scans of the latest version, when that version is
    /// final. `None` when there is no final text (no draft, or edited since it was final).
    ///
    /// # Errors
    /// Database errors.
    pub async fn final_text(&self, doc: DocRef) -> Result<Option<FinalText>, StoreError> {
        let Some(d) = self.find_draft(doc).await? else {
            return Ok(None);
        };
        let versions = self.document_versions(d.id).await?;
        let Some(v) = versions.last().filter(|v| v.is_final) else {
            return Ok(None);
        };
        let sigs: Vec<(i64, Uuid, OffsetDateTime)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT party_ordinal, official_id, signed_at FROM document_signatures WHERE draft_id = $1 AND version = $2 ORDER BY signed_at")
                .bind(d.id).bind(v.number).fetch_all(p).await?
        });
        let scans: Vec<(Option<i64>, Option<String>, Option<OffsetDateTime>)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT party_ordinal, validated_by, validated_at FROM wet_ink_scans WHERE draft_id = $1 AND version = $2 AND validated_at IS NOT NULL ORDER BY validated_at")
                .bind(d.id).bind(v.number).fetch_all(p).await?
        });
        let ord = |o: i64| u16::try_from(o).unwrap_or(0);
        let mut signed: Vec<(u16, SignatureEvidence)> = sigs
            .into_iter()
            .map(|(o, official, at)| {
                (
                    ord(o),
                    SignatureEvidence::Electronic {
                        official: OfficialId(official),
                        signed_on: crate::cases::today(at),
                    },
                )
            })
            .collect();
        signed.extend(scans.into_iter().filter_map(|(o, by, at)| {
            Some((
                ord(o?),
                SignatureEvidence::WetInk {
                    validated_by: by.unwrap_or_default(),
                    validated_on: crate::cases::today(at?),
                },
            ))
        }));
        Ok(Some(FinalText {
            version: v.number,
            signed,
        }))
    }

    /// The official's signing key, generated (and stored sealed) on first use.
    async fn signing_key(
        &self,
        official: &Official,
        ctx: &DocumentContext<'_>,
        now: OffsetDateTime,
    ) -> Result<(Uuid, Ed25519Signer), StoreError> {
        #[derive(sqlx::FromRow)]
        struct KeyRow {
            id: Uuid,
            sealed_private: Vec<u8>,
        }
        let row: Option<KeyRow> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, sealed_private FROM signing_keys WHERE official_id = $1").bind(official.id.0).fetch_optional(p).await?
        });
        if let Some(r) = row {
            let s = Ed25519Signer::unseal(ctx.signing_secret, &r.id.to_string(), &r.sealed_private)
                .map_err(|e| {
                    StoreError::Config(format!(
                        "kunci tanda tangan tidak dapat dibuka (signing key cannot be opened): {e}"
                    ))
                })?;
            return Ok((r.id, s));
        }
        let id = Uuid::now_v7();
        let signer = Ed25519Signer::from_seed(random());
        let sealed = signer.seal(ctx.signing_secret, &id.to_string(), random());
        on_pool!(&self.db, p => {
            sqlx::query("INSERT INTO signing_keys (id, official_id, scheme, public_key, sealed_private, created_at) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (official_id) DO NOTHING")
                .bind(id).bind(official.id.0).bind(sign::ED25519).bind(signer.public_key()).bind(&sealed).bind(now)
                .execute(p).await?;
        });
        // A concurrent first signature may have stored its key first: use the stored one.
        Box::pin(self.signing_key_existing(official, ctx)).await
    }

    async fn signing_key_existing(
        &self,
        official: &Official,
        ctx: &DocumentContext<'_>,
    ) -> Result<(Uuid, Ed25519Signer), StoreError> {
        let (id, sealed): (Uuid, Vec<u8>) = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, sealed_private FROM signing_keys WHERE official_id = $1").bind(official.id.0).fetch_one(p).await?
        });
        let s = Ed25519Signer::unseal(ctx.signing_secret, &id.to_string(), &sealed)
            .map_err(|e| StoreError::Config(format!("signing key: {e}")))?;
        Ok((id, s))
    }

    /// Verifies a final document by its code, or by the SHA-256 of a presented file. When a
    /// file is presented with a code, says whether it is byte for byte the issued file.
    ///
    /// # Errors
    /// Database errors. An unknown code or hash is `Ok(None)`.
    pub async fn verify_document(
        &self,
        code: Option<&str>,
        presented_sha256: Option<&str>,
    ) -> Result<Option<VerificationReport>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct Found {
            draft_id: Uuid,
            case_id: Uuid,
            kind: String,
            number: i64,
            pdf_sha256: String,
            verification_code: String,
        }
        let code = code.map(sign::normalize_code);
        let found: Option<Found> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT v.draft_id, d.case_id, d.kind, v.number, v.pdf_sha256, v.verification_code FROM document_versions v \
                 JOIN document_drafts d ON d.id = v.draft_id \
                 WHERE v.final = $1 AND (v.verification_code = $2 OR v.pdf_sha256 = $3)",
            )
            .bind(true).bind(code.as_deref().unwrap_or("-")).bind(presented_sha256.unwrap_or("-"))
            .fetch_optional(p).await?
        });
        let Some(f) = found else { return Ok(None) };
        let kind = DocumentKind::parse(&f.kind).ok_or_else(|| StoreError::Config("kind".into()))?;
        let sigs: Vec<SigRow> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT s.party_ordinal, s.official_id, s.signer_name, s.capacity, s.scheme, s.signed_at, s.pdf_sha256, s.code, s.signature, k.public_key \
                 FROM document_signatures s JOIN signing_keys k ON k.id = s.key_id WHERE s.draft_id = $1 AND s.version = $2 ORDER BY s.party_ordinal",
            )
            .bind(f.draft_id).bind(f.number).fetch_all(p).await?
        });
        let case = self.get_case(CaseId(f.case_id)).await?;
        let title = self
            .list_agreements(case.id)
            .await?
            .into_iter()
            .rev()
            .find(|a| agreement_kind(kind) == Some(a.kind))
            .map_or_else(
                || format!("{} — {}", kind.label_id(), case.title),
                |a| a.title,
            );
        let signatures = sigs
            .into_iter()
            .map(|s| {
                let statement = Statement {
                    sha256: s.pdf_sha256.clone(),
                    code: s.code.clone(),
                    signer: s.official_id.to_string(),
                    name: s.signer_name.clone(),
                    capacity: s.capacity.clone(),
                    signed_at: s
                        .signed_at
                        .format(&time::format_description::well_known::Rfc3339)
                        .unwrap_or_default(),
                };
                SignatureInfo {
                    party_ordinal: s.party_ordinal,
                    official_id: s.official_id,
                    signer_name: s.signer_name,
                    capacity: s.capacity,
                    scheme: s.scheme,
                    signed_at: s.signed_at,
                    public_key: sign::hex(&s.public_key),
                    valid: s.pdf_sha256 == f.pdf_sha256
                        && sign::verify(&s.public_key, &statement, &s.signature),
                }
            })
            .collect();
        Ok(Some(VerificationReport {
            code: f.verification_code,
            case_id: CaseId(f.case_id),
            kind,
            version: f.number,
            title,
            file_unchanged: presented_sha256.map(|h| h.eq_ignore_ascii_case(&f.pdf_sha256)),
            pdf_sha256: f.pdf_sha256,
            signatures,
        }))
    }

    /// Stores a wet-ink scan of the final version with its checklist, after checking the
    /// file by content and size. Nothing is stored when the file is refused.
    ///
    /// # Errors
    /// No final version; a wrong, damaged or oversized file.
    #[allow(clippy::too_many_arguments, reason = "the checklist is three flags")]
    pub async fn upload_wet_ink(
        &self,
        doc: DocRef,
        party: u16,
        bytes: &[u8],
        file_name: Option<&str>,
        checklist: (bool, bool, bool),
        ctx: &DocumentContext<'_>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<WetInkInfo, StoreError> {
        let (case_id, kind) = (doc.case_id, doc.kind);
        let file_kind =
            upload::check_within(bytes, file_name, &ctx.upload_limits).map_err(|e| {
                StoreError::Domain(DomainError::guard(e.code(), e.message_id(), e.to_string()))
            })?;
        if !matches!(file_kind, FileKind::Pdf | FileKind::Png | FileKind::Jpeg) {
            return Err(refuse(
                "file.wrong_kind",
                "Pindaian naskah bertanda tangan harus berupa PDF, PNG, atau JPEG.",
                "A signed scan must be a PDF, PNG or JPEG file.",
            ));
        }
        let (d, v) = self.final_version(doc).await?;
        let sha = ctx.files.put(bytes).await.map_err(|e| io(&e))?;
        let info = WetInkInfo {
            id: Uuid::now_v7(),
            version: v.number,
            party_ordinal: Some(i64::from(party)),
            file_sha256: sha.clone(),
            file_name: file_name.map(str::to_owned),
            paraf_every_page: checklist.0,
            meterai: checklist.1,
            stempel: checklist.2,
            uploaded_by: actor.label.clone(),
            uploaded_at: now,
            validated_by: None,
            validated_at: None,
        };
        let mut h = HistoryEntry::new(case_id, actor, "document_wet_ink_uploaded", now);
        h.details =
            serde_json::json!({ "kind": kind, "version": v.number, "sha256": sha, "party": party });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO stored_files (sha256, kind, size, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING")
                .bind(&sha).bind(file_kind.as_str()).bind(i64::try_from(bytes.len()).unwrap_or(i64::MAX)).bind(now)
                .execute(&mut *tx).await?;
            sqlx::query("INSERT INTO wet_ink_scans (id, draft_id, version, file_sha256, file_name, paraf_every_page, meterai, stempel, uploaded_by, uploaded_at, party_ordinal) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                .bind(info.id).bind(d.id).bind(v.number).bind(&sha).bind(info.file_name.as_deref())
                .bind(checklist.0).bind(checklist.1).bind(checklist.2).bind(&actor.label).bind(now).bind(i64::from(party))
                .execute(&mut *tx).await?;
            insert_history!(tx, &h);
            append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details));
            tx.commit().await?;
        });
        Ok(info)
    }

    /// An admin validates a wet-ink scan: every checklist item must be ticked.
    ///
    /// # Errors
    /// Unknown scan; an unticked item; already validated.
    pub async fn validate_wet_ink(
        &self,
        doc: DocRef,
        scan_id: Uuid,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<WetInkInfo, StoreError> {
        let (case_id, kind) = (doc.case_id, doc.kind);
        let scans = self.wet_ink_scans(doc).await?;
        let mut s = scans
            .into_iter()
            .find(|s| s.id == scan_id)
            .ok_or_else(|| DomainError::not_found("wet_ink_scan", scan_id))?;
        let mut missing = Vec::new();
        if !s.paraf_every_page {
            missing.push("paraf pada setiap halaman");
        }
        if !s.meterai {
            missing.push("meterai");
        }
        if !s.stempel {
            missing.push("stempel");
        }
        if !missing.is_empty() {
            return Err(refuse(
                "document.wet_ink_incomplete",
                format!(
                    "Pindaian belum memenuhi daftar periksa: {} belum ada.",
                    missing.join(", ")
                ),
                format!(
                    "The scan does not meet the checklist: {} missing.",
                    missing.join(", ")
                ),
            ));
        }
        if s.validated_at.is_some() {
            return Err(refuse(
                "document.wet_ink_validated",
                "Pindaian ini sudah divalidasi.",
                "This scan is already validated.",
            ));
        }
        let mut h = HistoryEntry::new(case_id, actor, "document_wet_ink_validated", now);
        h.details = serde_json::json!({ "kind": kind, "scan": scan_id });
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE wet_ink_scans SET validated_by = $1, validated_at = $2 WHERE id = $3 AND validated_at IS NULL")
                .bind(&actor.label).bind(now).bind(scan_id).execute(&mut *tx).await?;
            insert_history!(tx, &h);
            append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details));
            tx.commit().await?;
        });
        s.validated_by = Some(actor.label.clone());
        s.validated_at = Some(now);
        Ok(s)
    }

    /// The wet-ink scans of a draft.
    ///
    /// # Errors
    /// Database errors.
    pub async fn wet_ink_scans(&self, doc: DocRef) -> Result<Vec<WetInkInfo>, StoreError> {
        let Some(d) = self.find_draft(doc).await? else {
            return Ok(Vec::new());
        };
        #[derive(sqlx::FromRow)]
        struct Row {
            id: Uuid,
            version: i64,
            party_ordinal: Option<i64>,
            file_sha256: String,
            file_name: Option<String>,
            paraf_every_page: bool,
            meterai: bool,
            stempel: bool,
            uploaded_by: String,
            uploaded_at: OffsetDateTime,
            validated_by: Option<String>,
            validated_at: Option<OffsetDateTime>,
        }
        let rows: Vec<Row> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, version, party_ordinal, file_sha256, file_name, paraf_every_page, meterai, stempel, uploaded_by, uploaded_at, validated_by, validated_at \
                FROM wet_ink_scans WHERE draft_id = $1 ORDER BY uploaded_at, id")
                .bind(d.id).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| WetInkInfo {
                id: r.id,
                version: r.version,
                party_ordinal: r.party_ordinal,
                file_sha256: r.file_sha256,
                file_name: r.file_name,
                paraf_every_page: r.paraf_every_page,
                meterai: r.meterai,
                stempel: r.stempel,
                uploaded_by: r.uploaded_by,
                uploaded_at: r.uploaded_at,
                validated_by: r.validated_by,
                validated_at: r.validated_at,
            })
            .collect())
    }
}

/// The verification mark printed on a final PDF.
fn verification(public_url: &str, code: &str) -> Verification {
    let url = format!("{}/verifikasi/{code}", public_url.trim_end_matches('/'));
    Verification {
        code: code.to_owned(),
        qr_svg: sinergi_documents::qr::svg(&url).unwrap_or_default(),
        url,
    }
}

/// Renders on a blocking thread (Typst layout is CPU work).
async fn render_pdf(doc: Document) -> Result<Vec<u8>, StoreError> {
    tokio::task::spawn_blocking(move || sinergi_documents::pdf::render(&doc))
        .await
        .map_err(|e| StoreError::Config(e.to_string()))?
        .map_err(|e| StoreError::Config(e.to_string()))
}
