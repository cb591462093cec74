//! `daily_sweep`: the reminders and automatic transitions of one calendar day.

use crate::{Worker, WorkerError};
use serde::{Deserialize, Serialize};
use sinergi_domain::agreement::{AgreementAction, AgreementTransitionRequest};
use sinergi_domain::case::TerminationReason;
use sinergi_domain::schedule::{AutoTransition, auto_transitions, due_reminders, job};
use sinergi_domain::workflow::{Action, TransitionRequest};
use sinergi_store::{Channel, NewJob};
use time::{Date, OffsetDateTime};

/// The sweep of one day (the WIB calendar day); at most one per day is ever queued.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DailySweep {
    pub day: Date,
}

impl DailySweep {
    pub const NAME: &'static str = job::DAILY_SWEEP;

    /// The queue entry: due now, deduplicated by day.
    #[must_use]
    pub fn new_job(&self, now: OffsetDateTime) -> NewJob<'static> {
        NewJob {
            kind: Self::NAME,
            payload: serde_json::to_value(self).unwrap_or_default(),
            run_at: now,
            dedup_key: Some(format!("{}:{}", Self::NAME, self.day)),
            max_attempts: 10,
        }
    }

    /// One day's sweep: automatic transitions first (so an ended agreement gets no more
    /// reminders), then every due reminder to every recipient on every channel, each through
    /// the ledger. Running it twice sends nothing twice.
    ///
    /// # Errors
    /// Database errors (the job is retried).
    pub async fn run(&self, w: &Worker, now: OffsetDateTime) -> Result<(), WorkerError> {
        let day = self.day;
        for t in auto_transitions(&w.store.expiring(day).await?, day) {
            apply(w, &t, now).await?;
        }
        let rules = w.store.rules_in_force(day).await?;
        let mut policy = w.config.policy.clone();
        policy
            .default_lead_days
            .clone_from(&rules.reminder_lead_days);
        let snapshot = w.store.reminder_snapshot(day).await?;
        let mut sent = 0_usize;
        for r in due_reminders(&snapshot, day, &policy) {
            let recipients = w
                .store
                .recipients(r.case, &r.regions, r.kind.roles())
                .await?;
            let case = if w.mailer.is_some() {
                Some(w.store.get_case(r.case).await?)
            } else {
                None
            };
            for to in &recipients {
                if w.store
                    .deliver_reminder(&r, to, Channel::InApp, None, day, now)
                    .await?
                {
                    sent += 1;
                }
                if let Some(case) = &case
                    && to.email.is_some()
                {
                    let unit = sending_unit(case, to.region.as_deref());
                    let letter = crate::mail::reminder_letter(
                        &r,
                        &crate::mail::Addressing {
                            name: &to.display_name,
                            unit: &unit,
                            public_url: &w.config.public_url,
                        },
                    );
                    if w.store
                        .deliver_reminder(&r, to, Channel::Email, Some(&letter), day, now)
                        .await?
                    {
                        sent += 1;
                    }
                }
            }
        }
        tracing::info!(%day, sent, "daily sweep done");
        Ok(())
    }
}

/// The unit a reminder is sent on behalf of: the cooperation unit the case records for the
/// recipient's own government, else that government's TKKSD secretariat.
fn sending_unit(case: &sinergi_domain::case::Case, region: Option<&str>) -> String {
    let party = case
        .parties
        .iter()
        .find(|p| p.region.as_ref().map(ToString::to_string).as_deref() == region);
    match party {
        Some(p) => p
            .contact
            .unit
            .clone()
            .filter(|u| !u.trim().is_empty())
            .unwrap_or_else(|| format!("Sekretariat TKKSD {}", p.name)),
        None => "Sekretariat Tim Koordinasi Kerja Sama Daerah".to_owned(),
    }
}

async fn apply(w: &Worker, t: &AutoTransition, now: OffsetDateTime) -> Result<(), WorkerError> {
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
            w.store
                .transition_agreement(
                    *case,
                    *agreement,
                    &req,
                    true,
                    &sinergi_domain::access::Actor::system(ACTOR),
                    now,
                )
                .await?;
        }
        AutoTransition::EndCase {
            case,
            version,
            ends_on,
        } => {
            let req = TransitionRequest {
                kajian: None,
                expected_version: *version,
                note: Some(format!(
                    "Otomatis: jangka waktu Kesepakatan Bersama berakhir pada {ends_on}."
                )),
                action: Action::End {
                    reason: TerminationReason::JangkaWaktuHabis,
                    effective_on: *ends_on,
                    outstanding_obligations: None,
                },
            };
            w.store
                .transition(
                    *case,
                    &req,
                    &sinergi_domain::authority::Acting::SYSTEM,
                    &sinergi_domain::access::Actor::system(ACTOR),
                    now,
                )
                .await?;
        }
    }
    tracing::info!(?t, "automatic transition");
    Ok(())
}
