//! The island groups of Indonesia as the partner finder filters by them. A province's group is
//! the first digit of its Kemendagri code (`1x` Sumatera, and `21` Kepulauan Riau with it;
//! `3x` Jawa, `5x` Bali and Nusa Tenggara, `6x` Kalimantan, `7x` Sulawesi, `8x` Maluku,
//! `9x` Papua); its regencies and cities share it.

/// An island group.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Island {
    /// Stable code, e.g. `bali_nusa_tenggara`.
    pub code: &'static str,
    pub name: &'static str,
    /// The first digits of the province codes of the group.
    pub digits: &'static [u8],
}

/// The seven island groups, west to east.
pub const ISLANDS: [Island; 7] = [
    Island {
        code: "sumatera",
        name: "Sumatera",
        digits: b"12",
    },
    Island {
        code: "jawa",
        name: "Jawa",
        digits: b"3",
    },
    Island {
        code: "bali_nusa_tenggara",
        name: "Bali dan Nusa Tenggara",
        digits: b"5",
    },
    Island {
        code: "kalimantan",
        name: "Kalimantan",
        digits: b"6",
    },
    Island {
        code: "sulawesi",
        name: "Sulawesi",
        digits: b"7",
    },
    Island {
        code: "maluku",
        name: "Maluku",
        digits: b"8",
    },
    Island {
        code: "papua",
        name: "Papua",
        digits: b"9",
    },
];

/// The island group of a region code (`62.71` → Kalimantan); `None` for a code that starts
/// with no group's digit.
#[must_use]
pub fn island_of(code: &str) -> Option<&'static Island> {
    let first = *code.as_bytes().first()?;
    ISLANDS.iter().find(|i| i.digits.contains(&first))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{RegionLevel, regions};

    #[test]
    fn every_region_has_an_island_group() {
        let regions = regions().unwrap();
        let mut provinces = [0usize; 7];
        for r in &regions {
            let island = island_of(&r.code).unwrap_or_else(|| panic!("{}", r.code));
            if r.level == RegionLevel::Province {
                provinces[ISLANDS.iter().position(|i| i == island).unwrap()] += 1;
            }
        }
        // Sumatera 10 (with Kepulauan Riau), Jawa 6, Bali–NT 3, Kalimantan 5, Sulawesi 6,
        // Maluku 2, Papua 6: the 38 provinces.
        assert_eq!(provinces, [10, 6, 3, 5, 6, 2, 6]);
    }

    #[test]
    fn codes_map_to_groups() {
        let code = |c: &str| island_of(c).map(|i| i.code);
        assert_eq!(code("62"), Some("kalimantan"));
        assert_eq!(code("62.71"), Some("kalimantan"));
        assert_eq!(code("51.03"), Some("bali_nusa_tenggara"));
        assert_eq!(code("31.71.01"), Some("jawa"));
        assert_eq!(code("21"), Some("sumatera"));
        assert_eq!(code("96"), Some("papua"));
        assert_eq!(code("ID"), None);
        assert_eq!(code(""), None);
        assert_eq!(code("41"), None);
    }
}
