//! Wet-ink scans: the upload with its checklist and the validation by a party.

use super::{DocRef, DocumentContext, WetInkInfo, refuse};
use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use sinergi_documents::upload::{self, FileKind};
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use time::OffsetDateTime;
use uuid::Uuid;

impl Store {
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
        let sha = ctx.files.put(bytes).await.map_err(StoreError::Files)?;
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
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
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
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
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
