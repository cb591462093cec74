//! One side's private notes on a case, and sharing a note with the other side.

use super::{NewNote, Note, NoteRow};
use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::access::Actor;
use sinergi_domain::ids::{CaseId, NoteId};
use sinergi_domain::{DomainError, FieldError};
use time::OffsetDateTime;

impl Store {
    /// Adds one side's private note (or TKKSD review, DPRD paper).
    ///
    /// # Errors
    /// Field errors; database errors.
    pub async fn add_note(
        &self,
        case_id: CaseId,
        input: &NewNote<'_>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Note, StoreError> {
        let NewNote {
            region,
            kind,
            body,
            shared,
        } = *input;
        let mut errs = Vec::new();
        if !["note", "tkksd_review", "dprd_paper"].contains(&kind) {
            errs.push(FieldError::new(
                "kind",
                "invalid",
                "Jenis catatan: note, tkksd_review atau dprd_paper.",
                "Note kind: note, tkksd_review or dprd_paper.",
            ));
        }
        let body = body.trim();
        if body.is_empty() {
            errs.push(FieldError::required("body"));
        } else if body.chars().count() > 20_000 {
            errs.push(FieldError::too_long("body", 20_000));
        }
        if !errs.is_empty() {
            return Err(DomainError::Validation(errs).into());
        }
        let note = Note {
            id: NoteId::new_v7(now),
            case_id,
            region: region.to_owned(),
            kind: kind.to_owned(),
            body: body.to_owned(),
            shared,
            author: actor.label.clone(),
            version: 1,
            created_at: now,
        };
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO case_notes (id, case_id, region_code, kind, body, shared, author_id, author, version, created_at, updated_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 1, $9, $9)")
                .bind(note.id.0).bind(case_id.0).bind(region).bind(kind).bind(&note.body).bind(shared)
                .bind(actor.user_id).bind(&note.author).bind(now)
                .execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("note.create", "note", note.id).case(case_id.0).after(&note))?;
            tx.commit().await?;
        });
        Ok(note)
    }

    /// Shares (or unshares) a side's note with the partner.
    ///
    /// # Errors
    /// `note.not_found` (also for another side's note); database errors.
    pub async fn share_note(
        &self,
        case_id: CaseId,
        id: NoteId,
        region: &str,
        shared: bool,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Note, StoreError> {
        let before = self
            .list_notes(case_id, Some(region))
            .await?
            .into_iter()
            .find(|n| n.id == id && n.region == region)
            .ok_or_else(|| DomainError::not_found("note", id))?;
        let mut after = before.clone();
        after.shared = shared;
        after.version += 1;
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE case_notes SET shared = $1, version = version + 1, updated_at = $2 WHERE id = $3")
                .bind(shared).bind(now).bind(id.0).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("note.share", "note", id).case(case_id.0).before(&before).after(&after))?;
            tx.commit().await?;
        });
        Ok(after)
    }

    /// The notes a side sees on a case: all of its own, and what other sides shared.
    /// `None` (no side): only shared notes.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_notes(
        &self,
        case_id: CaseId,
        side: Option<&str>,
    ) -> Result<Vec<Note>, StoreError> {
        let rows: Vec<NoteRow> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT id, case_id, region_code, kind, body, shared, author, version, created_at FROM case_notes \
                            WHERE case_id = $1 AND (shared OR region_code = $2) ORDER BY created_at, id")
                .bind(case_id.0).bind(side.unwrap_or("")).fetch_all(p).await?
        });
        Ok(rows.into_iter().map(Note::from).collect())
    }
}
