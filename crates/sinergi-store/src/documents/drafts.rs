//! Drafts of a document: immutable versions of the clause tree, edits refused when stale or
//! signed, and comments per clause.

use super::{
    CommentInfo, DRAFT_COLS, DocRef, DraftInfo, DraftOp, DraftRow, VERSION_COLS, VersionInfo,
    VersionRow, draft_info, refuse, version_info,
};
use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use sinergi_documents::Template;
use sinergi_documents::draft::Clause;
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

impl Store {
    pub(super) async fn find_draft(&self, doc: DocRef) -> Result<Option<DraftInfo>, StoreError> {
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

    pub(super) async fn require_draft(&self, doc: DocRef) -> Result<DraftInfo, StoreError> {
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
        let template = Template::embedded_for(kind, input.nota_kesepakatan)?;
        let first = template.initial_draft(&input)?;
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
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
            tx.commit().await?;
        });
        Ok((draft, version))
    }

    pub(super) async fn signature_count(&self, draft_id: Uuid) -> Result<i64, StoreError> {
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
            .ok_or(StoreError::Inconsistent("draft without versions"))?;
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
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new(&format!("document.{}", h.action), "case", case_id).case(case_id.0).after(&h.details))?;
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
                .after(&serde_json::json!({ "clause": &c.clause_key, "version": version, "body": &c.body })))?;
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
}
