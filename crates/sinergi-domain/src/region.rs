//! Regions by Kemendagri code, and the border rule of the Kerja Sama Wajib.

use crate::error::DomainError;
use serde::{Deserialize, Serialize};
use sinergi_reference::RegionLevel;
use std::fmt;

/// A Kemendagri region code such as `62`, `62.71`, `62.71.01` or `62.71.01.1001`.
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, utoipa::ToSchema,
)]
#[serde(try_from = "String", into = "String")]
#[schema(value_type = String, example = "62")]
pub struct RegionCode(String);

impl RegionCode {
    /// Parses the code format (not whether the region exists).
    ///
    /// # Errors
    /// `DomainError::UnknownRegion` when the text is not a well-formed code.
    pub fn parse(s: &str) -> Result<Self, DomainError> {
        let s = s.trim();
        if sinergi_reference::level_of_code(s).is_some() {
            Ok(Self(s.to_owned()))
        } else {
            Err(DomainError::UnknownRegion(s.to_owned()))
        }
    }

    #[must_use]
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The level the code's shape implies.
    #[must_use]
    pub fn level(&self) -> RegionLevel {
        sinergi_reference::level_of_code(&self.0).unwrap_or(RegionLevel::Village)
    }

    /// The province this code lies in (`62.71` → `62`).
    #[must_use]
    pub fn province(&self) -> &str {
        self.0.get(..2).unwrap_or(&self.0)
    }

    /// The parent code by shape (`62.71` → `62`); `None` for a province.
    #[must_use]
    pub fn parent(&self) -> Option<&str> {
        self.0.rfind('.').map(|i| &self.0[..i])
    }
}

impl fmt::Display for RegionCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for RegionCode {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        Self::parse(&s)
    }
}

impl From<RegionCode> for String {
    fn from(c: RegionCode) -> Self {
        c.0
    }
}

/// What the domain needs to know about a region to check a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegionFacts {
    pub code: RegionCode,
    pub name: String,
    pub level: RegionLevel,
}

/// Whether two daerah may form a Kerja Sama Wajib (Permendagri 22/2020): bordering provinces,
/// bordering kabupaten/kota (in one province or across provinces), or a kabupaten/kota with
/// its own province.
#[must_use]
pub fn wajib_pair_allowed(a: &RegionFacts, b: &RegionFacts, bordering: bool) -> bool {
    use RegionLevel::{City, Province, Regency};
    match (a.level, b.level) {
        (Province, Regency | City) => b.code.province() == a.code.as_str(),
        (Regency | City, Province) => a.code.province() == b.code.as_str(),
        (Province, Province) | (Regency | City, Regency | City) => bordering,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(code: &str) -> RegionFacts {
        let code = RegionCode::parse(code).unwrap();
        RegionFacts {
            level: code.level(),
            name: code.to_string(),
            code,
        }
    }

    #[test]
    fn codes_are_parsed_by_shape() {
        assert_eq!(
            RegionCode::parse("62").unwrap().level(),
            RegionLevel::Province
        );
        assert_eq!(
            RegionCode::parse("62.71").unwrap().level(),
            RegionLevel::City
        );
        assert_eq!(
            RegionCode::parse("62.01").unwrap().level(),
            RegionLevel::Regency
        );
        assert_eq!(RegionCode::parse("62.71").unwrap().province(), "62");
        assert!(RegionCode::parse("6x").is_err());
        assert!(RegionCode::parse("").is_err());
    }

    #[test]
    fn wajib_allows_a_regency_with_its_own_province_only() {
        assert!(wajib_pair_allowed(&facts("62"), &facts("62.71"), false));
        assert!(!wajib_pair_allowed(&facts("51"), &facts("62.71"), true));
        assert!(!wajib_pair_allowed(&facts("62"), &facts("51"), false));
        assert!(wajib_pair_allowed(&facts("62"), &facts("63"), true));
    }
}
