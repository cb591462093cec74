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

/// The variables of one document.
#[derive(Debug, Clone, Default)]
pub struct Vars(BTreeMap<String, Value>);

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
        let mut v = Self::default();
        let t = topic(&input.title, &input.case_title);
        v.text("judul", Some(input.title.clone()));
        v.text("topik", Some(t));
        v.text("objek", input.object.clone());
        v.text("latar", input.background.clone());
        v.list("tujuan", input.objectives.clone());
        v.list(
            "bidang",
            input.fields.iter().map(|f| lower_words(f)).collect(),
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
        v.list("pihak_judul", heading);
        let parent = input.parent.clone().unwrap_or_default();
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
                Some("lower") => lower_words(&value),
                Some(f) => return Err(format!("unknown filter {f}")),
            };
            out.push_str(&value);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
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

/// Punctuates the items of a legal list: lower-case start, ";" after each, "; dan" before
/// the last, "." at the end (the drafting convention of Indonesian regulations).
#[must_use]
pub fn legal_list(items: &[String]) -> Vec<String> {
    let n = items.len();
    items
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let s = lcfirst(s.trim().trim_end_matches(['.', ';', ',']));
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
            legal_list(&[
                lower_words("Pariwisata dan Kebudayaan"),
                "UMKM".into(),
                "Perdagangan".into()
            ]),
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
