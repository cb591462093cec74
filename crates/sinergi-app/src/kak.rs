//! The KAK (issue 22): each party's OPD pemrakarsa or secretariat writes its own; whoever
//! may read the case reads them (the partner sees the initiator's once the offer is sent,
//! as the case itself).

use sinergi_domain::DomainError;
use sinergi_domain::authority;
use sinergi_domain::ids::CaseId;
use sinergi_domain::kak::{Kak, KakInput};

use crate::{App, AppError, Caller};

impl App {
    /// Saves a new version of a party's KAK: the caller's own party, or the one named (the
    /// operator names it).
    ///
    /// # Errors
    /// Not the caller's party (`auth.not_your_act`); a stale version; validation.
    pub async fn save_kak(
        &self,
        who: &Caller,
        case_id: CaseId,
        party: Option<u16>,
        input: &KakInput,
    ) -> Result<Kak, AppError> {
        let (case, unit) = self.case_for(case_id, who).await?;
        let own = authority::own_party(&who.principal, &case).map(|p| p.ordinal);
        let Some(ordinal) = party.or(own) else {
            return Err(
                DomainError::Validation(vec![sinergi_domain::FieldError::required("party")]).into(),
            );
        };
        if case
            .party(ordinal)
            .and_then(|p| p.region.as_ref())
            .is_none()
        {
            return Err(DomainError::not_found("party", ordinal).into());
        }
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_kak(ordinal),
            unit,
            None,
        )?;
        Ok(self
            .store
            .save_kak(case_id, ordinal, input, &who.actor(), self.now())
            .await?)
    }

    /// The latest KAK of each party.
    ///
    /// # Errors
    /// A case the caller may not read (`case.not_found`).
    pub async fn kak(&self, who: &Caller, case_id: CaseId) -> Result<Vec<Kak>, AppError> {
        self.case_for(case_id, who).await?;
        Ok(self.store.kak_of_case(case_id).await?)
    }
}
