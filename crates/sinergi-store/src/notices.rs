//! Notices of an act to the users of the other party (issue 13): "the offer is waiting", "a
//! clause was commented", "the text is ready to sign", … — one in-app notification per user
//! and event (the `(user_id, event_key)` index makes a repeat a no-op) and, when e-mail is
//! on, one outbox row with its sending job, written in one transaction.

use crate::jobs::{NewJob, insert_job, utc};
use crate::reminders::Recipient;
use crate::{Store, StoreError, on_pool};
use sinergi_domain::ids::CaseId;
use sinergi_domain::schedule::job;
use time::OffsetDateTime;

/// Writes the e-mail of a notice for one recipient: (subject, text).
pub type Compose<'a> = &'a (dyn Fn(&Recipient) -> (String, String) + Sync);

/// One act's notice, as the application layer wrote it.
#[derive(Debug, Clone)]
pub struct ActNotice<'a> {
    pub case: CaseId,
    /// What happened, for the notification list (`offer_sent`, `comment`, …).
    pub kind: &'a str,
    /// Identifies the event: the same key is delivered to a user once.
    pub event_key: &'a str,
    pub title: &'a str,
    pub body: &'a str,
    /// The absolute address of the place to act.
    pub link: &'a str,
}

impl Store {
    /// Delivers an act's notice to each recipient once; `letter` gives the e-mail's
    /// (subject, text) per recipient when e-mail is on. Returns how many notifications were
    /// new.
    ///
    /// # Errors
    /// Database errors.
    pub async fn deliver_act_notice(
        &self,
        n: &ActNotice<'_>,
        to: &[Recipient],
        letter: Option<Compose<'_>>,
        now: OffsetDateTime,
    ) -> Result<usize, StoreError> {
        let now = utc(now);
        let mut fresh = 0;
        for r in to {
            let id = sinergi_domain::ids::new_id(now);
            let new = on_pool!(&self.db, p => {
                let mut tx = p.begin().await?;
                let new = sqlx::query(
                    "INSERT INTO notifications (id, user_id, case_id, kind, title, body, link, created_at, read_at, event_key) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9) ON CONFLICT (user_id, event_key) DO NOTHING",
                )
                .bind(id).bind(r.user_id).bind(n.case.0).bind(n.kind).bind(n.title).bind(n.body)
                .bind(n.link).bind(now).bind(n.event_key)
                .execute(&mut *tx).await?.rows_affected() == 1;
                if new && let (Some(address), Some(compose)) = (&r.email, letter) {
                    let (subject, text) = compose(r);
                    let mail = sinergi_domain::ids::new_id(now);
                    sqlx::query(
                        "INSERT INTO email_outbox (id, user_id, to_address, subject, body, kind, status, attempts, last_error, created_at, sent_at) \
                         VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, NULL, $7, NULL)",
                    )
                    .bind(mail).bind(r.user_id).bind(address).bind(&subject).bind(&text)
                    .bind(n.kind).bind(now)
                    .execute(&mut *tx).await?;
                    let job = NewJob {
                        kind: job::SEND_EMAIL,
                        payload: serde_json::json!({ "outbox": mail }),
                        run_at: now,
                        dedup_key: Some(format!("email:{mail}")),
                        max_attempts: 8,
                    };
                    let _queued = insert_job!(tx, &job, now)?;
                }
                tx.commit().await?;
                new
            });
            fresh += usize::from(new);
        }
        Ok(fresh)
    }
}
