//! A region's numbering rules and its register (issue 22): its own secretariat sets them,
//! its own staff and overseers read the register. Numbers themselves are issued when a
//! document is finalised (`App::finalize`).

use sinergi_domain::DomainError;
use sinergi_domain::access::Perm;
use sinergi_domain::numbering::{NumberedKind, NumberingRuleInput};
use sinergi_store::{NumberingRuleRow, RegisterEntry};

use crate::reports::may;
use crate::{App, AppError, Caller};

/// The kind a request names (`kb`, `pks`, `addendum`).
///
/// # Errors
/// `numbering.unknown_kind`, naming the kinds there are.
pub fn numbered_kind(s: &str) -> Result<NumberedKind, AppError> {
    NumberedKind::parse(s).ok_or_else(|| {
        DomainError::guard(
            "numbering.unknown_kind",
            format!("Jenis naskah bernomor tidak dikenal: {s} (kb, pks, addendum, surat)."),
            format!("Unknown numbered document kind: {s} (kb, pks, addendum, surat)."),
        )
        .into()
    })
}

impl App {
    /// Sets the region's rule for one kind of document.
    ///
    /// # Errors
    /// A caller who is not the region's secretariat; validation; storage.
    pub async fn set_numbering_rule(
        &self,
        caller: &Caller,
        region: &str,
        kind: NumberedKind,
        input: &NumberingRuleInput,
    ) -> Result<NumberingRuleRow, AppError> {
        may(caller, region, Perm::RegionManage)?;
        let rule = input.validate(kind)?;
        Ok(self
            .store
            .set_numbering_rule(region, &rule, &caller.actor(), self.clock.now())
            .await?)
    }

    /// The region's rules and the numbers it issued (one year, or the latest).
    ///
    /// # Errors
    /// A caller who may not read the region's records; storage.
    pub async fn numbering(
        &self,
        caller: &Caller,
        region: &str,
        year: Option<i32>,
    ) -> Result<(Vec<NumberingRuleRow>, Vec<RegisterEntry>), AppError> {
        may(caller, region, Perm::ReportRead)?;
        self.store.get_region(region).await?;
        Ok((
            self.store.numbering_rules(region).await?,
            self.store.number_register(region, year).await?,
        ))
    }
}
