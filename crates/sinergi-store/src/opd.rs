//! A region's master list of Perangkat Daerah (issue 22), and the one place a typed unit
//! name becomes the name stored: as typed while the region has no list, the list's own name
//! once it has one (`sinergi_domain::opd::resolve`).

use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::access::Actor;
use sinergi_domain::opd::{NewOpdInput, Opd, folded};
use time::OffsetDateTime;
use uuid::Uuid;

/// One OPD of a region, as stored.
#[derive(Debug, Clone, Serialize, sqlx::FromRow, utoipa::ToSchema)]
pub struct OpdRow {
    pub id: Uuid,
    pub region_code: String,
    pub name: String,
    pub abbreviation: Option<String>,
    /// Urusan codes it carries.
    #[schema(value_type = Vec<String>)]
    pub urusan: sqlx::types::Json<Vec<String>>,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String, format = DateTime)]
    pub created_at: OffsetDateTime,
}

impl OpdRow {
    fn opd(&self) -> Opd {
        Opd {
            name: self.name.clone(),
            abbreviation: self.abbreviation.clone(),
            urusan: self.urusan.0.clone(),
        }
    }
}

impl Store {
    /// The region's OPD, by name.
    ///
    /// # Errors
    /// Database errors.
    pub async fn opds_of_region(&self, region: &str) -> Result<Vec<OpdRow>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT id, region_code, name, abbreviation, urusan, created_by, created_at FROM region_units \
                 WHERE region_code = $1 ORDER BY name",
            ).bind(region).fetch_all(p).await?
        }))
    }

    /// Adds an OPD to the region's list; audited.
    ///
    /// # Errors
    /// An unknown region; validation (a name or abbreviation already listed, an unknown
    /// urusan); database errors.
    pub async fn add_opd(
        &self,
        region: &str,
        input: &NewOpdInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<OpdRow, StoreError> {
        self.get_region(region).await?;
        let existing: Vec<Opd> = self
            .opds_of_region(region)
            .await?
            .iter()
            .map(OpdRow::opd)
            .collect();
        let urusan = &sinergi_domain::catalog::catalog().urusan;
        let opd = input.validate(&existing, |code| urusan.iter().any(|u| u.code == code))?;
        let row = OpdRow {
            id: Uuid::now_v7(),
            region_code: region.to_owned(),
            name: opd.name,
            abbreviation: opd.abbreviation,
            urusan: sqlx::types::Json(opd.urusan),
            created_by: actor.label.clone(),
            created_at: now,
        };
        let change = Change::new("opd.create", "opd", row.id).after(&row);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO region_units (id, region_code, name, folded_name, abbreviation, urusan, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(row.id).bind(&row.region_code).bind(&row.name).bind(folded(&row.name)).bind(row.abbreviation.as_deref())
            .bind(&row.urusan).bind(&row.created_by).bind(row.created_at)
            .execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &change)?;
            tx.commit().await?;
        });
        Ok(row)
    }

    /// The unit name to store for what was typed in `field` for `region`.
    ///
    /// # Errors
    /// `unknown_unit` when the region has a list without it; database errors.
    pub(crate) async fn canonical_unit(
        &self,
        region: &str,
        field: &str,
        typed: &str,
    ) -> Result<String, StoreError> {
        let units: Vec<Opd> = self
            .opds_of_region(region)
            .await?
            .iter()
            .map(OpdRow::opd)
            .collect();
        if units.is_empty() {
            return Ok(sinergi_domain::opd::resolve(&[], "", field, typed)?);
        }
        let r = self.get_region(region).await?;
        let name = if r.region.level == "province" {
            format!("Provinsi {}", r.region.name)
        } else {
            r.region.name.clone()
        };
        Ok(sinergi_domain::opd::resolve(&units, &name, field, typed)?)
    }

    /// [`Store::canonical_unit`] for an optional unit (empty stays none).
    ///
    /// # Errors
    /// As `canonical_unit`.
    pub(crate) async fn canonical_opt_unit(
        &self,
        region: &str,
        field: &str,
        typed: Option<&str>,
    ) -> Result<Option<String>, StoreError> {
        match typed.map(str::trim).filter(|t| !t.is_empty()) {
            Some(t) => Ok(Some(self.canonical_unit(region, field, t).await?)),
            None => Ok(None),
        }
    }
}
