//! BPS PDRB categories by lapangan usaha.

use serde::{Deserialize, Serialize};

use crate::{ReferenceError, embedded};

const PDRB: &str = include_str!("../data/pdrb.csv");

/// One PDRB category; `code` may list several KBLI sections ("M,N").
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PdrbCategory {
    pub code: String,
    pub name: String,
    pub ordinal: u32,
}

/// The 17 PDRB lapangan usaha categories in BPS order.
pub fn pdrb_categories() -> Result<Vec<PdrbCategory>, ReferenceError> {
    const FILE: &str = "pdrb.csv";
    let mut out = Vec::with_capacity(17);
    for (ordinal, record) in (1..).zip(embedded::records(FILE, PDRB, &["code", "name"])?) {
        let record = record?;
        let (code, name) = (record.get(0), record.get(1));
        let valid_code = code
            .split(',')
            .all(|s| s.len() == 1 && s.bytes().all(|b| b.is_ascii_uppercase()));
        if !valid_code || name.is_empty() {
            return Err(ReferenceError::Malformed {
                file: FILE,
                line: record.line,
                problem: format!("bad category {code:?} {name:?}"),
            });
        }
        out.push(PdrbCategory {
            code: code.to_owned(),
            name: name.to_owned(),
            ordinal,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seventeen_categories() {
        let all = pdrb_categories().unwrap();
        let codes: Vec<&str> = all.iter().map(|c| c.code.as_str()).collect();
        assert_eq!(
            codes,
            [
                "A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K", "L", "M,N", "O", "P", "Q",
                "R,S,T,U"
            ]
        );
        assert!(all.iter().zip(1..).all(|(c, n)| c.ordinal == n));
        assert_eq!(all[0].name, "Pertanian, Kehutanan, dan Perikanan");
        assert_eq!(
            all[6].name,
            "Perdagangan Besar dan Eceran; Reparasi Mobil dan Sepeda Motor"
        );
        assert_eq!(all[16].name, "Jasa Lainnya");
    }
}
