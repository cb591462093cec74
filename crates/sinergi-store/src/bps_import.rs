//! Importing a BPS PDRB table: read it (pure, `sinergi-bps`), then write every mapped value
//! in one transaction — or nothing, when a row was rejected and the user did not accept a
//! partial import, or when it is a dry run.

use crate::observations::{BatchKind, BatchSummary, NewBatch, NewObservation, PanelLevel};
use crate::{Store, StoreError};
use sinergi_domain::access::Actor;
use time::OffsetDateTime;

/// The unit of the table's numbers; values are stored in miliar rupiah.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize, utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum TableUnit {
    JutaRupiah,
    MiliarRupiah,
    TriliunRupiah,
}

impl TableUnit {
    fn to_miliar(self, v: f64) -> f64 {
        match self {
            Self::JutaRupiah => v / 1000.0,
            Self::MiliarRupiah => v,
            Self::TriliunRupiah => v * 1000.0,
        }
    }

    /// Parses `juta`, `miliar`, `triliun` (with or without `_rupiah`).
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        match s
            .trim()
            .to_lowercase()
            .trim_end_matches("_rupiah")
            .trim_end_matches(" rupiah")
        {
            "juta" => Some(Self::JutaRupiah),
            "miliar" | "milyar" => Some(Self::MiliarRupiah),
            "triliun" => Some(Self::TriliunRupiah),
            _ => None,
        }
    }
}

/// One table to import.
#[derive(Debug, Clone)]
pub struct BpsImport<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub sheet: Option<&'a str>,
    pub year: i32,
    /// `adhb` or `adhk`.
    pub price_basis: &'a str,
    pub level: PanelLevel,
    /// Restricts a regency table to one province (its code).
    pub province: Option<&'a str>,
    pub source: &'a str,
    pub unit: TableUnit,
    pub dry_run: bool,
    pub accept_partial: bool,
    /// What the file may cost before it is read.
    pub limits: sinergi_bps::Limits,
}

/// What the import did.
#[derive(Debug, Clone)]
pub struct BpsImportOutcome {
    pub report: sinergi_bps::Report,
    /// The stored batch; `None` for a dry run or a refused import.
    pub stored: Option<BatchSummary>,
}

impl Store {
    /// Reads a BPS table and, unless it is a dry run or refused, stores its values.
    ///
    /// # Errors
    /// Database errors (nothing is written then). Problems of the table are in the report.
    pub async fn import_bps_table(
        &self,
        input: &BpsImport<'_>,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<BpsImportOutcome, StoreError> {
        let categories: Vec<sinergi_bps::Category> = sinergi_reference::pdrb_categories()?
            .into_iter()
            .map(|c| sinergi_bps::Category {
                code: c.code,
                name: c.name,
            })
            .collect();
        let candidates: Vec<sinergi_bps::Candidate> = self
            .import_candidates(input.level, input.province)
            .await?
            .into_iter()
            .map(|c| sinergi_bps::Candidate {
                keys: c.search_key.split(' ').map(str::to_owned).collect(),
                code: c.code,
                name: c.name,
                level: c.level,
            })
            .collect();
        // A regency table's province rows are totals of the table.
        let total_keys: Vec<String> = if input.level == PanelLevel::Regency {
            self.import_candidates(PanelLevel::Province, None)
                .await?
                .into_iter()
                .flat_map(|c| {
                    c.search_key
                        .split(' ')
                        .map(str::to_owned)
                        .collect::<Vec<_>>()
                })
                .collect()
        } else {
            Vec::new()
        };
        let report = sinergi_bps::read_table(
            input.bytes,
            &sinergi_bps::Spec {
                file_name: input.file_name,
                sheet: input.sheet,
                year: input.year,
                latest_year: now.year(),
                categories: &categories,
                candidates: &candidates,
                total_keys: &total_keys,
                limits: input.limits,
            },
        );
        if input.dry_run || !report.importable(input.accept_partial) {
            return Ok(BpsImportOutcome {
                report,
                stored: None,
            });
        }
        let rows: Vec<NewObservation> = report
            .values
            .iter()
            .map(|v| NewObservation {
                region_code: v.region_code.clone(),
                indicator: "pdrb".to_owned(),
                sector: v.sector.clone(),
                year: input.year,
                value: input.unit.to_miliar(v.value),
                unit: "miliar_rupiah".to_owned(),
                price_basis: input.price_basis.to_owned(),
                source: None,
            })
            .collect();
        let note = (report.rejected() > 0).then(|| {
            format!(
                "impor sebagian: {} baris ditolak (partial import: {} rows rejected)",
                report.rejected(),
                report.rejected()
            )
        });
        let stored = self
            .insert_observations(
                &NewBatch {
                    kind: BatchKind::Import,
                    source: input.source.to_owned(),
                    file_name: Some(input.file_name.to_owned()),
                    level: input.level.as_str().to_owned(),
                    indicator: "pdrb".to_owned(),
                    year: Some(input.year),
                    price_basis: input.price_basis.to_owned(),
                    synthetic: false,
                    note,
                },
                &rows,
                actor,
                now,
            )
            .await?;
        Ok(BpsImportOutcome {
            report,
            stored: Some(stored),
        })
    }

    /// Replaces the synthetic data set: `sinergi_analytics::synthetic_panel` values for the
    /// real codes of the 38 provinces and the 514 regencies and cities, 17 categories, `years`
    /// years from 2013, ADHB and ADHK. Visibly synthetic everywhere they show.
    ///
    /// # Errors
    /// Database errors.
    pub async fn load_synthetic_observations(
        &self,
        years: usize,
        seed: u64,
        actor: &Actor,
        now: OffsetDateTime,
    ) -> Result<BatchSummary, StoreError> {
        let mut values: Vec<(String, String, i32, f64)> = Vec::new();
        for (level, level_seed) in [
            (PanelLevel::Province, seed.wrapping_add(1)),
            (PanelLevel::Regency, seed),
        ] {
            let codes: Vec<String> = self
                .import_candidates(level, None)
                .await?
                .into_iter()
                .map(|c| c.code)
                .collect();
            let names: std::collections::HashMap<String, &str> = (1..=codes.len())
                .map(|i| (format!("SYN{i:03}"), codes[i - 1].as_str()))
                .collect();
            for o in sinergi_analytics::synthetic_panel(codes.len(), 17, years, level_seed) {
                if let Some(code) = names.get(&o.region) {
                    values.push(((*code).to_owned(), o.sector, o.year, o.value));
                }
            }
        }
        let rows: Vec<NewObservation> = values
            .iter()
            .flat_map(|(code, sector, year, value)| {
                ["adhb", "adhk"]
                    .into_iter()
                    .map(move |basis| NewObservation {
                        region_code: code.clone(),
                        indicator: "pdrb".to_owned(),
                        sector: sector.clone(),
                        year: *year,
                        // Constant prices: the same series deflated by a fixed 2 % a year from 2010.
                        value: if basis == "adhk" {
                            value / 1.02_f64.powi(year - 2010)
                        } else {
                            *value
                        },
                        unit: "miliar_rupiah".to_owned(),
                        price_basis: basis.to_owned(),
                        source: None,
                    })
            })
            .collect();
        self.insert_observations(
            &NewBatch {
                kind: BatchKind::Synthetic,
                source: format!("data sintetis (sinergi_analytics::synthetic_panel, seed {seed}) — bukan data BPS"),
                file_name: None,
                level: "mixed".to_owned(),
                indicator: "pdrb".to_owned(),
                year: None,
                price_basis: "mixed".to_owned(),
                synthetic: true,
                note: None,
            },
            &rows,
            actor,
            now,
        )
        .await
    }
}
