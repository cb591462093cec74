//! A region's Perangkat Daerah list (issue 22): its own secretariat keeps it; anyone may read
//! it (the agencies of a government are public).

use sinergi_domain::access::Perm;
use sinergi_domain::opd::NewOpdInput;
use sinergi_store::OpdRow;

use crate::reports::may;
use crate::{App, AppError, Caller};

impl App {
    /// Adds an OPD to the region's list.
    ///
    /// # Errors
    /// A caller who is not the region's secretariat; validation; storage.
    pub async fn add_opd(
        &self,
        caller: &Caller,
        region: &str,
        input: &NewOpdInput,
    ) -> Result<OpdRow, AppError> {
        may(caller, region, Perm::RegionManage)?;
        Ok(self
            .store
            .add_opd(region, input, &caller.actor(), self.clock.now())
            .await?)
    }

    /// The region's OPD, by name.
    ///
    /// # Errors
    /// An unknown region; storage.
    pub async fn opds(&self, region: &str) -> Result<Vec<OpdRow>, AppError> {
        self.store.get_region(region).await?;
        Ok(self.store.opds_of_region(region).await?)
    }
}
