//! The final text: the document built for layout, its PDF stored content-addressed, and the
//! final version of each draft.

use super::{DocRef, DocumentContext, DraftInfo, VersionInfo, random, refuse};
use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use sinergi_documents::DocumentKind;
use sinergi_documents::sign::{self};
use sinergi_documents::{Document, Verification};
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::agreement::{AgreementKind, FinalText, SignatureEvidence};
use sinergi_domain::ids::{AgreementId, OfficialId};
use time::OffsetDateTime;
use uuid::Uuid;

/// The verification mark printed on a final PDF.
pub(super) fn verification(public_url: &str, code: &str) -> Verification {
    let url = format!("{}/verifikasi/{code}", public_url.trim_end_matches('/'));
    Verification {
        code: code.to_owned(),
        qr_svg: sinergi_documents::qr::svg(&url).unwrap_or_default(),
        url,
    }
}

/// Renders on a blocking thread (Typst layout is CPU work).
pub(super) async fn render_pdf(doc: Document) -> Result<Vec<u8>, StoreError> {
    tokio::task::spawn_blocking(move || sinergi_documents::pdf::render(&doc))
        .await?
        .map_err(StoreError::from)
}

impl Store {
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
                .map_err(StoreError::Files)?
                .ok_or(StoreError::MissingFile { sha256: sha });
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
            .ok_or(StoreError::Inconsistent("draft without versions"))?;
        if v.is_final {
            return Err(refuse(
                "document.already_final",
                format!("Versi {} sudah final.", v.number),
                format!("Version {} is already final.", v.number),
            ));
        }
        let code = sign::verification_code(random());
        let incomplete = |e| {
            refuse(
                "document.incomplete",
                format!("Naskah belum dapat difinalkan: {e}."),
                format!("The document cannot be finalised: {e}."),
            )
        };
        let input = self.document_input(doc).await?;
        let mut built =
            sinergi_documents::build(kind, &input, Some(&v.draft())).map_err(incomplete)?;
        // A complete text gets each party's number from its own register, printed in the PDF.
        if let Some(agreement) = self.numbered_agreement(doc).await?
            && !self
                .issue_numbers(case_id, agreement, actor, now)
                .await?
                .is_empty()
        {
            let input = self.document_input(doc).await?;
            built = sinergi_documents::build(kind, &input, Some(&v.draft())).map_err(incomplete)?;
        }
        let mut doc = built;
        doc.verification = Some(verification(ctx.public_url, &code));
        doc.issued_at = now
            .format(&time::format_description::well_known::Rfc3339)
            .ok();
        let pdf = render_pdf(doc).await?;
        let sha = ctx.files.put(&pdf).await.map_err(StoreError::Files)?;
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
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
            tx.commit().await?;
        });
        v.is_final = true;
        v.finalized_at = Some(now);
        v.pdf_sha256 = Some(sha);
        v.verification_code = Some(code);
        Ok(v)
    }

    /// The agreement whose parties number a document: the case's KB, or the PKS or addendum
    /// named; none for letters and minutes.
    ///
    /// # Errors
    /// Database errors.
    pub async fn numbered_agreement(&self, doc: DocRef) -> Result<Option<AgreementId>, StoreError> {
        Ok(match doc.kind {
            DocumentKind::Kb => self
                .list_agreements(doc.case_id)
                .await?
                .into_iter()
                .find(|a| a.kind == AgreementKind::Kb)
                .map(|a| a.id),
            DocumentKind::Pks | DocumentKind::Addendum => doc.agreement,
            DocumentKind::Penawaran | DocumentKind::BeritaAcara => None,
        })
    }

    pub(super) async fn final_version(
        &self,
        doc: DocRef,
    ) -> Result<(DraftInfo, VersionInfo), StoreError> {
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
}
