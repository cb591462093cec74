//! The KB, its PKS and addenda: creating them (shared), each party's number and signatory
//! (its own), the steps of a PKS or an addendum (signing follows each party's evidence).

use crate::notices::Event;
use crate::{App, AppError, Caller};
use sinergi_domain::FieldError;
use sinergi_domain::agreement::{
    Agreement, AgreementKind, AgreementPatch, AgreementTransitionRequest, NewAgreementInput,
};
use sinergi_domain::authority;
use sinergi_domain::ids::{AgreementId, CaseId};

impl App {
    /// Creates the KB, a PKS or an addendum (shared content: either party).
    ///
    /// # Errors
    /// The caller may not edit the case; the domain's refusals.
    pub async fn create_agreement(
        &self,
        who: &Caller,
        id: CaseId,
        input: &NewAgreementInput,
    ) -> Result<(Agreement, Vec<FieldError>), AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_shared_content(),
            unit,
            None,
        )?;
        let (agreement, warnings) = self
            .store
            .create_agreement(id, input, &who.actor(), self.now())
            .await?;
        if agreement.kind == AgreementKind::Pks {
            self.tell(
                who,
                &case,
                Event::PksProposed,
                &agreement.id.to_string(),
                &format!(
                    "/kerja-sama/{id}/dokumen/pks?agreement={}#naskah",
                    agreement.id
                ),
                false,
            )
            .await;
        }
        Ok((agreement, warnings))
    }

    /// Edits an unsigned agreement: place, dates and title are shared; each party's number,
    /// signatory and surat kuasa are that party's own.
    ///
    /// # Errors
    /// `auth.not_your_act` when the patch sets another party's number or signatory; the
    /// domain's refusals (a future signing date, a signed document, a stale version).
    pub async fn patch_agreement(
        &self,
        who: &Caller,
        id: CaseId,
        agreement: AgreementId,
        patch: &AgreementPatch,
    ) -> Result<Agreement, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_shared_content(),
            unit,
            None,
        )?;
        let current = self.store.get_agreement(id, agreement).await?;
        for p in &patch.parties {
            let theirs = current.parties.iter().find(|x| x.ordinal == p.ordinal);
            let unchanged = theirs.is_some_and(|t| {
                p.number
                    .as_deref()
                    .is_none_or(|n| Some(n.trim()) == t.number.as_deref().or(Some("")))
                    && p.number_unpublished
                        .is_none_or(|u| u == t.number_unpublished)
                    && p.signatory.is_none_or(|s| Some(s) == t.signatory)
                    && p.power_of_attorney.as_deref().is_none_or(|k| {
                        Some(k.trim()) == t.power_of_attorney.as_deref().or(Some(""))
                    })
            });
            // A form shows every party's line; only a changed line is that party's act.
            if !unchanged {
                authority::authorize(
                    &who.principal,
                    &case,
                    &authority::of_agreement_party(p.ordinal),
                    unit,
                    None,
                )?;
            }
        }
        Ok(self
            .store
            .patch_agreement(id, agreement, patch, &who.actor(), self.now())
            .await?)
    }

    /// Records a surat kuasa for a PKS: the act of the grantor's own party (its kepala daerah
    /// grants it to one of its officials).
    ///
    /// # Errors
    /// The caller is not of that party; the domain's refusals.
    pub async fn record_power_of_attorney(
        &self,
        who: &Caller,
        id: CaseId,
        agreement: AgreementId,
        input: &sinergi_domain::power_of_attorney::NewPowerOfAttorney,
    ) -> Result<sinergi_domain::power_of_attorney::PowerOfAttorney, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        let grantor = self
            .store
            .find_official(input.grantor)
            .await?
            .ok_or_else(|| sinergi_domain::DomainError::not_found("official", input.grantor))?;
        let ordinal = case
            .party_of(&grantor.region)
            .map(|p| p.ordinal)
            .ok_or_else(|| {
                sinergi_domain::DomainError::guard(
                    "power_of_attorney.other_region",
                    format!(
                        "{} bukan pejabat daerah pihak kerja sama ini.",
                        grantor.name
                    ),
                    format!(
                        "{} is not an official of a party to this cooperation.",
                        grantor.name
                    ),
                )
            })?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_agreement_party(ordinal),
            unit,
            None,
        )?;
        Ok(self
            .store
            .record_power_of_attorney(id, agreement, input, &who.actor(), self.now())
            .await?)
    }

    /// Takes a step of a PKS or an addendum. Signing needs every party's evidence on the
    /// final text of that document (electronic signature by the signatory's own account, or
    /// a validated wet-ink scan).
    ///
    /// # Errors
    /// The caller may not take the step; the step not allowed now; a failed guard.
    pub async fn transition_agreement(
        &self,
        who: &Caller,
        id: CaseId,
        agreement: AgreementId,
        req: &AgreementTransitionRequest,
    ) -> Result<Agreement, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        let acting = authority::authorize(
            &who.principal,
            &case,
            &authority::of_agreement_step(&req.action),
            unit,
            None,
        )?;
        let actor = if matches!(req.action, sinergi_domain::agreement::AgreementAction::Sign) {
            self.signatory_actor(who, id, agreement, acting.party)
                .await?
        } else {
            who.actor()
        };
        Ok(self
            .store
            .transition_agreement(id, agreement, req, true, &actor, self.now())
            .await?)
    }

    /// The actor of a signing step: staff acting "atas nama" are recorded with their party's
    /// signatory of that document.
    async fn signatory_actor(
        &self,
        who: &Caller,
        id: CaseId,
        agreement: AgreementId,
        party: Option<u16>,
    ) -> Result<sinergi_domain::access::Actor, AppError> {
        if !who
            .principal
            .has(sinergi_domain::access::Role::KepalaDaerahStaff)
        {
            return Ok(who.actor());
        }
        let a = self.store.get_agreement(id, agreement).await?;
        let signatory = party
            .and_then(|o| a.parties.iter().find(|p| p.ordinal == o))
            .and_then(|p| p.signatory);
        let official = match signatory {
            Some(s) => self.store.find_official(s).await?,
            None => None,
        };
        Ok(who.actor_for(official.as_ref()))
    }
}
