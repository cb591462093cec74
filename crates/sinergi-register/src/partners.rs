//! Partners in free text — "Pemkab Badung", "Kab. Kapuas", "Prov. Kalimantan Selatan",
//! "Pemerintah Kota Palangkaraya", several in one cell — resolved to Kemendagri codes through
//! the embedded list and its aliases; anyone else is a non-government party (KSDPK).

use std::collections::HashMap;

use sinergi_domain::legacy::LegacyPartner;
use sinergi_reference::{Alias, Region, lookup_name};

use crate::problem::Problem;

/// The regions and aliases names are resolved against, with an index of every daerah's
/// exact name keys (a register names thousands of partners; each is looked up once).
#[derive(Debug, Clone)]
pub struct Directory {
    pub regions: Vec<Region>,
    pub aliases: Vec<Alias>,
    /// Search key (full name, name without its level prefix, each alias) → daerah indexes.
    exact: HashMap<String, Vec<usize>>,
}

impl Directory {
    /// The embedded Kemendagri list and aliases.
    ///
    /// # Errors
    /// Only if the embedded data is broken (a build defect).
    pub fn embedded() -> Result<Self, sinergi_reference::ReferenceError> {
        Ok(Self::new(
            sinergi_reference::regions()?,
            sinergi_reference::aliases()?,
        ))
    }

    #[must_use]
    pub fn new(regions: Vec<Region>, aliases: Vec<Alias>) -> Self {
        let mut exact: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, r) in regions.iter().enumerate() {
            if !r.level.is_daerah() {
                continue;
            }
            for key in sinergi_reference::search_keys_for(r, &aliases).split(' ') {
                if !key.is_empty() {
                    exact.entry(key.to_owned()).or_default().push(i);
                }
            }
        }
        Self {
            regions,
            aliases,
            exact,
        }
    }

    /// The daerah a name fits exactly: its full name, its name at the level its prefix says
    /// ("Kabupaten Kapuas"), or an alias.
    fn exact(&self, query: &str) -> Vec<&Region> {
        let key = sinergi_reference::search_key(query);
        let level = LEVEL_WORDS
            .iter()
            .find(|(p, _)| query.to_lowercase().starts_with(p))
            .map(|(p, l)| (sinergi_reference::search_key(&query[p.len()..]), *l));
        let mut found: Vec<&Region> = self
            .exact
            .get(&key)
            .into_iter()
            .flatten()
            .map(|i| &self.regions[*i])
            .collect();
        if found.is_empty()
            && let Some((stripped, levels)) = level
        {
            found = self
                .exact
                .get(&stripped)
                .into_iter()
                .flatten()
                .map(|i| &self.regions[*i])
                .filter(|r| levels.contains(&r.level))
                .collect();
        }
        found
    }

    #[must_use]
    pub fn name_of(&self, code: &str) -> Option<&str> {
        self.regions
            .iter()
            .find(|r| r.code == code)
            .map(|r| r.name.as_str())
    }
}

/// Government prefixes as people write them, with the level prefix the region list uses.
const GOVERNMENT: [(&str, &str); 17] = [
    ("pemerintah daerah provinsi ", "Provinsi "),
    ("pemerintah provinsi ", "Provinsi "),
    ("pemerintah kabupaten ", "Kabupaten "),
    ("pemerintah kota ", "Kota "),
    ("pemprov. ", "Provinsi "),
    ("pemprov ", "Provinsi "),
    ("pemkab. ", "Kabupaten "),
    ("pemkab ", "Kabupaten "),
    ("pemkot. ", "Kota "),
    ("pemkot ", "Kota "),
    ("prov. ", "Provinsi "),
    ("prov ", "Provinsi "),
    ("gubernur ", "Provinsi "),
    ("bupati ", "Kabupaten "),
    ("wali kota ", "Kota "),
    ("walikota ", "Kota "),
    ("kab ", "Kabupaten "),
];

const LEVELS: [&str; 4] = ["provinsi ", "kabupaten ", "kab. ", "kota "];

use sinergi_reference::RegionLevel;

/// A level prefix and the levels it allows.
const LEVEL_WORDS: [(&str, &[RegionLevel]); 4] = [
    ("provinsi ", &[RegionLevel::Province]),
    ("kabupaten ", &[RegionLevel::Regency]),
    ("kab. ", &[RegionLevel::Regency]),
    ("kota ", &[RegionLevel::City]),
];

/// The name with a government prefix rewritten to the list's level prefix, and whether the
/// text names a government at all.
fn government_name(text: &str) -> (String, bool) {
    let lower = text.to_lowercase();
    for (prefix, level) in GOVERNMENT {
        if lower.starts_with(prefix) {
            return (format!("{level}{}", text[prefix.len()..].trim()), true);
        }
    }
    let named = LEVELS.iter().any(|p| lower.starts_with(p));
    (text.to_owned(), named)
}

/// Splits a cell into names: lines, semicolons and commas always; "dan"/"&" only between
/// names that are both governments ("Dinas Pariwisata dan Kebudayaan" stays whole).
fn split_names(cell: &str) -> Vec<String> {
    let mut out = Vec::new();
    for piece in cell.split(['\n', ';', ',']) {
        let piece = piece.trim().trim_start_matches(['-', '•', '*']).trim();
        if piece.is_empty() {
            continue;
        }
        // "PT Bank Kalteng, Tbk": a company suffix after a comma belongs to its name.
        let lower = piece.to_lowercase();
        if matches!(lower.as_str(), "tbk" | "tbk." | "persero" | "(persero)")
            && let Some(last) = out.last_mut()
        {
            let last: &mut String = last;
            last.push_str(", ");
            last.push_str(piece);
            continue;
        }
        let parts: Vec<&str> = split_conjunctions(piece);
        if parts.len() > 1 && parts.iter().all(|p| government_name(p).1) {
            out.extend(parts.into_iter().map(str::to_owned));
        } else {
            out.push(piece.to_owned());
        }
    }
    out
}

fn split_conjunctions(text: &str) -> Vec<&str> {
    let lower = text.to_lowercase();
    let mut parts = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < lower.len() {
        let rest = &lower[i..];
        let sep = [" dan ", " & "].into_iter().find(|s| rest.starts_with(s));
        if let Some(sep) = sep {
            parts.push(text[start..i].trim());
            i += sep.len();
            start = i;
        } else {
            i += rest.chars().next().map_or(1, char::len_utf8);
        }
    }
    parts.push(text[start..].trim());
    parts.retain(|p| !p.is_empty());
    parts
}

/// The partners a cell names, without the importing region.
///
/// # Errors
/// A government not in the list, a name that fits several regions, an empty cell, a cell
/// that names only the importing region.
pub fn resolve(
    cell: &str,
    own_region: &str,
    dir: &Directory,
) -> Result<Vec<LegacyPartner>, Vec<Problem>> {
    let names = split_names(cell);
    if names.is_empty() {
        return Err(vec![Problem::PartnerMissing]);
    }
    let mut problems = Vec::new();
    let mut partners: Vec<LegacyPartner> = Vec::new();
    let mut own_named = false;
    for name in names {
        let (query, governmental) = government_name(&name);
        let exact = dir.exact(&query);
        // A government's name that fits no daerah exactly is looked for as a part of a name.
        let chosen: Vec<&Region> = if exact.is_empty() && governmental {
            lookup_name(&query, &dir.regions, &dir.aliases)
        } else {
            exact
        };
        match chosen.as_slice() {
            [r] => {
                if r.code == own_region {
                    own_named = true;
                } else if !partners
                    .iter()
                    .any(|p| p.region.as_deref() == Some(&r.code))
                {
                    partners.push(LegacyPartner {
                        region: Some(r.code.clone()),
                        name: r.name.clone(),
                        number: None,
                    });
                }
            }
            [] if governmental => problems.push(Problem::PartnerUnknown { text: name }),
            [] => partners.push(LegacyPartner {
                region: None,
                name,
                number: None,
            }),
            many => problems.push(Problem::PartnerAmbiguous {
                text: name,
                candidates: many.iter().take(5).map(|r| r.name.clone()).collect(),
            }),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    if partners.is_empty() {
        return Err(vec![if own_named {
            Problem::OnlyOwnRegion
        } else {
            Problem::PartnerMissing
        }]);
    }
    Ok(partners)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(cell: &str) -> Vec<String> {
        let dir = Directory::embedded().unwrap();
        resolve(cell, "62", &dir)
            .unwrap()
            .into_iter()
            .map(|p| p.region.unwrap_or(format!("pihak ketiga: {}", p.name)))
            .collect()
    }

    #[test]
    fn partners_in_free_text() {
        assert_eq!(codes("Pemkab Badung"), ["51.03"]);
        assert_eq!(codes("Kab. Kapuas"), ["62.03"]);
        assert_eq!(codes("Prov. Kalimantan Selatan"), ["63"]);
        assert_eq!(codes("Pemerintah Kota Palangkaraya"), ["62.71"]);
        assert_eq!(codes("Pemprov Bali dan Pemkab Badung"), ["51", "51.03"]);
        assert_eq!(codes("Kab. Kapuas, Kab. Katingan"), ["62.03", "62.06"]);
        assert_eq!(
            codes("PT Bank Pembangunan Daerah Kalimantan Tengah, Tbk"),
            ["pihak ketiga: PT Bank Pembangunan Daerah Kalimantan Tengah, Tbk"]
        );
        assert_eq!(
            codes("Universitas Palangka Raya"),
            ["pihak ketiga: Universitas Palangka Raya"]
        );
        // The importing region named beside its partner is not a partner.
        assert_eq!(codes("Pemprov Kalteng dan Pemprov Bali"), ["51"]);
    }

    #[test]
    fn unknown_and_lonely_names_are_refused() {
        let dir = Directory::embedded().unwrap();
        assert!(matches!(
            resolve("Kab. Atlantis", "62", &dir).unwrap_err()[0],
            Problem::PartnerUnknown { .. }
        ));
        assert_eq!(
            resolve("Pemprov Kalimantan Tengah", "62", &dir).unwrap_err(),
            [Problem::OnlyOwnRegion]
        );
        assert_eq!(
            resolve("  ", "62", &dir).unwrap_err(),
            [Problem::PartnerMissing]
        );
    }
}
