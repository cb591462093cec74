//! The central government's answers on a KSDPL/KSDLL (issue 22): one row, one history line
//! and one audit entry per answer, never changed (a later answer supersedes it).

use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::access::Actor;
use sinergi_domain::central_approval::{CentralApproval, Ministry, NewCentralApproval};
use sinergi_domain::ids::CaseId;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    ministry: String,
    letter_number: String,
    letter_date: Date,
    approved: bool,
    note: Option<String>,
    recorded_by: String,
    recorded_at: OffsetDateTime,
}

impl Store {
    /// The case's central approvals, oldest first.
    ///
    /// # Errors
    /// Database errors; an unknown ministry in a row.
    pub async fn central_approvals(
        &self,
        case_id: CaseId,
    ) -> Result<Vec<CentralApproval>, StoreError> {
        let rows: Vec<Row> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT id, ministry, letter_number, letter_date, approved, note, recorded_by, recorded_at \
                 FROM central_approvals WHERE case_id = $1 ORDER BY recorded_at, id",
            ).bind(case_id.0).fetch_all(p).await?
        });
        rows.into_iter()
            .map(|r| {
                Ok(CentralApproval {
                    ministry: Ministry::parse(&r.ministry).ok_or_else(|| {
                        StoreError::UnknownValue {
                            what: "ministry".to_owned(),
                            value: r.ministry.clone(),
                        }
                    })?,
                    id: r.id,
                    letter_number: r.letter_number,
                    letter_date: r.letter_date,
                    approved: r.approved,
                    note: r.note,
                    recorded_by: r.recorded_by,
                    recorded_at: r.recorded_at,
                })
            })
            .collect()
    }

    /// Records an answer (checked against the case); audited.
    ///
    /// # Errors
    /// `case.not_found`; validation; database errors.
    pub async fn record_central_approval(
        &self,
        case_id: CaseId,
        input: &NewCentralApproval,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<CentralApproval, StoreError> {
        let case = self.get_case(case_id).await?;
        let a = input.validate(&case, crate::cases::today(now))?;
        let row = CentralApproval {
            id: Uuid::now_v7(),
            ministry: a.ministry,
            letter_number: a.letter_number,
            letter_date: a.letter_date,
            approved: a.approved,
            note: a.note,
            recorded_by: actor.label.clone(),
            recorded_at: now,
        };
        let mut h = HistoryEntry::new(case_id, actor, "central_approval", now);
        h.details = serde_json::json!({ "ministry": row.ministry, "letter": row.letter_number, "approved": row.approved });
        let change = Change::new("case.central_approval", "case", case_id)
            .case(case_id.0)
            .after(&row);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO central_approvals (id, case_id, ministry, letter_number, letter_date, approved, note, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(row.id).bind(case_id.0).bind(row.ministry.as_str()).bind(&row.letter_number).bind(row.letter_date)
            .bind(row.approved).bind(row.note.as_deref()).bind(&row.recorded_by).bind(now)
            .execute(&mut *tx).await?;
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &change)?;
            tx.commit().await?;
        });
        Ok(row)
    }
}
