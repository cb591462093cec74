//! Typed template variables filled from a [`DocumentInput`], and the substitution of
//! `{{name}}` / `{{name|upper}}` placeholders in template text.
//!
//! Substitution works on plain text that becomes JSON for Typst and XML text for DOCX; it is
//! never markup, so no value can change the layout.

use crate::input::DocumentInput;
use sinergi_domain::Lang;
use sinergi_domain::case::party_role;
use sinergi_domain::locale::date_long;
use sinergi_domain::locale::{agreement_opening, rupiah, rupiah_words, terbilang};
use std::collections::BTreeMap;

/// What prints where a fact is not known (never an invented value).
pub const BLANK: &str = "……………………";

/// A variable's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// Text, or `None` when the fact is not known.
    Text(Option<String>),
    List(Vec<String>),
}

/// The variables of one document, and the proper names its text must never lower-case
/// (the parties' governments and regions, the signatories).
#[derive(Debug, Clone, Default)]
pub struct Vars(BTreeMap<String, Value>, Vec<String>);

/// A number with its words: "2 (dua)".
#[must_use]
pub fn counted(n: u64) -> String {
    format!("{n} ({})", terbilang(n))
}

/// The subject of a title "… tentang X" → "X"; the whole title when there is no "tentang".
fn topic(title: &str, fallback: &str) -> String {
    let lower = title.to_lowercase();
    match lower.rfind(" tentang ") {
        Some(i) => title[i + " tentang ".len()..].trim().to_owned(),
        None if !fallback.trim().is_empty() => fallback.trim().to_owned(),
        None => title.trim().to_owned(),
    }
}

fn lcfirst(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Keep acronyms ("UMKM", "APBD") as they are.
        Some(f) if c.clone().next().is_some_and(char::is_lowercase) => {
            f.to_lowercase().chain(c).collect()
        }
        _ => s.to_owned(),
    }
}

/// Lower-cases every word except acronyms ("Usaha Mikro, Kecil dan Menengah (UMKM)" →
/// "usaha mikro, kecil dan menengah (UMKM)"): how field names read inside a sentence.
fn lower_words(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let letters: Vec<char> = w.chars().filter(|c| c.is_alphabetic()).collect();
            if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
                w.to_owned()
            } else {
                w.to_lowercase()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn title_upper(s: &str) -> String {
    s.to_uppercase()
}

/// The proper names of `input`, longest first: each government ("Pemerintah Kota Palangka
/// Raya"), its region with and without its level ("Kota Palangka Raya", "Palangka Raya"),
/// each signatory's name and title.
fn proper_names(input: &DocumentInput) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in &input.parties {
        let g = p.government.trim();
        out.push(g.to_owned());
        let region = g.strip_prefix("Pemerintah ").unwrap_or(g);
        out.push(region.to_owned());
        for level in ["Provinsi ", "Kabupaten ", "Kota "] {
            if let Some(name) = region.strip_prefix(level) {
                out.push(name.to_owned());
            }
        }
        if let Some(s) = &p.signatory {
            out.push(s.name.clone());
            out.push(s.title.clone());
        }
    }
    out.retain(|n| n.chars().count() > 2);
    out.sort_by_key(|n| std::cmp::Reverse(n.chars().count()));
    out.dedup();
    out
}

/// [`lower_words`] that leaves the proper names in `keep` as they are written.
fn lower_keeping(s: &str, keep: &[String]) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    'outer: while !rest.is_empty() {
        // The earliest occurrence of any proper name.
        let hit = keep
            .iter()
            .filter_map(|k| rest.find(k.as_str()).map(|i| (i, k)))
            .min_by_key(|(i, k)| (*i, std::cmp::Reverse(k.len())));
        match hit {
            Some((i, k)) => {
                out.push_str(&lower_words(&rest[..i]));
                out.push_str(k);
                rest = &rest[i + k.len()..];
                continue 'outer;
            }
            None => {
                out.push_str(&lower_words(rest));
                break;
            }
        }
    }
    out
}

/// Words that stay capitalised at the start of a list item because a name or a place
/// follows them: titles of office and names of institutions ("Gubernur Bali", "Dinas
/// Pariwisata", "Pemerintah Provinsi Bali").
const TITLES: &[&str] = &[
    "Gubernur",
    "Wakil",
    "Bupati",
    "Wali",
    "Walikota",
    "Menteri",
    "Presiden",
    "Kepala",
    "Sekretaris",
    "Ketua",
    "Direktur",
    "Pemerintah",
    "Provinsi",
    "Kabupaten",
    "Kota",
    "Dinas",
    "Badan",
    "Biro",
    "Bagian",
    "Dewan",
    "Tim",
    "Bapak",
    "Ibu",
    "Asisten",
    "Inspektur",
    "Camat",
    "Kementerian",
    "Sekretariat",
    "Pj.",
    "Plt.",
    "Plh.",
];

/// The first letter of a list item in lower case, unless the item starts with a proper
/// name, an acronym, or a title of office followed by a name ("Gubernur Bali menandatangani
/// …" keeps its capital; "Kunjungan kerja" becomes "kunjungan kerja").
fn lcfirst_item(s: &str, keep: &[String]) -> String {
    if keep.iter().any(|k| s.starts_with(k.as_str())) {
        return s.to_owned();
    }
    let mut words = s.split_whitespace();
    if let (Some(first), Some(second)) = (words.next(), words.next())
        && TITLES.contains(&first)
        && second.chars().next().is_some_and(char::is_uppercase)
    {
        return s.to_owned();
    }
    lcfirst(s)
}

impl Vars {
    fn text(&mut self, key: &str, v: Option<String>) {
        self.0.insert(key.to_owned(), Value::Text(v));
    }

    fn list(&mut self, key: &str, v: Vec<String>) {
        self.0.insert(key.to_owned(), Value::List(v));
    }

    /// The variables of `input`. Party variables exist for parties 1 and 2 (and more when
    /// present), so a bilateral template always finds them.
    #[must_use]
    pub fn from_input(input: &DocumentInput) -> Self {
        let mut v = Self(BTreeMap::new(), proper_names(input));
        let t = topic(&input.title, &input.case_title);
        v.text("judul", Some(input.title.clone()));
        v.text("topik", Some(t));
        v.text("objek", input.object.clone());
        v.text("latar", input.background.clone());
        v.list("tujuan", input.objectives.clone());
        v.list(
            "rencana_kerja",
            if input.work_plan.is_empty() {
                vec![BLANK.to_owned()]
            } else {
                input.work_plan.clone()
            },
        );
        let keep = v.1.clone();
        v.list(
            "bidang",
            input
                .fields
                .iter()
                .map(|f| lower_keeping(f, &keep))
                .collect(),
        );
        v.text("tempat", input.place.clone());
        v.text("tanggal", input.date.map(|d| date_long(d, Lang::Id)));
        v.text("tahun", input.date.map(|d| d.year().to_string()));
        v.text(
            "pembukaan",
            Some(input.date.map_or_else(
                || format!("Pada hari ini {BLANK} tanggal {BLANK} bulan {BLANK} tahun {BLANK}"),
                agreement_opening,
            )),
        );
        v.text("mulai", input.starts_on.map(|d| date_long(d, Lang::Id)));
        v.text("berakhir", input.ends_on.map(|d| date_long(d, Lang::Id)));
        v.text(
            "jangka_waktu",
            Some(input.term_years.map_or_else(
                || format!("{BLANK} ({BLANK}) tahun"),
                |y| format!("{} tahun", counted(u64::from(y))),
            )),
        );
        v.text(
            "anggaran",
            input
                .budget_minor
                .map(|m| format!("{} ({})", rupiah(m), rupiah_words(m))),
        );
        let n = input.parties.len().max(2);
        v.text("jumlah_pihak", Some(counted(n as u64)));
        let mut heading = Vec::new();
        for ordinal in 1..=u16::try_from(n).unwrap_or(2) {
            let p = input.parties.iter().find(|p| p.ordinal == ordinal);
            let k = format!("pihak{ordinal}");
            v.text(&format!("{k}.peran"), Some(party_role(ordinal)));
            v.text(&format!("{k}.pemerintah"), p.map(|p| p.government.clone()));
            v.text(&format!("{k}.nomor"), p.and_then(|p| p.number.clone()));
            v.text(
                &format!("{k}.nama"),
                p.and_then(|p| p.signatory.as_ref().map(|s| s.name.clone())),
            );
            v.text(
                &format!("{k}.jabatan"),
                p.and_then(|p| p.signatory.as_ref().map(|s| s.title.clone())),
            );
            v.text(
                &format!("{k}.kuasa"),
                p.and_then(|p| p.power_of_attorney.clone()),
            );
            v.text(&format!("{k}.unit"), p.and_then(|p| p.unit.clone()));
            if ordinal > 1 {
                heading.push("DAN".to_owned());
            }
            heading.push(p.map_or_else(|| BLANK.to_owned(), |p| title_upper(&p.government)));
        }
        let parent = input.parent.clone().unwrap_or_default();
        // The parent's title as title lines: "KESEPAKATAN BERSAMA", "ANTARA", the parties,
        // "TENTANG", its topic — the parties printed once, not twice (the addendum's title).
        let mut parent_title = Vec::new();
        let lower_parent = parent.title.to_lowercase();
        match (
            lower_parent.find(" antara "),
            lower_parent.rfind(" tentang "),
        ) {
            (Some(a), Some(t)) if a < t => {
                parent_title.push(parent.title[..a].trim().to_uppercase());
                parent_title.push("ANTARA".to_owned());
                parent_title.extend(heading.iter().cloned());
                parent_title.push("TENTANG".to_owned());
                parent_title.push(parent.title[t + " tentang ".len()..].trim().to_uppercase());
            }
            _ if parent.title.trim().is_empty() => {
                parent_title.push(BLANK.to_owned());
                parent_title.push("ANTARA".to_owned());
                parent_title.extend(heading.iter().cloned());
            }
            _ => {
                parent_title.push(parent.title.trim().to_uppercase());
                parent_title.push("ANTARA".to_owned());
                parent_title.extend(heading.iter().cloned());
            }
        }
        v.list("induk_judul", parent_title);
        v.list("pihak_judul", heading);
        v.text(
            "induk.judul",
            Some(parent.title.clone()).filter(|t| !t.is_empty()),
        );
        v.text(
            "induk.tanggal",
            parent.signed_on.map(|d| date_long(d, Lang::Id)),
        );
        let numbers: Vec<String> = (0..n)
            .map(|i| {
                parent
                    .numbers
                    .get(i)
                    .cloned()
                    .flatten()
                    .unwrap_or_else(|| BLANK.to_owned())
            })
            .collect();
        v.text("induk.nomor", Some(numbers.join(" dan Nomor ")));
        v.text("perubahan", input.changes.clone());
        v.text("alasan", input.reason.clone());
        let m = input.meeting.clone().unwrap_or_default();
        v.text(
            "rapat.jenis",
            Some(m.kind.clone()).filter(|s| !s.is_empty()),
        );
        v.text(
            "rapat.judul",
            Some(m.title.clone()).filter(|s| !s.is_empty()),
        );
        v.text(
            "rapat.pembukaan",
            Some(m.date.map_or_else(
                || format!("Pada hari ini {BLANK} tanggal {BLANK} bulan {BLANK} tahun {BLANK}"),
                agreement_opening,
            )),
        );
        v.text("rapat.tanggal", m.date.map(|d| date_long(d, Lang::Id)));
        v.text("rapat.tempat", m.place.clone());
        v.text("rapat.waktu", m.time.clone());
        v.text("rapat.notulen", m.minutes.clone());
        v.list("peserta", m.participants.clone());
        v.list("agenda", m.agenda.clone());
        v.list("hasil", m.outcomes.clone());
        v.list("tindak_lanjut", m.next_steps.clone());
        v
    }

    /// Fills the placeholders of `text`.
    ///
    /// # Errors
    /// An unknown variable or filter, a list used inside text, an unclosed placeholder.
    pub fn fill(&self, text: &str) -> Result<String, String> {
        let mut out = String::with_capacity(text.len() + 32);
        let mut rest = text;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after
                .find("}}")
                .ok_or_else(|| format!("unclosed placeholder in {text:?}"))?;
            let spec = after[..end].trim();
            let (name, filter) = match spec.split_once('|') {
                Some((n, f)) => (n.trim(), Some(f.trim())),
                None => (spec, None),
            };
            let value = match self.0.get(name) {
                Some(Value::Text(Some(s))) => s.clone(),
                Some(Value::Text(None)) => BLANK.to_owned(),
                Some(Value::List(_)) => {
                    return Err(format!("list variable {name} used inside text"));
                }
                None => return Err(format!("unknown variable {name}")),
            };
            let value = match filter {
                None => value,
                Some("upper") => value.to_uppercase(),
                Some("lcfirst") => lcfirst(&value),
                Some("lower") => lower_keeping(&value, &self.1),
                Some(f) => return Err(format!("unknown filter {f}")),
            };
            out.push_str(&value);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The proper names of the document (see [`Vars::from_input`]).
    #[must_use]
    pub fn proper(&self) -> &[String] {
        &self.1
    }

    /// The items of a list variable, filled text by text; an empty list gives one blank.
    ///
    /// # Errors
    /// An unknown or non-list variable.
    pub fn items(&self, name: &str) -> Result<Vec<String>, String> {
        match self.0.get(name) {
            Some(Value::List(l)) if l.is_empty() => Ok(vec![BLANK.to_owned()]),
            Some(Value::List(l)) => Ok(l.clone()),
            Some(Value::Text(_)) => Err(format!("{name} is not a list")),
            None => Err(format!("unknown list {name}")),
        }
    }
}

/// Punctuates the items of a legal list: lower-case start (but never of a proper name or a
/// title before a name, and not at all when `keep_case`, e.g. a list of participants),
/// ";" after each, "; dan" before the last, "." at the end (the drafting convention of
/// Indonesian regulations).
#[must_use]
pub fn legal_list(items: &[String], keep_case: bool, proper: &[String]) -> Vec<String> {
    let n = items.len();
    items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let s = s.trim().trim_end_matches(['.', ';', ',']);
            let s = if keep_case {
                s.to_owned()
            } else {
                lcfirst_item(s, proper)
            };
            if i + 1 == n {
                format!("{s}.")
            } else if i + 2 == n {
                format!("{s}; dan")
            } else {
                format!("{s};")
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn topics_and_lists() {
        assert_eq!(
            topic(
                "Kesepakatan Bersama antara A dan B tentang Kerja Sama X",
                ""
            ),
            "Kerja Sama X"
        );
        assert_eq!(topic("Judul lain", "Kasus"), "Kasus");
        assert_eq!(
            legal_list(
                &[
                    lower_words("Pariwisata dan Kebudayaan"),
                    "UMKM".into(),
                    "Perdagangan".into()
                ],
                false,
                &[]
            ),
            vec!["pariwisata dan kebudayaan;", "UMKM; dan", "perdagangan."]
        );
    }

    #[test]
    fn fill_refuses_unknown_names_and_blanks_unknown_facts() {
        let v = Vars::from_input(&DocumentInput::default());
        assert!(v.fill("{{nope}}").is_err());
        assert!(v.fill("{{bidang}}").is_err());
        assert!(v.fill("{{tempat|shout}}").is_err());
        assert_eq!(v.fill("di {{tempat}}").unwrap(), format!("di {BLANK}"));
        assert_eq!(v.fill("{{pihak1.peran}}").unwrap(), "PIHAK KESATU");
    }
}
