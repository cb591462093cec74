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
    let sector_index: HashMap<&str, usize> = sectors
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i))
        .collect();
    let mut regions: Vec<&str> = Vec::new();
    let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
    let mut cells: HashMap<(&str, i32), Vec<bool>> = HashMap::new();
    let mut years = BTreeSet::new();
    for o in observations {
        let Some(&s) = sector_index.get(o.sector.as_str()) else {
            continue;
        };
        if seen.insert(o.region.as_str()) {
            regions.push(&o.region);
        }
        years.insert(o.year);
        cells
            .entry((o.region.as_str(), o.year))
            .or_insert_with(|| vec![false; sectors.len()])[s] = true;
    }
    if regions.is_empty() {
        return Err(SelectError::NoData);
    }
    for f in focus {
        if !seen.contains(f) {
            return Err(SelectError::RegionWithoutData {
                region: (*f).to_owned(),
            });
        }
    }
    let available: Vec<i32> = years.iter().copied().collect();
    let missing = |region: &str, year: i32| -> Option<usize> {
        match cells.get(&(region, year)) {
            None => Some(0),
            Some(have) => have.iter().position(|h| !h),
        }
    };
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
    let complete_focus = |y: i32| focus.iter().all(|f| missing(f, y).is_none());
    let end = match end {
        Some(e) => check_year(e)?,
        None => {
            let candidates = available.iter().rev().copied();
            let mut chosen = None;
            for y in candidates {
                let complete = regions.iter().filter(|r| missing(r, y).is_none()).count();
                if complete_focus(y) && complete >= 2 {
                    chosen = Some(y);
                    break;
                }
            }
            chosen.unwrap_or_else(|| available.last().copied().unwrap_or_default())
        }
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
    let first_missing = |region: &str| -> Option<(usize, i32)> {
        (start..=end).find_map(|y| missing(region, y).map(|s| (s, y)))
    };
    for f in focus {
        if let Some((s, year)) = first_missing(f) {
            return Err(SelectError::RegionIncomplete {
                region: (*f).to_owned(),
                sector: sectors[s].clone(),
                year,
            });
        }
    }
    let mut excluded = Vec::new();
    let mut included: Vec<&str> = Vec::new();
    for r in &regions {
        match first_missing(r) {
            Some((s, year)) => excluded.push(Excluded {
                region: (*r).to_owned(),
                sector: sectors[s].clone(),
                year,
            }),
            None => included.push(r),
        }
    }
    if included.len() < 2 {
        return Err(SelectError::TooFewRegions {
            count: included.len(),
        });
    }
    let position: HashMap<&str, usize> =
        included.iter().enumerate().map(|(i, r)| (*r, i)).collect();
    let mut keyed: Vec<(usize, i32, usize, &Observation)> = observations
        .iter()
        .filter(|o| (start..=end).contains(&o.year))
        .filter_map(|o| {
            let r = *position.get(o.region.as_str())?;
            let s = *sector_index.get(o.sector.as_str())?;
            Some((r, o.year, s, o))
        })
        .collect();
    keyed.sort_unstable_by_key(|k| (k.0, k.1, k.2));
    let kept: Vec<Observation> = keyed.into_iter().map(|k| k.3.clone()).collect();
    let panel = Panel::from_observations_in(&kept, start, end)?;
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
