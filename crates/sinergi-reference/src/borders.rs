//! Land borders between provinces.

use serde::{Deserialize, Serialize};

use crate::wilayah::{RegionLevel, level_of_code};
use crate::{ReferenceError, embedded};

const BORDERS: &str = include_str!("../data/borders.csv");

/// Two regions sharing a land border; stored once with `a < b`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Border {
    pub a: String,
    pub b: String,
    pub note: String,
}

/// Province pairs with a land border (kabupaten/kota borders are added by a deployment).
pub fn borders() -> Result<Vec<Border>, ReferenceError> {
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
        assert_eq!(all.len(), 38);
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
    }
}
