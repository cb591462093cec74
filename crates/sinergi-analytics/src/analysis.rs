//! All measures of analytics.md §2 for a whole panel and one period.

use thiserror::Error;

use crate::complementarity::{ComplementarityBase, PairScores};
use crate::formulas::{
    DlqClass, EstebanMarquillas, GrowthMean, KlassenQuadrant, ShiftShare, dlq_from_factors,
    esteban_marquillas_cell, growth_factor, klassen_cell, lq_checked, shift_share_cell,
};
use crate::measure::{Measure, Undefined, finite, nonzero};
use crate::panel::{Panel, ReferenceKind};

/// What to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AnalysisOptions {
    /// Start year of growth measures; `lq_start` and the SLQ of the DLQ class use it.
    pub start: i32,
    /// End year; structural measures (LQ, Hoover, complementarity, similarity) use it.
    pub end: i32,
    /// How the DLQ averages annual growth (the specification: arithmetic).
    pub growth_mean: GrowthMean,
    /// Whether to compute the full matrix of ordered-pair scores up front (complementarity
    /// and similarity). Without it, pair scores are computed on demand, which is what a single
    /// partner ranking needs.
    pub pair_scores: bool,
    /// Threads for the pair matrix (1 = no extra thread).
    pub threads: usize,
}

impl AnalysisOptions {
    /// Defaults: arithmetic growth mean, pair matrix on, up to two threads.
    #[must_use]
    pub fn new(start: i32, end: i32) -> Self {
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(2));
        Self {
            start,
            end,
            growth_mean: GrowthMean::Arithmetic,
            pair_scores: true,
            threads,
        }
    }
}

/// Why an analysis cannot be run or queried.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AnalysisError {
    /// The year is not in the panel.
    #[error("tahun {year} tidak ada dalam panel ({first}–{last})")]
    YearNotInPanel {
        /// Requested year.
        year: i32,
        /// First year of the panel.
        first: i32,
        /// Last year of the panel.
        last: i32,
    },
    /// Start after end.
    #[error("tahun awal {start} sesudah tahun akhir {end}")]
    InvalidRange {
        /// Start.
        start: i32,
        /// End.
        end: i32,
    },
    /// No such region.
    #[error("wilayah \"{0}\" tidak ada dalam analisis")]
    UnknownRegion(String),
}

impl AnalysisError {
    /// Stable machine code.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::YearNotInPanel { .. } => "analysis.year_not_in_panel",
            Self::InvalidRange { .. } => "analysis.invalid_range",
            Self::UnknownRegion(_) => "analysis.unknown_region",
        }
    }
}

/// Growth measures (start → end); present only when `end > start`.
/// All vectors are row-major region × sector.
#[derive(Debug, Clone, PartialEq)]
pub struct GrowthMeasures {
    /// Dynamic LQ.
    pub dlq: Vec<Measure>,
    /// SLQ (start) × DLQ class.
    pub dlq_class: Vec<Measure<DlqClass>>,
    /// Sectoral Klassen quadrant.
    pub klassen: Vec<Measure<KlassenQuadrant>>,
    /// Classic shift-share.
    pub shift_share: Vec<Measure<ShiftShare>>,
    /// Esteban-Marquillas split of the competitive shift.
    pub esteban_marquillas: Vec<Measure<EstebanMarquillas>>,
}

/// The result of [`analyze`]. Region × sector vectors are row-major: the value of region `r`,
/// sector `s` is at `r * sectors.len() + s` (see [`Analysis::cell`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Analysis {
    /// Start year.
    pub start: i32,
    /// End year.
    pub end: i32,
    /// Regions, in panel order.
    pub regions: Vec<String>,
    /// Sectors, in panel order.
    pub sectors: Vec<String>,
    /// The reference the regions are compared with.
    pub reference: ReferenceKind,
    /// Static LQ at the start year.
    pub lq_start: Vec<Measure>,
    /// Static LQ at the end year.
    pub lq_end: Vec<Measure>,
    /// Multi-year LQ: mean of the yearly LQs of `start ..= end`.
    pub lq_mean: Vec<Measure>,
    /// Hoover specialisation per region (end year).
    pub hoover: Vec<Measure>,
    /// Sector shares `s_ij` at the end year (0 where the region total is zero).
    pub shares_end: Vec<f64>,
    /// Reference shares `S_i` at the end year (0 where the reference total is zero).
    pub reference_shares_end: Vec<f64>,
    /// Per region: why its end-year shares are undefined (`None` = defined).
    pub share_status: Vec<Option<Undefined>>,
    /// Growth measures, `None` when `start == end`.
    pub growth: Option<GrowthMeasures>,
    /// Per-region spare capacity and need vectors (end year).
    pub complementarity: ComplementarityBase,
    /// Full ordered-pair matrices, when requested.
    pub pairs: Option<PairScores>,
}

impl Analysis {
    /// Index of `(region, sector)` in the region × sector vectors.
    #[must_use]
    pub fn cell(&self, region: usize, sector: usize) -> usize {
        region * self.sectors.len() + sector
    }

    /// Position of a region by name.
    #[must_use]
    pub fn region_index(&self, name: &str) -> Option<usize> {
        self.regions.iter().position(|r| r == name)
    }

    /// Position of a sector by name.
    #[must_use]
    pub fn sector_index(&self, name: &str) -> Option<usize> {
        self.sectors.iter().position(|s| s == name)
    }

    /// `C(supplier → recipient)` by positions (from the pair matrix when computed, else on
    /// demand; the numbers are identical).
    #[must_use]
    pub fn complementarity_score(&self, supplier: usize, recipient: usize) -> Measure {
        match &self.pairs {
            Some(p) => p.complementarity(supplier, recipient),
            None => self.complementarity.directional(supplier, recipient),
        }
    }

    /// Mutual score `M(a, b) = √(C(a→b)·C(b→a))`.
    #[must_use]
    pub fn mutual(&self, a: usize, b: usize) -> Measure {
        crate::formulas::mutual(
            self.complementarity_score(a, b),
            self.complementarity_score(b, a),
        )
    }

    /// Structural similarity `1 − K/2` at the end year.
    #[must_use]
    pub fn similarity(&self, a: usize, b: usize) -> Measure {
        match &self.pairs {
            Some(p) => p.similarity(a, b),
            None => crate::complementarity::similarity_on_demand(
                &self.shares_end,
                &self.share_status,
                self.sectors.len(),
                a,
                b,
            ),
        }
    }
}

/// Computes every measure for `options.start ..= options.end`.
///
/// # Errors
/// [`AnalysisError::InvalidRange`], [`AnalysisError::YearNotInPanel`].
pub fn analyze(panel: &Panel, options: &AnalysisOptions) -> Result<Analysis, AnalysisError> {
    let (start, end) = (options.start, options.end);
    if start > end {
        return Err(AnalysisError::InvalidRange { start, end });
    }
    let year_of = |year: i32| {
        panel.year_index(year).ok_or(AnalysisError::YearNotInPanel {
            year,
            first: panel.first_year(),
            last: panel.last_year(),
        })
    };
    let (ys, ye) = (year_of(start)?, year_of(end)?);
    let (nr, ns) = (panel.regions().len(), panel.sectors().len());
    let years = YearData::collect(panel, ys, ye);

    // Static LQ of every year of the period; start, end and mean.
    let lq_of = |y: &YearSlice<'_>| -> Vec<Measure> {
        let mut out = Vec::with_capacity(nr * ns);
        for r in 0..nr {
            for s in 0..ns {
                out.push(
                    lq_checked(
                        y.matrix[r * ns + s],
                        y.region_totals[r],
                        y.reference[s],
                        y.reference_total,
                    )
                    .into(),
                );
            }
        }
        out
    };
    let lq_start = lq_of(years.first());
    let lq_end = lq_of(years.last());
    let lq_mean = if ys == ye {
        lq_end.clone()
    } else {
        let mut sum = vec![Ok(0.0); nr * ns];
        for y in &years.slices {
            for (acc, m) in sum.iter_mut().zip(lq_of(y)) {
                *acc = match (*acc, m) {
                    (Ok(a), Measure::Value(v)) => Ok(a + v),
                    (Ok(_), Measure::Undefined(u)) | (Err(u), _) => Err(u),
                };
            }
        }
        #[allow(clippy::cast_precision_loss)]
        let count = years.slices.len() as f64;
        sum.into_iter()
            .map(|r| r.and_then(|v| finite(v / count)).into())
            .collect()
    };

    // Structure at the end year.
    let last = years.last();
    let reference_shares_end: Vec<f64> =
        match nonzero(last.reference_total, Undefined::ZeroReferenceTotal) {
            Ok(total) => last.reference.iter().map(|v| v / total).collect(),
            Err(_) => vec![0.0; ns],
        };
    let mut shares_end = vec![0.0; nr * ns];
    let mut share_status = vec![None; nr];
    let mut hoover = Vec::with_capacity(nr);
    for r in 0..nr {
        let row = &last.matrix[r * ns..(r + 1) * ns];
        match nonzero(last.region_totals[r], Undefined::ZeroRegionTotal) {
            Ok(total) => {
                for (out, v) in shares_end[r * ns..(r + 1) * ns].iter_mut().zip(row) {
                    *out = v / total;
                }
            }
            Err(u) => share_status[r] = Some(u),
        }
        let h = nonzero(last.reference_total, Undefined::ZeroReferenceTotal)
            .and_then(|_| share_status[r].map_or(Ok(()), Err))
            .and_then(|()| {
                let s = &shares_end[r * ns..(r + 1) * ns];
                finite(0.5 * crate::formulas::half_l1(s, &reference_shares_end))
            });
        hoover.push(h.into());
    }

    let growth = (ye > ys).then(|| growth_measures(&years, &lq_start, nr, ns, options.growth_mean));

    let complementarity = ComplementarityBase::new(
        &lq_end,
        reference_shares_end.clone(),
        &last.region_totals,
        last.reference_total,
        ns,
    );
    let pairs = options.pair_scores.then(|| {
        PairScores::compute(
            &complementarity,
            &shares_end,
            &share_status,
            ns,
            options.threads,
        )
    });

    Ok(Analysis {
        start,
        end,
        regions: panel.regions().to_vec(),
        sectors: panel.sectors().to_vec(),
        reference: panel.reference_kind().clone(),
        lq_start,
        lq_end,
        lq_mean,
        hoover,
        shares_end,
        reference_shares_end,
        share_status,
        growth,
        complementarity,
        pairs,
    })
}

/// One year of the period with its totals.
struct YearSlice<'a> {
    matrix: &'a [f64],
    region_totals: Vec<f64>,
    reference: &'a [f64],
    reference_total: f64,
}

struct YearData<'a> {
    slices: Vec<YearSlice<'a>>,
}

impl<'a> YearData<'a> {
    fn collect(panel: &'a Panel, ys: usize, ye: usize) -> Self {
        let ns = panel.sectors().len();
        let slices = (ys..=ye)
            .filter_map(|y| {
                let matrix = panel.year_matrix(y)?;
                let reference = panel.reference_vector(y)?;
                let region_totals = if ns == 0 {
                    vec![0.0; panel.regions().len()]
                } else {
                    matrix
                        .chunks_exact(ns)
                        .map(|row| row.iter().sum())
                        .collect()
                };
                Some(YearSlice {
                    matrix,
                    region_totals,
                    reference,
                    reference_total: reference.iter().sum(),
                })
            })
            .collect();
        Self { slices }
    }

    fn first(&self) -> &YearSlice<'a> {
        &self.slices[0]
    }

    fn last(&self) -> &YearSlice<'a> {
        &self.slices[self.slices.len() - 1]
    }
}

fn growth_measures(
    years: &YearData<'_>,
    lq_start: &[Measure],
    nr: usize,
    ns: usize,
    mean: GrowthMean,
) -> GrowthMeasures {
    let (first, last) = (years.first(), years.last());
    let mut series = Vec::with_capacity(years.slices.len());
    let mut factor = |at: &dyn Fn(&YearSlice<'_>) -> f64, zero: Undefined| {
        series.clear();
        series.extend(years.slices.iter().map(at));
        growth_factor(&series, mean, zero)
    };
    let total_factor = factor(&|y| y.reference_total, Undefined::ZeroReferenceBase);
    let sector_factor: Vec<_> = (0..ns)
        .map(|s| factor(&|y| y.reference[s], Undefined::ZeroReferenceSectorBase))
        .collect();
    let region_factor: Vec<_> = (0..nr)
        .map(|r| factor(&|y| y.region_totals[r], Undefined::ZeroRegionBase))
        .collect();

    let cells = nr * ns;
    let mut out = GrowthMeasures {
        dlq: Vec::with_capacity(cells),
        dlq_class: Vec::with_capacity(cells),
        klassen: Vec::with_capacity(cells),
        shift_share: Vec::with_capacity(cells),
        esteban_marquillas: Vec::with_capacity(cells),
    };
    for (r, &region_f) in region_factor.iter().enumerate() {
        for (s, &sector_f) in sector_factor.iter().enumerate() {
            let c = r * ns + s;
            let cell_factor = factor(&|y| y.matrix[c], Undefined::ZeroBaseValue);
            let dlq: Measure =
                dlq_from_factors(cell_factor, region_f, sector_f, total_factor).into();
            let class = match (lq_start[c], dlq) {
                (Measure::Value(slq), Measure::Value(d)) => {
                    Measure::Value(DlqClass::classify(slq, d))
                }
                (Measure::Undefined(u), _) | (_, Measure::Undefined(u)) => Measure::Undefined(u),
            };
            let (e0, e1) = (first.matrix[c], last.matrix[c]);
            let (ri0, ri1) = (first.reference[s], last.reference[s]);
            out.dlq.push(dlq);
            out.dlq_class.push(class);
            out.klassen.push(klassen_cell(
                e0,
                e1,
                last.region_totals[r],
                ri0,
                ri1,
                last.reference_total,
            ));
            out.shift_share.push(shift_share_cell(
                e0,
                e1,
                ri0,
                ri1,
                first.reference_total,
                last.reference_total,
            ));
            out.esteban_marquillas.push(esteban_marquillas_cell(
                e0,
                e1,
                first.region_totals[r],
                ri0,
                ri1,
                first.reference_total,
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formulas::{dynamic_lq, locq};
    use crate::panel::Observation;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-9 * (1.0 + a.abs().max(b.abs()))
    }

    fn panel3() -> Panel {
        // 3 regions × 3 sectors × 3 years.
        let data = [
            (
                "P",
                [[50.0, 30.0, 20.0], [55.0, 36.0, 21.0], [60.0, 40.0, 25.0]],
            ),
            (
                "Q",
                [[10.0, 60.0, 30.0], [12.0, 62.0, 35.0], [13.0, 70.0, 33.0]],
            ),
            (
                "R",
                [[20.0, 20.0, 60.0], [19.0, 25.0, 66.0], [22.0, 24.0, 70.0]],
            ),
        ];
        let mut obs = Vec::new();
        for (name, years) in data {
            for (y, row) in years.iter().enumerate() {
                for (s, v) in row.iter().enumerate() {
                    obs.push(Observation::new(
                        name,
                        ["a", "b", "c"][s],
                        2020 + y as i32,
                        *v,
                    ));
                }
            }
        }
        Panel::from_observations(&obs).unwrap()
    }

    #[test]
    fn panel_measures_match_scalar_formulas() {
        let p = panel3();
        let a = analyze(&p, &AnalysisOptions::new(2020, 2022)).unwrap();
        let m0 = p.year_matrix(0).unwrap();
        let m1 = p.year_matrix(1).unwrap();
        let m2 = p.year_matrix(2).unwrap();
        let tot = |m: &[f64], r: usize| m[r * 3..r * 3 + 3].iter().sum::<f64>();
        let rs = |m: &[f64], s: usize| m[s] + m[3 + s] + m[6 + s];
        let all = |m: &[f64]| m.iter().sum::<f64>();
        // Q, sector b
        let (r, s) = (1, 1);
        let c = a.cell(r, s);
        let lq2 = locq(m2[c], tot(m2, r), rs(m2, s), all(m2)).get().unwrap();
        assert_eq!(a.lq_end[c].get(), Some(lq2));
        let lq1 = locq(m1[c], tot(m1, r), rs(m1, s), all(m1)).get().unwrap();
        let lq0 = locq(m0[c], tot(m0, r), rs(m0, s), all(m0)).get().unwrap();
        assert!(close(a.lq_mean[c].get().unwrap(), (lq0 + lq1 + lq2) / 3.0));
        let d = dynamic_lq(
            &[m0[c], m1[c], m2[c]],
            &[tot(m0, r), tot(m1, r), tot(m2, r)],
            &[rs(m0, s), rs(m1, s), rs(m2, s)],
            &[all(m0), all(m1), all(m2)],
            GrowthMean::Arithmetic,
        );
        let g = a.growth.as_ref().unwrap();
        assert!(close(g.dlq[c].get().unwrap(), d.get().unwrap()));
        let ss = g.shift_share[c].value().unwrap();
        assert!(close(ss.total(), m2[c] - m0[c]));
        assert!(a.pairs.is_some());
        // Complementarity from the matrix equals the on-demand value and the scalar formula.
        for x in 0..3 {
            for y in 0..3 {
                let from_matrix = a.complementarity_score(x, y).get().unwrap();
                let direct = a.complementarity.directional(x, y).get().unwrap();
                assert_eq!(from_matrix, direct);
                let scalar = crate::formulas::complementarity(
                    &m2[x * 3..x * 3 + 3],
                    &m2[y * 3..y * 3 + 3],
                    &[rs(m2, 0), rs(m2, 1), rs(m2, 2)],
                )
                .into_value()
                .unwrap()
                .score;
                assert!(
                    close(from_matrix, scalar),
                    "{x}->{y}: {from_matrix} vs {scalar}"
                );
            }
            assert_eq!(a.complementarity_score(x, x).get(), Some(0.0));
            assert!(close(a.similarity(x, x).get().unwrap(), 1.0));
        }
    }

    #[test]
    fn same_start_and_end_has_no_growth() {
        let a = analyze(&panel3(), &AnalysisOptions::new(2021, 2021)).unwrap();
        assert!(a.growth.is_none());
        assert_eq!(a.lq_start, a.lq_end);
        assert_eq!(a.lq_mean, a.lq_end);
    }

    #[test]
    fn errors() {
        let p = panel3();
        assert_eq!(
            analyze(&p, &AnalysisOptions::new(2019, 2022)).unwrap_err(),
            AnalysisError::YearNotInPanel {
                year: 2019,
                first: 2020,
                last: 2022
            }
        );
        assert_eq!(
            analyze(&p, &AnalysisOptions::new(2022, 2020))
                .unwrap_err()
                .code(),
            "analysis.invalid_range"
        );
    }

    #[test]
    fn zero_region_is_undefined_everywhere_it_matters() {
        let obs: Vec<Observation> = [
            ("A", 2020, [1.0, 2.0]),
            ("A", 2021, [2.0, 2.0]),
            ("Z", 2020, [0.0, 0.0]),
            ("Z", 2021, [0.0, 0.0]),
        ]
        .iter()
        .flat_map(|(r, y, v)| {
            [
                Observation::new(*r, "x", *y, v[0]),
                Observation::new(*r, "y", *y, v[1]),
            ]
        })
        .collect();
        let p = Panel::from_observations(&obs).unwrap();
        let a = analyze(&p, &AnalysisOptions::new(2020, 2021)).unwrap();
        let z = a.region_index("Z").unwrap();
        assert_eq!(
            a.lq_end[a.cell(z, 0)].reason(),
            Some(Undefined::ZeroRegionTotal)
        );
        assert_eq!(a.hoover[z].reason(), Some(Undefined::ZeroRegionTotal));
        assert_eq!(
            a.complementarity_score(0, z).reason(),
            Some(Undefined::ZeroRegionTotal)
        );
        assert_eq!(a.mutual(z, 0).reason(), Some(Undefined::ZeroRegionTotal));
        assert_eq!(
            a.similarity(0, z).reason(),
            Some(Undefined::ZeroRegionTotal)
        );
        let g = a.growth.as_ref().unwrap();
        assert_eq!(
            g.dlq[a.cell(z, 0)].reason(),
            Some(Undefined::ZeroRegionBase)
        );
        // shift-share of a zero sector with a non-zero reference is defined (all zero)
        assert_eq!(
            g.shift_share[a.cell(z, 0)].value().map(|s| s.total()),
            Some(0.0)
        );
    }
}
