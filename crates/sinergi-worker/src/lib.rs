//! The background worker: claims due jobs from the database queue and runs them — the daily
//! sweep (staged reminders and automatic transitions) and e-mail delivery over SMTP.
//!
//! It runs inside `sinergi serve` on SQLite (one background task) and as `sinergi worker`
//! processes on PostgreSQL, several at once: the store's claim gives each job to exactly one
//! worker. `run_once(now)` processes everything due at `now` and returns, so the command line
//! (`worker --once --now …`) and the tests drive it with a clock of their choosing.

use lettre::message::header::ContentType;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use sinergi_domain::agreement::{AgreementAction, AgreementTransitionRequest};
use sinergi_domain::case::TerminationReason;
use sinergi_domain::clock::Clock;
use sinergi_domain::schedule::{
    AutoTransition, ReminderPolicy, auto_transitions, due_reminders, job, retry_at, sweep_day,
};
use sinergi_domain::workflow::{Action, TransitionRequest};
use sinergi_store::{Channel, Job, NewJob, Store, StoreError};
use std::sync::Arc;
use std::time::Duration as StdDuration;
use time::{Date, Duration, OffsetDateTime};

/// SMTP delivery settings (no TLS: a local relay or a test sink; put TLS in the relay).
#[derive(Debug, Clone)]
pub struct MailSettings {
    pub host: String,
    pub port: u16,
    pub from: String,
}

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
    mailer: Option<AsyncSmtpTransport<Tokio1Executor>>,
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
        let mailer = config.mail.as_ref().map(|m| {
            AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&m.host)
                .port(m.port)
                .timeout(Some(StdDuration::from_secs(20)))
                .build()
        });
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
        let day = sweep_day(now);
        self.store
            .enqueue_job(
                &NewJob {
                    kind: job::DAILY_SWEEP,
                    payload: serde_json::json!({ "day": day.to_string() }),
                    run_at: now,
                    dedup_key: Some(format!("{}:{day}", job::DAILY_SWEEP)),
                    max_attempts: 10,
                },
                now,
            )
            .await?;
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
        match j.kind.as_str() {
            job::DAILY_SWEEP => {
                let day: Date = j
                    .payload
                    .get("day")
                    .and_then(|d| d.as_str())
                    .and_then(|d| {
                        Date::parse(d, &time::format_description::well_known::Iso8601::DATE).ok()
                    })
                    .ok_or_else(|| WorkerError::Payload(j.payload.to_string()))?;
                self.sweep(day, now).await
            }
            job::SEND_EMAIL => {
                let id = j
                    .payload
                    .get("outbox")
                    .and_then(|d| d.as_str())
                    .and_then(|d| d.parse().ok())
                    .ok_or_else(|| WorkerError::Payload(j.payload.to_string()))?;
                self.send_email(id, j.attempts >= j.max_attempts, now).await
            }
            job::NOOP => Ok(()),
            other => Err(WorkerError::Payload(format!("unknown job kind {other}"))),
        }
    }

    /// One day's sweep: automatic transitions first (so an ended agreement gets no more
    /// reminders), then every due reminder to every recipient on every channel, each through
    /// the ledger. Running it twice sends nothing twice.
    ///
    /// # Errors
    /// Database errors (the job is retried).
    pub async fn sweep(&self, day: Date, now: OffsetDateTime) -> Result<(), WorkerError> {
        for t in auto_transitions(&self.store.expiring(day).await?, day) {
            self.apply(&t, now).await?;
        }
        let rules = self.store.rules_in_force(day).await?;
        let mut policy = self.config.policy.clone();
        policy
            .default_lead_days
            .clone_from(&rules.reminder_lead_days);
        let snapshot = self.store.reminder_snapshot(day).await?;
        let mut sent = 0_usize;
        for r in due_reminders(&snapshot, day, &policy) {
            let recipients = self
                .store
                .recipients(r.case, &r.regions, r.kind.roles())
                .await?;
            for to in &recipients {
                if self
                    .store
                    .deliver_reminder(&r, to, Channel::InApp, day, now)
                    .await?
                {
                    sent += 1;
                }
                if self.mailer.is_some()
                    && self
                        .store
                        .deliver_reminder(&r, to, Channel::Email, day, now)
                        .await?
                {
                    sent += 1;
                }
            }
        }
        tracing::info!(%day, sent, "daily sweep done");
        Ok(())
    }

    async fn apply(&self, t: &AutoTransition, now: OffsetDateTime) -> Result<(), WorkerError> {
        const ACTOR: &str = "sistem";
        match t {
            AutoTransition::FinishPks {
                case,
                agreement,
                version,
                ends_on,
            } => {
                let req = AgreementTransitionRequest {
                    expected_version: *version,
                    note: Some(format!(
                        "Otomatis: jangka waktu PKS berakhir pada {ends_on}."
                    )),
                    action: AgreementAction::Finish,
                };
                self.store
                    .transition_agreement(*case, *agreement, &req, ACTOR, now)
                    .await?;
            }
            AutoTransition::EndCase {
                case,
                version,
                ends_on,
            } => {
                let req = TransitionRequest {
                    expected_version: *version,
                    note: Some(format!(
                        "Otomatis: jangka waktu Kesepakatan Bersama berakhir pada {ends_on}."
                    )),
                    action: Action::End {
                        reason: TerminationReason::JangkaWaktuHabis,
                        effective_on: *ends_on,
                    },
                };
                self.store.transition(*case, &req, ACTOR, now).await?;
            }
        }
        tracing::info!(?t, "automatic transition");
        Ok(())
    }

    async fn send_email(
        &self,
        id: uuid::Uuid,
        last_attempt: bool,
        now: OffsetDateTime,
    ) -> Result<(), WorkerError> {
        let Some(entry) = self.store.outbox_entry(id).await? else {
            return Ok(());
        };
        if entry.status == "sent" {
            return Ok(());
        }
        let (Some(mailer), Some(mail)) = (&self.mailer, &self.config.mail) else {
            return Err(WorkerError::Mail(
                "SMTP belum dikonfigurasi (SMTP not configured)".into(),
            ));
        };
        let result = async {
            let msg = Message::builder()
                .from(
                    mail.from
                        .parse()
                        .map_err(|e| WorkerError::Mail(format!("from: {e}")))?,
                )
                .to(entry
                    .to_address
                    .parse()
                    .map_err(|e| WorkerError::Mail(format!("to: {e}")))?)
                .subject(entry.subject.clone())
                .header(ContentType::TEXT_PLAIN)
                .body(entry.body.clone())
                .map_err(|e| WorkerError::Mail(e.to_string()))?;
            mailer
                .send(msg)
                .await
                .map_err(|e| WorkerError::Mail(e.to_string()))?;
            Ok::<(), WorkerError>(())
        }
        .await;
        match result {
            Ok(()) => {
                self.store
                    .record_outbox_attempt(id, None, false, now)
                    .await?;
                Ok(())
            }
            Err(e) => {
                self.store
                    .record_outbox_attempt(id, Some(&e.to_string()), last_attempt, now)
                    .await?;
                Err(e)
            }
        }
    }
}
