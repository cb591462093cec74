//! A region's register brought in (issue 19): what is already there (agreements of the
//! region's cases, keys of rows imported before), and the writing of every accepted row in one
//! transaction — the import, each case and agreement, their history rows ("Tercatat dari
//! impor: file, baris"), audit entries and record keys.

use std::collections::HashMap;

use crate::agreements::{COLS, insert_agreement};
use crate::audit::{Change, append_audit};
use crate::cases::{case_year, insert_case, title_key, write_case_children};
use crate::history::{HistoryEntry, insert_history};
use crate::rows::AgreementRow;
use crate::{Store, StoreError, on_pool};
use sinergi_domain::access::Actor;
use sinergi_domain::agreement::Agreement;
use sinergi_domain::case::Case;
use sinergi_domain::ids::CaseId;
use sinergi_domain::region::RegionCode;
use sqlx::types::Json;
use time::OffsetDateTime;
use uuid::Uuid;

/// An agreement of one of the region's cases, with the case's title and parties, for finding
/// a PKS's KB and possible duplicates.
#[derive(Debug, Clone)]
pub struct ExistingAgreement {
    pub agreement: Agreement,
    pub case_title: String,
    /// Region codes, or the lower-cased names of non-government parties.
    pub parties: Vec<String>,
}

/// One accepted row to write.
#[derive(Debug, Clone)]
pub struct LegacyWrite {
    /// A new case to open, or `None` when the agreement joins an existing case.
    pub case: Option<Case>,
    pub agreement: Agreement,
    pub record_key: String,
    pub line: usize,
    /// The OPD named by the register, recorded for the importing region.
    pub unit: Option<String>,
    pub note: String,
    pub details: serde_json::Value,
}

/// The import as a whole.
#[derive(Debug, Clone)]
pub struct RegisterWrite<'a> {
    pub region: &'a str,
    pub file_name: &'a str,
    pub file_sha256: &'a str,
    pub sheet: Option<&'a str>,
    pub rows: Vec<LegacyWrite>,
    /// The import's id.
    pub id: Uuid,
    /// Counts the rows written, for a progress display.
    pub written: Option<&'a std::sync::atomic::AtomicUsize>,
}

#[derive(sqlx::FromRow)]
struct PartyKey {
    case_id: Uuid,
    region_code: Option<String>,
    name: String,
}

#[derive(sqlx::FromRow)]
struct TitleRow {
    id: Uuid,
    title: String,
}

/// A file a region's admin uploaded to import.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegisterUpload {
    pub sha256: String,
    pub file_name: String,
    pub uploaded_by: String,
    pub uploaded_at: OffsetDateTime,
}

/// An import that was written.
#[derive(Debug, Clone, serde::Serialize, sqlx::FromRow)]
pub struct RegisterImportSummary {
    pub id: Uuid,
    pub file_name: String,
    pub file_sha256: String,
    pub sheet: Option<String>,
    pub records: i64,
    pub imported_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub imported_at: OffsetDateTime,
}

impl Store {
    /// Records that `region` uploaded the file `sha256` (kept in the file store) to import.
    ///
    /// # Errors
    /// Database errors.
    pub async fn record_register_upload(
        &self,
        region: &str,
        sha256: &str,
        file_name: &str,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<(), StoreError> {
        on_pool!(&self.db, p => {
            sqlx::query(
                "INSERT INTO register_uploads (sha256, region_code, file_name, uploaded_by, uploaded_at) VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (sha256, region_code) DO UPDATE SET file_name = excluded.file_name, uploaded_by = excluded.uploaded_by, uploaded_at = excluded.uploaded_at",
            )
            .bind(sha256).bind(region).bind(file_name).bind(&actor.label).bind(now)
            .execute(p).await?;
        });
        Ok(())
    }

    /// The file `sha256` if `region` uploaded it.
    ///
    /// # Errors
    /// Database errors.
    pub async fn register_upload(
        &self,
        region: &str,
        sha256: &str,
    ) -> Result<Option<RegisterUpload>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT sha256, file_name, uploaded_by, uploaded_at FROM register_uploads WHERE region_code = $1 AND sha256 = $2",
            ).bind(region).bind(sha256).fetch_optional(p).await?
        }))
    }

    /// Whether the import `id` of `region` was written.
    ///
    /// # Errors
    /// Database errors.
    pub async fn register_import_exists(&self, region: &str, id: Uuid) -> Result<bool, StoreError> {
        let n: i64 = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM register_imports WHERE region_code = $1 AND id = $2")
                .bind(region).bind(id).fetch_one(p).await?
        });
        Ok(n > 0)
    }

    /// The region's written imports, newest first (at most 50).
    ///
    /// # Errors
    /// Database errors.
    pub async fn register_imports_of(
        &self,
        region: &str,
    ) -> Result<Vec<RegisterImportSummary>, StoreError> {
        Ok(on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT id, file_name, file_sha256, sheet, records, imported_by, imported_at FROM register_imports \
                 WHERE region_code = $1 ORDER BY imported_at DESC, id DESC LIMIT 50",
            ).bind(region).fetch_all(p).await?
        }))
    }

    /// The agreements of every case the region is a party to.
    ///
    /// # Errors
    /// Database errors.
    pub async fn region_agreements(
        &self,
        region: &str,
    ) -> Result<Vec<ExistingAgreement>, StoreError> {
        let sql = format!(
            "SELECT {COLS} FROM agreements WHERE case_id IN (SELECT case_id FROM case_parties WHERE region_code = $1) ORDER BY created_at, id"
        );
        let (rows, parties, titles) = on_pool!(&self.db, p => {
            let rows: Vec<AgreementRow> = sqlx::query_as(sqlx::AssertSqlSafe(sql)).bind(region).fetch_all(p).await?;
            let parties: Vec<PartyKey> = sqlx::query_as(
                "SELECT case_id, region_code, name FROM case_parties WHERE case_id IN (SELECT case_id FROM case_parties WHERE region_code = $1)",
            ).bind(region).fetch_all(p).await?;
            let titles: Vec<TitleRow> = sqlx::query_as(
                "SELECT id, title FROM cases WHERE id IN (SELECT case_id FROM case_parties WHERE region_code = $1)",
            ).bind(region).fetch_all(p).await?;
            (rows, parties, titles)
        });
        let mut by_case: HashMap<Uuid, Vec<String>> = HashMap::new();
        for p in parties {
            by_case
                .entry(p.case_id)
                .or_default()
                .push(p.region_code.unwrap_or_else(|| p.name.to_lowercase()));
        }
        let titles: HashMap<Uuid, String> = titles.into_iter().map(|t| (t.id, t.title)).collect();
        rows.into_iter()
            .map(|r| {
                let agreement = Agreement::try_from(r)?;
                let id = agreement.case_id.0;
                Ok(ExistingAgreement {
                    case_title: titles.get(&id).cloned().unwrap_or_default(),
                    parties: by_case.get(&id).cloned().unwrap_or_default(),
                    agreement,
                })
            })
            .collect()
    }

    /// Keys of the rows this region imported before, with the case each became.
    ///
    /// # Errors
    /// Database errors.
    pub async fn imported_keys(&self, region: &str) -> Result<HashMap<String, CaseId>, StoreError> {
        #[derive(sqlx::FromRow)]
        struct KeyRow {
            record_key: String,
            case_id: Uuid,
        }
        let rows: Vec<KeyRow> = on_pool!(&self.db, p => {
            sqlx::query_as(
                "SELECT r.record_key, r.case_id FROM imported_records r JOIN register_imports i ON i.id = r.import_id WHERE i.region_code = $1",
            ).bind(region).fetch_all(p).await?
        });
        Ok(rows
            .into_iter()
            .map(|r| (r.record_key, CaseId(r.case_id)))
            .collect())
    }

    /// Writes every accepted row in one transaction: all of them or none.
    ///
    /// # Errors
    /// Database errors (a row imported concurrently under the same key fails the whole
    /// transaction, so nothing is written twice).
    pub async fn write_register_import(
        &self,
        import: &RegisterWrite<'_>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<Uuid, StoreError> {
        let id = import.id;
        let records = i64::try_from(import.rows.len()).unwrap_or(i64::MAX);
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query(
                "INSERT INTO register_imports (id, region_code, file_name, file_sha256, sheet, records, imported_by, imported_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(id).bind(import.region).bind(import.file_name).bind(import.file_sha256).bind(import.sheet)
            .bind(records).bind(&actor.label).bind(now)
            .execute(&mut *tx).await?;
            for row in &import.rows {
                let case_id = row.agreement.case_id;
                let mut h = HistoryEntry::new(case_id, actor, "import_record", now);
                h.note = Some(row.note.clone());
                h.details = row.details.clone();
                if let Some(case) = &row.case {
                    h.to_stage = Some(case.stage.as_str().to_owned());
                    let year = case_year(case, row.agreement.signed_on);
                    insert_case!(tx, case, year)?;
                    append_audit!(tx, actor, now, &Change::new("case.import", "case", case.id).case(case.id.0).after(case))?;
                }
                insert_agreement!(tx, &row.agreement)?;
                append_audit!(tx, actor, now, &Change::new("agreement.import", "agreement", row.agreement.id).case(case_id.0).after(&row.agreement))?;
                if let Some(unit) = &row.unit {
                    sqlx::query("INSERT INTO case_units (case_id, region_code, unit) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING")
                        .bind(case_id.0).bind(import.region).bind(unit)
                        .execute(&mut *tx).await?;
                }
                insert_history!(tx, &h)?;
                sqlx::query("INSERT INTO imported_records (record_key, import_id, case_id, agreement_id, line) VALUES ($1, $2, $3, $4, $5)")
                    .bind(&row.record_key).bind(id).bind(case_id.0).bind(row.agreement.id.0)
                    .bind(i64::try_from(row.line).unwrap_or(i64::MAX))
                    .execute(&mut *tx).await?;
                if let Some(w) = import.written {
                    w.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                }
            }
            tx.commit().await?;
        });
        Ok(id)
    }
}
