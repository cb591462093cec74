//! Choosing an honest comparison set from stored observations: the regions that have every
//! sector in every year of the period, the period itself (by default the longest run of
//! complete years of the regions asked about, ending with their latest complete year), and
//! the regions left out with the first cell they lack.

use std::collections::{BTreeSet, HashMap};

use serde::Serialize;
use thiserror::Error;

use crate::panel::{Observation, Panel, PanelError};

/// A region left out of the comparison and the first cell it lacks.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Excluded {
    pub region: String,
    pub sector: String,
    pub year: i32,
}

/// The comparison set.
#[derive(Debug, Clone, PartialEq)]
pub struct Selection {
    pub panel: Panel,
    pub start: i32,
    pub end: i32,
    pub excluded: Vec<Excluded>,
}

/// Why no comparison can be made.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SelectError {
    #[error("belum ada data")]
    NoData,
    #[error("tidak ada data untuk {region}")]
    RegionWithoutData { region: String },
    #[error("tahun {year} tidak ada dalam data (tahun yang tersedia: {available:?})")]
    YearNotInData { year: i32, available: Vec<i32> },
    #[error("tahun awal {start} sesudah tahun akhir {end}")]
    InvalidRange { start: i32, end: i32 },
    #[error("{region} tidak lengkap: sektor {sector} tahun {year} tidak ada")]
    RegionIncomplete {
        region: String,
        sector: String,
        year: i32,
    },
    #[error("hanya {count} wilayah lengkap; perbandingan perlu paling sedikit dua")]
    TooFewRegions { count: usize },
    #[error(transparent)]
    Panel(#[from] PanelError),
}

/// Selects the complete regions and the period. `focus` are the regions that must be in the
/// comparison (the region of a page, the two of a pair); `sectors` the sectors in their
/// order (observations of other sectors are ignored).
///
/// # Errors
/// See [`SelectError`].
pub fn select_complete(
    observations: &[Observation],
    sectors: &[String],
    focus: &[&str],
    start: Option<i32>,
    end: Option<i32>,
) -> Result<Selection, SelectError> {
    let ns = sectors.len();
    let sector_index: HashMap<&str, usize> = sectors
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    // One pass: every observation as (region, year, sector, value) positions.
    let mut region_index: HashMap<&str, usize> = HashMap::new();
    let mut regions: Vec<&str> = Vec::new();
    let mut cells: Vec<(usize, i32, usize, f64)> = Vec::with_capacity(observations.len());
    let mut years = BTreeSet::new();
    for o in observations {
        let Some(&s) = sector_index.get(o.sector.as_str()) else {
            continue;
        };
        let r = *region_index.entry(o.region.as_str()).or_insert_with(|| {
            regions.push(&o.region);
            regions.len() - 1
        });
        years.insert(o.year);
        cells.push((r, o.year, s, o.value));
    }
    let (Some(&first), Some(&last)) = (years.first(), years.last()) else {
        return Err(SelectError::NoData);
    };
    for f in focus {
        if !region_index.contains_key(f) {
            return Err(SelectError::RegionWithoutData {
                region: (*f).to_owned(),
            });
        }
    }
    let span = usize::try_from(last - first).unwrap_or(0) + 1;
    let offset = |y: i32| usize::try_from(y - first).unwrap_or(0);
    let nr = regions.len();
    let mut present = vec![false; nr * span * ns];
    for &(r, y, s, _) in &cells {
        present[(r * span + offset(y)) * ns + s] = true;
    }
    let available: Vec<i32> = years.iter().copied().collect();
    // The first sector a region lacks in a year (0 when the year is outside the data).
    let missing = |r: usize, y: i32| -> Option<usize> {
        if !years.contains(&y) {
            return Some(0);
        }
        let row = &present[(r * span + offset(y)) * ns..(r * span + offset(y) + 1) * ns];
        row.iter().position(|h| !h)
    };
    let focus_ids: Vec<usize> = focus.iter().map(|f| region_index[f]).collect();
    let check_year = |y: i32| {
        if years.contains(&y) {
            Ok(y)
        } else {
            Err(SelectError::YearNotInData {
                year: y,
                available: available.clone(),
            })
        }
    };
    let complete_focus = |y: i32| focus_ids.iter().all(|&f| missing(f, y).is_none());
    let end = match end {
        Some(e) => check_year(e)?,
        None => available
            .iter()
            .rev()
            .copied()
            .find(|&y| {
                complete_focus(y) && (0..nr).filter(|&r| missing(r, y).is_none()).count() >= 2
            })
            .unwrap_or(last),
    };
    let start = match start {
        Some(s) => check_year(s)?,
        None => {
            let mut s = end;
            while !focus.is_empty() && years.contains(&(s - 1)) && complete_focus(s - 1) {
                s -= 1;
            }
            s
        }
    };
    if start > end {
        return Err(SelectError::InvalidRange { start, end });
    }
    for y in start..=end {
        if !years.contains(&y) {
            return Err(SelectError::YearNotInData {
                year: y,
                available: available.clone(),
            });
        }
    }
    let first_missing = |r: usize| -> Option<(usize, i32)> {
        (start..=end).find_map(|y| missing(r, y).map(|s| (s, y)))
    };
    for (f, &id) in focus.iter().zip(&focus_ids) {
        if let Some((s, year)) = first_missing(id) {
            return Err(SelectError::RegionIncomplete {
                region: (*f).to_owned(),
                sector: sectors[s].clone(),
                year,
            });
        }
    }
    let mut excluded = Vec::new();
    let mut position = vec![usize::MAX; nr];
    let mut included: Vec<String> = Vec::new();
    for (r, name) in regions.iter().enumerate() {
        match first_missing(r) {
            Some((s, year)) => excluded.push(Excluded {
                region: (*name).to_owned(),
                sector: sectors[s].clone(),
                year,
            }),
            None => {
                position[r] = included.len();
                included.push((*name).to_owned());
            }
        }
    }
    if included.len() < 2 {
        return Err(SelectError::TooFewRegions {
            count: included.len(),
        });
    }
    // The dense panel, straight from the positions (keys are unique in the store; a repeated
    // cell would keep the last value).
    let ny = usize::try_from(end - start).unwrap_or(0) + 1;
    let ni = included.len();
    let mut values = vec![0.0; ny * ni * ns];
    for &(r, y, s, v) in &cells {
        if (start..=end).contains(&y) && position[r] != usize::MAX {
            let yi = usize::try_from(y - start).unwrap_or(0);
            values[(yi * ni + position[r]) * ns + s] = v;
        }
    }
    let panel = Panel::from_values(included, sectors.to_vec(), start, ny, values)?;
    Ok(Selection {
        panel,
        start,
        end,
        excluded,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn obs(region: &str, year: i32, values: &[f64]) -> Vec<Observation> {
        ["A", "B"]
            .iter()
            .zip(values)
            .map(|(s, v)| Observation::new(region, *s, year, *v))
            .collect()
    }

    #[test]
    fn incomplete_regions_are_left_out_and_named() {
        let sectors = vec!["A".to_owned(), "B".to_owned()];
        let mut all = Vec::new();
        for y in 2020..=2022 {
            all.extend(obs("X", y, &[1.0, 2.0]));
            all.extend(obs("Y", y, &[3.0, 1.0]));
        }
        all.extend(obs("Z", 2022, &[1.0, 1.0]));
        all.extend(obs("W", 2022, &[1.0]));
        all.push(Observation::new("Z", "_total", 2022, 2.0));
        let s = select_complete(&all, &sectors, &["X"], None, None).unwrap();
        assert_eq!((s.start, s.end), (2020, 2022));
        assert_eq!(s.panel.regions(), ["X", "Y"]);
        assert_eq!(
            s.excluded[0],
            Excluded {
                region: "Z".into(),
                sector: "A".into(),
                year: 2020
            }
        );
        assert_eq!(s.excluded[1].region, "W");
        let one = select_complete(&all, &sectors, &["Z"], None, None).unwrap();
        assert_eq!((one.start, one.end), (2022, 2022));
        assert_eq!(one.panel.regions(), ["X", "Y", "Z"]);
        assert_eq!(
            select_complete(&all, &sectors, &["W"], None, None).unwrap_err(),
            SelectError::RegionIncomplete {
                region: "W".into(),
                sector: "B".into(),
                year: 2022
            }
        );
        assert!(matches!(
            select_complete(&all, &sectors, &["X"], Some(2015), None).unwrap_err(),
            SelectError::YearNotInData { year: 2015, .. }
        ));
        assert_eq!(
            select_complete(&all, &sectors, &["Q"], None, None).unwrap_err(),
            SelectError::RegionWithoutData { region: "Q".into() }
        );
    }
}
