//! The surat kuasa recorded for a PKS (issue 22): one row, one history line and one audit
//! entry in one transaction; the region's number is unique in the database, so two staff
//! recording the same number at once get one letter and one refusal.

use crate::audit::{Change, append_audit};
use crate::history::{HistoryEntry, insert_history};
use crate::{Store, StoreError, on_pool};
use sinergi_domain::DomainError;
use sinergi_domain::access::Actor;
use sinergi_domain::ids::{AgreementId, CaseId, OfficialId, PowerOfAttorneyId};
use sinergi_domain::power_of_attorney::{NewPowerOfAttorney, PowerOfAttorney};
use sinergi_domain::region::RegionCode;
use time::{Date, OffsetDateTime};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    id: Uuid,
    case_id: Uuid,
    agreement_id: Uuid,
    region_code: String,
    number: String,
    issued_on: Date,
    grantor_id: Uuid,
    grantor_name: String,
    grantor_title: String,
    grantee_id: Uuid,
    grantee_name: String,
    grantee_title: String,
    created_at: OffsetDateTime,
}

impl TryFrom<Row> for PowerOfAttorney {
    type Error = StoreError;
    fn try_from(r: Row) -> Result<Self, StoreError> {
        Ok(Self {
            id: PowerOfAttorneyId(r.id),
            case_id: CaseId(r.case_id),
            agreement: AgreementId(r.agreement_id),
            region: RegionCode::parse(&r.region_code).map_err(|_| StoreError::UnknownValue {
                what: "region".to_owned(),
                value: r.region_code.clone(),
            })?,
            number: r.number,
            issued_on: r.issued_on,
            grantor: OfficialId(r.grantor_id),
            grantor_name: r.grantor_name,
            grantor_title: r.grantor_title,
            grantee: OfficialId(r.grantee_id),
            grantee_name: r.grantee_name,
            grantee_title: r.grantee_title,
            created_at: r.created_at,
        })
    }
}

const COLS: &str = "id, case_id, agreement_id, region_code, number, issued_on, grantor_id, grantor_name, grantor_title, \
                    grantee_id, grantee_name, grantee_title, created_at";

impl Store {
    /// The surat kuasa recorded for one agreement, oldest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn powers_of_attorney(
        &self,
        agreement: AgreementId,
    ) -> Result<Vec<PowerOfAttorney>, StoreError> {
        let sql = format!(
            "SELECT {COLS} FROM powers_of_attorney WHERE agreement_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<Row> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(agreement.0).fetch_all(p).await?
        });
        rows.into_iter().map(PowerOfAttorney::try_from).collect()
    }

    /// The surat kuasa recorded for the agreements of a case.
    ///
    /// # Errors
    /// Database errors.
    pub async fn powers_of_attorney_of_case(
        &self,
        case: CaseId,
    ) -> Result<Vec<PowerOfAttorney>, StoreError> {
        let sql = format!(
            "SELECT {COLS} FROM powers_of_attorney WHERE case_id = $1 ORDER BY created_at, id"
        );
        let rows: Vec<Row> = on_pool!(&self.db, p => {
            sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(case.0).fetch_all(p).await?
        });
        rows.into_iter().map(PowerOfAttorney::try_from).collect()
    }

    /// Records a surat kuasa for a PKS (checked by the domain), with its history line and
    /// audit entry.
    ///
    /// # Errors
    /// Unknown agreement or officials; the domain's refusals; a number the region used.
    pub async fn record_power_of_attorney(
        &self,
        case_id: CaseId,
        agreement_id: AgreementId,
        input: &NewPowerOfAttorney,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<PowerOfAttorney, StoreError> {
        let agreement = self.get_agreement(case_id, agreement_id).await?;
        let parent_kind = match agreement.parent {
            Some(p) => Some(self.get_agreement(case_id, p).await?.kind),
            None => None,
        };
        let official = |id: OfficialId| async move {
            self.find_official(id)
                .await?
                .ok_or_else(|| StoreError::from(DomainError::not_found("official", id)))
        };
        let grantor = official(input.grantor).await?;
        let grantee = official(input.grantee).await?;
        let used: Vec<String> = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT number FROM powers_of_attorney WHERE region_code = $1 AND number = $2")
                .bind(grantor.region.as_str()).bind(input.number.trim()).fetch_all(p).await?
        });
        let k = input.validate(
            PowerOfAttorneyId::new_v7(now),
            &agreement,
            parent_kind,
            &grantor,
            &grantee,
            &used,
            crate::cases::today(now),
            now,
        )?;
        let mut h = HistoryEntry::new(case_id, actor, "record_power_of_attorney", now);
        h.details = serde_json::json!({
            "agreement": agreement_id, "number": k.number, "grantor": k.grantor_name, "grantee": k.grantee_name,
        });
        let change = Change::new("power_of_attorney.record", "power_of_attorney", k.id)
            .case(case_id.0)
            .after(&k);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO powers_of_attorney (id, case_id, agreement_id, region_code, number, issued_on, grantor_id, grantor_name, \
                 grantor_title, grantee_id, grantee_name, grantee_title, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(k.id.0).bind(case_id.0).bind(agreement_id.0).bind(k.region.as_str()).bind(&k.number).bind(k.issued_on)
            .bind(k.grantor.0).bind(&k.grantor_name).bind(&k.grantor_title)
            .bind(k.grantee.0).bind(&k.grantee_name).bind(&k.grantee_title).bind(now)
            .execute(&mut *tx).await?;
            insert_history!(tx, &h)?;
            append_audit!(tx, actor, now, &change)?;
            tx.commit().await?;
        });
        Ok(k)
    }
}
