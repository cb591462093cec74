//! The formulas of analytics.md §2 on plain numbers and slices.
//!
//! Notation (as in the specification): `E_ij` value of sector *i* in region *j*, `E_j` the
//! region total, `E_i` the reference value of the sector, `E` the reference total; shares
//! `s_ij = E_ij/E_j`, `S_i = E_i/E`; growth `g = x¹/x⁰ − 1`. Superscript 0 is the start (base)
//! year, 1 the end year.
//!
//! Every function returns [`Measure`]s: division by zero gives `Undefined` with the reason,
//! never NaN, infinity or a silent zero. The panel-wide computation in
//! [`crate::analysis`] calls these same functions cell by cell, so both give identical numbers.

use serde::Serialize;

use crate::measure::{Measure, Undefined, finite, nonzero};

// ---------------------------------------------------------------------------------------------
// Location quotient and structure
// ---------------------------------------------------------------------------------------------

/// Static location quotient `LQ_ij = (E_ij/E_j) / (E_i/E)`; the argument order is that of REAT
/// `locq(e_ij, e_j, e_i, e)`.
///
/// Undefined when the reference total, the region total or the reference sector is zero (in
/// that order of checking).
#[must_use]
pub fn locq(e_ij: f64, e_j: f64, e_i: f64, e: f64) -> Measure {
    lq_checked(e_ij, e_j, e_i, e).into()
}

pub(crate) fn lq_checked(e_ij: f64, e_j: f64, e_i: f64, e: f64) -> Result<f64, Undefined> {
    let e = nonzero(e, Undefined::ZeroReferenceTotal)?;
    let e_j = nonzero(e_j, Undefined::ZeroRegionTotal)?;
    let e_i = nonzero(e_i, Undefined::ZeroReferenceSector)?;
    finite((e_ij / e_j) / (e_i / e))
}

/// The LQs of one region's sectors against a reference vector (same sector order).
///
/// # Errors
/// [`Undefined::LengthMismatch`] when the two slices differ in length.
pub fn location_quotients(region: &[f64], reference: &[f64]) -> Result<Vec<Measure>, Undefined> {
    if region.len() != reference.len() {
        return Err(Undefined::LengthMismatch);
    }
    let e_j: f64 = region.iter().sum();
    let e: f64 = reference.iter().sum();
    Ok(region
        .iter()
        .zip(reference)
        .map(|(&e_ij, &e_i)| locq(e_ij, e_j, e_i, e))
        .collect())
}

/// LQs of a region × sector matrix (rows regions, columns sectors) whose reference is the sum
/// of its rows, as EconGeo's `location_quotient(mat)`.
///
/// # Errors
/// [`Undefined::LengthMismatch`] when the rows differ in length.
pub fn location_quotient_matrix<R: AsRef<[f64]>>(
    rows: &[R],
) -> Result<Vec<Vec<Measure>>, Undefined> {
    let width = rows.first().map_or(0, |r| r.as_ref().len());
    if rows.iter().any(|r| r.as_ref().len() != width) {
        return Err(Undefined::LengthMismatch);
    }
    let mut reference = vec![0.0; width];
    for row in rows {
        for (acc, v) in reference.iter_mut().zip(row.as_ref()) {
            *acc += v;
        }
    }
    rows.iter()
        .map(|row| location_quotients(row.as_ref(), &reference))
        .collect()
}

/// Shares `x_i / Σx` of a vector.
pub(crate) fn shares(values: &[f64], zero_total: Undefined) -> Result<Vec<f64>, Undefined> {
    let total = nonzero(values.iter().sum(), zero_total)?;
    values.iter().map(|v| finite(v / total)).collect()
}

/// Hoover specialisation `H_j = ½ Σ_i |s_ij − S_i|` of a region against a reference (both given
/// as values, converted to shares). 0 = the same structure as the reference, at most 1.
#[must_use]
pub fn hoover(region: &[f64], reference: &[f64]) -> Measure {
    (|| {
        if region.len() != reference.len() {
            return Err(Undefined::LengthMismatch);
        }
        let big_s = shares(reference, Undefined::ZeroReferenceTotal)?;
        let s = shares(region, Undefined::ZeroRegionTotal)?;
        finite(0.5 * half_l1(&s, &big_s))
    })()
    .into()
}

/// `Σ |a_i − b_i|`.
pub(crate) fn half_l1(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| (x - y).abs()).sum()
}

/// Krugman dissimilarity `K = Σ_i |s_ia − s_ib|` ∈ [0, 2] of two regions' structures (given as
/// values, converted to shares), as REAT `krugman.spec`.
#[must_use]
pub fn krugman_dissimilarity(a: &[f64], b: &[f64]) -> Measure {
    (|| {
        if a.len() != b.len() {
            return Err(Undefined::LengthMismatch);
        }
        let sa = shares(a, Undefined::ZeroRegionTotal)?;
        let sb = shares(b, Undefined::ZeroRegionTotal)?;
        finite(half_l1(&sa, &sb))
    })()
    .into()
}

/// Structural similarity `1 − K/2` ∈ [0, 1] (1 = identical structure).
#[must_use]
pub fn structural_similarity(a: &[f64], b: &[f64]) -> Measure {
    krugman_dissimilarity(a, b).map(|k| 1.0 - k / 2.0)
}

/// Michaely's trade complementarity index `100 · (1 − ½ Σ_i |m_i − x_i|)`, where `x` are the
/// export shares of one partner and `m` the import shares of the other, both already given as
/// shares (summing to 1; they are **not** renormalised here). 100 = the exporter's structure
/// matches the importer's needs exactly, 0 = no overlap.
///
/// This is the classic trade-flow index, kept as a separate, published check; Sinergi's
/// partner matching uses the LQ-based [`complementarity`].
#[must_use]
pub fn michaely_complementarity(x: &[f64], m: &[f64]) -> Measure {
    if x.len() != m.len() {
        return Measure::Undefined(Undefined::LengthMismatch);
    }
    if x.is_empty() {
        return Measure::Undefined(Undefined::EmptyInput);
    }
    Measure::finite(100.0 * (1.0 - 0.5 * half_l1(m, x)))
}

// ---------------------------------------------------------------------------------------------
// Growth: shift-share, Esteban-Marquillas, Klassen, dynamic LQ
// ---------------------------------------------------------------------------------------------

/// Classic (Dunn) shift-share components of one sector of one region.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ShiftShare {
    /// National share `NS = E_ij⁰ · G`.
    pub ns: f64,
    /// Industry mix `IM = E_ij⁰ · (G_i − G)`.
    pub im: f64,
    /// Competitive (regional) shift `RS = E_ij⁰ · (g_ij − G_i)`.
    pub rs: f64,
}

impl ShiftShare {
    /// `NS + IM + RS`, equal to `E_ij¹ − E_ij⁰` up to rounding.
    #[must_use]
    pub fn total(&self) -> f64 {
        self.ns + self.im + self.rs
    }
}

/// Shift-share of one cell: region value at start/end, reference sector at start/end,
/// reference total at start/end.
///
/// `RS` is computed as `(E_ij¹ − E_ij⁰) − E_ij⁰·G_i`, algebraically equal to
/// `E_ij⁰·(g_ij − G_i)`. So a sector that is zero in the base year (its own growth rate is
/// undefined) still decomposes exactly: `NS = IM = 0` and the whole change is competitive shift.
/// The decomposition is undefined only when `G` or `G_i` is (zero reference in the base year).
#[must_use]
pub fn shift_share_cell(
    e0: f64,
    e1: f64,
    reference_sector0: f64,
    reference_sector1: f64,
    reference0: f64,
    reference1: f64,
) -> Measure<ShiftShare> {
    (|| {
        let r0 = nonzero(reference0, Undefined::ZeroReferenceBase)?;
        let ri0 = nonzero(reference_sector0, Undefined::ZeroReferenceSectorBase)?;
        let g = reference1 / r0 - 1.0;
        let g_i = reference_sector1 / ri0 - 1.0;
        Ok(ShiftShare {
            ns: finite(e0 * g)?,
            im: finite(e0 * (g_i - g))?,
            rs: finite((e1 - e0) - e0 * g_i)?,
        })
    })()
    .into()
}

/// Shift-share of every sector of one region against a reference (values at start and end).
///
/// # Errors
/// [`Undefined::LengthMismatch`] when the four slices differ in length.
pub fn shift_share(
    base: &[f64],
    current: &[f64],
    reference_base: &[f64],
    reference_current: &[f64],
) -> Result<Vec<Measure<ShiftShare>>, Undefined> {
    let n = base.len();
    if current.len() != n || reference_base.len() != n || reference_current.len() != n {
        return Err(Undefined::LengthMismatch);
    }
    let r0: f64 = reference_base.iter().sum();
    let r1: f64 = reference_current.iter().sum();
    Ok((0..n)
        .map(|i| {
            shift_share_cell(
                base[i],
                current[i],
                reference_base[i],
                reference_current[i],
                r0,
                r1,
            )
        })
        .collect())
}

/// Esteban-Marquillas split of the competitive shift.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct EstebanMarquillas {
    /// Homothetic employment `Ê_ij = E_j⁰ · E_i⁰ / E⁰` (the value the sector would have with the
    /// reference structure).
    pub homothetic: f64,
    /// Competitive effect `Ê_ij · (g_ij − G_i)`.
    pub competitive: f64,
    /// Allocation effect `(E_ij⁰ − Ê_ij) · (g_ij − G_i)`; competitive + allocation = RS.
    pub allocation: f64,
}

/// Esteban-Marquillas of one cell. Needs the region's own growth rate, so it is undefined when
/// the sector is zero in the base year.
#[must_use]
pub fn esteban_marquillas_cell(
    e0: f64,
    e1: f64,
    region_total0: f64,
    reference_sector0: f64,
    reference_sector1: f64,
    reference0: f64,
) -> Measure<EstebanMarquillas> {
    (|| {
        let r0 = nonzero(reference0, Undefined::ZeroReferenceBase)?;
        let ri0 = nonzero(reference_sector0, Undefined::ZeroReferenceSectorBase)?;
        let base = nonzero(e0, Undefined::ZeroBaseValue)?;
        let homothetic = finite(region_total0 * (ri0 / r0))?;
        let diff = (e1 / base - 1.0) - (reference_sector1 / ri0 - 1.0);
        Ok(EstebanMarquillas {
            homothetic,
            competitive: finite(homothetic * diff)?,
            allocation: finite((e0 - homothetic) * diff)?,
        })
    })()
    .into()
}

/// Sectoral Klassen quadrant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum KlassenQuadrant {
    /// `s > S, g > G`: maju dan tumbuh pesat.
    Q1,
    /// `s > S, g ≤ G`: maju tapi tertekan.
    Q2,
    /// `s ≤ S, g > G`: potensial / berkembang.
    Q3,
    /// `s ≤ S, g ≤ G`: relatif tertinggal.
    Q4,
}

impl KlassenQuadrant {
    /// Quadrant from the two comparisons; strict `>` is "high".
    #[must_use]
    pub fn classify(share: f64, reference_share: f64, growth: f64, reference_growth: f64) -> Self {
        match (share > reference_share, growth > reference_growth) {
            (true, true) => Self::Q1,
            (true, false) => Self::Q2,
            (false, true) => Self::Q3,
            (false, false) => Self::Q4,
        }
    }

    /// `Q1` … `Q4`.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Q1 => "Q1",
            Self::Q2 => "Q2",
            Self::Q3 => "Q3",
            Self::Q4 => "Q4",
        }
    }

    /// The usual Indonesian reading.
    #[must_use]
    pub const fn label(self) -> &'static str {
        match self {
            Self::Q1 => "maju dan tumbuh pesat",
            Self::Q2 => "maju tapi tertekan",
            Self::Q3 => "potensial / berkembang",
            Self::Q4 => "relatif tertinggal",
        }
    }
}

/// Klassen quadrant of one cell: share at the **end** year `E_ij¹/E_j¹` vs `E_i¹/E¹`, growth
/// start → end `g_ij` vs `G_i`.
#[must_use]
pub fn klassen_cell(
    e0: f64,
    e1: f64,
    region_total1: f64,
    reference_sector0: f64,
    reference_sector1: f64,
    reference1: f64,
) -> Measure<KlassenQuadrant> {
    (|| {
        let r1 = nonzero(reference1, Undefined::ZeroReferenceTotal)?;
        let t1 = nonzero(region_total1, Undefined::ZeroRegionTotal)?;
        let base = nonzero(e0, Undefined::ZeroBaseValue)?;
        let ri0 = nonzero(reference_sector0, Undefined::ZeroReferenceSectorBase)?;
        Ok(KlassenQuadrant::classify(
            e1 / t1,
            reference_sector1 / r1,
            e1 / base - 1.0,
            reference_sector1 / ri0 - 1.0,
        ))
    })()
    .into()
}

/// How the "bar" growth rate of the dynamic LQ is averaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GrowthMean {
    /// The specification: arithmetic mean of the annual growth rates, `(1 + ḡ)^t`.
    #[default]
    Arithmetic,
    /// Compound (geometric) mean, `(1 + ḡ)^t = x_end / x_start`. With it the DLQ equals
    /// `LQ_end / LQ_start` exactly; offered for comparison and used in the tests.
    Compound,
}

/// Growth factor `(1 + ḡ)^t` of a yearly series `x_start ..= x_end` (`t` = `len − 1` ≥ 1).
///
/// # Errors
/// `zero_base` when a base value is zero (for the arithmetic mean: any year but the last; for
/// the compound mean: the first), [`Undefined::EmptyInput`] for fewer than two values.
pub fn growth_factor(
    series: &[f64],
    mean: GrowthMean,
    zero_base: Undefined,
) -> Result<f64, Undefined> {
    let t = series
        .len()
        .checked_sub(1)
        .filter(|t| *t > 0)
        .ok_or(Undefined::EmptyInput)?;
    match mean {
        GrowthMean::Arithmetic => {
            let mut sum = 0.0;
            for w in series.windows(2) {
                let base = nonzero(w[0], zero_base)?;
                sum += w[1] / base - 1.0;
            }
            let exponent = i32::try_from(t).map_err(|_| Undefined::NotFinite)?;
            #[allow(clippy::cast_precision_loss)]
            let mean_rate = sum / t as f64;
            finite((1.0 + mean_rate).powi(exponent))
        }
        GrowthMean::Compound => {
            let base = nonzero(series[0], zero_base)?;
            finite(series[t] / base)
        }
    }
}

/// Arithmetic mean of the annual growth rates of a series (the `ḡ` of the DLQ formula).
///
/// # Errors
/// As [`growth_factor`].
pub fn mean_annual_growth(series: &[f64]) -> Result<f64, Undefined> {
    let t = series
        .len()
        .checked_sub(1)
        .filter(|t| *t > 0)
        .ok_or(Undefined::EmptyInput)?;
    let mut sum = 0.0;
    for w in series.windows(2) {
        sum += w[1] / nonzero(w[0], Undefined::ZeroBaseValue)? - 1.0;
    }
    #[allow(clippy::cast_precision_loss)]
    finite(sum / t as f64)
}

/// DLQ from the four growth factors `(1+ḡ_ij)^t`, `(1+ḡ_j)^t`, `(1+Ḡ_i)^t`, `(1+Ḡ)^t`.
pub(crate) fn dlq_from_factors(
    cell: Result<f64, Undefined>,
    region: Result<f64, Undefined>,
    reference_sector: Result<f64, Undefined>,
    reference: Result<f64, Undefined>,
) -> Result<f64, Undefined> {
    // Most general reason first: the reference, then the region, then the cell.
    let f = reference?;
    let fi = reference_sector?;
    let fr = region?;
    let fc = cell?;
    let fr = nonzero(fr, Undefined::ZeroGrowthFactor)?;
    let fi = nonzero(fi, Undefined::ZeroGrowthFactor)?;
    let f = nonzero(f, Undefined::ZeroGrowthFactor)?;
    finite((fc / fr) / (fi / f))
}

/// Dynamic LQ `DLQ_ij = [(1+ḡ_ij)/(1+ḡ_j)]^t / [(1+Ḡ_i)/(1+Ḡ)]^t` from the yearly series (start
/// ..= end, all of the same length) of the cell, the region total, the reference sector and the
/// reference total.
#[must_use]
pub fn dynamic_lq(
    cell: &[f64],
    region_total: &[f64],
    reference_sector: &[f64],
    reference_total: &[f64],
    mean: GrowthMean,
) -> Measure {
    let n = cell.len();
    if region_total.len() != n || reference_sector.len() != n || reference_total.len() != n {
        return Measure::Undefined(Undefined::LengthMismatch);
    }
    dlq_from_factors(
        growth_factor(cell, mean, Undefined::ZeroBaseValue),
        growth_factor(region_total, mean, Undefined::ZeroRegionBase),
        growth_factor(reference_sector, mean, Undefined::ZeroReferenceSectorBase),
        growth_factor(reference_total, mean, Undefined::ZeroReferenceBase),
    )
    .into()
}

/// Position of a sector by its start-year static LQ and its DLQ over the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DlqClass {
    /// SLQ > 1, DLQ > 1.
    BasisStable,
    /// SLQ > 1, DLQ ≤ 1.
    BasisDeclining,
    /// SLQ ≤ 1, DLQ > 1.
    NonbasisEmerging,
    /// SLQ ≤ 1, DLQ ≤ 1.
    NonbasisLagging,
}

impl DlqClass {
    /// Class from the start-year SLQ and the DLQ; strict `> 1`.
    #[must_use]
    pub fn classify(slq_start: f64, dlq: f64) -> Self {
        match (slq_start > 1.0, dlq > 1.0) {
            (true, true) => Self::BasisStable,
            (true, false) => Self::BasisDeclining,
            (false, true) => Self::NonbasisEmerging,
            (false, false) => Self::NonbasisLagging,
        }
    }

    /// Stable code, e.g. `BASIS_STABLE`. Display labels (unggulan, prospektif, …) are chosen by
    /// the caller because sources disagree.
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::BasisStable => "BASIS_STABLE",
            Self::BasisDeclining => "BASIS_DECLINING",
            Self::NonbasisEmerging => "NONBASIS_EMERGING",
            Self::NonbasisLagging => "NONBASIS_LAGGING",
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Complementarity
// ---------------------------------------------------------------------------------------------

/// Spare capacity `sup = max(0, 1 − 1/LQ)`: the part of a sector beyond local needs.
///
/// For `LQ = 0` the formula is `−∞`; the region has nothing of the sector to supply, so the
/// spare capacity is 0 (the same value `max(0, ·)` gives for any `LQ ≤ 1`). A non-finite LQ
/// (not produced by this crate) also gives 0.
#[must_use]
pub fn spare_capacity(lq: f64) -> f64 {
    if lq > 0.0 && lq.is_finite() {
        (1.0 - 1.0 / lq).max(0.0)
    } else {
        0.0
    }
}

/// Need `max(0, 1 − LQ)`: the part of a normal-sized sector the region lacks.
#[must_use]
pub fn need(lq: f64) -> f64 {
    if lq.is_finite() {
        (1.0 - lq).max(0.0)
    } else {
        0.0
    }
}

/// Directional complementarity of supplier A to recipient B with its per-sector contributions.
#[derive(Debug, Clone, PartialEq)]
pub struct Complementarity {
    /// `C(A→B) = Σ_i c_i`.
    pub score: f64,
    /// `c_i = S_i · sup_iA · need_iB`, in sector order.
    pub contributions: Vec<f64>,
}

/// `C(A→B)` from the values of supplier, recipient and reference (same sector order).
///
/// A sector with a zero reference share has weight `S_i = 0` and contributes 0 (it exists
/// nowhere in the reference, so nobody needs it).
#[must_use]
pub fn complementarity(
    supplier: &[f64],
    recipient: &[f64],
    reference: &[f64],
) -> Measure<Complementarity> {
    (|| {
        let n = reference.len();
        if supplier.len() != n || recipient.len() != n {
            return Err(Undefined::LengthMismatch);
        }
        let e = nonzero(reference.iter().sum(), Undefined::ZeroReferenceTotal)?;
        let ea = nonzero(supplier.iter().sum(), Undefined::ZeroRegionTotal)?;
        let eb = nonzero(recipient.iter().sum(), Undefined::ZeroRegionTotal)?;
        let mut contributions = Vec::with_capacity(n);
        for i in 0..n {
            let weight = reference[i] / e;
            let c = if weight == 0.0 {
                0.0
            } else {
                let lq_a = lq_checked(supplier[i], ea, reference[i], e)?;
                let lq_b = lq_checked(recipient[i], eb, reference[i], e)?;
                weight * spare_capacity(lq_a) * need(lq_b)
            };
            contributions.push(finite(c)?);
        }
        Ok(Complementarity {
            score: contributions.iter().sum(),
            contributions,
        })
    })()
    .into()
}

/// Mutual score `M = √(C(A→B) · C(B→A))`.
#[must_use]
pub fn mutual(a_to_b: Measure, b_to_a: Measure) -> Measure {
    match (a_to_b, b_to_a) {
        (Measure::Value(x), Measure::Value(y)) => Measure::finite((x * y).sqrt()),
        (Measure::Undefined(u), _) | (_, Measure::Undefined(u)) => Measure::Undefined(u),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    /// REAT documentation: `locq(1714, 79006, 879213, 15593224)` = 0.3847623.
    #[test]
    fn reat_locq() {
        let v = locq(1714.0, 79006.0, 879_213.0, 15_593_224.0)
            .get()
            .unwrap();
        assert!(close(v, 0.384_762_3, 5e-8), "{v}");
    }

    /// The EconGeo documentation matrix (used in the examples of `location_quotient`,
    /// `locational.Gini` and others; rows R1..R5, columns I1..I5). Each industry column sums to
    /// 100, so `S_i = 0.2`, and R2 (total 100) has `LQ = share / 0.2`.
    #[test]
    fn econgeo_location_quotient_example() {
        let mat = [
            [100.0, 0.0, 0.0, 0.0, 0.0],
            [0.0, 15.0, 5.0, 70.0, 10.0],
            [0.0, 20.0, 10.0, 20.0, 50.0],
            [0.0, 25.0, 30.0, 5.0, 40.0],
            [0.0, 40.0, 55.0, 5.0, 0.0],
        ];
        let lq = location_quotient_matrix(&mat).unwrap();
        let expected = [0.0, 0.75, 0.25, 3.5, 0.5];
        for (got, want) in lq[1].iter().zip(expected) {
            assert!(close(got.get().unwrap(), want, 1e-12), "{got:?} vs {want}");
        }
        assert!(close(lq[0][0].get().unwrap(), 5.0, 1e-12));
    }

    /// Farhauer/Kroell example from the REAT `shift` documentation, explicit nation.
    #[test]
    fn farhauer_kroell_shift_share() {
        let a0 = [90.0, 20.0, 10.0, 60.0];
        let a1 = [100.0, 40.0, 10.0, 55.0];
        let n0 = [400.0, 150.0, 150.0, 400.0];
        let n1 = [440.0, 210.0, 135.0, 480.0];
        let cells = shift_share(&a0, &a1, &n0, &n1).unwrap();
        let (mut ns, mut im, mut rs) = (0.0, 0.0, 0.0);
        for c in &cells {
            let c = c.value().unwrap();
            ns += c.ns;
            im += c.im;
            rs += c.rs;
        }
        assert!(close(ns, 27.0, 1e-9), "NS {ns}");
        assert!(close(im, 1.0, 1e-9), "IM {im}");
        assert!(close(rs, -3.0, 1e-9), "RS {rs}");
        assert!(close(ns + im + rs, 25.0, 1e-9));
    }

    /// REAT `krugman.spec(c(20,10,70,0,0), c(0,0,0,60,40))` = 2.
    #[test]
    fn reat_krugman() {
        let k = krugman_dissimilarity(&[20.0, 10.0, 70.0, 0.0, 0.0], &[0.0, 0.0, 0.0, 60.0, 40.0]);
        assert!(close(k.get().unwrap(), 2.0, 1e-12));
        let s = structural_similarity(&[20.0, 10.0, 70.0, 0.0, 0.0], &[0.0, 0.0, 0.0, 60.0, 40.0]);
        assert!(close(s.get().unwrap(), 0.0, 1e-12));
    }

    /// Michaely: x = [0.5, 0.3, 0.2, 0], m = [0.1, 0.4, 0.2, 0.3] → 60.
    #[test]
    fn michaely_example() {
        let v = michaely_complementarity(&[0.5, 0.3, 0.2, 0.0], &[0.1, 0.4, 0.2, 0.3]);
        assert!(close(v.get().unwrap(), 60.0, 1e-9));
        assert_eq!(
            michaely_complementarity(&[1.0], &[]).reason(),
            Some(Undefined::LengthMismatch)
        );
    }

    #[test]
    fn lq_zero_cases_name_reason() {
        assert_eq!(
            locq(1.0, 0.0, 1.0, 10.0).reason(),
            Some(Undefined::ZeroRegionTotal)
        );
        assert_eq!(
            locq(0.0, 5.0, 0.0, 10.0).reason(),
            Some(Undefined::ZeroReferenceSector)
        );
        assert_eq!(
            locq(0.0, 0.0, 0.0, 0.0).reason(),
            Some(Undefined::ZeroReferenceTotal)
        );
        assert_eq!(locq(0.0, 5.0, 3.0, 10.0).get(), Some(0.0));
    }

    #[test]
    fn hoover_of_reference_is_zero() {
        assert_eq!(
            hoover(&[1.0, 2.0, 3.0], &[10.0, 20.0, 30.0]).get(),
            Some(0.0)
        );
        let h = hoover(&[1.0, 0.0], &[1.0, 1.0]).get().unwrap();
        assert!(close(h, 0.5, 1e-12));
        assert_eq!(
            hoover(&[0.0, 0.0], &[1.0, 1.0]).reason(),
            Some(Undefined::ZeroRegionTotal)
        );
    }

    #[test]
    fn sup_and_need() {
        assert_eq!(spare_capacity(0.0), 0.0);
        assert_eq!(spare_capacity(0.5), 0.0);
        assert_eq!(spare_capacity(2.0), 0.5);
        assert_eq!(need(0.0), 1.0);
        assert_eq!(need(0.25), 0.75);
        assert_eq!(need(3.0), 0.0);
    }

    #[test]
    fn complementarity_two_sector_example() {
        // Reference = A + B = [100, 100]; A = [90, 10] (LQ 1.8, 0.2); B = [10, 90].
        let a = [90.0, 10.0];
        let b = [10.0, 90.0];
        let reference = [100.0, 100.0];
        let ab = complementarity(&a, &b, &reference).into_value().unwrap();
        // c_0 = 0.5 · (1 − 1/1.8) · (1 − 0.2) = 0.5 · 0.4444… · 0.8
        let expected = 0.5 * (1.0 - 1.0 / 1.8) * 0.8;
        assert!(close(ab.score, expected, 1e-12));
        assert!(close(ab.contributions[0], expected, 1e-12));
        assert_eq!(ab.contributions[1], 0.0);
        let ba = complementarity(&b, &a, &reference).into_value().unwrap();
        let m = mutual(Measure::Value(ab.score), Measure::Value(ba.score))
            .get()
            .unwrap();
        assert!(close(m, expected, 1e-12));
    }

    #[test]
    fn growth_factor_modes() {
        let s = [100.0, 110.0, 121.0];
        let a = growth_factor(&s, GrowthMean::Arithmetic, Undefined::ZeroBaseValue).unwrap();
        let c = growth_factor(&s, GrowthMean::Compound, Undefined::ZeroBaseValue).unwrap();
        assert!(close(a, 1.21, 1e-12));
        assert!(close(c, 1.21, 1e-12));
        assert!(close(mean_annual_growth(&s).unwrap(), 0.1, 1e-12));
        // 100 → 200 → 100: arithmetic mean (1 − 0.5)/2 = 0.25, factor 1.5625; compound 1.
        let z = [100.0, 200.0, 100.0];
        let a = growth_factor(&z, GrowthMean::Arithmetic, Undefined::ZeroBaseValue).unwrap();
        assert!(close(a, 1.5625, 1e-12));
        assert_eq!(
            growth_factor(
                &[0.0, 1.0],
                GrowthMean::Arithmetic,
                Undefined::ZeroBaseValue
            ),
            Err(Undefined::ZeroBaseValue)
        );
        assert_eq!(
            growth_factor(&[1.0], GrowthMean::Arithmetic, Undefined::ZeroBaseValue),
            Err(Undefined::EmptyInput)
        );
    }

    #[test]
    fn dlq_one_period_equals_lq_ratio() {
        // two regions, two sectors, t = 1
        let cell = [30.0, 45.0];
        let region = [100.0, 120.0];
        let ref_sector = [50.0, 60.0];
        let ref_total = [300.0, 330.0];
        let d = dynamic_lq(
            &cell,
            &region,
            &ref_sector,
            &ref_total,
            GrowthMean::Arithmetic,
        );
        let lq0 = locq(30.0, 100.0, 50.0, 300.0).get().unwrap();
        let lq1 = locq(45.0, 120.0, 60.0, 330.0).get().unwrap();
        assert!(close(d.get().unwrap(), lq1 / lq0, 1e-12));
    }

    #[test]
    fn dlq_classes() {
        assert_eq!(DlqClass::classify(1.2, 1.1), DlqClass::BasisStable);
        assert_eq!(DlqClass::classify(1.2, 1.0), DlqClass::BasisDeclining);
        assert_eq!(DlqClass::classify(1.0, 1.3), DlqClass::NonbasisEmerging);
        assert_eq!(DlqClass::classify(0.4, 0.9), DlqClass::NonbasisLagging);
        assert_eq!(
            serde_json::to_string(&DlqClass::NonbasisEmerging).unwrap(),
            "\"NONBASIS_EMERGING\""
        );
    }

    #[test]
    fn klassen_quadrants() {
        // share 0.5 > 0.4, growth 0.2 > 0.1 → Q1
        assert_eq!(
            klassen_cell(50.0, 60.0, 120.0, 100.0, 110.0, 275.0).into_value(),
            Some(KlassenQuadrant::Q1)
        );
        // equal growth is not high → Q2
        assert_eq!(
            KlassenQuadrant::classify(0.5, 0.4, 0.1, 0.1),
            KlassenQuadrant::Q2
        );
        assert_eq!(
            KlassenQuadrant::classify(0.4, 0.4, 0.2, 0.1),
            KlassenQuadrant::Q3
        );
        assert_eq!(
            KlassenQuadrant::classify(0.1, 0.4, 0.0, 0.1),
            KlassenQuadrant::Q4
        );
        assert_eq!(
            klassen_cell(0.0, 5.0, 10.0, 10.0, 10.0, 10.0).reason(),
            Some(Undefined::ZeroBaseValue)
        );
    }

    #[test]
    fn shift_share_zero_base_value_is_all_competitive() {
        let c = shift_share_cell(0.0, 7.0, 10.0, 20.0, 100.0, 150.0)
            .into_value()
            .unwrap();
        assert_eq!((c.ns, c.im), (0.0, 0.0));
        assert!(close(c.rs, 7.0, 1e-12));
        assert_eq!(
            shift_share_cell(1.0, 2.0, 0.0, 1.0, 10.0, 11.0).reason(),
            Some(Undefined::ZeroReferenceSectorBase)
        );
    }

    #[test]
    fn esteban_marquillas_splits_rs() {
        let (e0, e1, t0, ri0, ri1, r0, r1) = (30.0, 45.0, 100.0, 50.0, 60.0, 300.0, 330.0);
        let em = esteban_marquillas_cell(e0, e1, t0, ri0, ri1, r0)
            .into_value()
            .unwrap();
        let ss = shift_share_cell(e0, e1, ri0, ri1, r0, r1)
            .into_value()
            .unwrap();
        assert!(close(em.competitive + em.allocation, ss.rs, 1e-9));
        assert!(close(em.homothetic, 100.0 * 50.0 / 300.0, 1e-12));
    }
}
