//! Reports sent up the line (issue 22): the secretariat records that a report went to the
//! Governor or the Minister — its own region's only.

use sinergi_domain::DomainError;
use sinergi_domain::access::Perm;
use sinergi_domain::report_submission::NewReportSubmission;
use sinergi_store::SubmissionRow;

use crate::{App, AppError, Caller};

/// The caller's roles grant `perm` on `region` (its own, or one it oversees).
pub(crate) fn may(caller: &Caller, region: &str, perm: Perm) -> Result<(), AppError> {
    let p = &caller.principal;
    if p.may(perm, p.relation_to_side(region, &[]), false) {
        Ok(())
    } else {
        Err(AppError::Refused(DomainError::Forbidden {
            perm: perm.as_str(),
        }))
    }
}

impl App {
    /// Records that the region sent a report (mapping, evaluation, implementation, LPPD).
    ///
    /// # Errors
    /// A caller who is not the region's secretariat; validation; storage.
    pub async fn record_report_submission(
        &self,
        caller: &Caller,
        region: &str,
        input: &NewReportSubmission,
    ) -> Result<SubmissionRow, AppError> {
        may(caller, region, Perm::RegionManage)?;
        let level = sinergi_reference::level_of_code(region)
            .filter(|l| l.is_daerah())
            .ok_or_else(|| AppError::Refused(DomainError::NotADaerah(region.to_owned())))?;
        let now = self.clock.now();
        let checked = input.validate(level, sinergi_domain::clock::today(now))?;
        Ok(self
            .store
            .record_report_submission(region, &checked, &caller.actor(), now)
            .await?)
    }

    /// The reports the region sent, newest first: its own staff and its overseers.
    ///
    /// # Errors
    /// A caller who may not read the region's reports; storage.
    pub async fn report_submissions(
        &self,
        caller: &Caller,
        region: &str,
    ) -> Result<Vec<SubmissionRow>, AppError> {
        may(caller, region, Perm::ReportRead)?;
        Ok(self.store.report_submissions(region).await?)
    }
}
