//! Real published PDRB figures (analytics.md §6), each with its source: seed observations
//! loaded with the reference data so that honest computations work on a fresh install.

use serde::Serialize;

use crate::{ReferenceError, embedded};

const PUBLISHED: &str = include_str!("../data/pdrb_published.csv");

/// One published figure. `region` is a Kemendagri code or `ID` (Indonesia); `sector` a PDRB
/// category code or `_total`; `indicator` `pdrb` (miliar rupiah), `pdrb_share` or
/// `pdrb_growth` (persen).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PublishedFigure {
    pub region: String,
    pub indicator: String,
    pub sector: String,
    pub year: i32,
    pub value: f64,
    pub unit: String,
    pub price_basis: String,
    pub source: String,
}

/// The figures of analytics.md §6.
///
/// # Errors
/// Malformed embedded data.
pub fn published_figures() -> Result<Vec<PublishedFigure>, ReferenceError> {
    const FILE: &str = "pdrb_published.csv";
    let header = [
        "region",
        "indicator",
        "sector",
        "year",
        "value",
        "unit",
        "price_basis",
        "source",
    ];
    let mut out = Vec::new();
    for record in embedded::records(FILE, PUBLISHED, &header)? {
        let record = record?;
        let bad = |what: &str| ReferenceError::Malformed {
            file: FILE,
            line: record.line,
            problem: format!("bad {what}"),
        };
        let year = record.get(3).parse::<i32>().map_err(|_| bad("year"))?;
        let value = record.get(4).parse::<f64>().map_err(|_| bad("value"))?;
        if record.get(7).is_empty() {
            return Err(bad("source"));
        }
        out.push(PublishedFigure {
            region: record.get(0).to_owned(),
            indicator: record.get(1).to_owned(),
            sector: record.get(2).to_owned(),
            year,
            value,
            unit: record.get(5).to_owned(),
            price_basis: record.get(6).to_owned(),
            source: record.get(7).to_owned(),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_figure_has_a_source() {
        let all = super::published_figures().unwrap();
        assert_eq!(all.len(), 28);
        assert!(all.iter().all(|f| f.source.starts_with("BPS")));
        let bali_i = all
            .iter()
            .find(|f| f.region == "51" && f.sector == "I" && f.indicator == "pdrb")
            .unwrap();
        assert!((bali_i.value - 43_960.0).abs() < 1e-9);
    }
}
