//! The Perangkat Daerah (OPD) of a region (issue 22; domain.md entity 3): the master list a
//! region keeps of its own agencies, so that an official's unit, a user's unit and the OPD
//! implementing a case name the same agency the same way — an OPD implementer sees its case
//! and gets its reminders only when the two names are one.
//!
//! A region that has not entered its list yet keeps typing unit names (nothing is refused
//! before the list exists) [U: the OPD nomenclature per region follows its Perda on
//! Perangkat Daerah, PP 18/2016, so it is the region's data]; once it has a list, a unit
//! must be one of it, matched by name or abbreviation regardless of case and spacing, and is
//! stored under the list's own name.

use serde::{Deserialize, Serialize};

use crate::error::{Checker, DomainError, FieldError};

/// A new OPD as the secretariat enters it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewOpdInput {
    /// The full name: `Dinas Kebudayaan dan Pariwisata`.
    pub name: String,
    /// The abbreviation in use: `Disbudpar`.
    #[serde(default)]
    pub abbreviation: Option<String>,
    /// The urusan it carries (catalogue codes), for finding the implementer of a field.
    #[serde(default)]
    pub urusan: Vec<String>,
}

/// One OPD of a region.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Opd {
    pub name: String,
    pub abbreviation: Option<String>,
    pub urusan: Vec<String>,
}

/// Lower case with single spaces, for matching what someone typed (and the stored key a
/// name is unique under).
#[must_use]
pub fn folded(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

impl NewOpdInput {
    /// Checks the entry against the region's list.
    ///
    /// # Errors
    /// A missing or over-long name, an over-long abbreviation, an urusan code not in the
    /// catalogue, or a name or abbreviation the region's list already has.
    pub fn validate(
        &self,
        existing: &[Opd],
        known_urusan: impl Fn(&str) -> bool,
    ) -> Result<Opd, DomainError> {
        let mut c = Checker::default();
        let name = c
            .text("name", &self.name, 300)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let abbreviation = c.opt_text("abbreviation", self.abbreviation.as_deref(), 30);
        let mut urusan = Vec::new();
        for (i, u) in self.urusan.iter().enumerate() {
            let u = u.trim();
            if !known_urusan(u) {
                c.push(FieldError::new(
                    format!("urusan[{i}]"),
                    "unknown",
                    format!("Urusan «{u}» tidak ada dalam katalog urusan pemerintahan."),
                    format!("Urusan «{u}» is not in the catalogue of government affairs."),
                ));
            } else if !urusan.iter().any(|x: &String| x == u) {
                urusan.push(u.to_owned());
            }
        }
        if !name.is_empty() && existing.iter().any(|o| folded(&o.name) == folded(&name)) {
            c.push(FieldError::new(
                "name",
                "duplicate",
                format!("{name} sudah ada dalam daftar perangkat daerah."),
                format!("{name} is already in the list of agencies."),
            ));
        }
        if let Some(a) = &abbreviation
            && existing.iter().any(|o| {
                o.abbreviation.as_deref().map(folded) == Some(folded(a))
                    || folded(&o.name) == folded(a)
            })
        {
            c.push(FieldError::new(
                "abbreviation",
                "duplicate",
                format!("Singkatan {a} sudah dipakai perangkat daerah lain."),
                format!("The abbreviation {a} is already used by another agency."),
            ));
        }
        c.finish()?;
        Ok(Opd {
            name,
            abbreviation,
            urusan,
        })
    }
}

/// The unit name to store for what was typed in `field`: as typed while the region has no
/// list (`units` empty), else the list's own name of the OPD it matches.
///
/// # Errors
/// `unknown_unit` naming the region when the list has no such OPD.
pub fn resolve(
    units: &[Opd],
    region_name: &str,
    field: &str,
    typed: &str,
) -> Result<String, DomainError> {
    let t = typed.split_whitespace().collect::<Vec<_>>().join(" ");
    if units.is_empty() {
        return Ok(t);
    }
    let f = folded(&t);
    units
        .iter()
        .find(|o| folded(&o.name) == f || o.abbreviation.as_deref().map(folded) == Some(f.clone()))
        .map(|o| o.name.clone())
        .ok_or_else(|| {
            DomainError::Validation(vec![FieldError::new(
                field,
                "unknown_unit",
                format!(
                    "«{t}» tidak ada dalam daftar perangkat daerah {region_name}; pilih dari daftar atau minta admin menambahkannya di halaman wilayah."
                ),
                format!(
                    "«{t}» is not in the list of agencies of {region_name}; choose one from the list or ask the admin to add it on the region page."
                ),
            )])
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opd(name: &str, abbr: Option<&str>) -> Opd {
        Opd {
            name: name.to_owned(),
            abbreviation: abbr.map(str::to_owned),
            urusan: Vec::new(),
        }
    }

    #[test]
    fn without_a_list_a_unit_is_kept_as_typed() {
        assert_eq!(
            resolve(&[], "Provinsi Bali", "unit", "  Dinas   Pariwisata ").unwrap(),
            "Dinas Pariwisata"
        );
    }

    #[test]
    fn with_a_list_a_unit_is_stored_under_the_lists_name() {
        let list = [
            opd("Dinas Kebudayaan dan Pariwisata", Some("Disbudpar")),
            opd("Biro Pemerintahan dan Otonomi Daerah", None),
        ];
        assert_eq!(
            resolve(&list, "Provinsi Bali", "unit", "disbudpar").unwrap(),
            "Dinas Kebudayaan dan Pariwisata"
        );
        assert_eq!(
            resolve(
                &list,
                "Provinsi Bali",
                "unit",
                "biro pemerintahan dan  otonomi daerah"
            )
            .unwrap(),
            "Biro Pemerintahan dan Otonomi Daerah"
        );
        let e = resolve(&list, "Provinsi Bali", "unit", "Dinas Pariwisata").unwrap_err();
        assert_eq!(e.fields()[0].code, "unknown_unit");
        assert!(e.fields()[0].message_id.contains("Provinsi Bali"));
    }

    #[test]
    fn a_list_has_each_name_and_abbreviation_once() {
        let list = [opd("Dinas Kebudayaan dan Pariwisata", Some("Disbudpar"))];
        let input = NewOpdInput {
            name: "dinas kebudayaan dan pariwisata".into(),
            abbreviation: Some("DISBUDPAR".into()),
            urusan: vec!["pariwisata".into(), "tidak_ada".into()],
        };
        let e = input.validate(&list, |u| u == "pariwisata").unwrap_err();
        let fields: Vec<_> = e.fields().iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["urusan[1]", "name", "abbreviation"]);
        let ok = NewOpdInput {
            name: " Dinas  Kelautan dan Perikanan ".into(),
            abbreviation: Some("DKP".into()),
            urusan: vec!["kelautan_perikanan".into(), "kelautan_perikanan".into()],
        }
        .validate(&list, |_| true)
        .unwrap();
        assert_eq!(ok.name, "Dinas Kelautan dan Perikanan");
        assert_eq!(ok.urusan, ["kelautan_perikanan"]);
    }
}
