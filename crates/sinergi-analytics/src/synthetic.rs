//! Deterministic synthetic panels for tests and benchmarks. Always labelled synthetic: region
//! names are `SYN001`, `SYN002`, …
//!
//! The generator is a plain xorshift64* with only `+ − × ÷` on doubles, so
//! `bench/analytics_numpy.py` reproduces the very same values bit for bit.

use crate::panel::Observation;

/// The 17 BPS *lapangan usaha* category codes (analytics.md §5), used as sector names while
/// `sectors ≤ 17`; further sectors are called `X18`, `X19`, …
pub const BPS_CATEGORIES: [&str; 17] = [
    "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M,N", "O", "P", "Q", "R,S,T,U",
];

/// First year of a synthetic panel.
pub const SYNTHETIC_FIRST_YEAR: i32 = 2013;

/// xorshift64* (Vigna); never zero state.
struct XorShift64Star(u64);

impl XorShift64Star {
    fn new(seed: u64) -> Self {
        let s = seed ^ 0x9E37_79B9_7F4A_7C15;
        Self(if s == 0 { 0x2545_F491_4F6C_DD1D } else { s })
    }

    fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in [0, 1) with 53 random bits.
    fn uniform(&mut self) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let hi = (self.next_u64() >> 11) as f64;
        hi * (1.0 / 9_007_199_254_740_992.0)
    }
}

/// A dense synthetic panel of `regions × sectors × years` positive values, deterministic in
/// `seed`. Years start at [`SYNTHETIC_FIRST_YEAR`]; observations are emitted region by region,
/// sector by sector, year by year.
///
/// Per region a size `1 + 99u`; per cell a base level `size · (1 + 999u)` and a trend rate
/// `−0.03 + 0.13u`; each year the level is multiplied by `1 + trend − 0.02 + 0.04u` (always
/// ≥ 0.95, so values stay positive).
#[must_use]
pub fn synthetic_panel(
    regions: usize,
    sectors: usize,
    years: usize,
    seed: u64,
) -> Vec<Observation> {
    let mut rng = XorShift64Star::new(seed);
    let digits = regions.max(1).to_string().len().max(3);
    let sector_names: Vec<String> = (0..sectors)
        .map(|s| {
            BPS_CATEGORIES
                .get(s)
                .map_or_else(|| format!("X{}", s + 1), |c| (*c).to_owned())
        })
        .collect();
    let year_names: Vec<i32> = (0..years)
        .map(|y| i32::try_from(y).map_or(i32::MAX, |y| SYNTHETIC_FIRST_YEAR.saturating_add(y)))
        .collect();
    let mut out = Vec::with_capacity(regions * sectors * years);
    for r in 0..regions {
        let name = format!("SYN{:0digits$}", r + 1);
        let size = 1.0 + 99.0 * rng.uniform();
        for sector in &sector_names {
            let mut level = size * (1.0 + 999.0 * rng.uniform());
            let trend = -0.03 + 0.13 * rng.uniform();
            for &year in &year_names {
                out.push(Observation {
                    region: name.clone(),
                    sector: sector.clone(),
                    year,
                    value: level,
                });
                level *= 1.0 + trend - 0.02 + 0.04 * rng.uniform();
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::panel::Panel;

    #[test]
    fn deterministic_positive_and_dense() {
        let a = synthetic_panel(5, 17, 4, 42);
        assert_eq!(a, synthetic_panel(5, 17, 4, 42));
        assert_ne!(a, synthetic_panel(5, 17, 4, 43));
        assert_eq!(a.len(), 5 * 17 * 4);
        assert!(a.iter().all(|o| o.value > 0.0 && o.value.is_finite()));
        let p = Panel::from_observations(&a).unwrap();
        assert_eq!(p.regions()[0], "SYN001");
        assert_eq!(p.sectors()[12], "M,N");
        assert_eq!((p.first_year(), p.last_year()), (2013, 2016));
        assert_eq!(synthetic_panel(1, 19, 1, 0)[18].sector, "X19");
    }

    /// Pins the generator so the Python twin in `bench/analytics_numpy.py` can be checked
    /// against the same first value.
    #[test]
    fn first_values_are_pinned() {
        let a = synthetic_panel(2, 2, 2, 2024);
        let text: Vec<String> = a.iter().map(|o| format!("{:.6}", o.value)).collect();
        let expected = [
            "2619.726182",
            "2846.562545",
            "50257.488512",
            "54519.329216",
            "1657.009195",
            "1625.899533",
            "47412.297785",
            "46743.068029",
        ];
        assert_eq!(text, expected);
    }
}
