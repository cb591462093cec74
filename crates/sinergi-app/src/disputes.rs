//! Disputes (perselisihan, issue 22): a party raises one for itself; consultation, escalation
//! and the decision are shared steps of the parties.

use sinergi_domain::DomainError;
use sinergi_domain::authority;
use sinergi_domain::dispute::{Dispute, NewDispute};
use sinergi_domain::ids::{CaseId, DisputeId};
use time::Date;

use crate::{App, AppError, Caller};

/// What is done to an open dispute.
#[derive(Debug, Clone)]
pub enum DisputeStep {
    /// Consultation did not settle it.
    Escalate,
    /// The agreement reached, or the forum's decision.
    Resolve { decision: String, decided_on: Date },
}

impl App {
    /// The disputes of a case the caller may read.
    ///
    /// # Errors
    /// `case.not_found` for a case the caller may not read; storage.
    pub async fn disputes(&self, who: &Caller, id: CaseId) -> Result<Vec<Dispute>, AppError> {
        self.case_for(id, who).await?;
        Ok(self.store.list_disputes(id).await?)
    }

    /// Raises a dispute for the caller's own party (the operator names none: refused).
    ///
    /// # Errors
    /// A caller who is not a party's staff, validation, no signed agreement; storage.
    pub async fn raise_dispute(
        &self,
        who: &Caller,
        id: CaseId,
        input: &NewDispute,
    ) -> Result<Dispute, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        let Some(own) = authority::own_party(&who.principal, &case) else {
            return Err(AppError::Refused(DomainError::guard(
                "dispute.not_a_party",
                "Perselisihan diajukan oleh salah satu pihak kerja sama, atas namanya sendiri.",
                "A dispute is raised by one of the parties, for itself.",
            )));
        };
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_dispute(own.ordinal),
            unit,
            None,
        )?;
        let now = self.now();
        let dispute = input.validate(&case, own.ordinal, sinergi_domain::clock::today(now), now)?;
        let note = format!("{}: {}", own.short_name(), dispute.subject);
        self.store
            .write_dispute(
                None,
                &dispute,
                ("raise_dispute", Some(note)),
                &who.actor(),
                now,
            )
            .await?;
        Ok(dispute)
    }

    /// Escalates or resolves a dispute, under its version.
    ///
    /// # Errors
    /// A caller who is not a party's staff, a stale version, a settled dispute; storage.
    pub async fn step_dispute(
        &self,
        who: &Caller,
        id: CaseId,
        dispute: DisputeId,
        expected_version: i64,
        step: &DisputeStep,
    ) -> Result<Dispute, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_shared_content(),
            unit,
            None,
        )?;
        let before = self.store.get_dispute(id, dispute).await?;
        if before.version != expected_version {
            return Err(AppError::Refused(DomainError::VersionConflict {
                expected: expected_version,
                current: before.version,
            }));
        }
        let now = self.now();
        let (next, action, note) = match step {
            DisputeStep::Escalate => {
                let next = before.escalate(&case, now)?;
                let note = format!("Diajukan kepada {}", next.forum.label_id());
                (next, "escalate_dispute", note)
            }
            DisputeStep::Resolve {
                decision,
                decided_on,
            } => {
                let next = before.resolve(
                    decision,
                    *decided_on,
                    sinergi_domain::clock::today(now),
                    now,
                )?;
                (next, "resolve_dispute", decision.trim().to_owned())
            }
        };
        self.store
            .write_dispute(
                Some(&before),
                &next,
                (action, Some(note)),
                &who.actor(),
                now,
            )
            .await?;
        Ok(next)
    }
}
