//! TKKSD kajian records (issue 22): written in the transaction of the step that decides them
//! (`insert_kajian!` inside `write_case`), read by the reviewing side, and completed with the
//! telaahan staf file.

use crate::audit::{Change, append_audit};
use crate::documents::DocumentContext;
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::ids::CaseId;
use sinergi_domain::kajian::{
    Attendee, Kajian, KajianRecord, ReviewMode, ReviewSubject, TelaahanFile,
};
use sinergi_domain::region::RegionCode;
use sinergi_domain::workflow::Recommendation;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

/// Inserts a kajian inside the caller's transaction.
macro_rules! insert_kajian {
    ($tx:expr, $case_id:expr, $k:expr, $actor:expr, $at:expr) => {{ async {
        let k: &sinergi_domain::kajian::Kajian = $k;
        sqlx::query(
            "INSERT INTO tkksd_reviews (id, case_id, party_ordinal, region_code, subject, meeting_on, mode, attendees, minutes, notes, \
             recommendation, decided_by, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
        )
        .bind(uuid::Uuid::now_v7())
        .bind($case_id)
        .bind(i32::from(k.party))
        .bind(k.region.as_str())
        .bind(k.subject.as_str())
        .bind(k.meeting_on)
        .bind(k.mode.as_str())
        .bind(sqlx::types::Json(&k.attendees))
        .bind(k.minutes.as_deref())
        .bind(k.notes.as_deref())
        .bind(k.recommendation.as_str())
        .bind(sqlx::types::Json(&k.decided_by))
        .bind($actor)
        .bind($at)
        .execute(&mut *$tx)
        .await?;
        Ok::<(), $crate::StoreError>(())
    }.await
    }};
}
pub(crate) use insert_kajian;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    party_ordinal: i32,
    region_code: String,
    subject: String,
    meeting_on: Date,
    mode: String,
    attendees: sqlx::types::Json<Vec<Attendee>>,
    minutes: Option<String>,
    notes: Option<String>,
    recommendation: String,
    decided_by: sqlx::types::Json<Attendee>,
    telaahan_name: Option<String>,
    telaahan_type: Option<String>,
    telaahan_sha256: Option<String>,
    recorded_by: String,
    recorded_at: OffsetDateTime,
}

impl TryFrom<Row> for KajianRecord {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        let unknown = |what: &str, value: &str| StoreError::UnknownValue {
            what: what.to_owned(),
            value: value.to_owned(),
        };
        Ok(Self {
            id: r.id,
            kajian: Kajian {
                party: u16::try_from(r.party_ordinal).unwrap_or(0),
                region: RegionCode::parse(&r.region_code)
                    .map_err(|_| unknown("region", &r.region_code))?,
                subject: ReviewSubject::parse(&r.subject)
                    .ok_or_else(|| unknown("review subject", &r.subject))?,
                meeting_on: r.meeting_on,
                mode: ReviewMode::parse(&r.mode).ok_or_else(|| unknown("review mode", &r.mode))?,
                attendees: r.attendees.0,
                minutes: r.minutes,
                notes: r.notes,
                recommendation: Recommendation::parse(&r.recommendation)
                    .ok_or_else(|| unknown("recommendation", &r.recommendation))?,
                decided_by: r.decided_by.0,
            },
            telaahan: match (r.telaahan_name, r.telaahan_type, r.telaahan_sha256) {
                (Some(file_name), Some(media_type), Some(sha256)) => Some(TelaahanFile {
                    file_name,
                    media_type,
                    sha256,
                }),
                _ => None,
            },
            recorded_by: r.recorded_by,
            recorded_at: r.recorded_at,
        })
    }
}

const COLS: &str = "id, party_ordinal, region_code, subject, meeting_on, mode, attendees, minutes, notes, recommendation, decided_by, \
                    telaahan_name, telaahan_type, telaahan_sha256, recorded_by, recorded_at";

impl Store {
    /// The case's kajian records, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn kajian_of_case(&self, case_id: CaseId) -> Result<Vec<KajianRecord>, StoreError> {
        let sql =
            format!("SELECT {COLS} FROM tkksd_reviews WHERE case_id = $1 ORDER BY recorded_at, id");
        let rows: Vec<Row> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case_id.0).fetch_all(p).await?
        });
        rows.into_iter().map(KajianRecord::try_from).collect()
    }

    /// Attaches (or replaces) the telaahan staf of a kajian: the file checked by content and
    /// stored content-addressed; history and audit in one transaction.
    ///
    /// # Errors
    /// `kajian.not_found`; a file that is not a PDF, DOCX or image, or too large; storage.
    #[expect(clippy::too_many_arguments, reason = "one upload's parts")]
    pub async fn attach_telaahan(
        &self,
        ctx: &DocumentContext<'_>,
        case_id: CaseId,
        review: Uuid,
        file_name: &str,
        bytes: &[u8],
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<KajianRecord, StoreError> {
        let mut record = self
            .kajian_of_case(case_id)
            .await?
            .into_iter()
            .find(|k| k.id == review)
            .ok_or_else(|| DomainError::not_found("kajian", review))?;
        let up = ctx
            .store_upload("name", ("telaahan staf", "staff study"), file_name, bytes)
            .await?;
        let file = TelaahanFile {
            file_name: up.file_name,
            media_type: up.media_type,
            sha256: up.sha256,
        };
        let mut h = HistoryEntry::new(case_id, actor, "telaahan_attached", now);
        h.details =
            serde_json::json!({ "kajian": review, "file": file.file_name, "sha256": file.sha256 });
        let change = Change::new("kajian.telaahan", "kajian", review)
            .case(case_id.0)
            .before(&record.telaahan)
            .after(&file);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("UPDATE tkksd_reviews SET telaahan_name = $1, telaahan_type = $2, telaahan_sha256 = $3 WHERE id = $4")
                .bind(&file.file_name).bind(&file.media_type).bind(&file.sha256).bind(review)
                .execute(&mut *tx).await?;
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &change)?;
            tx.commit().await?;
        });
        record.telaahan = Some(file);
        Ok(record)
    }
}
