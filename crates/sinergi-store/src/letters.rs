//! Letters of a case: recorded by their sender, corrected or withdrawn until sent, sent when
//! an act uses them (see `cases.rs`) or when their sender marks them sent.

use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::rows::{LetterRow, letter_response_str};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::ids::{CaseId, LetterId};
use sinergi_domain::letter::{Letter, NewLetterInput};
use sinergi_domain::numbering::NumberedKind;
use sinergi_domain::region::RegionCode;
use sqlx::types::Json;
use time::OffsetDateTime;

/// The columns a [`LetterRow`] is read from.
pub(crate) const LETTER_COLS: &str = "id, case_id, kind, number, letter_date, from_region, to_region, signatory_id, subject, \
     srikandi_ref, attachments, response, created_at, version, sent_at, withdrawn_at";

/// What a change to a recorded letter does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterChange {
    /// Its sender corrects it.
    Correct,
    /// Its sender withdraws it.
    Withdraw,
    /// Its sender marks it sent (a letter no act sends).
    MarkSent,
}

impl LetterChange {
    fn history_action(self) -> &'static str {
        match self {
            Self::Correct => "correct_letter",
            Self::Withdraw => "withdraw_letter",
            Self::MarkSent => "send_letter",
        }
    }

    fn audit_action(self) -> &'static str {
        match self {
            Self::Correct => "letter.update",
            Self::Withdraw => "letter.withdraw",
            Self::MarkSent => "letter.send",
        }
    }
}

impl Store {
    /// Records a letter of a case; it is not sent yet.
    ///
    /// # Errors
    /// Unknown case; sender or addressee not a party; field errors; database errors.
    pub async fn add_letter(
        &self,
        case_id: CaseId,
        input: &NewLetterInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Letter, StoreError> {
        let case = self.get_case(case_id).await?;
        let officials = self
            .officials_by_id(input.signatory.into_iter().collect())
            .await?;
        let mut l = input.validate(
            LetterId::new_v7(now),
            &case,
            |o| officials.get(&o).map(|x| x.region.clone()),
            now,
        )?;
        // A letter recorded without a number takes the next one of its sender's register,
        // when the sender set a rule for letters.
        let numbering = match (&l.number, &l.from_region) {
            (None, Some(region)) => self
                .numbering_rule(region.as_str(), NumberedKind::Surat)
                .await?
                .and_then(|r| r.rule())
                .map(|rule| {
                    let sender = case
                        .parties
                        .iter()
                        .find(|p| p.region.as_ref() == Some(region))
                        .map_or(0, |p| p.ordinal);
                    let today = crate::cases::today(now);
                    let mut e = crate::numbering::entry_for(
                        region.as_str(),
                        NumberedKind::Surat,
                        &rule,
                        (case_id.0, sender),
                        (today, None),
                        actor,
                        now,
                    );
                    e.letter_id = Some(l.id.0);
                    (rule, today, e)
                }),
            _ => None,
        };
        let mut h = HistoryEntry::new(case_id, actor, "add_letter", now);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO letters (id, case_id, kind, number, letter_date, from_region, to_region, signatory_id, subject, srikandi_ref, \
                 attachments, response, created_at, version) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(l.id.0).bind(case_id.0).bind(l.kind.as_str()).bind(l.number.as_deref()).bind(l.date)
            .bind(l.from_region.as_ref().map(RegionCode::as_str)).bind(l.to_region.as_ref().map(RegionCode::as_str))
            .bind(l.signatory.map(|s| s.0)).bind(&l.subject).bind(l.srikandi_ref.as_deref())
            .bind(Json(&l.attachments)).bind(l.response.map(letter_response_str)).bind(now).bind(l.version)
            .execute(&mut *tx).await?;
            if let Some((rule, today, e)) = numbering.clone() {
                let e = crate::numbering::allocate_number!(tx, &rule, today, e)?
                    .ok_or(StoreError::Inconsistent("a new letter already numbered"))?;
                sqlx::query("UPDATE letters SET number = $1 WHERE id = $2")
                    .bind(&e.number).bind(l.id.0).execute(&mut *tx).await?;
                l.number = Some(e.number);
            }
            h.details = serde_json::json!({ "letter": l.id, "kind": l.kind, "number": l.number });
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &Change::new("letter.create", "letter", l.id).case(case_id.0).after(&l))?;
            tx.commit().await?;
        });
        Ok(l)
    }

    /// The letters of a case, by date.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_letters(&self, case_id: CaseId) -> Result<Vec<Letter>, StoreError> {
        let sql = format!(
            "SELECT {LETTER_COLS} FROM letters WHERE case_id = $1 ORDER BY letter_date, id"
        );
        let rows: Vec<LetterRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(case_id.0).fetch_all(p).await?
        });
        rows.into_iter().map(Letter::try_from).collect()
    }

    /// One letter of a case.
    ///
    /// # Errors
    /// `letter.not_found` (also for a letter of another case); database errors.
    pub async fn get_letter(&self, case_id: CaseId, id: LetterId) -> Result<Letter, StoreError> {
        let sql = format!("SELECT {LETTER_COLS} FROM letters WHERE id = $1 AND case_id = $2");
        let row: Option<LetterRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql.as_str())).bind(id.0).bind(case_id.0).fetch_optional(p).await?
        });
        row.map(Letter::try_from)
            .transpose()?
            .ok_or_else(|| DomainError::not_found("letter", id).into())
    }

    /// Writes `next`, the letter `before` corrected, withdrawn or marked sent, with its history
    /// and audit rows — only if the stored letter is still unsent, not withdrawn and at
    /// `before`'s version; otherwise nothing is written and the refusal says why.
    ///
    /// # Errors
    /// `letter.already_sent`, `letter.withdrawn`, a version conflict; database errors.
    pub async fn write_letter(
        &self,
        before: &Letter,
        next: &Letter,
        change: LetterChange,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut h = HistoryEntry::new(before.case_id, actor, change.history_action(), now);
        h.details =
            serde_json::json!({ "letter": next.id, "kind": next.kind, "number": next.number });
        let audit = Change::new(change.audit_action(), "letter", next.id)
            .case(next.case_id.0)
            .before(before)
            .after(next);
        let written = on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let n = sqlx::query(
                "UPDATE letters SET kind = $1, number = $2, letter_date = $3, from_region = $4, to_region = $5, signatory_id = $6, \
                 subject = $7, srikandi_ref = $8, attachments = $9, response = $10, version = $11, sent_at = $12, withdrawn_at = $13 \
                 WHERE id = $14 AND case_id = $15 AND version = $16 AND sent_at IS NULL AND withdrawn_at IS NULL",
            )
            .bind(next.kind.as_str()).bind(next.number.as_deref()).bind(next.date)
            .bind(next.from_region.as_ref().map(RegionCode::as_str)).bind(next.to_region.as_ref().map(RegionCode::as_str))
            .bind(next.signatory.map(|s| s.0)).bind(&next.subject).bind(next.srikandi_ref.as_deref())
            .bind(Json(&next.attachments)).bind(next.response.map(letter_response_str)).bind(next.version)
            .bind(next.sent_at).bind(next.withdrawn_at)
            .bind(next.id.0).bind(next.case_id.0).bind(before.version)
            .execute(&mut *tx).await?
            .rows_affected();
            if n == 1 {
                insert_history!(tx, &h)?;
                append_audit!(tx, actor, now, &audit)?;
                tx.commit().await?;
            } else {
                tx.rollback().await?;
            }
            n == 1
        });
        if written {
            return Ok(());
        }
        // Someone sent, withdrew or corrected it meanwhile: say which.
        let current = self.get_letter(before.case_id, before.id).await?;
        current.check_changeable(before.version)?;
        Err(DomainError::VersionConflict {
            expected: before.version,
            current: current.version,
        }
        .into())
    }
}
