//! The durable job queue. A job is claimed by exactly one worker: on PostgreSQL the claim
//! selects the oldest due job `FOR UPDATE SKIP LOCKED`, so concurrent workers pass over each
//! other's rows; on SQLite the claim is one `UPDATE … WHERE id = (SELECT …) RETURNING`
//! statement, which SQLite runs atomically under its single writer lock. A claim holds a
//! lease; a job whose worker died is claimed again once its lease has run out.

use crate::{Db, Store, StoreError, on_pool};
use serde::Serialize;
use time::{Duration, OffsetDateTime, UtcOffset};
use uuid::Uuid;

/// One job.
#[derive(Debug, Clone, Serialize, sqlx::FromRow)]
pub struct Job {
    pub id: Uuid,
    pub kind: String,
    #[sqlx(json)]
    pub payload: serde_json::Value,
    pub dedup_key: Option<String>,
    #[serde(with = "time::serde::rfc3339")]
    pub run_at: OffsetDateTime,
    pub status: String,
    pub attempts: i32,
    pub max_attempts: i32,
    pub last_error: Option<String>,
    pub claimed_by: Option<String>,
    #[serde(with = "time::serde::rfc3339::option")]
    pub lease_until: Option<OffsetDateTime>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

const COLS: &str = "id, kind, payload, dedup_key, run_at, status, attempts, max_attempts, last_error, claimed_by, lease_until, created_at, updated_at";

/// UTC, whole seconds: timestamps compare correctly as text on SQLite.
pub(crate) fn utc(t: OffsetDateTime) -> OffsetDateTime {
    let t = t.to_offset(UtcOffset::UTC);
    t.replace_nanosecond(0).unwrap_or(t)
}

/// A job to add.
#[derive(Debug, Clone)]
pub struct NewJob<'a> {
    pub kind: &'a str,
    pub payload: serde_json::Value,
    pub run_at: OffsetDateTime,
    /// At most one job with this key ever exists (scheduling is idempotent).
    pub dedup_key: Option<String>,
    pub max_attempts: i32,
}

/// Inserts a job inside the caller's transaction; a duplicate `dedup_key` is skipped.
macro_rules! insert_job {
    ($tx:expr, $job:expr, $now:expr) => {{ async {
        let j: &$crate::jobs::NewJob<'_> = $job;
        let added = sqlx::query(
            "INSERT INTO jobs (id, kind, payload, dedup_key, run_at, status, attempts, max_attempts, last_error, claimed_by, lease_until, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, 'queued', 0, $6, NULL, NULL, NULL, $7, $7) ON CONFLICT (dedup_key) DO NOTHING",
        )
        .bind(sinergi_domain::ids::new_id($now))
        .bind(j.kind)
        .bind(sqlx::types::Json(&j.payload))
        .bind(j.dedup_key.as_deref())
        .bind($crate::jobs::utc(j.run_at))
        .bind(j.max_attempts)
        .bind($crate::jobs::utc($now))
        .execute(&mut *$tx)
        .await?
        .rows_affected()
            == 1;
        Ok::<bool, $crate::StoreError>(added)
    }.await
    }};
}
pub(crate) use insert_job;

impl Store {
    /// Adds a job; returns false when a job with the same `dedup_key` exists already.
    ///
    /// # Errors
    /// Database errors.
    pub async fn enqueue_job(
        &self,
        job: &NewJob<'_>,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            let added = insert_job!(tx, job, now)?;
            tx.commit().await?;
            added
        }))
    }

    /// Claims the oldest due job for `worker` until `now + lease`, or `None` when nothing is
    /// due. A job whose lease ran out is due again; one that ran out of attempts that way is
    /// marked failed.
    ///
    /// # Errors
    /// Database errors.
    pub async fn claim_job(
        &self,
        worker: &str,
        now: OffsetDateTime,
        lease: Duration,
    ) -> Result<Option<Job>, StoreError> {
        let now = utc(now);
        let lock = match self.db {
            Db::Postgres(_) => " FOR UPDATE SKIP LOCKED",
            Db::Sqlite(_) => "",
        };
        let sql = format!(
            "UPDATE jobs SET status = 'running', claimed_by = $1, lease_until = $2, attempts = attempts + 1, updated_at = $3 \
             WHERE id = (SELECT id FROM jobs WHERE ((status = 'queued' AND run_at <= $3) OR (status = 'running' AND lease_until < $3)) \
             AND attempts < max_attempts ORDER BY run_at, id LIMIT 1{lock}) RETURNING {COLS}"
        );
        let job: Option<Job> = on_pool!(&self.db, p => {
            sqlx::query(
                "UPDATE jobs SET status = 'failed', last_error = COALESCE(last_error, 'lease expired'), updated_at = $1 \
                 WHERE status = 'running' AND lease_until < $1 AND attempts >= max_attempts",
            )
            .bind(now)
            .execute(p)
            .await?;
            sqlx::query_as(sqlx::AssertSqlSafe(sql))
                .bind(worker)
                .bind(now + lease)
                .bind(now)
                .fetch_optional(p)
                .await?
        });
        Ok(job)
    }

    /// Marks a job done, if `worker` still holds it.
    ///
    /// # Errors
    /// Database errors.
    pub async fn complete_job(
        &self,
        id: Uuid,
        worker: &str,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query("UPDATE jobs SET status = 'done', lease_until = NULL, last_error = NULL, updated_at = $1 WHERE id = $2 AND claimed_by = $3 AND status = 'running'")
                .bind(utc(now)).bind(id).bind(worker).execute(p).await?.rows_affected() == 1
        }))
    }

    /// Records a failed run: queued again at `retry_at`, or failed for good once the attempts
    /// are used up.
    ///
    /// # Errors
    /// Database errors.
    pub async fn fail_job(
        &self,
        id: Uuid,
        worker: &str,
        error: &str,
        retry_at: OffsetDateTime,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, p => {
            sqlx::query(
                "UPDATE jobs SET status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, \
                 run_at = $1, last_error = $2, lease_until = NULL, updated_at = $3 WHERE id = $4 AND claimed_by = $5 AND status = 'running'",
            )
            .bind(utc(retry_at)).bind(error).bind(utc(now)).bind(id).bind(worker)
            .execute(p).await?;
        });
        Ok(())
    }

    /// Jobs, newest first, optionally of one status.
    ///
    /// # Errors
    /// Database errors.
    pub async fn list_jobs(
        &self,
        status: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Job>, StoreError> {
        let sql = format!(
            "SELECT {COLS} FROM jobs WHERE ($1 IS NULL OR status = $1) ORDER BY created_at DESC, id DESC LIMIT $2"
        );
        let rows: Vec<Job> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(status).bind(limit).fetch_all(p).await?
        });
        Ok(rows)
    }
}
