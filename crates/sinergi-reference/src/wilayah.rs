//! Administrative regions (wilayah) and their time zones.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::{ReferenceError, UnknownValue, embedded};

const PROVINCES: &str = include_str!("../data/wilayah/provinces.csv");
const REGENCIES: &str = include_str!("../data/wilayah/regencies.csv");
const DISTRICTS: &str = include_str!("../data/wilayah/districts.csv");
const VILLAGES: &str = include_str!("../data/wilayah/villages.csv");
const TIMEZONES: &str = include_str!("../data/timezones.csv");

/// Total number of rows in the embedded wilayah files.
const REGION_COUNT: usize = 38 + 514 + 7_285 + 83_762;

/// Administrative level of a region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RegionLevel {
    Province,
    Regency,
    City,
    District,
    Village,
}

impl RegionLevel {
    pub const ALL: [RegionLevel; 5] = [
        RegionLevel::Province,
        RegionLevel::Regency,
        RegionLevel::City,
        RegionLevel::District,
        RegionLevel::Village,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RegionLevel::Province => "province",
            RegionLevel::Regency => "regency",
            RegionLevel::City => "city",
            RegionLevel::District => "district",
            RegionLevel::Village => "village",
        }
    }

    /// True for autonomous regions (daerah): province, regency and city.
    pub fn is_daerah(self) -> bool {
        matches!(
            self,
            RegionLevel::Province | RegionLevel::Regency | RegionLevel::City
        )
    }
}

impl fmt::Display for RegionLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for RegionLevel {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        RegionLevel::ALL
            .into_iter()
            .find(|level| level.as_str() == s)
            .ok_or_else(|| UnknownValue::new("region level", s))
    }
}

/// Indonesian time zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TimeZone {
    Wib,
    Wita,
    Wit,
}

impl TimeZone {
    pub const ALL: [TimeZone; 3] = [TimeZone::Wib, TimeZone::Wita, TimeZone::Wit];

    pub fn utc_offset_hours(self) -> i8 {
        match self {
            TimeZone::Wib => 7,
            TimeZone::Wita => 8,
            TimeZone::Wit => 9,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            TimeZone::Wib => "WIB",
            TimeZone::Wita => "WITA",
            TimeZone::Wit => "WIT",
        }
    }
}

impl fmt::Display for TimeZone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

impl FromStr for TimeZone {
    type Err = UnknownValue;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        TimeZone::ALL
            .into_iter()
            .find(|zone| zone.label() == s)
            .ok_or_else(|| UnknownValue::new("time zone", s))
    }
}

/// One region of the official wilayah list.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Region {
    pub code: String,
    pub parent_code: Option<String>,
    pub name: String,
    pub level: RegionLevel,
    pub timezone: TimeZone,
}

/// Provenance of the embedded wilayah list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct WilayahVersion {
    pub decree: &'static str,
    pub enacted_on: &'static str,
    pub source: &'static str,
}

pub fn wilayah_version() -> WilayahVersion {
    WilayahVersion {
        decree: "Kepmendagri No. 300.2.2-2138 Tahun 2025",
        enacted_on: "2025-04-25",
        source: "https://github.com/cahyadsn/wilayah",
    }
}

/// Level implied by the code format: `62` province, `62.01` regency, `62.71` city (second part
/// >= 71), `62.01.01` district, `62.01.01.2001` village. `None` if malformed.
pub fn level_of_code(code: &str) -> Option<RegionLevel> {
    let mut lengths = [0usize; 4];
    let mut count = 0;
    for part in code.split('.') {
        if count == 4 || part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        lengths[count] = part.len();
        count += 1;
    }
    match &lengths[..count] {
        [2] => Some(RegionLevel::Province),
        [2, 2] => {
            let regency = code.get(3..5)?.parse::<u8>().ok()?;
            Some(if regency >= 71 {
                RegionLevel::City
            } else {
                RegionLevel::Regency
            })
        }
        [2, 2, 2] => Some(RegionLevel::District),
        [2, 2, 2, 4] => Some(RegionLevel::Village),
        _ => None,
    }
}

/// The time zone of a region (any level) by its code, from its province: `None` for an
/// unknown province.
#[must_use]
pub fn timezone_of(code: &str) -> Option<TimeZone> {
    static TABLE: std::sync::OnceLock<[Option<TimeZone>; 100]> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| timezone_table().unwrap_or([None; 100]));
    let province = code.split('.').next()?;
    province_index(province).and_then(|i| table[i])
}

/// Time zone per two-digit province code, indexed by its numeric value.
pub(crate) fn timezone_table() -> Result<[Option<TimeZone>; 100], ReferenceError> {
    const FILE: &str = "timezones.csv";
    let mut table = [None; 100];
    for record in embedded::records(FILE, TIMEZONES, &["province_code", "zone"])? {
        let record = record?;
        let malformed = |problem: String| ReferenceError::Malformed {
            file: FILE,
            line: record.line,
            problem,
        };
        let code = record.get(0);
        let index =
            province_index(code).ok_or_else(|| malformed(format!("bad province code {code:?}")))?;
        let zone = record
            .get(1)
            .parse::<TimeZone>()
            .map_err(|e| malformed(e.to_string()))?;
        if table[index].replace(zone).is_some() {
            return Err(malformed(format!("duplicate province code {code:?}")));
        }
    }
    Ok(table)
}

/// Numeric value of a two-digit province code.
fn province_index(code: &str) -> Option<usize> {
    (level_of_code(code) == Some(RegionLevel::Province))
        .then(|| code.parse().ok())
        .flatten()
}

/// All regions: provinces, then regencies and cities, districts, villages (file order).
pub fn regions() -> Result<Vec<Region>, ReferenceError> {
    const HEADER: [&str; 3] = ["code", "parent_code", "name"];
    let files: [(&'static str, &str, &[RegionLevel]); 4] = [
        ("wilayah/provinces.csv", PROVINCES, &[RegionLevel::Province]),
        (
            "wilayah/regencies.csv",
            REGENCIES,
            &[RegionLevel::Regency, RegionLevel::City],
        ),
        ("wilayah/districts.csv", DISTRICTS, &[RegionLevel::District]),
        ("wilayah/villages.csv", VILLAGES, &[RegionLevel::Village]),
    ];
    let zones = timezone_table()?;
    let mut regions = Vec::with_capacity(REGION_COUNT);
    for (file, text, levels) in files {
        for record in embedded::records(file, text, &HEADER)? {
            let record = record?;
            let malformed = |problem: String| ReferenceError::Malformed {
                file,
                line: record.line,
                problem,
            };
            let (code, parent, name) = (record.get(0), record.get(1), record.get(2));
            let level = level_of_code(code)
                .filter(|level| levels.contains(level))
                .ok_or_else(|| malformed(format!("bad code {code:?} for this file")))?;
            let expected_parent = code.rfind('.').map(|dot| &code[..dot]);
            if expected_parent.unwrap_or("") != parent {
                return Err(malformed(format!(
                    "parent {parent:?} does not match code {code:?}"
                )));
            }
            if name.trim().is_empty() {
                return Err(malformed(format!("empty name for {code:?}")));
            }
            let timezone = code
                .get(..2)
                .and_then(province_index)
                .and_then(|index| zones[index])
                .ok_or_else(|| malformed(format!("no time zone for province of {code:?}")))?;
            regions.push(Region {
                code: code.to_owned(),
                parent_code: expected_parent.map(str::to_owned),
                name: name.to_owned(),
                level,
                timezone,
            });
        }
    }
    Ok(regions)
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use super::*;

    #[test]
    fn counts_match_the_decree() {
        let regions = regions().unwrap();
        assert_eq!(regions.len(), REGION_COUNT);
        assert_eq!(regions.len(), 91_599);
        let count = |level| regions.iter().filter(|r| r.level == level).count();
        assert_eq!(count(RegionLevel::Province), 38);
        assert_eq!(count(RegionLevel::Regency), 416);
        assert_eq!(count(RegionLevel::City), 98);
        assert_eq!(count(RegionLevel::District), 7_285);
        assert_eq!(count(RegionLevel::Village), 83_762);
    }

    #[test]
    fn codes_are_unique_and_ordered_by_level() {
        let regions = regions().unwrap();
        let codes: HashSet<&str> = regions.iter().map(|r| r.code.as_str()).collect();
        assert_eq!(codes.len(), regions.len());
        let rank = |level| match level {
            RegionLevel::Province => 0,
            RegionLevel::Regency | RegionLevel::City => 1,
            RegionLevel::District => 2,
            RegionLevel::Village => 3,
        };
        assert!(
            regions
                .windows(2)
                .all(|w| rank(w[0].level) <= rank(w[1].level))
        );
    }

    #[test]
    fn every_parent_exists_with_the_right_level() {
        let regions = regions().unwrap();
        let by_code: HashMap<&str, &Region> =
            regions.iter().map(|r| (r.code.as_str(), r)).collect();
        for region in &regions {
            let parent = region.parent_code.as_deref().map(|code| by_code[code]);
            match (region.level, parent) {
                (RegionLevel::Province, None) => {}
                (RegionLevel::Regency | RegionLevel::City, Some(p)) => {
                    assert_eq!(p.level, RegionLevel::Province, "{}", region.code);
                }
                (RegionLevel::District, Some(p)) => {
                    assert!(matches!(p.level, RegionLevel::Regency | RegionLevel::City));
                }
                (RegionLevel::Village, Some(p)) => assert_eq!(p.level, RegionLevel::District),
                other => panic!("{}: unexpected {other:?}", region.code),
            }
            if let Some(p) = parent {
                assert_eq!(p.timezone, region.timezone, "{}", region.code);
            }
        }
    }

    #[test]
    fn every_province_has_a_time_zone() {
        let regions = regions().unwrap();
        let table = timezone_table().unwrap();
        assert_eq!(table.iter().flatten().count(), 38);
        for province in regions.iter().filter(|r| r.level == RegionLevel::Province) {
            let index: usize = province.code.parse().unwrap();
            assert_eq!(table[index], Some(province.timezone));
        }
        let zone = |code: &str| regions.iter().find(|r| r.code == code).unwrap().timezone;
        assert_eq!(timezone_of("51.71"), Some(TimeZone::Wita));
        assert_eq!(timezone_of("62"), Some(TimeZone::Wib));
        assert_eq!(timezone_of("94.01"), Some(TimeZone::Wit));
        assert_eq!(timezone_of("xx"), None);
        assert_eq!(zone("31.71"), TimeZone::Wib);
        assert_eq!(zone("62.71"), TimeZone::Wib);
        assert_eq!(zone("51.71"), TimeZone::Wita);
        assert_eq!(zone("65"), TimeZone::Wita);
        assert_eq!(zone("91"), TimeZone::Wit);
        let count = |zone| table.iter().flatten().filter(|&&z| z == zone).count();
        assert_eq!(
            (
                count(TimeZone::Wib),
                count(TimeZone::Wita),
                count(TimeZone::Wit)
            ),
            (18, 12, 8)
        );
    }

    #[test]
    fn quoted_village_names() {
        let regions = regions().unwrap();
        let find = |code: &str| regions.iter().find(|r| r.code == code).unwrap();
        let a = find("12.07.28.1007");
        assert_eq!(a.name, "Lubuk Pakam I,II");
        assert_eq!(a.parent_code.as_deref(), Some("12.07.28"));
        let b = find("14.02.09.2010");
        assert_eq!(b.name, "Lambang Sari I, II, III");
        assert_eq!(b.level, RegionLevel::Village);
        assert!(regions.iter().all(|r| !r.name.contains('"')));
    }

    #[test]
    fn known_regions() {
        let regions = regions().unwrap();
        let find = |code: &str| regions.iter().find(|r| r.code == code).unwrap();
        assert_eq!(find("62.71").name, "Kota Palangkaraya");
        assert_eq!(find("62.71").level, RegionLevel::City);
        assert_eq!(find("31.71").level, RegionLevel::City);
        assert_eq!(find("31.01").level, RegionLevel::Regency);
        assert_eq!(
            find("31.01").name,
            "Kabupaten Administrasi Kepulauan Seribu"
        );
    }

    #[test]
    fn level_from_code_format() {
        assert_eq!(level_of_code("62"), Some(RegionLevel::Province));
        assert_eq!(level_of_code("62.01"), Some(RegionLevel::Regency));
        assert_eq!(level_of_code("62.71"), Some(RegionLevel::City));
        assert_eq!(level_of_code("62.70"), Some(RegionLevel::Regency));
        assert_eq!(level_of_code("62.01.01"), Some(RegionLevel::District));
        assert_eq!(level_of_code("62.01.01.2001"), Some(RegionLevel::Village));
        for bad in [
            "",
            "6",
            "620",
            "62.",
            ".62",
            "62.1",
            "62.01.1",
            "62.01.01.201",
            "62.01.01.2001.1",
            "6a",
            "62..01",
            "62.01.01.20011",
            "٦٢",
        ] {
            assert_eq!(level_of_code(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn enums_round_trip() {
        for level in RegionLevel::ALL {
            assert_eq!(level.as_str().parse::<RegionLevel>().unwrap(), level);
        }
        assert_eq!(RegionLevel::City.to_string(), "city");
        assert!("City".parse::<RegionLevel>().is_err());
        assert!(RegionLevel::City.is_daerah());
        assert!(!RegionLevel::District.is_daerah());
        for zone in TimeZone::ALL {
            assert_eq!(zone.label().parse::<TimeZone>().unwrap(), zone);
        }
        let offsets: Vec<i8> = TimeZone::ALL.iter().map(|z| z.utc_offset_hours()).collect();
        assert_eq!(offsets, [7, 8, 9]);
        assert!("wib".parse::<TimeZone>().is_err());
    }

    #[test]
    fn version() {
        let v = wilayah_version();
        assert_eq!(v.enacted_on, "2025-04-25");
        assert!(v.decree.contains("300.2.2-2138"));
    }
}
