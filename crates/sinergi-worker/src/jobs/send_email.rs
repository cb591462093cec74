//! `send_email`: delivers one e-mail of the outbox over SMTP.

use crate::{Worker, WorkerError};
use lettre::AsyncTransport;
use serde::{Deserialize, Serialize};
use sinergi_domain::schedule::job;
use time::OffsetDateTime;

/// One outbox e-mail to send. The store queues it in the same transaction as the outbox row
/// (`Store::deliver_reminder`, payload `{"outbox": "<id>"}`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SendEmail {
    pub outbox: uuid::Uuid,
}

impl SendEmail {
    pub const NAME: &'static str = job::SEND_EMAIL;

    /// Sends the e-mail unless it was sent already, and records the attempt on its outbox row
    /// (failed for good on the last attempt).
    ///
    /// # Errors
    /// SMTP not configured or refused (the job is retried); database errors.
    pub async fn run(
        &self,
        w: &Worker,
        last_attempt: bool,
        now: OffsetDateTime,
    ) -> Result<(), WorkerError> {
        let Some(entry) = w.store.outbox_entry(self.outbox).await? else {
            return Ok(());
        };
        if entry.status == "sent" {
            return Ok(());
        }
        let (Some(mailer), Some(mail)) = (&w.mailer, &w.config.mail) else {
            return Err(WorkerError::Mail(
                "SMTP belum dikonfigurasi (SMTP not configured)".into(),
            ));
        };
        let result = async {
            let mailer = mailer.as_ref().map_err(|e| WorkerError::Mail(e.clone()))?;
            let msg = crate::mail::message(
                mail,
                entry.id,
                &entry.to_address,
                None,
                &entry.subject,
                &entry.body,
                now,
            )?;
            mailer
                .send(msg)
                .await
                .map_err(|e| WorkerError::Mail(e.to_string()))?;
            Ok::<(), WorkerError>(())
        }
        .await;
        let error = result.as_ref().err().map(ToString::to_string);
        w.store
            .record_outbox_attempt(self.outbox, error.as_deref(), last_attempt, now)
            .await?;
        result
    }
}
