//! Land borders: between provinces (compiled by hand) and between kabupaten/kota (derived
//! from simplified boundaries). Both are [U] reference data a deployment corrects.

use serde::{Deserialize, Serialize};

use crate::wilayah::{RegionLevel, level_of_code};
use crate::{ReferenceError, embedded};

const BORDERS: &str = include_str!("../data/borders.csv");
const REGENCY_BORDERS: &str = include_str!("../data/wilayah-boundaries/regencies_adjacency.csv");

/// Changes whenever a shipped border list changes, so an existing database learns the new
/// pairs (corrections made by its operator are kept).
pub const BORDERS_VERSION: &str = "provinsi 2025-12 + kabupaten/kota wilayah_boundaries 3c5a796";

/// Two regions sharing a land border; stored once with `a < b`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Border {
    pub a: String,
    pub b: String,
    pub note: String,
}

/// Every shipped pair with a land border: the provinces, then the kabupaten/kota.
pub fn borders() -> Result<Vec<Border>, ReferenceError> {
    let mut all = province_borders()?;
    all.extend(regency_borders()?);
    Ok(all)
}

/// Kabupaten/kota pairs sharing more than about 1 km of land border.
fn regency_borders() -> Result<Vec<Border>, ReferenceError> {
    const FILE: &str = "wilayah-boundaries/regencies_adjacency.csv";
    let mut out: Vec<Border> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for record in embedded::records(
        FILE,
        REGENCY_BORDERS,
        &["code_a", "code_b", "shared_border_km_approx"],
    )? {
        let record = record?;
        let (a, b, km) = (record.get(0), record.get(1), record.get(2));
        let daerah = |code| {
            matches!(
                level_of_code(code),
                Some(RegionLevel::Regency | RegionLevel::City)
            )
        };
        if !daerah(a) || !daerah(b) || a >= b || !seen.insert((a.to_owned(), b.to_owned())) {
            return Err(ReferenceError::Malformed {
                file: FILE,
                line: record.line,
                problem: format!("bad or duplicate pair {a:?}-{b:?}"),
            });
        }
        out.push(Border {
            a: a.to_owned(),
            b: b.to_owned(),
            note: format!(
                "batas darat kabupaten/kota [U]: diturunkan dari batas wilayah yang disederhanakan (cahyadsn/wilayah_boundaries), sekitar {km} km"
            ),
        });
    }
    Ok(out)
}

/// Province pairs with a land border.
fn province_borders() -> Result<Vec<Border>, ReferenceError> {
    const FILE: &str = "borders.csv";
    let mut out: Vec<Border> = Vec::new();
    for record in embedded::records(FILE, BORDERS, &["a", "b", "note"])? {
        let record = record?;
        let (a, b) = (record.get(0), record.get(1));
        let province = |code| level_of_code(code) == Some(RegionLevel::Province);
        let duplicate = out.iter().any(|x| x.a == a && x.b == b);
        if !province(a) || !province(b) || a >= b || duplicate {
            return Err(ReferenceError::Malformed {
                file: FILE,
                line: record.line,
                problem: format!("bad or duplicate pair {a:?}-{b:?}"),
            });
        }
        out.push(Border {
            a: a.to_owned(),
            b: b.to_owned(),
            note: record.get(2).to_owned(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions;

    #[test]
    fn every_border_code_exists() {
        let all = borders().unwrap();
        assert_eq!(all.len(), 38 + 984);
        let regions = regions().unwrap();
        for border in &all {
            for code in [&border.a, &border.b] {
                assert!(regions.iter().any(|r| &r.code == code), "{code}");
            }
            assert!(border.note.contains("[U]"));
        }
        let has = |a: &str, b: &str| all.iter().any(|x| x.a == a && x.b == b);
        assert!(has("62", "63"));
        assert!(has("31", "36"));
        assert!(!has("51", "52"));
        // Palangka Raya borders Pulang Pisau and Katingan; not Kotawaringin Barat.
        assert!(has("62.11", "62.71"));
        assert!(has("62.06", "62.71"));
        assert!(!has("62.01", "62.71"));
    }

    #[test]
    fn the_derived_provinces_agree_with_the_hand_made_list() {
        // Two regencies of different provinces share a border only where their provinces do.
        let all = borders().unwrap();
        let province = |c: &str| c.split('.').next().unwrap_or_default().to_owned();
        let provinces: std::collections::HashSet<(String, String)> = all
            .iter()
            .filter(|b| !b.a.contains('.'))
            .map(|b| (b.a.clone(), b.b.clone()))
            .collect();
        for b in all.iter().filter(|b| b.a.contains('.')) {
            let (pa, pb) = (province(&b.a), province(&b.b));
            if pa != pb {
                let key = if pa < pb { (pa, pb) } else { (pb, pa) };
                assert!(provinces.contains(&key), "{} {} cross {:?}", b.a, b.b, key);
            }
        }
    }
}
