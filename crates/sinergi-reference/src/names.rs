//! Region name aliases, search keys and name lookup.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::wilayah::{Region, RegionLevel, level_of_code};
use crate::{ReferenceError, embedded};

const ALIASES: &str = include_str!("../data/aliases.csv");

/// A spelling variant or abbreviation of a region name.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Alias {
    pub alias: String,
    pub code: String,
}

pub fn aliases() -> Result<Vec<Alias>, ReferenceError> {
    const FILE: &str = "aliases.csv";
    let mut out = Vec::new();
    for record in embedded::records(FILE, ALIASES, &["alias", "code"])? {
        let record = record?;
        let (alias, code) = (record.get(0), record.get(1));
        if search_key(alias).is_empty() || level_of_code(code).is_none() {
            return Err(ReferenceError::Malformed {
                file: FILE,
                line: record.line,
                problem: format!("bad alias {alias:?} or code {code:?}"),
            });
        }
        out.push(Alias {
            alias: alias.to_owned(),
            code: code.to_owned(),
        });
    }
    Ok(out)
}

/// Normalized search key: lowercase, ASCII-folded, with every non-alphanumeric character
/// (spaces and punctuation included) dropped. Letters that cannot be folded are kept.
pub fn search_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            key.push(c);
        } else if let Some(folded) = fold(c) {
            key.push_str(folded);
        } else if c.is_alphanumeric() {
            key.push(c);
        }
    }
    key
}

/// ASCII replacement for common accented Latin letters (lowercase input).
fn fold(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ă' | 'ą' => "a",
        'æ' => "ae",
        'ç' | 'ć' | 'č' => "c",
        'ď' | 'đ' => "d",
        'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ė' | 'ę' | 'ě' => "e",
        'ğ' => "g",
        'ì' | 'í' | 'î' | 'ï' | 'ī' | 'į' | 'ı' => "i",
        'ł' => "l",
        'ñ' | 'ń' | 'ň' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
        'œ' => "oe",
        'ř' => "r",
        'ś' | 'š' | 'ş' => "s",
        'ß' => "ss",
        'ť' | 'ţ' => "t",
        'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' | 'ų' => "u",
        'ý' | 'ÿ' => "y",
        'ź' | 'ż' | 'ž' => "z",
        _ => return None,
    })
}

/// Level prefixes, longest first, with the level they imply.
const PREFIXES: [(&str, RegionLevel); 6] = [
    ("provinsi ", RegionLevel::Province),
    ("kabupaten administrasi ", RegionLevel::Regency),
    ("kabupaten ", RegionLevel::Regency),
    ("kab. ", RegionLevel::Regency),
    ("kota administrasi ", RegionLevel::City),
    ("kota ", RegionLevel::City),
];

/// Splits a leading level prefix (case-insensitive) off `name`.
fn split_level_prefix(name: &str) -> (Option<RegionLevel>, &str) {
    let name = name.trim_start();
    for (prefix, level) in PREFIXES {
        if let Some(head) = name.get(..prefix.len())
            && head.eq_ignore_ascii_case(prefix)
        {
            return (Some(level), name[prefix.len()..].trim_start());
        }
    }
    (None, name)
}

/// Removes a leading "Provinsi ", "Kabupaten Administrasi ", "Kabupaten ", "Kab. ",
/// "Kota Administrasi " or "Kota " (case-insensitive).
pub fn strip_level_prefix(name: &str) -> &str {
    split_level_prefix(name).1
}

/// Distinct keys of a region (full name, name without level prefix, its aliases) joined by
/// spaces: the text a store indexes for `LIKE '%key%'` search.
pub fn search_keys_for(region: &Region, aliases: &[Alias]) -> String {
    let alias_names = aliases
        .iter()
        .filter(|a| a.code == region.code)
        .map(|a| a.alias.as_str());
    distinct_keys(region, alias_names).join(" ")
}

fn distinct_keys<'a>(
    region: &'a Region,
    alias_names: impl Iterator<Item = &'a str>,
) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    let names = [region.name.as_str(), strip_level_prefix(&region.name)];
    for key in names.into_iter().chain(alias_names).map(search_key) {
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// Finds daerah (province, regency, city) by name, abbreviation or alias.
///
/// Exact key matches win over substring matches. A level prefix in the query ("Kota ",
/// "Kab. ", ...) is also tried stripped, restricted to that level.
pub fn lookup_name<'a>(query: &str, regions: &'a [Region], aliases: &[Alias]) -> Vec<&'a Region> {
    let full = search_key(query);
    if full.is_empty() {
        return Vec::new();
    }
    let (prefix_level, rest) = split_level_prefix(query);
    let stripped = search_key(rest);

    let mut alias_names: HashMap<&str, Vec<&str>> = HashMap::new();
    for alias in aliases {
        alias_names
            .entry(alias.code.as_str())
            .or_default()
            .push(alias.alias.as_str());
    }
    let candidates: Vec<(&Region, Vec<String>)> = regions
        .iter()
        .filter(|r| r.level.is_daerah())
        .map(|r| {
            let names = alias_names.get(r.code.as_str()).into_iter().flatten();
            (r, distinct_keys(r, names.copied()))
        })
        .collect();

    // Exact keys first, then substrings; a prefixed query is retried stripped at its level.
    let mut attempts: Vec<(&str, bool, Option<RegionLevel>)> = vec![(&full, true, None)];
    let retry_stripped = prefix_level.is_some() && !stripped.is_empty();
    if retry_stripped {
        attempts.push((&stripped, true, prefix_level));
    }
    attempts.push((&full, false, None));
    if retry_stripped {
        attempts.push((&stripped, false, prefix_level));
    }
    for (q, exact, level) in attempts {
        let found: Vec<&'a Region> = candidates
            .iter()
            .filter(|(r, keys)| {
                level.is_none_or(|l| l == r.level)
                    && keys
                        .iter()
                        .any(|k| if exact { k == q } else { k.contains(q) })
            })
            .map(|(r, _)| *r)
            .collect();
        if !found.is_empty() {
            return found;
        }
    }
    Vec::new()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regions;

    fn codes(query: &str, regions: &[Region], aliases: &[Alias]) -> Vec<String> {
        lookup_name(query, regions, aliases)
            .into_iter()
            .map(|r| r.code.clone())
            .collect()
    }

    #[test]
    fn keys() {
        assert_eq!(search_key("Palangka Raya"), "palangkaraya");
        assert_eq!(search_key("Palangkaraya"), "palangkaraya");
        assert_eq!(search_key("D.I. Yogyakarta"), "diyogyakarta");
        assert_eq!(search_key("Bau-Bau"), "baubau");
        assert_eq!(search_key("Regapu’u"), "regapuu");
        assert_eq!(search_key("Séto ÜBER"), "setouber");
        assert_eq!(search_key(" .,- "), "");
    }

    #[test]
    fn level_prefixes() {
        assert_eq!(strip_level_prefix("Provinsi Bali"), "Bali");
        assert_eq!(
            strip_level_prefix("Kabupaten Administrasi Kepulauan Seribu"),
            "Kepulauan Seribu"
        );
        assert_eq!(strip_level_prefix("Kabupaten Kapuas"), "Kapuas");
        assert_eq!(strip_level_prefix("kab. Kapuas"), "Kapuas");
        assert_eq!(
            strip_level_prefix("Kota Administrasi Jakarta Pusat"),
            "Jakarta Pusat"
        );
        assert_eq!(strip_level_prefix("KOTA Denpasar"), "Denpasar");
        assert_eq!(
            strip_level_prefix("Kotawaringin Barat"),
            "Kotawaringin Barat"
        );
        assert_eq!(strip_level_prefix("Bali"), "Bali");
        assert_eq!(strip_level_prefix("Kot"), "Kot");
        assert_eq!(strip_level_prefix("Kota ∂x"), "∂x");
    }

    #[test]
    fn every_alias_code_exists() {
        let regions = regions().unwrap();
        let aliases = aliases().unwrap();
        assert!(aliases.len() >= 36);
        for alias in &aliases {
            let region = regions.iter().find(|r| r.code == alias.code);
            assert!(region.is_some_and(|r| r.level.is_daerah()), "{alias:?}");
        }
    }

    #[test]
    fn keys_for_a_region() {
        let regions = regions().unwrap();
        let aliases = aliases().unwrap();
        let find = |code: &str| regions.iter().find(|r| r.code == code).unwrap();
        assert_eq!(
            search_keys_for(find("62.71"), &aliases),
            "kotapalangkaraya palangkaraya"
        );
        assert_eq!(
            search_keys_for(find("34"), &aliases),
            "daerahistimewayogyakarta diyogyakarta yogyakarta diy"
        );
        assert_eq!(search_keys_for(find("51"), &aliases), "bali");
    }

    #[test]
    fn lookup_examples() {
        let regions = regions().unwrap();
        let aliases = aliases().unwrap();
        for query in [
            "Palangka Raya",
            "Palangkaraya",
            "Kota Palangka Raya",
            "kota palangkaraya",
        ] {
            assert_eq!(codes(query, &regions, &aliases), ["62.71"], "{query}");
        }
        assert_eq!(codes("DKI Jakarta", &regions, &aliases), ["31"]);
        assert_eq!(codes("Kota Denpasar", &regions, &aliases), ["51.71"]);
        assert_eq!(codes("Denpasar", &regions, &aliases), ["51.71"]);
        assert_eq!(codes("Bali", &regions, &aliases), ["51"]);
        assert_eq!(codes("kalteng", &regions, &aliases), ["62"]);
        assert_eq!(codes("Kalimantan Tengah", &regions, &aliases), ["62"]);
        assert_eq!(
            codes("Provinsi Kalimantan Tengah", &regions, &aliases),
            ["62"]
        );
        assert_eq!(codes("D.I. Yogyakarta", &regions, &aliases), ["34"]);
        assert_eq!(codes("Kab. Kapuas", &regions, &aliases), ["62.03"]);
        assert_eq!(codes("Kota Bengkulu", &regions, &aliases), ["17.71"]);
        assert_eq!(codes("Jakarta Pusat", &regions, &aliases), ["31.71"]);
        assert_eq!(codes("Palangka", &regions, &aliases), ["62.71"]);
        assert!(codes("", &regions, &aliases).is_empty());
        assert!(codes("Tidak Ada Sama Sekali", &regions, &aliases).is_empty());
        // Districts and villages are never returned.
        assert!(codes("Bakongan", &regions, &aliases).is_empty());
    }
}
