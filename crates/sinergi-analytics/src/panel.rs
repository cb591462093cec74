//! Observations and the dense region × sector × year panel built from them.

use std::collections::HashMap;
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

/// One value of one sector of one region in one year (e.g. PDRB ADHB of category C).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Observation {
    /// Region name or code, as the source spells it.
    pub region: String,
    /// Sector code or name (e.g. a BPS *lapangan usaha* category).
    pub sector: String,
    /// Year.
    pub year: i32,
    /// The value; finite and not negative.
    pub value: f64,
}

impl Observation {
    /// Builds an observation.
    #[must_use]
    pub fn new(
        region: impl Into<String>,
        sector: impl Into<String>,
        year: i32,
        value: f64,
    ) -> Self {
        Self {
            region: region.into(),
            sector: sector.into(),
            year,
            value,
        }
    }
}

/// What the regions are compared with.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReferenceKind {
    /// The sum of all regions of the panel (the default).
    SumOfRegions,
    /// An explicit reference (the nation row, or the parent province of kabupaten/kota).
    Explicit {
        /// Its name, e.g. "Indonesia".
        label: String,
    },
}

impl fmt::Display for ReferenceKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::SumOfRegions => f.write_str("jumlah semua wilayah dalam perbandingan"),
            Self::Explicit { label } => write!(f, "{label}"),
        }
    }
}

/// Which name of an observation is meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameField {
    /// The region.
    Region,
    /// The sector.
    Sector,
}

impl fmt::Display for NameField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Region => "wilayah",
            Self::Sector => "sektor",
        })
    }
}

/// Why a panel cannot be built. Observation positions (`index`, `first`, `near`) are indices
/// into the slice given to the constructor, so a caller that read them from a file can name
/// the line.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum PanelError {
    /// No observations at all.
    #[error("tidak ada observasi")]
    Empty,
    /// Start after end.
    #[error("tahun awal {start} sesudah tahun akhir {end}")]
    InvalidRange {
        /// Start year.
        start: i32,
        /// End year.
        end: i32,
    },
    /// A requested year has no observation at all.
    #[error("tahun {year} tidak ada dalam data (tahun yang tersedia: {})", year_list(.available))]
    YearNotInData {
        /// The requested year.
        year: i32,
        /// The years present, ascending.
        available: Vec<i32>,
    },
    /// A year between start and end has no observation, so annual growth cannot be computed.
    #[error(
        "tahun {year} tidak ada dalam data, padahal berada di antara tahun awal {start} dan tahun akhir {end}"
    )]
    YearGap {
        /// The missing year.
        year: i32,
        /// Start of the period.
        start: i32,
        /// End of the period.
        end: i32,
    },
    /// An empty region or sector name.
    #[error("nama {field} kosong")]
    EmptyName {
        /// Observation position.
        index: usize,
        /// Which name.
        field: NameField,
    },
    /// A NaN or infinite value.
    #[error(
        "nilai bukan angka terhingga: {value} (wilayah \"{region}\", sektor \"{sector}\", tahun {year})"
    )]
    NonFinite {
        /// Observation position.
        index: usize,
        /// Region.
        region: String,
        /// Sector.
        sector: String,
        /// Year.
        year: i32,
        /// The value.
        value: f64,
    },
    /// A negative value (PDRB and the other series are never negative).
    #[error("nilai negatif: {value} (wilayah \"{region}\", sektor \"{sector}\", tahun {year})")]
    Negative {
        /// Observation position.
        index: usize,
        /// Region.
        region: String,
        /// Sector.
        sector: String,
        /// Year.
        year: i32,
        /// The value.
        value: f64,
    },
    /// Two observations for the same region, sector and year.
    #[error("observasi ganda: wilayah \"{region}\", sektor \"{sector}\", tahun {year}")]
    Duplicate {
        /// Region.
        region: String,
        /// Sector.
        sector: String,
        /// Year.
        year: i32,
        /// Position of the first observation.
        first: usize,
        /// Position of the repeated one.
        index: usize,
    },
    /// A region lacks a sector in a used year (every region needs every sector every year).
    #[error("wilayah \"{region}\" tidak memiliki sektor \"{sector}\" pada tahun {year}")]
    MissingCell {
        /// Region.
        region: String,
        /// Sector.
        sector: String,
        /// Year.
        year: i32,
        /// Position of an observation of that region (in that year when there is one), to
        /// point the reader at the right place.
        near: usize,
    },
    /// A name appears twice in an explicit name list.
    #[error("nama {field} \"{name}\" muncul dua kali")]
    DuplicateName {
        /// Which list.
        field: NameField,
        /// The name.
        name: String,
    },
    /// A value vector does not have the size the names imply.
    #[error("ukuran data tidak sesuai: {expected} nilai diharapkan, {actual} diberikan")]
    ShapeMismatch {
        /// Expected number of values.
        expected: usize,
        /// Given number.
        actual: usize,
    },
    /// A reference observation names a sector the panel does not have.
    #[error("sektor acuan \"{sector}\" tidak ada di panel")]
    UnknownReferenceSector {
        /// Observation position.
        index: usize,
        /// The sector.
        sector: String,
    },
    /// The reference lacks a sector in a year.
    #[error("acuan tidak memiliki sektor \"{sector}\" pada tahun {year}")]
    MissingReferenceCell {
        /// Sector.
        sector: String,
        /// Year.
        year: i32,
    },
    /// The region named as reference is not in the panel.
    #[error("wilayah acuan \"{0}\" tidak ada di panel")]
    UnknownRegion(String),
    /// Taking the reference region out left no region.
    #[error("tidak ada wilayah selain wilayah acuan")]
    NoRegions,
}

fn year_list(years: &[i32]) -> String {
    if years.is_empty() {
        return "tidak ada".to_owned();
    }
    years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl PanelError {
    /// Stable machine code, e.g. `panel.missing_cell`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Empty => "panel.empty",
            Self::InvalidRange { .. } => "panel.invalid_range",
            Self::YearNotInData { .. } => "panel.year_not_in_data",
            Self::YearGap { .. } => "panel.year_gap",
            Self::EmptyName { .. } => "panel.empty_name",
            Self::NonFinite { .. } => "panel.non_finite",
            Self::Negative { .. } => "panel.negative",
            Self::Duplicate { .. } => "panel.duplicate",
            Self::MissingCell { .. } => "panel.missing_cell",
            Self::DuplicateName { .. } => "panel.duplicate_name",
            Self::ShapeMismatch { .. } => "panel.shape_mismatch",
            Self::UnknownReferenceSector { .. } => "panel.unknown_reference_sector",
            Self::MissingReferenceCell { .. } => "panel.missing_reference_cell",
            Self::UnknownRegion(_) => "panel.unknown_region",
            Self::NoRegions => "panel.no_regions",
        }
    }

    /// The observation the error points at, if any.
    #[must_use]
    pub const fn observation_index(&self) -> Option<usize> {
        match self {
            Self::EmptyName { index, .. }
            | Self::NonFinite { index, .. }
            | Self::Negative { index, .. }
            | Self::Duplicate { index, .. }
            | Self::UnknownReferenceSector { index, .. } => Some(*index),
            Self::MissingCell { near, .. } => Some(*near),
            _ => None,
        }
    }
}

/// A dense panel: every region has every sector in every year of a contiguous range of years.
///
/// Regions and sectors keep the order in which they first appear in the observations. Values
/// are stored year by year, each year a row-major region × sector matrix, so a year's matrix
/// and a region's sector vector are contiguous slices.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    regions: Vec<String>,
    sectors: Vec<String>,
    first_year: i32,
    year_count: usize,
    /// `[year][region][sector]`.
    values: Vec<f64>,
    /// `[year][sector]`.
    reference: Vec<f64>,
    reference_kind: ReferenceKind,
}

fn check_value(index: usize, o: &Observation) -> Result<(), PanelError> {
    if o.region.trim().is_empty() {
        return Err(PanelError::EmptyName {
            index,
            field: NameField::Region,
        });
    }
    if o.sector.trim().is_empty() {
        return Err(PanelError::EmptyName {
            index,
            field: NameField::Sector,
        });
    }
    if !o.value.is_finite() {
        return Err(PanelError::NonFinite {
            index,
            region: o.region.clone(),
            sector: o.sector.clone(),
            year: o.year,
            value: o.value,
        });
    }
    if o.value < 0.0 {
        return Err(PanelError::Negative {
            index,
            region: o.region.clone(),
            sector: o.sector.clone(),
            year: o.year,
            value: o.value,
        });
    }
    Ok(())
}

/// The sorted distinct years of the observations.
fn distinct_years(observations: &[Observation]) -> Vec<i32> {
    let mut years: Vec<i32> = observations.iter().map(|o| o.year).collect();
    years.sort_unstable();
    years.dedup();
    years
}

/// Checks that every year of `start..=end` is in the sorted `years`.
fn check_contiguous(years: &[i32], start: i32, end: i32) -> Result<usize, PanelError> {
    let inside: Vec<i32> = years
        .iter()
        .copied()
        .filter(|y| (start..=end).contains(y))
        .collect();
    let mut expected = start;
    for &y in &inside {
        if y != expected {
            return Err(PanelError::YearGap {
                year: expected,
                start,
                end,
            });
        }
        expected = expected.saturating_add(1);
    }
    Ok(inside.len())
}

impl Panel {
    /// Builds a panel over all the years of the observations (which must be contiguous).
    ///
    /// # Errors
    /// See [`PanelError`]: empty input, a gap in the years, an empty name, a non-finite or
    /// negative value, a duplicate, a region missing a sector in a year.
    pub fn from_observations(observations: &[Observation]) -> Result<Self, PanelError> {
        let years = distinct_years(observations);
        let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
            return Err(PanelError::Empty);
        };
        Self::build(observations, &years, first, last)
    }

    /// Builds a panel over the years `start ..= end` only; observations of other years are
    /// checked for valid names and values but otherwise ignored (their completeness does not
    /// matter). `start` and `end` must occur in the data, and so must every year between.
    ///
    /// # Errors
    /// As [`Panel::from_observations`], plus [`PanelError::InvalidRange`] and
    /// [`PanelError::YearNotInData`].
    pub fn from_observations_in(
        observations: &[Observation],
        start: i32,
        end: i32,
    ) -> Result<Self, PanelError> {
        if observations.is_empty() {
            return Err(PanelError::Empty);
        }
        if start > end {
            return Err(PanelError::InvalidRange { start, end });
        }
        let years = distinct_years(observations);
        for year in [start, end] {
            if years.binary_search(&year).is_err() {
                return Err(PanelError::YearNotInData {
                    year,
                    available: years,
                });
            }
        }
        Self::build(observations, &years, start, end)
    }

    fn build(
        observations: &[Observation],
        years: &[i32],
        start: i32,
        end: i32,
    ) -> Result<Self, PanelError> {
        for (index, o) in observations.iter().enumerate() {
            check_value(index, o)?;
        }
        let year_count = check_contiguous(years, start, end)?;
        let used = |o: &Observation| (start..=end).contains(&o.year);

        let mut regions: Vec<String> = Vec::new();
        let mut sectors: Vec<String> = Vec::new();
        let mut region_ids: HashMap<&str, usize> = HashMap::new();
        let mut sector_ids: HashMap<&str, usize> = HashMap::new();
        let mut cell_ids: Vec<(usize, usize)> = Vec::with_capacity(observations.len());
        for o in observations.iter().filter(|o| used(o)) {
            let r = *region_ids.entry(o.region.as_str()).or_insert_with(|| {
                regions.push(o.region.clone());
                regions.len() - 1
            });
            let s = *sector_ids.entry(o.sector.as_str()).or_insert_with(|| {
                sectors.push(o.sector.clone());
                sectors.len() - 1
            });
            cell_ids.push((r, s));
        }
        let (nr, ns) = (regions.len(), sectors.len());
        let len = year_count * nr * ns;
        let mut values = vec![0.0; len];
        let mut source = vec![usize::MAX; len];
        // First observation of each region, and of each region in each year.
        let mut region_first = vec![usize::MAX; nr];
        let mut region_year_first = vec![usize::MAX; year_count * nr];
        let mut ids = cell_ids.into_iter();
        for (index, o) in observations.iter().enumerate() {
            if !used(o) {
                continue;
            }
            let Some((r, s)) = ids.next() else { break };
            let y = year_offset(start, o.year);
            let cell = (y * nr + r) * ns + s;
            if source[cell] != usize::MAX {
                return Err(PanelError::Duplicate {
                    region: o.region.clone(),
                    sector: o.sector.clone(),
                    year: o.year,
                    first: source[cell],
                    index,
                });
            }
            source[cell] = index;
            values[cell] = o.value;
            if region_first[r] == usize::MAX {
                region_first[r] = index;
            }
            if region_year_first[y * nr + r] == usize::MAX {
                region_year_first[y * nr + r] = index;
            }
        }
        for y in 0..year_count {
            for r in 0..nr {
                for s in 0..ns {
                    if source[(y * nr + r) * ns + s] == usize::MAX {
                        let near = match region_year_first[y * nr + r] {
                            usize::MAX => region_first[r],
                            i => i,
                        };
                        return Err(PanelError::MissingCell {
                            region: regions[r].clone(),
                            sector: sectors[s].clone(),
                            year: year_at(start, y),
                            near,
                        });
                    }
                }
            }
        }
        Ok(Self::assemble(regions, sectors, start, year_count, values))
    }

    /// Builds a panel from names and a value vector laid out `[year][region][sector]`.
    ///
    /// # Errors
    /// [`PanelError::ShapeMismatch`] when `values.len() != year_count·regions·sectors` or any of
    /// them is zero, [`PanelError::DuplicateName`], [`PanelError::EmptyName`],
    /// [`PanelError::NonFinite`], [`PanelError::Negative`].
    pub fn from_values(
        regions: Vec<String>,
        sectors: Vec<String>,
        first_year: i32,
        year_count: usize,
        values: Vec<f64>,
    ) -> Result<Self, PanelError> {
        let expected = year_count * regions.len() * sectors.len();
        if expected == 0 || values.len() != expected {
            return Err(PanelError::ShapeMismatch {
                expected,
                actual: values.len(),
            });
        }
        for (field, names) in [(NameField::Region, &regions), (NameField::Sector, &sectors)] {
            let mut seen = std::collections::HashSet::new();
            for (i, n) in names.iter().enumerate() {
                if n.trim().is_empty() {
                    return Err(PanelError::EmptyName { index: i, field });
                }
                if !seen.insert(n.as_str()) {
                    return Err(PanelError::DuplicateName {
                        field,
                        name: n.clone(),
                    });
                }
            }
        }
        let (nr, ns) = (regions.len(), sectors.len());
        for (index, &value) in values.iter().enumerate() {
            if !value.is_finite() || value < 0.0 {
                let y = index / (nr * ns);
                let o = Observation {
                    region: regions[(index / ns) % nr].clone(),
                    sector: sectors[index % ns].clone(),
                    year: year_at(first_year, y),
                    value,
                };
                check_value(index, &o)?;
            }
        }
        Ok(Self::assemble(
            regions, sectors, first_year, year_count, values,
        ))
    }

    fn assemble(
        regions: Vec<String>,
        sectors: Vec<String>,
        first_year: i32,
        year_count: usize,
        values: Vec<f64>,
    ) -> Self {
        let (nr, ns) = (regions.len(), sectors.len());
        let mut reference = vec![0.0; year_count * ns];
        for y in 0..year_count {
            let acc = &mut reference[y * ns..(y + 1) * ns];
            for row in values[y * nr * ns..(y + 1) * nr * ns].chunks_exact(ns) {
                for (a, v) in acc.iter_mut().zip(row) {
                    *a += v;
                }
            }
        }
        Self {
            regions,
            sectors,
            first_year,
            year_count,
            values,
            reference,
            reference_kind: ReferenceKind::SumOfRegions,
        }
    }

    /// Replaces the reference (by default the sum of the regions) with explicit values laid out
    /// `[year][sector]` in the panel's order.
    ///
    /// # Errors
    /// [`PanelError::ShapeMismatch`], [`PanelError::NonFinite`], [`PanelError::Negative`].
    pub fn with_reference(
        mut self,
        label: impl Into<String>,
        values: Vec<f64>,
    ) -> Result<Self, PanelError> {
        let label = label.into();
        let ns = self.sectors.len();
        let expected = self.year_count * ns;
        if values.len() != expected {
            return Err(PanelError::ShapeMismatch {
                expected,
                actual: values.len(),
            });
        }
        for (index, &value) in values.iter().enumerate() {
            let o = Observation {
                region: label.clone(),
                sector: self.sectors[index % ns].clone(),
                year: year_at(self.first_year, index / ns),
                value,
            };
            check_value(index, &o)?;
        }
        self.reference = values;
        self.reference_kind = ReferenceKind::Explicit { label };
        Ok(self)
    }

    /// Replaces the reference with explicit observations (their `region` field is ignored;
    /// observations of years outside the panel are ignored).
    ///
    /// # Errors
    /// [`PanelError::UnknownReferenceSector`], [`PanelError::Duplicate`],
    /// [`PanelError::MissingReferenceCell`], [`PanelError::NonFinite`], [`PanelError::Negative`].
    pub fn with_reference_observations(
        self,
        label: impl Into<String>,
        observations: &[Observation],
    ) -> Result<Self, PanelError> {
        let ns = self.sectors.len();
        let mut values = vec![0.0; self.year_count * ns];
        let mut source = vec![usize::MAX; self.year_count * ns];
        for (index, o) in observations.iter().enumerate() {
            check_value(index, o)?;
            let Some(y) = self.year_index(o.year) else {
                continue;
            };
            let Some(s) = self.sector_index(&o.sector) else {
                return Err(PanelError::UnknownReferenceSector {
                    index,
                    sector: o.sector.clone(),
                });
            };
            let cell = y * ns + s;
            if source[cell] != usize::MAX {
                return Err(PanelError::Duplicate {
                    region: o.region.clone(),
                    sector: o.sector.clone(),
                    year: o.year,
                    first: source[cell],
                    index,
                });
            }
            source[cell] = index;
            values[cell] = o.value;
        }
        if let Some(cell) = source.iter().position(|&i| i == usize::MAX) {
            return Err(PanelError::MissingReferenceCell {
                sector: self.sectors[cell % ns].clone(),
                year: year_at(self.first_year, cell / ns),
            });
        }
        self.with_reference(label, values)
    }

    /// Takes the named region out of the panel and uses its values as the reference (e.g. a
    /// nation row "Indonesia" in a file of provinces).
    ///
    /// # Errors
    /// [`PanelError::UnknownRegion`], [`PanelError::NoRegions`].
    pub fn with_reference_region(self, name: &str) -> Result<Self, PanelError> {
        let Some(target) = self.region_index(name) else {
            return Err(PanelError::UnknownRegion(name.to_owned()));
        };
        if self.regions.len() == 1 {
            return Err(PanelError::NoRegions);
        }
        let (nr, ns) = (self.regions.len(), self.sectors.len());
        let mut values = Vec::with_capacity(self.year_count * (nr - 1) * ns);
        let mut reference = Vec::with_capacity(self.year_count * ns);
        for y in 0..self.year_count {
            for r in 0..nr {
                let row = &self.values[(y * nr + r) * ns..(y * nr + r + 1) * ns];
                if r == target {
                    reference.extend_from_slice(row);
                } else {
                    values.extend_from_slice(row);
                }
            }
        }
        let mut regions = self.regions;
        let label = regions.remove(target);
        Ok(Self {
            regions,
            sectors: self.sectors,
            first_year: self.first_year,
            year_count: self.year_count,
            values,
            reference,
            reference_kind: ReferenceKind::Explicit { label },
        })
    }

    /// Regions, in first-seen order.
    #[must_use]
    pub fn regions(&self) -> &[String] {
        &self.regions
    }

    /// Sectors, in first-seen order.
    #[must_use]
    pub fn sectors(&self) -> &[String] {
        &self.sectors
    }

    /// First year.
    #[must_use]
    pub const fn first_year(&self) -> i32 {
        self.first_year
    }

    /// Last year.
    #[must_use]
    pub fn last_year(&self) -> i32 {
        year_at(self.first_year, self.year_count.saturating_sub(1))
    }

    /// Number of years.
    #[must_use]
    pub const fn year_count(&self) -> usize {
        self.year_count
    }

    /// Position of a year, if in the panel.
    #[must_use]
    pub fn year_index(&self, year: i32) -> Option<usize> {
        let offset = usize::try_from(i64::from(year) - i64::from(self.first_year)).ok()?;
        (offset < self.year_count).then_some(offset)
    }

    /// Position of a region by name.
    #[must_use]
    pub fn region_index(&self, name: &str) -> Option<usize> {
        self.regions.iter().position(|r| r == name)
    }

    /// Position of a sector by name.
    #[must_use]
    pub fn sector_index(&self, name: &str) -> Option<usize> {
        self.sectors.iter().position(|s| s == name)
    }

    /// The region × sector matrix of a year (row-major), by year position.
    #[must_use]
    pub fn year_matrix(&self, year_index: usize) -> Option<&[f64]> {
        let size = self.regions.len() * self.sectors.len();
        self.values.get(year_index * size..(year_index + 1) * size)
    }

    /// The reference's sector vector of a year, by year position.
    #[must_use]
    pub fn reference_vector(&self, year_index: usize) -> Option<&[f64]> {
        let ns = self.sectors.len();
        self.reference.get(year_index * ns..(year_index + 1) * ns)
    }

    /// One value.
    #[must_use]
    pub fn value(&self, region: usize, sector: usize, year_index: usize) -> Option<f64> {
        if region >= self.regions.len() || sector >= self.sectors.len() {
            return None;
        }
        self.year_matrix(year_index)
            .map(|m| m[region * self.sectors.len() + sector])
    }

    /// What the regions are compared with.
    #[must_use]
    pub const fn reference_kind(&self) -> &ReferenceKind {
        &self.reference_kind
    }
}

fn year_offset(start: i32, year: i32) -> usize {
    usize::try_from(i64::from(year) - i64::from(start)).unwrap_or(usize::MAX)
}

fn year_at(start: i32, offset: usize) -> i32 {
    i32::try_from(offset).map_or(i32::MAX, |o| start.saturating_add(o))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(r: &str, s: &str, y: i32, v: f64) -> Observation {
        Observation::new(r, s, y, v)
    }

    fn small() -> Vec<Observation> {
        vec![
            obs("B", "x", 2020, 1.0),
            obs("B", "y", 2020, 2.0),
            obs("A", "y", 2020, 3.0),
            obs("A", "x", 2020, 4.0),
            obs("B", "x", 2021, 5.0),
            obs("B", "y", 2021, 6.0),
            obs("A", "x", 2021, 7.0),
            obs("A", "y", 2021, 8.0),
        ]
    }

    #[test]
    fn first_seen_order_and_layout() {
        let p = Panel::from_observations(&small()).unwrap();
        assert_eq!(p.regions(), ["B", "A"]);
        assert_eq!(p.sectors(), ["x", "y"]);
        assert_eq!(p.year_matrix(0).unwrap(), [1.0, 2.0, 4.0, 3.0]);
        assert_eq!(p.year_matrix(1).unwrap(), [5.0, 6.0, 7.0, 8.0]);
        assert_eq!(p.reference_vector(1).unwrap(), [12.0, 14.0]);
        assert_eq!(p.value(1, 0, 1), Some(7.0));
        assert_eq!((p.first_year(), p.last_year()), (2020, 2021));
    }

    #[test]
    fn missing_cell_is_named() {
        let mut o = small();
        o.remove(6); // A x 2021
        let e = Panel::from_observations(&o).unwrap_err();
        assert_eq!(
            e,
            PanelError::MissingCell {
                region: "A".into(),
                sector: "x".into(),
                year: 2021,
                near: 6
            }
        );
        assert_eq!(
            e.to_string(),
            "wilayah \"A\" tidak memiliki sektor \"x\" pada tahun 2021"
        );
        // Outside the window it does not matter.
        let p = Panel::from_observations_in(&o, 2020, 2020).unwrap();
        assert_eq!(p.year_count(), 1);
    }

    #[test]
    fn duplicate_and_bad_values() {
        let mut o = small();
        o.push(obs("A", "x", 2021, 1.0));
        assert!(matches!(
            Panel::from_observations(&o),
            Err(PanelError::Duplicate {
                first: 6,
                index: 8,
                ..
            })
        ));
        let mut o = small();
        o[3].value = f64::NAN;
        assert_eq!(
            Panel::from_observations(&o).unwrap_err().code(),
            "panel.non_finite"
        );
        let mut o = small();
        o[3].value = -1.0;
        assert_eq!(
            Panel::from_observations(&o).unwrap_err().code(),
            "panel.negative"
        );
        let mut o = small();
        o[3].region = " ".into();
        assert_eq!(
            Panel::from_observations(&o).unwrap_err().code(),
            "panel.empty_name"
        );
    }

    #[test]
    fn years_outside_and_gaps() {
        let e = Panel::from_observations_in(&small(), 2020, 2030).unwrap_err();
        assert_eq!(
            e,
            PanelError::YearNotInData {
                year: 2030,
                available: vec![2020, 2021]
            }
        );
        assert_eq!(
            e.to_string(),
            "tahun 2030 tidak ada dalam data (tahun yang tersedia: 2020, 2021)"
        );
        let mut o = small();
        for x in &mut o[4..] {
            x.year = 2023;
        }
        assert_eq!(
            Panel::from_observations_in(&o, 2020, 2023).unwrap_err(),
            PanelError::YearGap {
                year: 2021,
                start: 2020,
                end: 2023
            }
        );
        assert_eq!(
            Panel::from_observations_in(&o, 2021, 2020)
                .unwrap_err()
                .code(),
            "panel.invalid_range"
        );
        assert_eq!(
            Panel::from_observations(&[]).unwrap_err(),
            PanelError::Empty
        );
    }

    #[test]
    fn explicit_references() {
        let p = Panel::from_observations(&small()).unwrap();
        let q = p
            .clone()
            .with_reference("N", vec![10.0, 20.0, 30.0, 40.0])
            .unwrap();
        assert_eq!(q.reference_vector(1).unwrap(), [30.0, 40.0]);
        assert_eq!(
            q.reference_kind(),
            &ReferenceKind::Explicit { label: "N".into() }
        );
        assert_eq!(
            p.clone().with_reference("N", vec![1.0]).unwrap_err().code(),
            "panel.shape_mismatch"
        );

        let r = p.clone().with_reference_region("A").unwrap();
        assert_eq!(r.regions(), ["B"]);
        assert_eq!(r.reference_vector(0).unwrap(), [4.0, 3.0]);
        assert_eq!(r.year_matrix(1).unwrap(), [5.0, 6.0]);

        let refs = vec![obs("N", "y", 2020, 2.0), obs("N", "x", 2020, 1.0)];
        assert_eq!(
            p.clone()
                .with_reference_observations("N", &refs)
                .unwrap_err(),
            PanelError::MissingReferenceCell {
                sector: "x".into(),
                year: 2021
            }
        );
        let bad = vec![obs("N", "z", 2020, 2.0)];
        assert_eq!(
            p.with_reference_observations("N", &bad).unwrap_err().code(),
            "panel.unknown_reference_sector"
        );
    }

    #[test]
    fn from_values_checks_shape_and_names() {
        let ok = Panel::from_values(
            vec!["a".into()],
            vec!["x".into(), "y".into()],
            2000,
            2,
            vec![1.0; 4],
        );
        assert!(ok.is_ok());
        let dup = Panel::from_values(
            vec!["a".into(), "a".into()],
            vec!["x".into()],
            2000,
            1,
            vec![1.0; 2],
        );
        assert_eq!(dup.unwrap_err().code(), "panel.duplicate_name");
        let shape = Panel::from_values(vec!["a".into()], vec!["x".into()], 2000, 2, vec![1.0; 3]);
        assert_eq!(shape.unwrap_err().code(), "panel.shape_mismatch");
        let neg = Panel::from_values(vec!["a".into()], vec!["x".into()], 2000, 1, vec![-1.0]);
        assert_eq!(neg.unwrap_err().code(), "panel.negative");
    }
}
