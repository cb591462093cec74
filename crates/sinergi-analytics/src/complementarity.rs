//! Complementarity between regions: per-region spare capacity and need vectors, the ordered-pair
//! score matrix, partner rankings and per-sector explanations.
//!
//! `C(A→B) = Σ_i S_i · sup_iA · need_iB` is a dot product of two precomputed vectors
//! (`S_i·sup_iA` of the supplier, `need_iB` of the recipient), so all ordered pairs cost
//! O(R²·S) over contiguous slices, and one region's ranking O(R·S).

use std::cmp::Ordering;

use crate::analysis::{Analysis, AnalysisError};
use crate::formulas::{half_l1, need, spare_capacity};
use crate::measure::{Measure, Undefined};

/// Per-region vectors of the end year from which every pair score is a dot product.
#[derive(Debug, Clone, PartialEq)]
pub struct ComplementarityBase {
    sectors: usize,
    reference_share: Vec<f64>,
    /// `sup_iA` (region × sector).
    spare: Vec<f64>,
    /// `S_i · sup_iA` (region × sector).
    supply: Vec<f64>,
    /// `need_iB` (region × sector).
    need: Vec<f64>,
    /// Why a region has no scores (`None` = it has).
    status: Vec<Option<Undefined>>,
}

#[inline]
fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[inline]
fn similarity_value(a: &[f64], b: &[f64]) -> f64 {
    1.0 - 0.5 * half_l1(a, b)
}

impl ComplementarityBase {
    /// From the end-year LQs (row-major region × sector), the reference shares `S_i`, the
    /// region totals and the reference total.
    ///
    /// A sector with a zero reference share (LQ undefined for that reason) gets `sup = need =
    /// 0`: its weight `S_i` is zero anyway. A region with a zero total, or any reference total of
    /// zero, has no scores (undefined with that reason).
    pub(crate) fn new(
        lq_end: &[Measure],
        reference_share: Vec<f64>,
        region_totals: &[f64],
        reference_total: f64,
        sectors: usize,
    ) -> Self {
        let regions = region_totals.len();
        let mut spare = vec![0.0; regions * sectors];
        let mut supply = vec![0.0; regions * sectors];
        let mut need_v = vec![0.0; regions * sectors];
        let mut status = vec![None; regions];
        for r in 0..regions {
            status[r] = if reference_total == 0.0 {
                Some(Undefined::ZeroReferenceTotal)
            } else if region_totals[r] == 0.0 {
                Some(Undefined::ZeroRegionTotal)
            } else {
                None
            };
            if status[r].is_some() {
                continue;
            }
            for (s, &weight) in reference_share.iter().enumerate().take(sectors) {
                let c = r * sectors + s;
                match lq_end[c] {
                    Measure::Value(lq) => {
                        spare[c] = spare_capacity(lq);
                        supply[c] = weight * spare[c];
                        need_v[c] = need(lq);
                    }
                    Measure::Undefined(Undefined::ZeroReferenceSector) => {}
                    Measure::Undefined(u) => status[r] = Some(u),
                }
            }
            if status[r].is_some() {
                for v in [&mut spare, &mut supply, &mut need_v] {
                    v[r * sectors..(r + 1) * sectors].fill(0.0);
                }
            }
        }
        Self {
            sectors,
            reference_share,
            spare,
            supply,
            need: need_v,
            status,
        }
    }

    /// Number of regions.
    #[must_use]
    pub fn region_count(&self) -> usize {
        self.status.len()
    }

    /// Why a region has no scores, `None` when it has.
    #[must_use]
    pub fn status(&self, region: usize) -> Option<Undefined> {
        self.status.get(region).copied().flatten()
    }

    /// `sup` of one cell.
    #[must_use]
    pub fn spare_capacity(&self, region: usize, sector: usize) -> Option<f64> {
        (sector < self.sectors)
            .then(|| self.spare.get(region * self.sectors + sector).copied())
            .flatten()
    }

    /// `need` of one cell.
    #[must_use]
    pub fn need(&self, region: usize, sector: usize) -> Option<f64> {
        (sector < self.sectors)
            .then(|| self.need.get(region * self.sectors + sector).copied())
            .flatten()
    }

    /// `S_i` at the end year.
    #[must_use]
    pub fn reference_share(&self, sector: usize) -> Option<f64> {
        self.reference_share.get(sector).copied()
    }

    fn row<'v>(&self, v: &'v [f64], region: usize) -> &'v [f64] {
        &v[region * self.sectors..(region + 1) * self.sectors]
    }

    fn check(&self, a: usize, b: usize) -> Result<(), Undefined> {
        for r in [a, b] {
            match self.status.get(r) {
                None => return Err(Undefined::OutOfRange),
                Some(Some(u)) => return Err(*u),
                Some(None) => {}
            }
        }
        Ok(())
    }

    /// `C(supplier → recipient)`, computed now.
    #[must_use]
    pub fn directional(&self, supplier: usize, recipient: usize) -> Measure {
        match self.check(supplier, recipient) {
            Ok(()) => Measure::finite(dot(
                self.row(&self.supply, supplier),
                self.row(&self.need, recipient),
            )),
            Err(u) => Measure::Undefined(u),
        }
    }
}

/// The full ordered-pair matrices of complementarity `C(a→b)` (row = supplier) and structural
/// similarity `1 − K/2`, both region × region, row-major.
#[derive(Debug, Clone, PartialEq)]
pub struct PairScores {
    n: usize,
    complementarity: Vec<f64>,
    similarity: Vec<f64>,
    complementarity_status: Vec<Option<Undefined>>,
    share_status: Vec<Option<Undefined>>,
}

impl PairScores {
    /// Computes both matrices, splitting the rows over `threads` scoped threads when there
    /// are enough regions to make it worthwhile.
    pub(crate) fn compute(
        base: &ComplementarityBase,
        shares: &[f64],
        share_status: &[Option<Undefined>],
        sectors: usize,
        threads: usize,
    ) -> Self {
        let n = base.region_count();
        let mut complementarity = vec![0.0; n * n];
        let mut similarity = vec![0.0; n * n];
        let fill = |first_row: usize, c_out: &mut [f64], s_out: &mut [f64]| {
            let rows = c_out.len() / n.max(1);
            for k in 0..rows {
                let a = first_row + k;
                let supply_a = base.row(&base.supply, a);
                let share_a = &shares[a * sectors..(a + 1) * sectors];
                let c_row = &mut c_out[k * n..(k + 1) * n];
                let s_row = &mut s_out[k * n..(k + 1) * n];
                for b in 0..n {
                    c_row[b] = dot(supply_a, base.row(&base.need, b));
                    s_row[b] = similarity_value(share_a, &shares[b * sectors..(b + 1) * sectors]);
                }
            }
        };
        let threads = threads.max(1);
        if threads == 1 || n < 64 {
            fill(0, &mut complementarity, &mut similarity);
        } else {
            let rows_per = n.div_ceil(threads);
            std::thread::scope(|scope| {
                let mut parts = complementarity
                    .chunks_mut(rows_per * n)
                    .zip(similarity.chunks_mut(rows_per * n))
                    .enumerate();
                let first = parts.next();
                for (i, (c, s)) in parts {
                    let fill = &fill;
                    scope.spawn(move || fill(i * rows_per, c, s));
                }
                if let Some((_, (c, s))) = first {
                    fill(0, c, s);
                }
            });
        }
        Self {
            n,
            complementarity,
            similarity,
            complementarity_status: base.status.clone(),
            share_status: share_status.to_vec(),
        }
    }

    /// Number of regions.
    #[must_use]
    pub fn region_count(&self) -> usize {
        self.n
    }

    fn lookup(&self, values: &[f64], status: &[Option<Undefined>], a: usize, b: usize) -> Measure {
        for r in [a, b] {
            match status.get(r) {
                None => return Measure::Undefined(Undefined::OutOfRange),
                Some(Some(u)) => return Measure::Undefined(*u),
                Some(None) => {}
            }
        }
        Measure::finite(values[a * self.n + b])
    }

    /// `C(supplier → recipient)`.
    #[must_use]
    pub fn complementarity(&self, supplier: usize, recipient: usize) -> Measure {
        self.lookup(
            &self.complementarity,
            &self.complementarity_status,
            supplier,
            recipient,
        )
    }

    /// Structural similarity `1 − K/2`.
    #[must_use]
    pub fn similarity(&self, a: usize, b: usize) -> Measure {
        self.lookup(&self.similarity, &self.share_status, a, b)
    }

    /// Raw complementarity matrix (row = supplier); entries of undefined regions are 0, so
    /// consult [`PairScores::complementarity`] for anything shown to people.
    #[must_use]
    pub fn complementarity_matrix(&self) -> &[f64] {
        &self.complementarity
    }
}

pub(crate) fn similarity_on_demand(
    shares: &[f64],
    share_status: &[Option<Undefined>],
    sectors: usize,
    a: usize,
    b: usize,
) -> Measure {
    for r in [a, b] {
        match share_status.get(r) {
            None => return Measure::Undefined(Undefined::OutOfRange),
            Some(Some(u)) => return Measure::Undefined(*u),
            Some(None) => {}
        }
    }
    Measure::finite(similarity_value(
        &shares[a * sectors..(a + 1) * sectors],
        &shares[b * sectors..(b + 1) * sectors],
    ))
}

/// One partner in a ranking: `a` is the region asked about, `b` the partner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PartnerScore<'a> {
    /// Partner name.
    pub region: &'a str,
    /// Partner position.
    pub index: usize,
    /// `M(a, b)`.
    pub mutual: Measure,
    /// `C(a → b)`: what the region can supply to the partner.
    pub a_to_b: Measure,
    /// `C(b → a)`: what the partner can supply to the region.
    pub b_to_a: Measure,
}

/// Which score orders a ranking.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RankBy {
    /// Mutual score (the default: two-way exchange).
    #[default]
    Mutual,
    /// What the region supplies, `C(a → b)`.
    Outgoing,
    /// What the region receives, `C(b → a)`.
    Incoming,
}

/// Descending by value; undefined last.
fn desc(x: Measure, y: Measure) -> Ordering {
    match (x.get(), y.get()) {
        (Some(a), Some(b)) => b.total_cmp(&a),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

/// Every other region ranked by mutual score, best first (ties: one-way scores, then panel
/// order; undefined scores last).
///
/// # Errors
/// [`AnalysisError::UnknownRegion`].
pub fn partner_ranking<'a>(
    analysis: &'a Analysis,
    region: &str,
) -> Result<Vec<PartnerScore<'a>>, AnalysisError> {
    partner_ranking_by(analysis, region, RankBy::Mutual)
}

/// Every other region ranked by the chosen score, best first.
///
/// Computed from the per-region vectors (O(R·S)); it does not need the pair matrix and gives
/// bit-identical numbers to it.
///
/// # Errors
/// [`AnalysisError::UnknownRegion`].
pub fn partner_ranking_by<'a>(
    analysis: &'a Analysis,
    region: &str,
    by: RankBy,
) -> Result<Vec<PartnerScore<'a>>, AnalysisError> {
    let a = analysis
        .region_index(region)
        .ok_or_else(|| AnalysisError::UnknownRegion(region.to_owned()))?;
    let base = &analysis.complementarity;
    let mut out: Vec<PartnerScore<'a>> = analysis
        .regions
        .iter()
        .enumerate()
        .filter(|(b, _)| *b != a)
        .map(|(b, name)| {
            let a_to_b = base.directional(a, b);
            let b_to_a = base.directional(b, a);
            PartnerScore {
                region: name,
                index: b,
                mutual: crate::formulas::mutual(a_to_b, b_to_a),
                a_to_b,
                b_to_a,
            }
        })
        .collect();
    let key = |p: &PartnerScore<'_>| match by {
        RankBy::Mutual => [p.mutual, p.a_to_b, p.b_to_a],
        RankBy::Outgoing => [p.a_to_b, p.mutual, p.b_to_a],
        RankBy::Incoming => [p.b_to_a, p.mutual, p.a_to_b],
    };
    out.sort_by(|x, y| {
        let (kx, ky) = (key(x), key(y));
        desc(kx[0], ky[0])
            .then_with(|| desc(kx[1], ky[1]))
            .then_with(|| desc(kx[2], ky[2]))
            .then_with(|| x.index.cmp(&y.index))
    });
    Ok(out)
}

/// How much one sector adds to `C(supplier → recipient)`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SectorContribution<'a> {
    /// Sector name.
    pub sector: &'a str,
    /// Sector position.
    pub sector_index: usize,
    /// `S_i`.
    pub reference_share: f64,
    /// Supplier's LQ (end year).
    pub supplier_lq: Measure,
    /// Recipient's LQ (end year).
    pub recipient_lq: Measure,
    /// `sup_iA`.
    pub spare_capacity: f64,
    /// `need_iB`.
    pub need: f64,
    /// `c_i = S_i · sup_iA · need_iB`.
    pub contribution: f64,
    /// `c_i / C(A→B)` (0 when the score is 0).
    pub fraction: f64,
}

fn id_number(x: f64, decimals: usize) -> String {
    format!("{x:.decimals$}").replace('.', ",")
}

impl SectorContribution<'_> {
    /// One Indonesian sentence, e.g. "Surplus sektor I di Bali (LQ 4,43) mengisi kekurangan
    /// Kalteng (LQ 0,22): 38 % dari skor Bali→Kalteng."
    #[must_use]
    pub fn sentence(&self, supplier: &str, recipient: &str) -> String {
        let lq = |m: Measure| {
            m.get()
                .map_or_else(|| "tidak terdefinisi".to_owned(), |v| id_number(v, 2))
        };
        format!(
            "Surplus sektor {} di {supplier} (LQ {}) mengisi kekurangan {recipient} (LQ {}): {} % dari skor {supplier}→{recipient}.",
            self.sector,
            lq(self.supplier_lq),
            lq(self.recipient_lq),
            id_number(self.fraction * 100.0, 0),
        )
    }
}

/// Everything the pair page shows for regions `a` and `b`.
#[derive(Debug, Clone, PartialEq)]
pub struct PairDetail<'a> {
    /// First region.
    pub a: &'a str,
    /// Second region.
    pub b: &'a str,
    /// `C(a → b)`.
    pub a_to_b: Measure,
    /// `C(b → a)`.
    pub b_to_a: Measure,
    /// `M(a, b)`.
    pub mutual: Measure,
    /// Structural similarity `1 − K/2` (reported separately, never folded into `M`).
    pub similarity: Measure,
    /// Non-zero contributions to `C(a → b)`, largest first.
    pub contributions_a_to_b: Vec<SectorContribution<'a>>,
    /// Non-zero contributions to `C(b → a)`, largest first.
    pub contributions_b_to_a: Vec<SectorContribution<'a>>,
    /// Sectors where both have LQ > 1 at the end year (joint promotion, shared standards).
    pub shared_base_sectors: Vec<&'a str>,
}

fn contributions<'a>(
    analysis: &'a Analysis,
    supplier: usize,
    recipient: usize,
    total: Measure,
) -> Vec<SectorContribution<'a>> {
    let base = &analysis.complementarity;
    if !total.is_defined() {
        return Vec::new();
    }
    let total = total.get().unwrap_or(0.0);
    let mut out: Vec<SectorContribution<'a>> = analysis
        .sectors
        .iter()
        .enumerate()
        .filter_map(|(s, name)| {
            let share = base.reference_share(s)?;
            let sup = base.spare_capacity(supplier, s)?;
            let nd = base.need(recipient, s)?;
            let contribution = share * sup * nd;
            (contribution > 0.0).then(|| SectorContribution {
                sector: name,
                sector_index: s,
                reference_share: share,
                supplier_lq: analysis.lq_end[analysis.cell(supplier, s)],
                recipient_lq: analysis.lq_end[analysis.cell(recipient, s)],
                spare_capacity: sup,
                need: nd,
                contribution,
                fraction: if total > 0.0 {
                    contribution / total
                } else {
                    0.0
                },
            })
        })
        .collect();
    out.sort_by(|x, y| {
        y.contribution
            .total_cmp(&x.contribution)
            .then_with(|| x.sector_index.cmp(&y.sector_index))
    });
    out
}

/// Both directions, mutual score, similarity and per-sector contributions of a pair.
///
/// # Errors
/// [`AnalysisError::UnknownRegion`].
pub fn pair_detail<'a>(
    analysis: &'a Analysis,
    a: &str,
    b: &str,
) -> Result<PairDetail<'a>, AnalysisError> {
    let ia = analysis
        .region_index(a)
        .ok_or_else(|| AnalysisError::UnknownRegion(a.to_owned()))?;
    let ib = analysis
        .region_index(b)
        .ok_or_else(|| AnalysisError::UnknownRegion(b.to_owned()))?;
    let a_to_b = analysis.complementarity_score(ia, ib);
    let b_to_a = analysis.complementarity_score(ib, ia);
    let shared_base_sectors = analysis
        .sectors
        .iter()
        .enumerate()
        .filter(|(s, _)| {
            let above = |r: usize| {
                analysis.lq_end[analysis.cell(r, *s)]
                    .get()
                    .is_some_and(|v| v > 1.0)
            };
            above(ia) && above(ib)
        })
        .map(|(_, name)| name.as_str())
        .collect();
    Ok(PairDetail {
        a: &analysis.regions[ia],
        b: &analysis.regions[ib],
        a_to_b,
        b_to_a,
        mutual: crate::formulas::mutual(a_to_b, b_to_a),
        similarity: analysis.similarity(ia, ib),
        contributions_a_to_b: contributions(analysis, ia, ib, a_to_b),
        contributions_b_to_a: contributions(analysis, ib, ia, b_to_a),
        shared_base_sectors,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{AnalysisOptions, analyze};
    use crate::panel::{Observation, Panel};

    fn analysis(pairs: bool, threads: usize) -> Analysis {
        let rows: [(&str, [f64; 3]); 4] = [
            ("Bali", [10.0, 20.0, 70.0]),
            ("Kalteng", [60.0, 30.0, 10.0]),
            ("Jatim", [30.0, 40.0, 30.0]),
            ("Papua", [50.0, 45.0, 5.0]),
        ];
        let obs: Vec<Observation> = rows
            .iter()
            .flat_map(|(r, v)| {
                (0..3).map(move |s| Observation::new(*r, ["A", "C", "I"][s], 2022, v[s]))
            })
            .collect();
        let p = Panel::from_observations(&obs).unwrap();
        let mut o = AnalysisOptions::new(2022, 2022);
        o.pair_scores = pairs;
        o.threads = threads;
        analyze(&p, &o).unwrap()
    }

    #[test]
    fn ranking_is_sorted_and_matches_pairs() {
        let a = analysis(true, 1);
        let ranking = partner_ranking(&a, "Bali").unwrap();
        assert_eq!(ranking.len(), 3);
        for w in ranking.windows(2) {
            assert!(w[0].mutual.get().unwrap() >= w[1].mutual.get().unwrap());
        }
        for p in &ranking {
            assert_eq!(p.a_to_b, a.complementarity_score(0, p.index));
            assert_eq!(p.b_to_a, a.complementarity_score(p.index, 0));
            assert_eq!(p.mutual, a.mutual(0, p.index));
        }
        // Bali (tourism-heavy) and Papua (A, C heavy) complement each other most.
        assert_eq!(ranking[0].region, "Papua");
        assert!(partner_ranking(&a, "Atlantis").is_err());
        let out = partner_ranking_by(&a, "Bali", RankBy::Outgoing).unwrap();
        for w in out.windows(2) {
            assert!(w[0].a_to_b.get().unwrap() >= w[1].a_to_b.get().unwrap());
        }
    }

    #[test]
    fn on_demand_equals_matrix_and_threads_agree() {
        let with = analysis(true, 1);
        let without = analysis(false, 1);
        for x in 0..4 {
            for y in 0..4 {
                assert_eq!(
                    with.complementarity_score(x, y),
                    without.complementarity_score(x, y)
                );
                assert_eq!(with.similarity(x, y), without.similarity(x, y));
            }
        }
        assert_eq!(
            with.complementarity_score(9, 0).reason(),
            Some(Undefined::OutOfRange)
        );
    }

    #[test]
    fn detail_explains_the_score() {
        let a = analysis(true, 1);
        let d = pair_detail(&a, "Bali", "Kalteng").unwrap();
        let sum: f64 = d.contributions_a_to_b.iter().map(|c| c.contribution).sum();
        assert!((sum - d.a_to_b.get().unwrap()).abs() < 1e-12);
        assert_eq!(d.contributions_a_to_b[0].sector, "I");
        let s = d.contributions_a_to_b[0].sentence("Bali", "Kalteng");
        assert!(s.starts_with("Surplus sektor I di Bali (LQ "), "{s}");
        assert!(s.ends_with("100 % dari skor Bali→Kalteng."), "{s}");
        let fsum: f64 = d.contributions_b_to_a.iter().map(|c| c.fraction).sum();
        assert!((fsum - 1.0).abs() < 1e-12);
        assert!(d.shared_base_sectors.is_empty());
        let d = pair_detail(&a, "Kalteng", "Papua").unwrap();
        assert_eq!(d.shared_base_sectors, ["A"]);
    }
}
