//! The PDRB categories (sectors) and the cooperation fields they inform (analytics.md §5): the
//! table the partner pages suggest fields from, and the name look-ups they show.

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};

use crate::{
    CooperationField, PdrbCategory, ReferenceError, cooperation_fields, embedded, pdrb_categories,
};

const SECTOR_FIELDS: &str = include_str!("../data/sector_fields.csv");

/// A PDRB category informs a cooperation field.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct SectorField {
    pub sector: String,
    pub field: String,
}

/// The sector → field table, sectors in BPS order; every sector is a PDRB category and every
/// field a cooperation field, each pair once.
///
/// # Errors
/// A malformed line, an unknown code or a repeated pair.
pub fn sector_fields() -> Result<Vec<SectorField>, ReferenceError> {
    const FILE: &str = "sector_fields.csv";
    let sectors = pdrb_categories()?;
    let fields = cooperation_fields()?;
    let mut out: Vec<SectorField> = Vec::new();
    for record in embedded::records(FILE, SECTOR_FIELDS, &["sector", "field", "note"])? {
        let record = record?;
        let (sector, field) = (record.get(0), record.get(1));
        let problem = if !sectors.iter().any(|c| c.code == sector) {
            Some(format!("unknown PDRB category {sector:?}"))
        } else if !fields.iter().any(|f| f.code == field) {
            Some(format!("unknown cooperation field {field:?}"))
        } else if out.iter().any(|x| x.sector == sector && x.field == field) {
            Some(format!("{sector:?} → {field:?} twice"))
        } else {
            None
        };
        if let Some(problem) = problem {
            return Err(ReferenceError::Malformed {
                file: FILE,
                line: record.line,
                problem,
            });
        }
        out.push(SectorField {
            sector: sector.to_owned(),
            field: field.to_owned(),
        });
    }
    Ok(out)
}

/// The three catalogues, parsed once.
struct Tables {
    sectors: Vec<PdrbCategory>,
    fields: Vec<CooperationField>,
    links: Vec<SectorField>,
}

static TABLES: LazyLock<Tables> = LazyLock::new(|| Tables {
    // The embedded data is checked by the tests below; an empty table would make every
    // look-up miss, which they would catch.
    sectors: pdrb_categories().unwrap_or_default(),
    fields: cooperation_fields().unwrap_or_default(),
    links: sector_fields().unwrap_or_default(),
});

/// The PDRB category codes in BPS order (`A` … `R,S,T,U`).
#[must_use]
pub fn sector_codes() -> Vec<String> {
    TABLES.sectors.iter().map(|c| c.code.clone()).collect()
}

/// The name of a PDRB category.
#[must_use]
pub fn sector_name(code: &str) -> Option<&'static str> {
    TABLES
        .sectors
        .iter()
        .find(|c| c.code == code)
        .map(|c| c.name.as_str())
}

/// The name of a cooperation field.
#[must_use]
pub fn field_name(code: &str) -> Option<&'static str> {
    TABLES
        .fields
        .iter()
        .find(|f| f.code == code)
        .map(|f| f.name.as_str())
}

/// The cooperation fields a PDRB category informs, in the table's order.
#[must_use]
pub fn fields_of_sector(sector: &str) -> Vec<&'static str> {
    TABLES
        .links
        .iter()
        .filter(|l| l.sector == sector)
        .map(|l| l.field.as_str())
        .collect()
}

/// The PDRB categories that inform a cooperation field, in BPS order.
#[must_use]
pub fn sectors_of_field(field: &str) -> Vec<&'static str> {
    TABLES
        .links
        .iter()
        .filter(|l| l.field == field)
        .map(|l| l.sector.as_str())
        .collect()
}

/// The cooperation fields no PDRB category informs: they need their own data series.
#[must_use]
pub fn fields_without_indicator() -> Vec<&'static str> {
    TABLES
        .fields
        .iter()
        .filter(|f| !TABLES.links.iter().any(|l| l.field == f.code))
        .map(|f| f.code.as_str())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_of_analytics_section_5() {
        let links = sector_fields().unwrap();
        assert_eq!(links.len(), 14);
        assert_eq!(
            fields_of_sector("A"),
            [
                "pertanian_peternakan",
                "kehutanan_perkebunan",
                "kelautan_perikanan"
            ]
        );
        assert_eq!(fields_of_sector("C"), ["umkm"]);
        assert_eq!(fields_of_sector("G"), ["perdagangan", "umkm"]);
        assert_eq!(
            fields_of_sector("H"),
            ["perdagangan", "pariwisata_kebudayaan"]
        );
        assert_eq!(fields_of_sector("I"), ["pariwisata_kebudayaan", "umkm"]);
        assert_eq!(fields_of_sector("K"), ["umkm"]);
        assert_eq!(fields_of_sector("P"), ["pengembangan_sdm"]);
        assert_eq!(fields_of_sector("Q"), ["pengembangan_sdm"]);
        assert_eq!(fields_of_sector("R,S,T,U"), ["pariwisata_kebudayaan"]);
        for none in ["B", "D", "E", "F", "J", "L", "M,N", "O", "Z", ""] {
            assert!(fields_of_sector(none).is_empty(), "{none}");
        }
    }

    #[test]
    fn sectors_of_a_field_in_bps_order() {
        assert_eq!(sectors_of_field("umkm"), ["C", "G", "I", "K"]);
        assert_eq!(
            sectors_of_field("pariwisata_kebudayaan"),
            ["H", "I", "R,S,T,U"]
        );
        assert!(sectors_of_field("transmigrasi").is_empty());
        // The links follow the order of pdrb.csv.
        let order = sector_codes();
        let position = |s: &str| order.iter().position(|c| c == s).unwrap();
        let links = sector_fields().unwrap();
        assert!(
            links
                .windows(2)
                .all(|w| position(&w[0].sector) <= position(&w[1].sector))
        );
    }

    #[test]
    fn fields_without_indicator_need_their_own_series() {
        assert_eq!(
            fields_without_indicator(),
            [
                "pemberdayaan_masyarakat_desa",
                "transmigrasi",
                "bidang_lain"
            ]
        );
    }

    #[test]
    fn names_and_codes() {
        assert_eq!(sector_codes().len(), 17);
        assert_eq!(sector_codes()[16], "R,S,T,U");
        assert_eq!(
            sector_name("I"),
            Some("Penyediaan Akomodasi dan Makan Minum")
        );
        assert_eq!(sector_name("M,N"), Some("Jasa Perusahaan"));
        assert_eq!(sector_name("_total"), None);
        assert_eq!(field_name("umkm"), Some("Usaha Mikro, Kecil dan Menengah"));
        assert_eq!(field_name("x"), None);
    }
}
