//! Embedded reference data for Sinergi: administrative regions (wilayah), urusan pemerintahan,
//! PDRB categories, cooperation fields, time zones, name aliases and province borders.
//!
//! Pure: all data is compiled in with `include_str!` and parsed on demand.

mod borders;
mod csv;
mod names;
mod pdrb;
mod published;
mod urusan;
mod wilayah;

pub use borders::{Border, borders};
pub use names::{Alias, aliases, lookup_name, search_key, search_keys_for, strip_level_prefix};
pub use pdrb::{PdrbCategory, pdrb_categories};
pub use published::{PublishedFigure, published_figures};
pub use urusan::{CooperationField, Urusan, UrusanGroup, cooperation_fields, urusan};
pub use wilayah::{
    Region, RegionLevel, TimeZone, WilayahVersion, level_of_code, regions, wilayah_version,
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
