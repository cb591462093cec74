//! TKKSD kajian records (issue 22): recorded with their step (`recommend`, `review_offer`);
//! read only by the reviewing side (and the operator), as a side's review is its internal
//! work; the reviewing side's secretariat attaches the telaahan staf.

use sinergi_domain::DomainError;
use sinergi_domain::authority;
use sinergi_domain::ids::CaseId;
use sinergi_domain::kajian::{KajianRecord, TelaahanFile};
use uuid::Uuid;

use crate::{App, AppError, Caller};

impl App {
    /// The kajian of the case the caller's side held (all of them for the operator).
    ///
    /// # Errors
    /// A case the caller may not read.
    pub async fn kajian(
        &self,
        who: &Caller,
        case_id: CaseId,
    ) -> Result<Vec<KajianRecord>, AppError> {
        self.case_for(case_id, who).await?;
        let all = self.store.kajian_of_case(case_id).await?;
        Ok(all
            .into_iter()
            .filter(|k| k.visible_to(&who.principal))
            .collect())
    }

    async fn own_kajian(
        &self,
        who: &Caller,
        case_id: CaseId,
        review: Uuid,
    ) -> Result<KajianRecord, AppError> {
        self.kajian(who, case_id)
            .await?
            .into_iter()
            .find(|k| k.id == review)
            .ok_or_else(|| DomainError::not_found("kajian", review).into())
    }

    /// Attaches the telaahan staf to one of the caller's side's kajian.
    ///
    /// # Errors
    /// A kajian of the other side (`kajian.not_found`: it is not shown to them); not the
    /// caller's act; the file's refusals.
    pub async fn attach_telaahan(
        &self,
        who: &Caller,
        case_id: CaseId,
        review: Uuid,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<KajianRecord, AppError> {
        let (case, unit) = self.case_for(case_id, who).await?;
        let k = self.own_kajian(who, case_id, review).await?;
        authority::authorize(
            &who.principal,
            &case,
            &authority::of_kajian(k.kajian.party),
            unit,
            None,
        )?;
        Ok(self
            .store
            .attach_telaahan(
                &self.documents.context(),
                case_id,
                review,
                file_name,
                bytes,
                &who.actor(),
                self.now(),
            )
            .await?)
    }

    /// The telaahan staf file of one of the caller's side's kajian.
    ///
    /// # Errors
    /// `kajian.not_found` (also for the other side's); a kajian without one.
    pub async fn telaahan_file(
        &self,
        who: &Caller,
        case_id: CaseId,
        review: Uuid,
    ) -> Result<(TelaahanFile, Vec<u8>), AppError> {
        let k = self.own_kajian(who, case_id, review).await?;
        let file = k
            .telaahan
            .ok_or_else(|| DomainError::not_found("telaahan", review))?;
        let bytes = self
            .documents
            .files
            .get(&file.sha256)
            .await
            .map_err(|e| AppError::from(sinergi_store::StoreError::Files(e)))?
            .ok_or_else(|| DomainError::not_found("telaahan", review))?;
        Ok((file, bytes))
    }
}
