//! Pages of the lists under a case and of one's own records (issue 16): `LIMIT`/`OFFSET` in
//! SQL and the true total from `COUNT(*)`, so no list is loaded whole.

use crate::rows::{LetterRow, MeetingRow};
use crate::{Page, Store, StoreError, on_pool};
use sinergi_domain::ids::CaseId;
use sinergi_domain::letter::Letter;
use sinergi_domain::meeting::Meeting;

impl Store {
    /// A page of a case's meetings, by date.
    ///
    /// # Errors
    /// Database errors.
    pub async fn meetings_page(
        &self,
        case_id: CaseId,
        limit: i64,
        offset: i64,
    ) -> Result<Page<Meeting>, StoreError> {
        let (rows, total): (Vec<MeetingRow>, i64) = on_pool!(&self.db, p => {
            (
                sqlx::query_as(
                    "SELECT id, case_id, kind, title, meeting_date, start_time, end_time, timezone, host_region, place, participants, agenda, \
                     minutes, outcomes, next_steps, created_at FROM meetings WHERE case_id = $1 ORDER BY meeting_date, start_time, id LIMIT $2 OFFSET $3",
                ).bind(case_id.0).bind(limit).bind(offset).fetch_all(p).await?,
                sqlx::query_scalar("SELECT COUNT(*) FROM meetings WHERE case_id = $1").bind(case_id.0).fetch_one(p).await?,
            )
        });
        Ok(Page {
            items: rows
                .into_iter()
                .map(Meeting::try_from)
                .collect::<Result<_, _>>()?,
            total,
        })
    }

    /// A page of a case's letters, by date.
    ///
    /// # Errors
    /// Database errors.
    pub async fn letters_page(
        &self,
        case_id: CaseId,
        limit: i64,
        offset: i64,
    ) -> Result<Page<Letter>, StoreError> {
        let (rows, total): (Vec<LetterRow>, i64) = on_pool!(&self.db, p => {
            (
                sqlx::query_as(sqlx::AssertSqlSafe(format!(
                    "SELECT {} FROM letters WHERE case_id = $1 ORDER BY letter_date, id LIMIT $2 OFFSET $3",
                    crate::letters::LETTER_COLS
                ))).bind(case_id.0).bind(limit).bind(offset).fetch_all(p).await?,
                sqlx::query_scalar("SELECT COUNT(*) FROM letters WHERE case_id = $1").bind(case_id.0).fetch_one(p).await?,
            )
        });
        Ok(Page {
            items: rows
                .into_iter()
                .map(Letter::try_from)
                .collect::<Result<_, _>>()?,
            total,
        })
    }

    /// A page of a user's in-app notifications, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn notifications_page(
        &self,
        username: &str,
        limit: i64,
        offset: i64,
    ) -> Result<Page<crate::Notification>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            Page {
                items: sqlx::query_as(
                    "SELECT n.id, n.kind, n.title, n.body, n.link, n.created_at, n.read_at FROM notifications n JOIN users u ON u.id = n.user_id \
                     WHERE u.username = $1 ORDER BY n.created_at DESC, n.id DESC LIMIT $2 OFFSET $3",
                ).bind(username).bind(limit).bind(offset).fetch_all(p).await?,
                total: sqlx::query_scalar("SELECT COUNT(*) FROM notifications n JOIN users u ON u.id = n.user_id WHERE u.username = $1")
                    .bind(username).fetch_one(p).await?,
            }
        }))
    }

    /// A page of the observation batches, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn observation_batches_page(
        &self,
        limit: i64,
        offset: i64,
    ) -> Result<Page<crate::BatchView>, StoreError> {
        let total: i64 = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM observation_batches").fetch_one(p).await?
        });
        let items = self
            .observation_batches(limit.saturating_add(offset))
            .await?
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(usize::MAX))
            .collect();
        Ok(Page { items, total })
    }
}
