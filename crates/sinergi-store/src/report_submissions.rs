//! Reports a region sent up the line (issue 22), with their audit entries.

use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::access::Actor;
use sinergi_domain::report_submission::ReportSubmission;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// A recorded submission.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct SubmissionRow {
    pub id: Uuid,
    pub region_code: String,
    /// `pemetaan`, `evaluasi`, `pelaksanaan`, `lppd`.
    pub kind: String,
    pub period: String,
    /// `menteri` or `gubernur`.
    pub addressee: String,
    /// A kabupaten/kota's report to the Minister, sent through the Governor.
    pub via_governor: bool,
    pub letter_number: String,
    pub sent_on: Date,
    pub note: Option<String>,
    pub recorded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub recorded_at: OffsetDateTime,
}

impl Store {
    /// Records a sent report; audited in the same transaction.
    ///
    /// # Errors
    /// An unknown region; database errors.
    pub async fn record_report_submission(
        &self,
        region: &str,
        s: &ReportSubmission,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<SubmissionRow, StoreError> {
        self.get_region(region).await?;
        let row = SubmissionRow {
            id: Uuid::now_v7(),
            region_code: region.to_owned(),
            kind: s.kind.as_str().to_owned(),
            period: s.period.clone(),
            addressee: s.addressee.as_str().to_owned(),
            via_governor: s.via_governor,
            letter_number: s.letter_number.clone(),
            sent_on: s.sent_on,
            note: s.note.clone(),
            recorded_by: actor.label.clone(),
            recorded_at: now,
        };
        let change = Change::new("report.submitted", "report_submission", row.id).after(&row);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO report_submissions (id, region_code, kind, period, addressee, via_governor, letter_number, sent_on, note, recorded_by, recorded_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
            )
            .bind(row.id).bind(&row.region_code).bind(&row.kind).bind(&row.period).bind(&row.addressee)
            .bind(row.via_governor).bind(&row.letter_number).bind(row.sent_on).bind(row.note.as_deref())
            .bind(&row.recorded_by).bind(row.recorded_at)
            .execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &change)?;
            tx.commit().await?;
        });
        Ok(row)
    }

    /// The region's sent reports, newest first (at most 100).
    ///
    /// # Errors
    /// Database errors.
    pub async fn report_submissions(&self, region: &str) -> Result<Vec<SubmissionRow>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT id, region_code, kind, period, addressee, via_governor, letter_number, sent_on, note, recorded_by, recorded_at \
                 FROM report_submissions WHERE region_code = $1 ORDER BY sent_on DESC, recorded_at DESC LIMIT 100",
            ).bind(region).fetch_all(p).await?
        }))
    }
}
