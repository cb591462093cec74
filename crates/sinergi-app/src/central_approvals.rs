//! The central government's answers on a KSDPL/KSDLL (issue 22): the Indonesian government
//! party records the letters it received; whoever may read the case reads them.

use sinergi_domain::DomainError;
use sinergi_domain::authority;
use sinergi_domain::central_approval::{CentralApproval, NewCentralApproval};
use sinergi_domain::ids::CaseId;

use crate::{App, AppError, Caller};

impl App {
    /// Records a ministry's answer, as the case's Indonesian government party.
    ///
    /// # Errors
    /// Not that party's act; validation (a case that needs none, a future letter date).
    pub async fn record_central_approval(
        &self,
        who: &Caller,
        case_id: CaseId,
        input: &NewCentralApproval,
    ) -> Result<CentralApproval, AppError> {
        let (case, unit) = self.case_for(case_id, who).await?;
        let Some(gov) = case.government_parties().next().map(|p| p.ordinal) else {
            return Err(DomainError::not_found("party", 1).into());
        };
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_central_approval(gov),
            unit,
            None,
        )?;
        Ok(self
            .store
            .record_central_approval(case_id, input, &who.actor(), self.now())
            .await?)
    }

    /// The case's central approvals.
    ///
    /// # Errors
    /// A case the caller may not read.
    pub async fn central_approvals(
        &self,
        who: &Caller,
        case_id: CaseId,
    ) -> Result<Vec<CentralApproval>, AppError> {
        self.case_for(case_id, who).await?;
        Ok(self.store.central_approvals(case_id).await?)
    }
}
