//! Disputes between the parties of a case (issue 22): each change a history row and an audit
//! entry in its own transaction, edits under the dispute's version.

use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::dispute::{Dispute, Forum};
use sinergi_domain::ids::{CaseId, DisputeId};
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct DisputeRow {
    id: Uuid,
    case_id: Uuid,
    raised_by: i64,
    subject: String,
    description: Option<String>,
    raised_on: Date,
    forum: String,
    decision: Option<String>,
    decided_on: Option<Date>,
    version: i64,
    created_at: OffsetDateTime,
    updated_at: OffsetDateTime,
}

impl TryFrom<DisputeRow> for Dispute {
    type Error = StoreError;
    fn try_from(r: DisputeRow) -> Result<Self, StoreError> {
        Ok(Self {
            id: DisputeId(r.id),
            case_id: CaseId(r.case_id),
            raised_by: u16::try_from(r.raised_by).unwrap_or(0),
            subject: r.subject,
            description: r.description,
            raised_on: r.raised_on,
            forum: Forum::parse(&r.forum).ok_or_else(|| StoreError::UnknownValue {
                what: "dispute forum".to_owned(),
                value: r.forum.clone(),
            })?,
            decision: r.decision,
            decided_on: r.decided_on,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

const COLS: &str = "id, case_id, raised_by, subject, description, raised_on, forum, decision, decided_on, version, created_at, updated_at";

impl Store {
    /// The disputes of a case, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_disputes(&self, case: CaseId) -> Result<Vec<Dispute>, StoreError> {
        let sql =
            format!("SELECT {COLS} FROM case_disputes WHERE case_id = $1 ORDER BY created_at, id");
        let rows: Vec<DisputeRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case.0).fetch_all(p).await?
        });
        rows.into_iter().map(Dispute::try_from).collect()
    }

    /// One dispute of a case.
    ///
    /// # Errors
    /// `dispute.not_found`; database errors.
    pub async fn get_dispute(&self, case: CaseId, id: DisputeId) -> Result<Dispute, StoreError> {
        let sql = format!("SELECT {COLS} FROM case_disputes WHERE case_id = $1 AND id = $2");
        let row: Option<DisputeRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case.0).bind(id.0).fetch_optional(p).await?
        });
        row.ok_or_else(|| DomainError::not_found("dispute", id.0).into())
            .and_then(Dispute::try_from)
    }

    /// Writes a new dispute (`before` is `None`) or its next state under `before`'s version,
    /// with a history row (`action`, `note`) and an audit entry.
    ///
    /// # Errors
    /// A stale version (`case.version_conflict`); database errors.
    pub async fn write_dispute(
        &self,
        before: Option<&Dispute>,
        next: &Dispute,
        (action, note): (&str, Option<String>),
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        let mut h = HistoryEntry::new(next.case_id, actor, action, now);
        h.note = note;
        h.details = serde_json::json!({ "dispute": next.id, "forum": next.forum.as_str(), "raised_by": next.raised_by });
        let mut change = Change::new(&format!("dispute.{action}"), "dispute", next.id.0)
            .case(next.case_id.0)
            .after(next);
        if let Some(b) = before {
            change = change.before(b);
        }
        let ok = on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let n = match before {
                None => sqlx::query(
                    "INSERT INTO case_disputes (id, case_id, raised_by, subject, description, raised_on, forum, decision, decided_on, version, created_at, updated_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
                )
                .bind(next.id.0).bind(next.case_id.0).bind(i64::from(next.raised_by)).bind(&next.subject)
                .bind(next.description.as_deref()).bind(next.raised_on).bind(next.forum.as_str())
                .bind(next.decision.as_deref()).bind(next.decided_on).bind(next.version)
                .bind(next.created_at).bind(next.updated_at)
                .execute(&mut *tx).await?.rows_affected(),
                Some(b) => sqlx::query(
                    "UPDATE case_disputes SET forum = $1, decision = $2, decided_on = $3, version = $4, updated_at = $5 \
                     WHERE id = $6 AND version = $7",
                )
                .bind(next.forum.as_str()).bind(next.decision.as_deref()).bind(next.decided_on)
                .bind(next.version).bind(next.updated_at).bind(next.id.0).bind(b.version)
                .execute(&mut *tx).await?.rows_affected(),
            };
            if n == 1 {
                insert_history!(tx, &h)?;
                append_audit!(tx, actor, now, &change)?;
                tx.commit().await?;
                true
            } else {
                tx.rollback().await?;
                false
            }
        });
        if ok {
            Ok(())
        } else {
            let current = self.get_dispute(next.case_id, next.id).await?;
            Err(DomainError::VersionConflict {
                expected: before.map_or(0, |b| b.version),
                current: current.version,
            }
            .into())
        }
    }
}
