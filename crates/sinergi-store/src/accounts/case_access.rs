//! The per-case facts the permission check needs: the parties, publication and the OPDs
//! involved.

use super::CaseAccess;
use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::access::Actor;
use sinergi_domain::ids::CaseId;
use sinergi_domain::{DomainError, FieldError};
use time::OffsetDateTime;

impl Store {
    /// The agencies (OPD) recorded on a case, as (region code, unit).
    ///
    /// # Errors
    /// Database errors.
    pub async fn case_units(&self, id: CaseId) -> Result<Vec<(String, String)>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as("SELECT region_code, unit FROM case_units WHERE case_id = $1").bind(id.0).fetch_all(p).await?
        }))
    }

    /// The facts the permission check needs about a case; `None` if it does not exist.
    ///
    /// # Errors
    /// Database errors.
    pub async fn case_access(&self, id: CaseId) -> Result<Option<CaseAccess>, StoreError> {
        let flags: Option<(bool, bool)> = on_pool!(&self.db, p => {
            sqlx::query_as("SELECT published, offered FROM cases WHERE id = $1").bind(id.0).fetch_optional(p).await?
        });
        let Some((published, offered)) = flags else {
            return Ok(None);
        };
        let parties: Vec<Option<String>> = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT region_code FROM case_parties WHERE case_id = $1 ORDER BY ordinal").bind(id.0).fetch_all(p).await?
        });
        let units = self.case_units(id).await?;
        Ok(Some(CaseAccess {
            parties: parties.into_iter().flatten().collect(),
            published,
            offered,
            units,
        }))
    }

    /// Records an OPD involved in a case on one side.
    ///
    /// # Errors
    /// A region that is not a party; database errors.
    pub async fn add_case_unit(
        &self,
        id: CaseId,
        region: &str,
        unit: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        if unit.trim().is_empty() {
            return Err(DomainError::Validation(vec![FieldError::required("unit")]).into());
        }
        let unit = self.canonical_unit(region, "unit", unit).await?;
        let unit = unit.as_str();
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO case_units (case_id, region_code, unit) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                .bind(id.0).bind(region).bind(unit).execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("case.add_unit", "case", id).case(id.0)
                .after(&serde_json::json!({ "region": region, "unit": unit })))?;
            tx.commit().await?;
        });
        Ok(())
    }
}
