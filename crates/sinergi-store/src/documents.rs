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
use sinergi_documents::gather::{self, CaseRecords};
use sinergi_documents::input::DocumentInput;
use sinergi_documents::upload::{self};
use sinergi_domain::DomainError;
use sinergi_domain::ids::{AgreementId, CaseId};
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

/// One activity as a line of a Nota Kesepakatan's Rencana Kerja: what, when, by whom.
fn rencana_kerja_line(a: &sinergi_domain::monitoring::Activity) -> String {
    use sinergi_domain::locale::date_short;
    let lang = sinergi_domain::Lang::Id;
    let when = match (a.starts_on, a.ends_on) {
        (Some(s), Some(e)) => format!(", {} s.d. {}", date_short(s, lang), date_short(e, lang)),
        (Some(s), None) => format!(", mulai {}", date_short(s, lang)),
        _ => String::new(),
    };
    let units: Vec<&str> = a.responsible.iter().map(|r| r.unit.as_str()).collect();
    let by = if units.is_empty() {
        String::new()
    } else {
        format!("; pelaksana: {}", units.join(", "))
    };
    format!("{}{when}{by}", a.title)
}

/// An uploaded file after its checks: the name without any path, the media type its content
/// shows, and the SHA-256 it is stored under.
pub(crate) struct StoredUpload {
    pub file_name: String,
    pub media_type: String,
    pub sha256: String,
}

impl DocumentContext<'_> {
    /// Checks an upload (a name of 1–300 characters, the content within the limits of an
    /// allowed kind) and stores it content-addressed. `what` names the file in the refusal
    /// of a missing name (Indonesian, English).
    pub(crate) async fn store_upload(
        &self,
        field: &str,
        (what_id, what_en): (&str, &str),
        file_name: &str,
        bytes: &[u8],
    ) -> Result<StoredUpload, StoreError> {
        let name = file_name.trim();
        if name.is_empty() || name.chars().count() > 300 {
            return Err(
                DomainError::Validation(vec![sinergi_domain::FieldError::new(
                    field,
                    "required",
                    format!("Nama berkas {what_id} wajib diisi (paling panjang 300 karakter)."),
                    format!("The {what_en} file's name is required (at most 300 characters)."),
                )])
                .into(),
            );
        }
        let kind = upload::check_within(bytes, Some(name), &self.upload_limits).map_err(|e| {
            StoreError::Domain(DomainError::guard(e.code(), e.message_id(), e.to_string()))
        })?;
        let sha256 = self.files.put(bytes).await.map_err(StoreError::Files)?;
        Ok(StoredUpload {
            // Only the file's own name is kept, never the uploader's path.
            file_name: upload::safe_file_name(name),
            media_type: kind.mime().to_owned(),
            sha256,
        })
    }
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

impl Store {
    /// The facts a document is filled with: the store loads the case, its agreements,
    /// the officials of its governments and (for minutes) its meetings; which fact goes
    /// where is decided by `sinergi_documents::gather`.
    ///
    /// # Errors
    /// `case.not_found`; database errors.
    pub async fn document_input(&self, doc: DocRef) -> Result<DocumentInput, StoreError> {
        let case = self.get_case(doc.case_id).await?;
        let agreements = self.list_agreements(doc.case_id).await?;
        let regions: Vec<String> = case
            .government_parties()
            .filter_map(|p| p.region.as_ref().map(ToString::to_string))
            .collect();
        let officials = self.officials_of_regions(&regions).await?;
        let meetings = if CaseRecords::needs_meetings(doc.kind) {
            self.list_meetings(doc.case_id).await?
        } else {
            Vec::new()
        };
        let mut input = gather::document_input(
            doc.kind,
            doc.agreement,
            CaseRecords {
                case: &case,
                agreements: &agreements,
                officials: &officials,
                meetings: &meetings,
            },
        );
        if input.nota_kesepakatan {
            input.work_plan = self
                .list_activities(doc.case_id)
                .await?
                .iter()
                .map(rencana_kerja_line)
                .collect();
        }
        Ok(input)
    }
}
