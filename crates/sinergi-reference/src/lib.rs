//! Embedded reference data for Sinergi: administrative regions (wilayah), urusan pemerintahan,
//! PDRB categories, cooperation fields and the fields each category informs, island groups,
//! time zones, name aliases and province borders; and the one CSV reader ([`csv`]) every CSV
//! input of Sinergi goes through.
//!
//! Pure: all data is compiled in with `include_str!` and parsed on demand (the small
//! look-up tables of `sectors` once).

mod borders;
pub mod csv;
mod embedded;
mod islands;
mod names;
mod pdrb;
mod published;
mod sectors;
mod urusan;
mod wilayah;

pub use borders::{BORDERS_VERSION, Border, borders};
pub use islands::{ISLANDS, Island, island_of};
pub use names::{Alias, aliases, lookup_name, search_key, search_keys_for, strip_level_prefix};
pub use pdrb::{PdrbCategory, pdrb_categories};
pub use published::{PublishedFigure, published_figures};
pub use sectors::{
    SectorField, field_name, fields_of_sector, fields_without_indicator, sector_codes,
    sector_fields, sector_name, sectors_of_field,
};
pub use urusan::{CooperationField, Urusan, UrusanGroup, cooperation_fields, urusan};
pub use wilayah::{
    Region, RegionLevel, TimeZone, WilayahVersion, level_of_code, regions, timezone_of,
    wilayah_version,
};

/// Embedded data that fails to parse.
#[derive(Debug, thiserror::Error)]
pub enum ReferenceError {
    #[error("{file} line {line}: {problem}")]
    Malformed {
        file: &'static str,
        line: usize,
        problem: String,
    },
}

/// Text that names no variant of an enum (returned by the `FromStr` impls).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown {kind}: {value:?}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

impl UnknownValue {
    pub(crate) fn new(kind: &'static str, value: &str) -> Self {
        UnknownValue {
            kind,
            value: value.to_owned(),
        }
    }
}
