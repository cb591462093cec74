//! The case: opening it, its shared content, each party's own record, the steps of its path,
//! meetings.

use crate::notices::Event;
use crate::{App, AppError, Caller};
use sinergi_domain::DomainError;
use sinergi_domain::access::{Perm, Relation, Role, in_province};
use sinergi_domain::authority::{self, Acting};
use sinergi_domain::case::{Case, CasePatch, NewCaseInput, PartyPatch};
use sinergi_domain::ids::CaseId;
use sinergi_domain::meeting::{Meeting, NewMeetingInput};
use sinergi_domain::workflow::{Action, TransitionRequest};
use sinergi_store::HistoryEntry;

impl App {
    /// Opens a case in which the caller's own government is a party.
    ///
    /// # Errors
    /// `auth.forbidden` without the role; `auth.not_own_region` when the caller's region is
    /// not among the parties (explaining the pembina's view when it is the province of one);
    /// the domain's refusals.
    pub async fn create_case(&self, who: &Caller, input: &NewCaseInput) -> Result<Case, AppError> {
        let p = &who.principal;
        if !p.may(Perm::CaseCreate, Relation::Own, false)
            && !p.may(Perm::CaseCreate, Relation::Unrelated, false)
        {
            return Err(DomainError::Forbidden {
                perm: Perm::CaseCreate.as_str(),
            }
            .into());
        }
        if !p.has(Role::Operator) {
            let own = p.region.clone().unwrap_or_default();
            let regions: Vec<&str> = input
                .parties
                .iter()
                .filter_map(|x| x.region.as_deref())
                .map(str::trim)
                .collect();
            if !regions.contains(&own.as_str()) {
                let supervised = regions.iter().find(|r| in_province(r, &own));
                return Err(DomainError::NotOwnRegion {
                    own: self.region_name(&own).await,
                    supervises: match supervised {
                        Some(k) => Some(self.region_name(k).await),
                        None => None,
                    },
                }
                .into());
            }
        }
        Ok(self
            .store
            .create_case(input, &who.actor(), self.now())
            .await?)
    }

    pub(crate) async fn region_name(&self, code: &str) -> String {
        self.store
            .get_region(code)
            .await
            .map_or_else(|_| code.to_owned(), |r| r.region.name)
    }

    /// Edits the shared content of a case (either party).
    ///
    /// # Errors
    /// The caller may not edit it; the domain's refusals; a stale version.
    pub async fn patch_case(
        &self,
        who: &Caller,
        id: CaseId,
        patch: &CasePatch,
    ) -> Result<Case, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_shared_content(),
            unit,
            None,
        )?;
        Ok(self
            .store
            .patch_case(id, patch, &who.actor(), self.now())
            .await?)
    }

    /// Edits one party's own record: only that party's users.
    ///
    /// # Errors
    /// `auth.not_your_act` for another party's record; the domain's refusals.
    pub async fn patch_party(
        &self,
        who: &Caller,
        id: CaseId,
        ordinal: u16,
        patch: &PartyPatch,
    ) -> Result<Case, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        if case.party(ordinal).is_none() {
            return Err(DomainError::not_found("party", ordinal).into());
        }
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_party_record(ordinal),
            unit,
            None,
        )?;
        let after = self
            .store
            .patch_party(id, ordinal, patch, &who.actor(), self.now())
            .await?;
        let decided = |c: &Case| c.party(ordinal).and_then(|p| p.dprd.approved);
        if decided(&after).is_some() && decided(&case) != decided(&after) {
            self.tell(
                who,
                &after,
                Event::DprdDecision,
                &format!("{ordinal}:{}", after.version),
                &format!("/kerja-sama/{id}#pihak"),
                false,
            )
            .await;
        }
        Ok(after)
    }

    /// Takes a step of the case's path, as the caller's own party.
    ///
    /// # Errors
    /// `auth.forbidden` / `auth.not_your_act`; the step not allowed now; a failed guard.
    pub async fn transition(
        &self,
        who: &Caller,
        id: CaseId,
        req: &TransitionRequest,
    ) -> Result<(Case, HistoryEntry), AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        let act = authority::of_step(&req.action, &case);
        let named = match &req.action {
            Action::RecordReply { party, .. } | Action::ReviewOffer { party, .. } => *party,
            _ => None,
        };
        let acting = authority::authorize(&who.principal, &case, &act, unit, named)?;
        let actor = self.step_actor(who, &case, &req.action, &acting).await?;
        let (case, entry) = self
            .store
            .transition(id, req, &acting, &actor, self.now())
            .await?;
        let event = match &req.action {
            Action::SendOffer { .. } => Some(Event::OfferSent),
            Action::RecordReply { .. } => Some(Event::Reply),
            Action::RecordDprdDecision { .. } => Some(Event::DprdDecision),
            Action::StartDrafting
            | Action::Activate
            | Action::End { .. }
            | Action::TerminateEarly { .. }
            | Action::ReopenKb => Some(Event::Stage),
            Action::Cancel if case.offered => Some(Event::Stage),
            _ => None,
        };
        if let Some(event) = event {
            self.tell(
                who,
                &case,
                event,
                &entry.id.to_string(),
                &format!("/kerja-sama/{id}#tindakan"),
                false,
            )
            .await;
        }
        Ok((case, entry))
    }

    /// The actor of a step: staff acting "atas nama" are recorded with the official they
    /// acted for — the party's signatory of the KB when recording its signing, else the
    /// kepala daerah in office that day.
    pub(crate) async fn step_actor(
        &self,
        who: &Caller,
        case: &Case,
        action: &Action,
        acting: &Acting,
    ) -> Result<sinergi_domain::access::Actor, AppError> {
        if !who.principal.has(Role::KepalaDaerahStaff) {
            return Ok(who.actor());
        }
        let party = acting.party.and_then(|o| case.party(o));
        let mut official = None;
        if matches!(action, Action::SignKb)
            && let Some(p) = party
        {
            let agreements = self.store.list_agreements(case.id).await?;
            let signatory = agreements
                .iter()
                .find(|a| a.kind == sinergi_domain::agreement::AgreementKind::Kb)
                .and_then(|kb| kb.parties.iter().find(|x| x.ordinal == p.ordinal))
                .and_then(|x| x.signatory);
            if let Some(s) = signatory {
                official = self.store.find_official(s).await?;
            }
        }
        if official.is_none()
            && let Some(region) = party.and_then(|p| p.region.as_ref())
        {
            official = self
                .store
                .head_in_office(region.as_str(), sinergi_domain::clock::today(self.now()))
                .await?;
        }
        Ok(who.actor_for(official.as_ref()))
    }

    /// Adds a meeting (shared content: either party).
    ///
    /// # Errors
    /// The caller may not edit the case; the domain's refusals.
    pub async fn add_meeting(
        &self,
        who: &Caller,
        id: CaseId,
        input: &NewMeetingInput,
    ) -> Result<Meeting, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_shared_content(),
            unit,
            None,
        )?;
        Ok(self
            .store
            .add_meeting(id, input, &who.actor(), self.now())
            .await?)
    }
}
