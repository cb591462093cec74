//! Observations for the regional-potential analytics: PDRB values by region, category, year
//! and price basis, each with its unit and source, and the batches (imports, seed figures,
//! synthetic loads) they arrived in.
//!
//! A batch is written in one transaction: all its rows or none. Real and synthetic values
//! never share a key (`synthetic` is part of it), so a computation reads one or the other,
//! never a mix.

use crate::audit::{Change, append_audit};
use crate::{Store, StoreError, on_pool};
use serde::Serialize;
use sinergi_domain::access::Actor;
use sqlx::Row as _;
use std::collections::HashSet;
use time::OffsetDateTime;
use uuid::Uuid;

/// What a batch is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchKind {
    /// A BPS table imported by a user.
    Import,
    /// The published figures shipped with the reference data.
    Seed,
    /// The generated national data set for demos and benchmarks.
    Synthetic,
}

impl BatchKind {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Import => "import",
            Self::Seed => "seed",
            Self::Synthetic => "synthetic",
        }
    }
}

/// The description of a batch.
#[derive(Debug, Clone)]
pub struct NewBatch {
    pub kind: BatchKind,
    pub source: String,
    pub file_name: Option<String>,
    /// `province`, `regency` or `mixed`.
    pub level: String,
    pub indicator: String,
    pub year: Option<i32>,
    /// `adhb`, `adhk`, `none` or `mixed`.
    pub price_basis: String,
    pub synthetic: bool,
    pub note: Option<String>,
}

/// One value to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewObservation {
    pub region_code: String,
    pub indicator: String,
    pub sector: String,
    pub year: i32,
    pub value: f64,
    pub unit: String,
    pub price_basis: String,
    /// Per-row source; the batch's source when `None`.
    pub source: Option<String>,
}

/// What a stored batch did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchSummary {
    pub id: Uuid,
    pub rows: usize,
    /// Rows that replaced an earlier value with the same key.
    pub replaced: usize,
}

/// A stored batch.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BatchView {
    pub id: Uuid,
    pub kind: String,
    pub source: String,
    pub file_name: Option<String>,
    pub level: String,
    pub indicator: String,
    pub year: Option<i32>,
    pub price_basis: String,
    pub synthetic: bool,
    pub row_count: i64,
    pub replaced: i64,
    pub created_by: String,
    #[serde(with = "time::serde::rfc3339")]
    #[schema(value_type = String)]
    pub created_at: OffsetDateTime,
}

/// Which regions a panel compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelLevel {
    /// The 38 provinces.
    Province,
    /// The 514 regencies and cities.
    Regency,
}

impl PanelLevel {
    /// The length of the region codes of this level (`NN`, `NN.NN`).
    const fn code_length(self) -> i32 {
        match self {
            Self::Province => 2,
            Self::Regency => 5,
        }
    }

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Province => "province",
            Self::Regency => "regency",
        }
    }

    /// The comparison set of a region level (`province`, `regency`, `city`).
    #[must_use]
    pub fn of_region_level(level: &str) -> Option<Self> {
        match level {
            "province" => Some(Self::Province),
            "regency" | "city" => Some(Self::Regency),
            _ => None,
        }
    }

    fn levels_sql(self) -> &'static str {
        match self {
            Self::Province => "('province')",
            Self::Regency => "('regency', 'city')",
        }
    }
}

/// The observations of a comparison set.
#[derive(Debug, Clone, Copy)]
pub struct PanelQuery<'a> {
    pub level: PanelLevel,
    pub indicator: &'a str,
    pub price_basis: &'a str,
    pub synthetic: bool,
}

/// One value of a panel.
#[derive(Debug, Clone, PartialEq)]
pub struct PanelValue {
    pub region_code: String,
    pub sector: String,
    pub year: i32,
    pub value: f64,
}

/// One stored observation with everything about it.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct StoredObservation {
    pub region_code: String,
    pub indicator: String,
    pub sector: String,
    pub year: i32,
    pub value: f64,
    pub unit: String,
    pub price_basis: String,
    pub source: String,
    pub synthetic: bool,
}

/// A region a BPS table row may name.
#[derive(Debug, Clone)]
pub struct ImportCandidate {
    pub code: String,
    pub name: String,
    pub level: String,
    pub parent_code: Option<String>,
    /// Space-separated normalised keys (name, name without prefix, aliases).
    pub search_key: String,
}

const SEED_SOURCE: &str = "analytics.md §6";
const INSERT_COLS: usize = 10;

fn insert_sql(n: usize) -> String {
    let mut s = String::from(
        "INSERT INTO observations (synthetic, indicator, price_basis, region_code, sector, year, value, unit, source, batch_id) VALUES ",
    );
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        let b = i * INSERT_COLS;
        let cols: Vec<String> = (1..=INSERT_COLS).map(|k| format!("${}", b + k)).collect();
        s.push('(');
        s.push_str(&cols.join(", "));
        s.push(')');
    }
    s.push_str(
        " ON CONFLICT (synthetic, indicator, price_basis, region_code, sector, year) DO UPDATE SET \
         value = excluded.value, unit = excluded.unit, source = excluded.source, batch_id = excluded.batch_id",
    );
    s
}

impl Store {
    /// Writes a batch and its rows in one transaction (a synthetic batch first removes the
    /// earlier synthetic data). Rows with the key of an existing value replace it; the
    /// summary counts them.
    ///
    /// # Errors
    /// Database errors; nothing is written then.
    pub async fn insert_observations(
        &self,
        batch: &NewBatch,
        rows: &[NewObservation],
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<BatchSummary, StoreError> {
        const CHUNK: usize = 64;
        let id = sinergi_domain::ids::CaseId::new_v7(now).0;
        let years: Vec<i32> = {
            let mut y: Vec<i32> = rows.iter().map(|r| r.year).collect();
            y.sort_unstable();
            y.dedup();
            y
        };
        let keys: HashSet<(&str, &str, &str, &str, i32)> = rows
            .iter()
            .map(|r| {
                (
                    r.indicator.as_str(),
                    r.price_basis.as_str(),
                    r.region_code.as_str(),
                    r.sector.as_str(),
                    r.year,
                )
            })
            .collect();
        let full_sql = insert_sql(CHUNK);
        let replaced = on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            if batch.kind == BatchKind::Synthetic {
                sqlx::query("DELETE FROM observations WHERE synthetic = $1")
                    .bind(true)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("DELETE FROM observation_batches WHERE synthetic = $1")
                    .bind(true)
                    .execute(&mut *tx)
                    .await?;
            }
            let mut replaced = 0usize;
            if batch.kind != BatchKind::Synthetic {
                for year in &years {
                    let existing = sqlx::query(
                        "SELECT indicator, price_basis, region_code, sector FROM observations WHERE synthetic = $1 AND year = $2",
                    )
                    .bind(batch.synthetic)
                    .bind(*year)
                    .fetch_all(&mut *tx)
                    .await?;
                    for row in existing {
                        let (i, b, r, s): (String, String, String, String) =
                            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?, row.try_get(3)?);
                        if keys.contains(&(i.as_str(), b.as_str(), r.as_str(), s.as_str(), *year)) {
                            replaced += 1;
                        }
                    }
                }
            }
            sqlx::query(
                "INSERT INTO observation_batches (id, kind, source, file_name, level, indicator, year, price_basis, synthetic, row_count, replaced, note, created_by, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
            )
            .bind(id)
            .bind(batch.kind.as_str())
            .bind(&batch.source)
            .bind(batch.file_name.as_deref())
            .bind(&batch.level)
            .bind(&batch.indicator)
            .bind(batch.year)
            .bind(&batch.price_basis)
            .bind(batch.synthetic)
            .bind(i64::try_from(rows.len()).unwrap_or(i64::MAX))
            .bind(i64::try_from(replaced).unwrap_or(i64::MAX))
            .bind(batch.note.as_deref())
            .bind(&actor.label)
            .bind(now)
            .execute(&mut *tx)
            .await?;
            for chunk in rows.chunks(CHUNK) {
                let sql = if chunk.len() == CHUNK { full_sql.clone() } else { insert_sql(chunk.len()) };
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for r in chunk {
                    q = q
                        .bind(batch.synthetic)
                        .bind(&r.indicator)
                        .bind(&r.price_basis)
                        .bind(&r.region_code)
                        .bind(&r.sector)
                        .bind(r.year)
                        .bind(r.value)
                        .bind(&r.unit)
                        .bind(r.source.as_deref().unwrap_or(&batch.source))
                        .bind(id);
                }
                q.execute(&mut *tx).await?;
            }
            append_audit!(tx, actor, now, &Change::new("observations.import", "observation_batch", id)
                .after(&serde_json::json!({
                    "kind": batch.kind.as_str(), "source": &batch.source, "file": &batch.file_name,
                    "indicator": &batch.indicator, "year": batch.year, "price_basis": &batch.price_basis,
                    "rows": rows.len(), "replaced": replaced,
                })))?;
            tx.commit().await?;
            replaced
        });
        Ok(BatchSummary {
            id,
            rows: rows.len(),
            replaced,
        })
    }

    /// Loads the published figures of analytics.md §6 once (idempotent).
    ///
    /// # Errors
    /// Database errors; corrupt embedded data.
    pub async fn ensure_published_observations(
        &self,
        now: OffsetDateTime,
    ) -> Result<bool, StoreError> {
        let existing: i64 = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM observation_batches WHERE kind = $1")
                .bind(BatchKind::Seed.as_str())
                .fetch_one(p)
                .await?
        });
        if existing > 0 {
            return Ok(false);
        }
        let rows: Vec<NewObservation> = sinergi_reference::published_figures()?
            .into_iter()
            .map(|f| NewObservation {
                region_code: f.region,
                indicator: f.indicator,
                sector: f.sector,
                year: f.year,
                value: f.value,
                unit: f.unit,
                price_basis: f.price_basis,
                source: Some(f.source),
            })
            .collect();
        self.insert_observations(
            &NewBatch {
                kind: BatchKind::Seed,
                source: format!("BPS, angka yang dipublikasikan ({SEED_SOURCE})"),
                file_name: None,
                level: "mixed".to_owned(),
                indicator: "pdrb".to_owned(),
                year: None,
                price_basis: "mixed".to_owned(),
                synthetic: false,
                note: None,
            },
            &rows,
            &Actor::system("sinergi"),
            now,
        )
        .await?;
        Ok(true)
    }

    /// Every value of a comparison set (in no particular order). The level is read from the
    /// code's shape: `NN` a province, `NN.NN` a regency or city.
    ///
    /// # Errors
    /// Database errors.
    pub async fn panel_values(&self, q: PanelQuery<'_>) -> Result<Vec<PanelValue>, StoreError> {
        let length = q.level.code_length();
        let rows = on_pool!(&self.db, p => {
            sqlx::query(
                "SELECT region_code, sector, year, value FROM observations \
                 WHERE synthetic = $1 AND indicator = $2 AND price_basis = $3 AND sector <> '_total' \
                 AND LENGTH(region_code) = $4",
            )
            .bind(q.synthetic)
            .bind(q.indicator)
            .bind(q.price_basis)
            .bind(length)
            .fetch_all(p)
            .await?
            .into_iter()
            .map(|r| Ok(PanelValue {
                region_code: r.try_get(0)?,
                sector: r.try_get(1)?,
                year: r.try_get(2)?,
                value: r.try_get(3)?,
            }))
            .collect::<Result<Vec<_>, sqlx::Error>>()?
        });
        Ok(rows)
    }

    /// The batches holding values of a comparison set.
    ///
    /// # Errors
    /// Database errors.
    pub async fn panel_batches(&self, q: PanelQuery<'_>) -> Result<Vec<Uuid>, StoreError> {
        let length = q.level.code_length();
        let ids = on_pool!(&self.db, p => {
            sqlx::query_scalar(
                "SELECT DISTINCT batch_id FROM observations \
                 WHERE synthetic = $1 AND indicator = $2 AND price_basis = $3 AND sector <> '_total' \
                 AND LENGTH(region_code) = $4",
            )
            .bind(q.synthetic)
            .bind(q.indicator)
            .bind(q.price_basis)
            .bind(length)
            .fetch_all(p)
            .await?
        });
        Ok(ids)
    }

    /// The ids of all batches, sorted: changes whenever any data is added or replaced (a
    /// cache key for computed comparisons).
    ///
    /// # Errors
    /// Database errors.
    pub async fn observations_fingerprint(&self) -> Result<Vec<Uuid>, StoreError> {
        let mut ids: Vec<Uuid> = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT id FROM observation_batches")
                .fetch_all(p)
                .await?
        });
        ids.sort_unstable();
        Ok(ids)
    }

    /// Every observation of the given regions (a pair, one region, or `ID` for Indonesia).
    ///
    /// # Errors
    /// Database errors.
    pub async fn observations_of(
        &self,
        codes: &[&str],
        synthetic: bool,
    ) -> Result<Vec<StoredObservation>, StoreError> {
        if codes.is_empty() {
            return Ok(Vec::new());
        }
        let placeholders: Vec<String> = (0..codes.len()).map(|i| format!("${}", i + 2)).collect();
        let sql = format!(
            "SELECT region_code, indicator, sector, year, value, unit, price_basis, source FROM observations \
             WHERE synthetic = $1 AND region_code IN ({}) ORDER BY region_code, indicator, year, sector",
            placeholders.join(", ")
        );
        let rows = on_pool!(&self.db, p => {
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).bind(synthetic);
            for c in codes {
                q = q.bind(*c);
            }
            q.fetch_all(p)
                .await?
                .into_iter()
                .map(|r| Ok(StoredObservation {
                    region_code: r.try_get(0)?,
                    indicator: r.try_get(1)?,
                    sector: r.try_get(2)?,
                    year: r.try_get(3)?,
                    value: r.try_get(4)?,
                    unit: r.try_get(5)?,
                    price_basis: r.try_get(6)?,
                    source: r.try_get(7)?,
                    synthetic,
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?
        });
        Ok(rows)
    }

    /// The batches, newest first.
    ///
    /// # Errors
    /// Database errors.
    pub async fn observation_batches(&self, limit: i64) -> Result<Vec<BatchView>, StoreError> {
        let rows = on_pool!(&self.db, p => {
            sqlx::query(
                "SELECT id, kind, source, file_name, level, indicator, year, price_basis, synthetic, row_count, replaced, created_by, created_at \
                 FROM observation_batches ORDER BY created_at DESC, id DESC LIMIT $1",
            )
            .bind(limit)
            .fetch_all(p)
            .await?
            .into_iter()
            .map(|r| Ok(BatchView {
                id: r.try_get(0)?,
                kind: r.try_get(1)?,
                source: r.try_get(2)?,
                file_name: r.try_get(3)?,
                level: r.try_get(4)?,
                indicator: r.try_get(5)?,
                year: r.try_get(6)?,
                price_basis: r.try_get(7)?,
                synthetic: r.try_get(8)?,
                row_count: r.try_get(9)?,
                replaced: r.try_get(10)?,
                created_by: r.try_get(11)?,
                created_at: r.try_get(12)?,
            }))
            .collect::<Result<Vec<_>, sqlx::Error>>()?
        });
        Ok(rows)
    }

    /// The sources of the given batches (for the line under a chart).
    ///
    /// # Errors
    /// Database errors.
    pub async fn batch_sources(&self, ids: &[Uuid]) -> Result<Vec<String>, StoreError> {
        let mut out: Vec<String> = Vec::new();
        for b in self.observation_batches(1000).await? {
            if ids.contains(&b.id) && !out.contains(&b.source) {
                out.push(b.source);
            }
        }
        Ok(out)
    }

    /// The number of stored values (real or synthetic).
    ///
    /// # Errors
    /// Database errors.
    pub async fn observation_count(&self, synthetic: bool) -> Result<i64, StoreError> {
        let n: i64 = on_pool!(&self.db, p => {
            sqlx::query_scalar("SELECT COUNT(*) FROM observations WHERE synthetic = $1")
                .bind(synthetic)
                .fetch_one(p)
                .await?
        });
        Ok(n)
    }

    /// The regions a table of a level may name (provinces; or regencies and cities,
    /// optionally of one province), with their search keys and aliases.
    ///
    /// # Errors
    /// Database errors.
    pub async fn import_candidates(
        &self,
        level: PanelLevel,
        province: Option<&str>,
    ) -> Result<Vec<ImportCandidate>, StoreError> {
        let sql = format!(
            "SELECT code, name, level, parent_code, search_key FROM regions WHERE level IN {} ORDER BY code",
            level.levels_sql()
        );
        let rows = on_pool!(&self.db, p => {
            sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(p)
                .await?
                .into_iter()
                .map(|r| Ok(ImportCandidate {
                    code: r.try_get(0)?,
                    name: r.try_get(1)?,
                    level: r.try_get(2)?,
                    parent_code: r.try_get(3)?,
                    search_key: r.try_get(4)?,
                }))
                .collect::<Result<Vec<_>, sqlx::Error>>()?
        });
        Ok(rows
            .into_iter()
            .filter(|c| province.is_none_or(|p| c.parent_code.as_deref() == Some(p)))
            .collect())
    }
}
