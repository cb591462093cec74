//! Implementation and monitoring: the work plan and its realisation are shared (either party
//! records them); each party's programmes and each party's M&E forms are its own.

use crate::notices::Event;
use crate::{App, AppError, Caller};
use sinergi_domain::DomainError;
use sinergi_domain::authority;
use sinergi_domain::ids::CaseId;
use sinergi_domain::monitoring::{
    Activity, Evaluation, EvaluationInput, EvaluationStep, Evidence, NewActivityInput,
    NewProgrammeLinkInput, NewRealisationInput, ProgrammeLink, Realisation,
};
use uuid::Uuid;

impl App {
    async fn shared(&self, who: &Caller, id: CaseId) -> Result<(), AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_shared_content(),
            unit,
            None,
        )?;
        Ok(())
    }

    /// Adds an activity to the work plan (either party).
    ///
    /// # Errors
    /// The caller may not edit the case; the domain's refusals.
    pub async fn add_activity(
        &self,
        who: &Caller,
        id: CaseId,
        input: &NewActivityInput,
    ) -> Result<Activity, AppError> {
        self.shared(who, id).await?;
        Ok(self
            .store
            .add_activity(id, input, &who.actor(), self.now())
            .await?)
    }

    /// Records the realisation of an indicator (either party).
    ///
    /// # Errors
    /// The caller may not edit the case; the domain's refusals.
    pub async fn add_realisation(
        &self,
        who: &Caller,
        id: CaseId,
        activity: Uuid,
        input: &NewRealisationInput,
    ) -> Result<Realisation, AppError> {
        self.shared(who, id).await?;
        Ok(self
            .store
            .add_realisation(id, activity, input, &who.actor(), self.now())
            .await?)
    }

    /// Attaches an evidence file to a realisation (either party).
    ///
    /// # Errors
    /// The caller may not edit the case; a wrong or oversized file.
    pub async fn add_evidence(
        &self,
        who: &Caller,
        id: CaseId,
        realisation: Uuid,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<Evidence, AppError> {
        self.shared(who, id).await?;
        Ok(self
            .store
            .add_evidence(
                &self.documents.context(),
                id,
                realisation,
                file_name,
                bytes,
                &who.actor(),
                self.now(),
            )
            .await?)
    }

    /// Links one party's own RPJMD/RKPD programme to a field: only that party's users.
    ///
    /// # Errors
    /// `auth.not_your_act` for another party's programme; the domain's refusals.
    pub async fn add_programme(
        &self,
        who: &Caller,
        id: CaseId,
        input: &NewProgrammeLinkInput,
    ) -> Result<ProgrammeLink, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_programme(input.party),
            unit,
            None,
        )?;
        Ok(self
            .store
            .add_programme_link(id, input, &who.actor(), self.now())
            .await?)
    }

    /// Saves a draft of the caller's own party's M&E form (`party` may only name it; the
    /// operator names the party it records for).
    ///
    /// # Errors
    /// `auth.not_your_act` for another party's form; the domain's refusals.
    pub async fn save_evaluation(
        &self,
        who: &Caller,
        id: CaseId,
        input: &EvaluationInput,
    ) -> Result<Evaluation, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        let own = authority::own_party(&who.principal, &case).map(|p| p.ordinal);
        // A user's form is their own party's; the operator may record one for a party or,
        // naming none, for the case as a whole.
        let party = input.party.or(own);
        match party {
            Some(p) if case.party(p).is_none() => {
                return Err(DomainError::not_found("party", p).into());
            }
            Some(p) => {
                authority::authorize(
                    &who.principal,
                    &case,
                    &authority::of_evaluation(p),
                    unit,
                    None,
                )?;
            }
            None if who.is_operator() => {}
            None => {
                return Err(
                    DomainError::Validation(vec![sinergi_domain::FieldError::required("party")])
                        .into(),
                );
            }
        }
        let mut input = input.clone();
        input.party = party;
        Ok(self
            .store
            .save_evaluation(id, &input, &who.actor(), self.now())
            .await?)
    }

    /// Submits or reviews a form: the form's own party's users.
    ///
    /// # Errors
    /// `auth.not_your_act` for another party's form; a step not allowed now.
    pub async fn evaluation_step(
        &self,
        who: &Caller,
        id: CaseId,
        evaluation: Uuid,
        step: EvaluationStep,
        expected_version: i64,
    ) -> Result<Evaluation, AppError> {
        let (case, unit) = self.case_for(id, who).await?;
        let form = self
            .store
            .list_evaluations(id)
            .await?
            .into_iter()
            .find(|e| e.id == evaluation)
            .ok_or_else(|| DomainError::not_found("evaluation", evaluation))?;
        let act = match form.party {
            Some(p) => authority::of_evaluation(p),
            None => authority::of_shared_content(),
        };
        authority::authorize(&who.principal, &case, &act, unit, None)?;
        let after = self
            .store
            .evaluation_step(
                id,
                evaluation,
                step,
                expected_version,
                &who.actor(),
                self.now(),
            )
            .await?;
        if step == EvaluationStep::Submit {
            self.tell(
                who,
                &case,
                Event::EvaluationSubmitted,
                &evaluation.to_string(),
                &format!("/kerja-sama/{id}/pemantauan#monev"),
                false,
            )
            .await;
        }
        Ok(after)
    }
}
