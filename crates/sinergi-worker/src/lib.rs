//! The background worker: claims due jobs from the database queue and runs them — the daily
//! sweep (staged reminders and automatic transitions) and e-mail delivery over SMTP.
//!
//! It runs inside `sinergi serve` on SQLite (one background task) and as `sinergi worker`
//! processes on PostgreSQL, several at once: the store's claim gives each job to exactly one
//! worker. Each kind of job is a typed, serialisable struct in a file of its own under
//! `jobs/`. `run_once(now)` processes everything due at `now` and returns, so the command line
//! (`worker --once --now …`) and the tests drive it with a clock of their choosing.

mod jobs;
pub mod mail;

pub use jobs::{DailySweep, SendEmail};
pub use mail::{MailSecurity, MailSettings};

use lettre::{AsyncSmtpTransport, Tokio1Executor};
use sinergi_domain::clock::Clock;
use sinergi_domain::schedule::{ReminderPolicy, job, retry_at, sweep_day};
use sinergi_store::{Job, Store, StoreError};
use std::sync::Arc;
use std::time::Duration as StdDuration;
use time::{Duration, OffsetDateTime};

/// How a worker behaves.
#[derive(Debug, Clone)]
pub struct WorkerConfig {
    /// This worker's name in `jobs.claimed_by`.
    pub id: String,
    /// How long a claim holds before another worker may take the job over.
    pub lease: Duration,
    /// Reminder stages; `default_lead_days` is replaced by the rule set in force unless the
    /// settings named lead days per agreement kind.
    pub policy: ReminderPolicy,
    /// E-mail is a channel only when SMTP is configured.
    pub mail: Option<MailSettings>,
    /// The public address of the web interface (`documents.public_url`): e-mail links are
    /// absolute URLs under it.
    pub public_url: String,
    /// Pause between polls of the queue in `run_forever`.
    pub poll: StdDuration,
}

impl WorkerConfig {
    /// A worker named after the host, the process and a random suffix.
    #[must_use]
    pub fn named(prefix: &str) -> Self {
        Self {
            id: format!(
                "{prefix}-{}-{}",
                std::process::id(),
                &uuid::Uuid::new_v4().simple().to_string()[..8]
            ),
            lease: Duration::minutes(5),
            policy: ReminderPolicy::default(),
            mail: None,
            public_url: "http://127.0.0.1:8080".to_owned(),
            poll: StdDuration::from_secs(30),
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WorkerError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("e-mail: {0}")]
    Mail(String),
    #[error("job payload: {0}")]
    Payload(String),
}

/// What one pass did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct RunReport {
    /// (job id, kind) of each job run to completion.
    pub done: Vec<(uuid::Uuid, String)>,
    /// (job id, kind, error) of each failed run.
    pub failed: Vec<(uuid::Uuid, String, String)>,
}

/// A worker over a store.
#[derive(Clone)]
pub struct Worker {
    store: Store,
    config: Arc<WorkerConfig>,
    /// The SMTP client, or why it could not be built (a bad CA file): then every e-mail job
    /// fails with that reason and is retried.
    mailer: Option<Result<AsyncSmtpTransport<Tokio1Executor>, String>>,
}

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("id", &self.config.id)
            .finish_non_exhaustive()
    }
}

impl Worker {
    #[must_use]
    pub fn new(store: Store, config: WorkerConfig) -> Self {
        let mailer = config
            .mail
            .as_ref()
            .map(|m| mail::transport(m).map_err(|e| e.to_string()));
        Self {
            store,
            config: Arc::new(config),
            mailer,
        }
    }

    #[must_use]
    pub fn id(&self) -> &str {
        &self.config.id
    }

    /// Makes sure the daily sweep of `now`'s day is queued (once per day, whoever asks).
    ///
    /// # Errors
    /// Database errors.
    pub async fn schedule(&self, now: OffsetDateTime) -> Result<(), WorkerError> {
        let sweep = DailySweep {
            day: sweep_day(now),
        };
        self.store.enqueue_job(&sweep.new_job(now), now).await?;
        Ok(())
    }

    /// Claims and runs jobs until none is due at `now`.
    ///
    /// # Errors
    /// Database errors of the queue itself (a job's own failure is recorded, not returned).
    pub async fn run_due(&self, now: OffsetDateTime) -> Result<RunReport, WorkerError> {
        let mut report = RunReport::default();
        while let Some(j) = self
            .store
            .claim_job(&self.config.id, now, self.config.lease)
            .await?
        {
            match self.execute(&j, now).await {
                Ok(()) => {
                    self.store.complete_job(j.id, &self.config.id, now).await?;
                    report.done.push((j.id, j.kind.clone()));
                }
                Err(e) => {
                    let msg = e.to_string();
                    tracing::warn!(job = %j.id, kind = %j.kind, attempt = j.attempts, error = %msg, "job failed");
                    self.store
                        .fail_job(j.id, &self.config.id, &msg, retry_at(j.attempts, now), now)
                        .await?;
                    report.failed.push((j.id, j.kind.clone(), msg));
                }
            }
        }
        Ok(report)
    }

    /// Schedules the day's sweep and runs everything due at `now` (`sinergi worker --once`).
    ///
    /// # Errors
    /// Database errors of the queue.
    pub async fn run_once(&self, now: OffsetDateTime) -> Result<RunReport, WorkerError> {
        self.schedule(now).await?;
        self.run_due(now).await
    }

    /// Polls until `shutdown` completes.
    pub async fn run_forever(
        &self,
        clock: Arc<dyn Clock>,
        shutdown: impl std::future::Future<Output = ()>,
    ) {
        tokio::pin!(shutdown);
        loop {
            if let Err(e) = self.run_once(clock.now()).await {
                tracing::error!(error = %e, worker = %self.config.id, "worker pass failed");
            }
            tokio::select! {
                () = &mut shutdown => break,
                () = tokio::time::sleep(self.config.poll) => {}
            }
        }
    }

    async fn execute(&self, j: &Job, now: OffsetDateTime) -> Result<(), WorkerError> {
        fn payload<T: serde::de::DeserializeOwned>(j: &Job) -> Result<T, WorkerError> {
            serde_json::from_value(j.payload.clone())
                .map_err(|e| WorkerError::Payload(format!("{}: {e}", j.payload)))
        }
        match j.kind.as_str() {
            DailySweep::NAME => payload::<DailySweep>(j)?.run(self, now).await,
            SendEmail::NAME => {
                payload::<SendEmail>(j)?
                    .run(self, j.attempts >= j.max_attempts, now)
                    .await
            }
            job::NOOP => Ok(()),
            other => Err(WorkerError::Payload(format!("unknown job kind {other}"))),
        }
    }
}
