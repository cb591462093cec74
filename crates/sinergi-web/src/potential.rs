//! Regional potential for the web: loads a comparison set from the store, asks the pure
//! analytics and builds the views the JSON API returns and the pages render (one view per
//! screen, so the two never disagree).
//!
//! The rules are not here: which data set and price basis a comparison uses is
//! `sinergi_analytics::comparison` (real data first; the synthetic set only when real data does
//! not suffice or `data=synthetic`, always labelled "data sintetis", `"synthetic": true`;
//! structure on ADHB, growth on ADHK when complete there); the sector → field table, the
//! names and the island groups are `sinergi_reference` data; region levels are
//! `sinergi_reference::level_of_code`. What is here, by file:
//!
//! * `cache` — the loaded observations per level, basis and data set, kept until a batch
//!   changes;
//! * `comparison` — the comparison for a screen, and why there is none (`Unavailable`);
//! * `labels` — the words for classes, quadrants and the data set;
//! * `published` — what the published figures say on their own;
//! * `region` — `/wilayah/{code}/potensi`: a region's potential;
//! * `partners` — `/wilayah/{code}/cari-mitra`: the partner finder;
//! * `pair` — `/wilayah/{a}/mitra/{b}`: both directions of a pair and the suggested fields;
//! * `scope` — a case's fields checked against its pair.

mod cache;
mod comparison;
mod labels;
mod pair;
mod partners;
mod published;
mod region;
mod scope;

pub use cache::PotentialCache;
pub use comparison::{Comparison, comparison};
pub use pair::{ContributionView, FieldSuggestion, PairView, pair, suggest_fields};
pub use partners::{PartnerQuery, PartnerView, PartnersView, partners};
pub use published::{PublishedFacts, PublishedShare, published_facts};
pub use region::{
    AnalysisView, ExcludedView, PotentialView, SectorView, ShiftShareView, analysis_view, potential,
};
pub use scope::{ScopeCheck, ScopeField, scope_check};

use crate::error::ApiError;
use serde::{Deserialize, Serialize};
use sinergi_analytics::DataSet;
use sinergi_store::PanelLevel;
use std::collections::HashMap;

/// `data=` of the requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataChoice {
    Real,
    Synthetic,
}

impl DataChoice {
    /// The data set asked for.
    #[must_use]
    pub fn data_set(self) -> DataSet {
        match self {
            Self::Real => DataSet::Real,
            Self::Synthetic => DataSet::Synthetic,
        }
    }
}

/// A region as the views name it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct RegionRef {
    pub code: String,
    pub name: String,
    pub level: String,
    /// Island group: sumatera, jawa, bali_nusa_tenggara, kalimantan, sulawesi, maluku, papua.
    pub island: String,
}

impl RegionRef {
    /// A region with its name and level as loaded (the code when unknown).
    fn named(names: &Names, code: &str) -> Self {
        let (name, level) = names
            .get(code)
            .cloned()
            .unwrap_or_else(|| (code.to_owned(), String::new()));
        Self::new(code, name, level)
    }

    fn new(code: &str, name: String, level: String) -> Self {
        RegionRef {
            code: code.to_owned(),
            name,
            level,
            island: island_code(code).to_owned(),
        }
    }
}

/// Why there is no computation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Unavailable {
    pub code: String,
    pub message: String,
}

/// The island groups with their labels (`sinergi_reference::ISLANDS`), for the filter.
pub const ISLANDS: [(&str, &str); 7] = {
    let all = sinergi_reference::ISLANDS;
    let mut out = [("", ""); 7];
    let mut i = 0;
    while i < out.len() {
        out[i] = (all[i].code, all[i].name);
        i += 1;
    }
    out
};

/// The island group code of a region code (`""` for none).
fn island_code(code: &str) -> &'static str {
    sinergi_reference::island_of(code).map_or("", |i| i.code)
}

/// Names and levels of the daerah, by code.
type Names = HashMap<String, (String, String)>;

/// The name of a PDRB category (its code when unknown).
fn sector_name(code: &str) -> String {
    sinergi_reference::sector_name(code)
        .unwrap_or(code)
        .to_owned()
}

/// The name of a cooperation field (its code when unknown).
fn field_name(code: &str) -> String {
    sinergi_reference::field_name(code)
        .unwrap_or(code)
        .to_owned()
}

/// The comparison set of a region's level: provinces with provinces, regencies and cities
/// together.
pub(crate) fn daerah_level(level: &str, code: &str) -> Result<PanelLevel, ApiError> {
    PanelLevel::of_region_level(level)
        .ok_or_else(|| ApiError::Domain(sinergi_domain::DomainError::not_found("region", code)))
}
