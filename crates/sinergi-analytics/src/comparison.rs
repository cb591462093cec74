//! Choosing what a regional-potential screen compares (analytics.md §1):
//!
//! * **the data set**: real observations (imported or published) first; the synthetic set only
//!   when the real one does not suffice for the regions asked about, or when it is asked for.
//!   A comparison reads one set, never a mix;
//! * **the price basis**: structure measures (LQ, Hoover, complementarity, similarity) on current
//!   prices (ADHB); growth measures (DLQ and its classes, Klassen, shift-share) on constant
//!   prices (ADHK) when the same regions and years are complete there, else on ADHB. The
//!   result says which ([`Compared::growth_basis`]).
//!
//! Pure: the caller loads the observations of the set and basis asked for (and may cache
//! them), in the order these functions ask: [`first_data_set`], [`compare_structure`] on its
//! ADHB observations, then — when [`Compared::wants_constant_prices`] — its ADHK observations
//! into [`Compared::with_constant_price_growth`]; on a [`SelectError`], [`next_data_set`].

use std::collections::HashSet;

use serde::Serialize;
use thiserror::Error;

use crate::analysis::{Analysis, AnalysisError, AnalysisOptions, analyze};
use crate::panel::Observation;
use crate::select::{SelectError, Selection, select_complete};

/// Which observations a comparison reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DataSet {
    /// Imported BPS tables and the published figures.
    Real,
    /// The generated demonstration set, always labelled as such.
    Synthetic,
}

impl DataSet {
    #[must_use]
    pub const fn is_synthetic(self) -> bool {
        matches!(self, Self::Synthetic)
    }
}

/// The price basis of a PDRB series.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PriceBasis {
    /// Atas dasar harga berlaku: current prices.
    Adhb,
    /// Atas dasar harga konstan: constant (2010) prices.
    Adhk,
}

impl PriceBasis {
    /// `adhb` or `adhk`, as stored.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Adhb => "adhb",
            Self::Adhk => "adhk",
        }
    }
}

/// The basis of the structure measures: always current prices.
pub const STRUCTURE_BASIS: PriceBasis = PriceBasis::Adhb;

/// The data set tried first: the one asked for, else the real one.
#[must_use]
pub fn first_data_set(choice: Option<DataSet>) -> DataSet {
    choice.unwrap_or(DataSet::Real)
}

/// Whether a selection error means the data does not suffice for the regions asked about
/// (none at all, a region without data or with gaps, fewer than two complete regions) — as
/// opposed to a request the data cannot answer (a year outside it, start after end, a
/// malformed panel), which another data set would not answer better.
#[must_use]
pub fn does_not_suffice(error: &SelectError) -> bool {
    matches!(
        error,
        SelectError::NoData
            | SelectError::RegionWithoutData { .. }
            | SelectError::RegionIncomplete { .. }
            | SelectError::TooFewRegions { .. }
    )
}

/// The data set to try after `tried` failed with `error`: the synthetic one after real data
/// that does not suffice, when no set was asked for; otherwise none. When the next set fails
/// too, the first set's error is the one to report.
#[must_use]
pub fn next_data_set(
    choice: Option<DataSet>,
    tried: DataSet,
    error: &SelectError,
) -> Option<DataSet> {
    (choice.is_none() && tried == DataSet::Real && does_not_suffice(error))
        .then_some(DataSet::Synthetic)
}

/// Why a comparison could not be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum CompareError {
    /// The data does not give a comparison set: tell the user.
    #[error(transparent)]
    Select(#[from] SelectError),
    /// The analysis of a selected set failed: a bug, not the user's.
    #[error(transparent)]
    Analysis(#[from] AnalysisError),
}

/// A comparison set analysed: structure on ADHB, growth on ADHK when complete there.
#[derive(Debug, Clone)]
pub struct Compared {
    pub selection: Selection,
    pub analysis: Analysis,
    /// The ADHK selection (same regions and years) and its analysis, when growth uses ADHK.
    pub growth: Option<(Selection, Analysis)>,
}

/// A screen needs one row or one pair of the pair scores: they are computed on demand.
fn options(start: i32, end: i32) -> AnalysisOptions {
    AnalysisOptions {
        pair_scores: false,
        ..AnalysisOptions::new(start, end)
    }
}

/// Selects the complete regions and the period from ADHB observations and analyses them
/// (growth on ADHB until [`Compared::with_constant_price_growth`]). `focus` are the regions
/// the comparison must hold; `sectors` the categories in order.
///
/// # Errors
/// [`CompareError::Select`] when the data gives no comparison set.
pub fn compare_structure(
    adhb: &[Observation],
    sectors: &[String],
    focus: &[&str],
    start: Option<i32>,
    end: Option<i32>,
) -> Result<Compared, CompareError> {
    let selection = select_complete(adhb, sectors, focus, start, end)?;
    let analysis = analyze(&selection.panel, &options(selection.start, selection.end))?;
    Ok(Compared {
        selection,
        analysis,
        growth: None,
    })
}

impl Compared {
    /// Whether the ADHK observations are worth loading: growth needs more than one year.
    #[must_use]
    pub fn wants_constant_prices(&self) -> bool {
        self.selection.end > self.selection.start
    }

    /// Growth on ADHK when the ADHK observations hold every sector of the same regions in
    /// every year of the period; otherwise unchanged (growth on ADHB).
    #[must_use]
    pub fn with_constant_price_growth(mut self, adhk: &[Observation], sectors: &[String]) -> Self {
        if !self.wants_constant_prices() {
            return self;
        }
        let included: Vec<&str> = self
            .selection
            .panel
            .regions()
            .iter()
            .map(String::as_str)
            .collect();
        let wanted: HashSet<&str> = included.iter().copied().collect();
        let same_regions: Vec<Observation> = adhk
            .iter()
            .filter(|o| wanted.contains(o.region.as_str()))
            .cloned()
            .collect();
        let (start, end) = (self.selection.start, self.selection.end);
        if let Ok(k) = select_complete(&same_regions, sectors, &included, Some(start), Some(end))
            && k.panel.regions() == self.selection.panel.regions()
            && let Ok(analysis) = analyze(&k.panel, &options(start, end))
        {
            self.growth = Some((k, analysis));
        }
        self
    }

    /// The basis of the growth measures.
    #[must_use]
    pub fn growth_basis(&self) -> PriceBasis {
        if self.growth.is_some() {
            PriceBasis::Adhk
        } else {
            PriceBasis::Adhb
        }
    }

    /// The selection and analysis whose growth measures are shown.
    #[must_use]
    pub fn growth_analysis(&self) -> (&Selection, &Analysis) {
        self.growth
            .as_ref()
            .map_or((&self.selection, &self.analysis), |(s, a)| (s, a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sectors() -> Vec<String> {
        vec!["A".to_owned(), "B".to_owned()]
    }

    /// Three regions over 2020–2022, values scaled by `scale` (ADHK is smaller than ADHB).
    fn panel(
        scale: f64,
        regions: &[&str],
        years: std::ops::RangeInclusive<i32>,
    ) -> Vec<Observation> {
        let mut out = Vec::new();
        for (r, region) in regions.iter().enumerate() {
            for y in years.clone() {
                let growth = 1.0 + 0.05 * f64::from(y - 2020);
                #[expect(clippy::cast_precision_loss, reason = "tiny test indices")]
                let r = r as f64;
                out.push(Observation::new(
                    *region,
                    "A",
                    y,
                    scale * (10.0 + r) * growth,
                ));
                out.push(Observation::new(*region, "B", y, scale * (20.0 - r * 3.0)));
            }
        }
        out
    }

    #[test]
    fn real_data_first_synthetic_only_when_real_does_not_suffice() {
        assert_eq!(first_data_set(None), DataSet::Real);
        assert_eq!(first_data_set(Some(DataSet::Synthetic)), DataSet::Synthetic);
        assert_eq!(first_data_set(Some(DataSet::Real)), DataSet::Real);
        let short = [
            SelectError::NoData,
            SelectError::RegionWithoutData {
                region: "62".into(),
            },
            SelectError::RegionIncomplete {
                region: "62".into(),
                sector: "A".into(),
                year: 2021,
            },
            SelectError::TooFewRegions { count: 1 },
        ];
        for e in &short {
            assert_eq!(
                next_data_set(None, DataSet::Real, e),
                Some(DataSet::Synthetic),
                "{e}"
            );
            // A set asked for is the only one tried; synthetic is the last resort.
            assert_eq!(next_data_set(Some(DataSet::Real), DataSet::Real, e), None);
            assert_eq!(
                next_data_set(Some(DataSet::Synthetic), DataSet::Synthetic, e),
                None
            );
            assert_eq!(next_data_set(None, DataSet::Synthetic, e), None);
        }
        // A request the data cannot answer is not handed to the synthetic set.
        for e in [
            SelectError::YearNotInData {
                year: 2030,
                available: vec![2021],
            },
            SelectError::InvalidRange {
                start: 2022,
                end: 2021,
            },
        ] {
            assert!(!does_not_suffice(&e));
            assert_eq!(next_data_set(None, DataSet::Real, &e), None);
        }
    }

    #[test]
    fn structure_on_adhb_growth_on_adhk_when_complete() {
        let regions = ["X", "Y", "Z"];
        let adhb = panel(1.0, &regions, 2020..=2022);
        let c = compare_structure(&adhb, &sectors(), &["X"], None, None).unwrap();
        assert_eq!((c.selection.start, c.selection.end), (2020, 2022));
        assert_eq!(c.growth_basis(), PriceBasis::Adhb);
        assert!(c.wants_constant_prices());
        let structure_lq = c.analysis.lq_end.clone();

        let adhk = panel(0.6, &regions, 2020..=2022);
        let k = c.clone().with_constant_price_growth(&adhk, &sectors());
        assert_eq!(k.growth_basis(), PriceBasis::Adhk);
        assert_eq!(k.growth_basis().as_str(), "adhk");
        let (sel, a) = k.growth_analysis();
        assert_eq!(sel.panel.regions(), c.selection.panel.regions());
        assert!(a.growth.is_some());
        // The structure stays on ADHB.
        assert_eq!(k.analysis.lq_end, structure_lq);
        assert_eq!(STRUCTURE_BASIS.as_str(), "adhb");
    }

    #[test]
    fn growth_stays_on_adhb_when_adhk_differs() {
        let regions = ["X", "Y", "Z"];
        let adhb = panel(1.0, &regions, 2020..=2022);
        let c = compare_structure(&adhb, &sectors(), &["X"], None, None).unwrap();
        // A region short, a year short, nothing at all: ADHB growth, said so.
        for adhk in [
            panel(0.6, &["X", "Y"], 2020..=2022),
            panel(0.6, &regions, 2021..=2022),
            Vec::new(),
        ] {
            let k = c.clone().with_constant_price_growth(&adhk, &sectors());
            assert_eq!(k.growth_basis(), PriceBasis::Adhb);
            assert!(k.growth.is_none());
            let (sel, _) = k.growth_analysis();
            assert_eq!((sel.start, sel.end), (2020, 2022));
        }
        // Extra ADHK regions outside the comparison set do not matter.
        let wider = panel(0.6, &["X", "Y", "Z", "W"], 2020..=2022);
        let k = c.with_constant_price_growth(&wider, &sectors());
        assert_eq!(k.growth_basis(), PriceBasis::Adhk);
    }

    #[test]
    fn one_year_needs_no_constant_prices_and_errors_pass_through() {
        let regions = ["X", "Y"];
        let adhb = panel(1.0, &regions, 2021..=2021);
        let c = compare_structure(&adhb, &sectors(), &["X"], None, None).unwrap();
        assert!(!c.wants_constant_prices());
        let k = c.with_constant_price_growth(&panel(0.6, &regions, 2021..=2021), &sectors());
        assert_eq!(k.growth_basis(), PriceBasis::Adhb);
        assert!(matches!(
            compare_structure(&adhb, &sectors(), &["Q"], None, None),
            Err(CompareError::Select(SelectError::RegionWithoutData { .. }))
        ));
        assert!(matches!(
            compare_structure(&[], &sectors(), &["X"], None, None),
            Err(CompareError::Select(SelectError::NoData))
        ));
    }
}
