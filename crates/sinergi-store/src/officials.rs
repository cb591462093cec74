//! Officials and TKKSD of a region.

use crate::audit::{Change, append_audit};
use crate::rows::OfficialRow;
use crate::{Store, StoreError, on_pool};
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::ids::{OfficialId, TkksdId};
use sinergi_domain::official::{
    NewOfficialInput, NewTkksdInput, Official, Tkksd, TkksdMember, TkksdPosition,
};
use sinergi_domain::region::RegionCode;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

const OFFICIAL_COLS: &str = "id, region_code, name, position, office, acting, unit, nip, email, phone, term_start, term_end";

#[derive(sqlx::FromRow)]
struct TkksdRow {
    id: Uuid,
    region_code: String,
    decree_number: Option<String>,
    decree_date: Option<Date>,
    period_start: Option<Date>,
    period_end: Option<Date>,
    secretariat_unit: Option<String>,
}

impl Store {
    async fn require_region(&self, code: &str) -> Result<RegionCode, StoreError> {
        let code = RegionCode::parse(code)?;
        let exists: Option<String> = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT code FROM regions WHERE code = $1").bind(code.as_str()).fetch_optional(p).await?
        });
        if exists.is_none() {
            return Err(DomainError::UnknownRegion(code.to_string()).into());
        }
        Ok(code)
    }

    /// Adds an official to a region.
    ///
    /// # Errors
    /// Unknown region; field errors; database errors.
    pub async fn create_official(
        &self,
        region: &str,
        input: &NewOfficialInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Official, StoreError> {
        let region = self.require_region(region).await?;
        let mut o = input.validate(OfficialId::new_v7(now), region)?;
        o.unit = self
            .canonical_opt_unit(o.region.as_str(), "unit", o.unit.as_deref())
            .await?;
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO officials (id, region_code, name, position, office, acting, unit, nip, email, phone, term_start, term_end, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(o.id.0).bind(o.region.as_str()).bind(&o.name).bind(&o.position).bind(o.office.as_str()).bind(o.acting.as_str())
            .bind(o.unit.as_deref()).bind(o.nip.as_deref()).bind(o.email.as_deref()).bind(o.phone.as_deref())
            .bind(o.term_start).bind(o.term_end).bind(now)
            .execute(&mut *tx).await?;
            append_audit!(tx, actor, now, &Change::new("official.create", "official", o.id).after(&o))?;
            tx.commit().await?;
        });
        Ok(o)
    }

    /// One official, if it exists.
    ///
    /// # Errors
    /// Database errors.
    pub async fn find_official(&self, id: OfficialId) -> Result<Option<Official>, StoreError> {
        let sql = format!("SELECT {OFFICIAL_COLS} FROM officials WHERE id = $1");
        let row: Option<OfficialRow> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(id.0).fetch_optional(p).await?
        });
        row.map(Official::try_from).transpose()
    }

    /// The officials of the given regions, ordered by region and name.
    ///
    /// # Errors
    /// Database errors.
    pub async fn officials_of_regions(
        &self,
        regions: &[String],
    ) -> Result<Vec<Official>, StoreError> {
        if regions.is_empty() {
            return Ok(Vec::new());
        }
        let ph = (1..=regions.len())
            .map(|i| format!("${i}"))
            .collect::<Vec<_>>()
            .join(", ");
        let sql = format!(
            "SELECT {OFFICIAL_COLS} FROM officials WHERE region_code IN ({ph}) \
             ORDER BY region_code, CASE office WHEN 'kepala_daerah' THEN 0 WHEN 'wakil_kepala_daerah' THEN 1 WHEN 'sekda' THEN 2 ELSE 3 END, name"
        );
        let rows: Vec<OfficialRow> = on_pool!(&self.db, p => {
            let mut q = sqlx::query_as(sqlx::AssertSqlSafe(sql));
            for r in regions {
                q = q.bind(r.as_str());
            }
            q.fetch_all(p).await?
        });
        rows.into_iter().map(Official::try_from).collect()
    }

    /// Forms (or re-forms) a region's TKKSD.
    ///
    /// # Errors
    /// Unknown region; members of another region; database errors.
    pub async fn create_tkksd(
        &self,
        region: &str,
        input: &NewTkksdInput,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Tkksd, StoreError> {
        let region = self.require_region(region).await?;
        let officials = self
            .officials_by_id(input.members.iter().map(|m| m.official).collect())
            .await?;
        let t = input.validate(TkksdId::new_v7(now), region, |id| {
            officials.get(&id).map(|o| o.region.clone())
        })?;
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO tkksd (id, region_code, decree_number, decree_date, period_start, period_end, secretariat_unit, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(t.id.0).bind(t.region.as_str()).bind(t.decree_number.as_deref()).bind(t.decree_date)
            .bind(t.period_start).bind(t.period_end).bind(t.secretariat_unit.as_deref()).bind(now)
            .execute(&mut *tx).await?;
            for m in &t.members {
                sqlx::query("INSERT INTO tkksd_members (tkksd_id, official_id, position) VALUES ($1, $2, $3)")
                    .bind(t.id.0).bind(m.official.0).bind(m.position.as_str())
                    .execute(&mut *tx).await?;
            }
            append_audit!(tx, actor, now, &Change::new("tkksd.create", "tkksd", t.id).after(&t))?;
            tx.commit().await?;
        });
        Ok(t)
    }

    /// The most recently formed TKKSD of a region.
    ///
    /// # Errors
    /// Database errors.
    pub async fn current_tkksd(&self, region: &str) -> Result<Option<Tkksd>, StoreError> {
        let (row, members) = on_pool!(&self.db, p => {
            let row: Option<TkksdRow> = sqlx::query_as(
                "SELECT id, region_code, decree_number, decree_date, period_start, period_end, secretariat_unit FROM tkksd \
                 WHERE region_code = $1 ORDER BY created_at DESC, id DESC LIMIT 1",
            ).bind(region).fetch_optional(p).await?;
            let members: Vec<(Uuid, String)> = match &row {
                Some(r) => sqlx::query_as("SELECT official_id, position FROM tkksd_members WHERE tkksd_id = $1")
                    .bind(r.id).fetch_all(p).await?,
                None => Vec::new(),
            };
            (row, members)
        });
        let Some(r) = row else { return Ok(None) };
        Ok(Some(Tkksd {
            id: TkksdId(r.id),
            region: RegionCode::parse(&r.region_code)?,
            decree_number: r.decree_number,
            decree_date: r.decree_date,
            period_start: r.period_start,
            period_end: r.period_end,
            secretariat_unit: r.secretariat_unit,
            members: members
                .into_iter()
                .map(|(o, pos)| TkksdMember {
                    official: OfficialId(o),
                    position: TkksdPosition::parse(&pos).unwrap_or(TkksdPosition::Anggota),
                })
                .collect(),
        }))
    }

    /// (region, official) pairs of the current TKKSD members of the given regions.
    pub(crate) async fn tkksd_members_of(
        &self,
        regions: &[String],
    ) -> Result<Vec<(RegionCode, OfficialId)>, StoreError> {
        let mut out = Vec::new();
        for r in regions {
            if let Some(t) = self.current_tkksd(r).await? {
                out.extend(t.members.iter().map(|m| (t.region.clone(), m.official)));
            }
        }
        Ok(out)
    }
}
