//! Values as people write them in a register: dates, terms, kinds of document, status words.

use sinergi_bps::Cell;
use sinergi_domain::agreement::AgreementKind;
use sinergi_domain::legacy::StatusWord;
use time::{Date, Month, Weekday};

use crate::problem::Problem;

/// Excel's serial dates between 1950 and 2100: a bare number outside is not taken for a date.
const SERIAL_RANGE: std::ops::RangeInclusive<f64> = 18_264.0..=73_051.0;

const MONTHS: [(&str, Month); 33] = [
    ("januari", Month::January),
    ("january", Month::January),
    ("jan", Month::January),
    ("februari", Month::February),
    ("pebruari", Month::February),
    ("february", Month::February),
    ("feb", Month::February),
    ("maret", Month::March),
    ("march", Month::March),
    ("mar", Month::March),
    ("april", Month::April),
    ("apr", Month::April),
    ("mei", Month::May),
    ("may", Month::May),
    ("juni", Month::June),
    ("june", Month::June),
    ("jun", Month::June),
    ("juli", Month::July),
    ("july", Month::July),
    ("jul", Month::July),
    ("agustus", Month::August),
    ("august", Month::August),
    ("agu", Month::August),
    ("agt", Month::August),
    ("ags", Month::August),
    ("aug", Month::August),
    ("september", Month::September),
    ("sept", Month::September),
    ("sep", Month::September),
    ("oktober", Month::October),
    ("okt", Month::October),
    ("november", Month::November),
    ("desember", Month::December),
];

const MONTHS_MORE: [(&str, Month); 5] = [
    ("october", Month::October),
    ("oct", Month::October),
    ("nov", Month::November),
    ("december", Month::December),
    ("des", Month::December),
];

const WEEKDAYS: [(&str, Weekday); 14] = [
    ("senin", Weekday::Monday),
    ("selasa", Weekday::Tuesday),
    ("rabu", Weekday::Wednesday),
    ("kamis", Weekday::Thursday),
    ("jumat", Weekday::Friday),
    ("sabtu", Weekday::Saturday),
    ("minggu", Weekday::Sunday),
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

fn month_of(word: &str) -> Option<Month> {
    let w = word.trim_end_matches('.');
    MONTHS
        .iter()
        .chain(MONTHS_MORE.iter())
        .find(|(name, _)| *name == w)
        .map(|(_, m)| *m)
}

fn weekday_of(word: &str) -> Option<Weekday> {
    let w: String = word.chars().filter(char::is_ascii_alphabetic).collect();
    WEEKDAYS.iter().find(|(n, _)| *n == w).map(|(_, d)| *d)
}

/// A date from a cell, or why it is not one. An empty cell is `Ok(None)`.
///
/// # Errors
/// [`Problem::DateUnreadable`], [`Problem::DateImpossible`] (never shifted to a valid day),
/// [`Problem::DateWeekday`] (the weekday written does not fall on that date),
/// [`Problem::DateIncomplete`] (a year alone, a month and year).
pub fn parse_date(column: &'static str, cell: &Cell) -> Result<Option<Date>, Problem> {
    let text = match cell {
        Cell::Empty => return Ok(None),
        Cell::Number(n) => return serial(column, *n, &cell.text()).map(Some),
        Cell::Text(t) => t.trim().to_owned(),
    };
    let original = text;
    let text = original.to_lowercase();
    if text.is_empty() || text == "-" {
        return Ok(None);
    }
    let unreadable = || Problem::DateUnreadable {
        column,
        text: original.clone(),
    };
    if let Ok(n) = text.parse::<f64>() {
        return serial(column, n, &original).map(Some);
    }
    // ISO, with or without a time ("2023-02-14", "2023-02-14T00:00:00").
    let head = text.split(['t', ' ']).next().unwrap_or("");
    let iso: Vec<&str> = head.split('-').collect();
    if iso.len() == 3 && iso[0].len() == 4 && iso.iter().all(|p| is_digits(p)) {
        return ymd(column, &original, iso[0], iso[1], iso[2]).map(Some);
    }
    // Day first with / - or . ("14/02/2023", "14-02-2023", "14.02.2023").
    for sep in ['/', '-', '.'] {
        let parts: Vec<&str> = text.split(sep).map(str::trim).collect();
        if parts.len() == 3 && parts.iter().all(|p| is_digits(p)) {
            let year = match parts[2].len() {
                4 => parts[2].to_owned(),
                2 => format!("20{}", parts[2]),
                _ => return Err(unreadable()),
            };
            return ymd(column, &original, &year, parts[1], parts[0]).map(Some);
        }
    }
    // Words: "14 Februari 2023", "Senin, 10 Agustus 2020", "10 Agt. 2020".
    let cleaned = text.replace(',', " ");
    let mut words: Vec<&str> = cleaned.split_whitespace().collect();
    let weekday = words.first().and_then(|w| weekday_of(w));
    if weekday.is_some() {
        words.remove(0);
    }
    if words.len() == 2 && month_of(words[0]).is_some() && is_digits(words[1]) {
        return Err(Problem::DateIncomplete {
            column,
            text: original,
        });
    }
    if words.len() != 3 || !is_digits(words[0]) || !is_digits(words[2]) {
        return Err(unreadable());
    }
    let Some(month) = month_of(words[1]) else {
        return Err(unreadable());
    };
    let date = calendar(column, &original, words[2], month, words[0])?;
    if let Some(w) = weekday
        && w != date.weekday()
    {
        return Err(Problem::DateWeekday {
            column,
            text: original,
            actual: date,
        });
    }
    Ok(Some(date))
}

fn is_digits(s: &str) -> bool {
    !s.is_empty() && s.chars().all(|c| c.is_ascii_digit())
}

fn serial(column: &'static str, n: f64, text: &str) -> Result<Date, Problem> {
    if (1_900.0..=2_100.0).contains(&n) && n.fract() == 0.0 {
        return Err(Problem::DateIncomplete {
            column,
            text: text.to_owned(),
        });
    }
    if !SERIAL_RANGE.contains(&n) {
        return Err(Problem::DateUnreadable {
            column,
            text: text.to_owned(),
        });
    }
    // Excel's day 0 is 1899-12-30 (its 1900 leap-year bug is before the range allowed).
    let epoch = time::macros::date!(1899 - 12 - 30);
    #[expect(clippy::cast_possible_truncation, reason = "within SERIAL_RANGE")]
    let days = n.floor() as i64;
    epoch
        .checked_add(time::Duration::days(days))
        .ok_or_else(|| Problem::DateUnreadable {
            column,
            text: text.to_owned(),
        })
}

fn ymd(column: &'static str, text: &str, y: &str, m: &str, d: &str) -> Result<Date, Problem> {
    let month = m
        .parse::<u8>()
        .ok()
        .and_then(|m| Month::try_from(m).ok())
        .ok_or_else(|| Problem::DateImpossible {
            column,
            text: text.to_owned(),
        })?;
    calendar(column, text, y, month, d)
}

fn calendar(
    column: &'static str,
    text: &str,
    y: &str,
    month: Month,
    d: &str,
) -> Result<Date, Problem> {
    let impossible = || Problem::DateImpossible {
        column,
        text: text.to_owned(),
    };
    let year: i32 = y.parse().map_err(|_| impossible())?;
    let day: u8 = d.parse().map_err(|_| impossible())?;
    if !(1945..=2100).contains(&year) {
        return Err(impossible());
    }
    Date::from_calendar_date(year, month, day).map_err(|_| impossible())
}

/// Indonesian number words up to 99: "lima", "sepuluh", "dua belas", "dua puluh lima".
fn number_words(words: &[&str]) -> Option<u32> {
    const UNITS: [&str; 9] = [
        "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
    ];
    let unit = |w: &str| {
        UNITS
            .iter()
            .position(|u| *u == w)
            .and_then(|i| u32::try_from(i + 1).ok())
    };
    match words {
        [w] if *w == "sepuluh" => Some(10),
        [w] if *w == "sebelas" => Some(11),
        [w] => unit(w),
        [a, b] if *b == "belas" => unit(a).map(|n| 10 + n),
        [a, b] if *b == "puluh" => unit(a).map(|n| 10 * n),
        [a, b, c] if *b == "puluh" => Some(10 * unit(a)? + unit(c)?),
        _ => None,
    }
}

/// A term in months: "5 (lima) tahun", "3 th", "lima tahun", "24 bulan", "2 tahun 6 bulan".
/// An empty cell is `Ok(None)`.
///
/// # Errors
/// [`Problem::TermUnreadable`]; [`Problem::TermMismatch`] when the digits and the words in
/// brackets disagree ("5 (empat) tahun").
pub fn parse_term(cell: &Cell) -> Result<Option<u32>, Problem> {
    let text = cell.text().to_lowercase();
    if text.is_empty() || text == "-" {
        return Ok(None);
    }
    let unreadable = || Problem::TermUnreadable { text: text.clone() };
    // "5 (lima) tahun": the words in brackets must say the same number.
    let mut spoken = None;
    let mut plain = String::new();
    let mut rest = text.as_str();
    while let Some(open) = rest.find('(') {
        plain.push_str(&rest[..open]);
        let Some(close) = rest[open..].find(')') else {
            return Err(unreadable());
        };
        let inside: Vec<&str> = rest[open + 1..open + close].split_whitespace().collect();
        spoken = Some(number_words(&inside).ok_or_else(unreadable)?);
        rest = &rest[open + close + 1..];
    }
    plain.push_str(rest);
    let plain = plain.replace(['.', ','], " ");
    let words: Vec<&str> = plain.split_whitespace().collect();
    let mut months = 0u32;
    let mut number: Vec<&str> = Vec::new();
    let mut found = false;
    for w in words {
        let unit = match w {
            "tahun" | "thn" | "th" | "tahunan" | "years" | "year" => Some(12),
            "bulan" | "bln" | "bl" | "months" | "month" => Some(1),
            _ => None,
        };
        if let Some(unit) = unit {
            let n = match number.as_slice() {
                [d] if is_digits(d) => d.parse::<u32>().map_err(|_| unreadable())?,
                words if !words.is_empty() => number_words(words).ok_or_else(unreadable)?,
                _ => return Err(unreadable()),
            };
            if let Some(s) = spoken
                && !found
                && s != n
            {
                return Err(Problem::TermMismatch {
                    text: text.clone(),
                    digits: n,
                    words: s,
                });
            }
            months += n * unit;
            number.clear();
            found = true;
        } else if w != "dan" && w != "selama" {
            number.push(w);
        }
    }
    if !found || !number.is_empty() || months == 0 {
        return Err(unreadable());
    }
    Ok(Some(months))
}

/// The kind of document from a kind cell ("KB", "MoU", "Nota Kesepahaman", "PKS",
/// "Perjanjian Kerja Sama", "Addendum").
#[must_use]
pub fn parse_kind(text: &str) -> Option<AgreementKind> {
    let key = sinergi_reference::search_key(text);
    if key.is_empty() {
        return None;
    }
    let starts = |prefixes: &[&str]| prefixes.iter().any(|p| key.starts_with(p));
    if starts(&["addendum", "adendum", "amandemen", "perubahan"]) {
        Some(AgreementKind::Addendum)
    } else if starts(&[
        "pks",
        "perjanjiankerjasama",
        "perjanjiankerjasama",
        "perjanjian",
    ]) {
        Some(AgreementKind::Pks)
    } else if starts(&[
        "kb",
        "kesepakatanbersama",
        "kesepakatan",
        "mou",
        "notakesepahaman",
        "memorandum",
        "notakesepakatan",
    ]) {
        Some(AgreementKind::Kb)
    } else {
        None
    }
}

/// The kind a subject names when the register has no kind column ("Kesepakatan Bersama
/// antara …", "Perjanjian Kerja Sama tentang …").
#[must_use]
pub fn kind_in_subject(subject: &str) -> Option<AgreementKind> {
    let key = sinergi_reference::search_key(subject);
    if key.contains("addendum") || key.contains("adendum") {
        Some(AgreementKind::Addendum)
    } else if key.starts_with("perjanjiankerjasama") {
        Some(AgreementKind::Pks)
    } else if key.starts_with("kesepakatanbersama") || key.starts_with("notakesepahaman") {
        Some(AgreementKind::Kb)
    } else {
        None
    }
}

/// What a status cell says: ended wins ("Sudah berakhir; diusulkan perpanjangan").
#[must_use]
pub fn parse_status(text: &str) -> Option<StatusWord> {
    let t = text.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| t.contains(w));
    if has(&[
        "berakhir",
        "selesai",
        "tidak berlaku",
        "habis",
        "kadaluarsa",
        "kedaluwarsa",
        "expired",
        "ended",
    ]) {
        Some(StatusWord::Ended)
    } else if has(&["aktif", "berlaku", "pelaksanaan", "berjalan", "active"]) {
        Some(StatusWord::Active)
    } else {
        None
    }
}

/// A document number in a note: the token after "nomor"/"no." that holds a digit and a
/// slash ("Pelaksanaan KB Nomor 075/12/KSD/2023" → "075/12/KSD/2023").
#[must_use]
pub fn number_in_note(note: &str) -> Option<String> {
    let words: Vec<&str> = note.split_whitespace().collect();
    words.iter().enumerate().find_map(|(i, w)| {
        let lw = w.to_lowercase();
        let is_label = matches!(
            lw.trim_end_matches([':', '.']),
            "nomor" | "no" | "nomer" | "nmr"
        );
        if !is_label {
            return None;
        }
        let next = words.get(i + 1)?;
        let candidate = next.trim_matches(|c: char| matches!(c, ',' | ';' | ')' | '(' | ':' | '.'));
        (candidate.contains('/') && candidate.chars().any(|c| c.is_ascii_digit()))
            .then(|| candidate.to_owned())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn text(s: &str) -> Cell {
        Cell::Text(s.to_owned())
    }

    #[test]
    fn dates_as_people_write_them() {
        let d = |s: &str| parse_date("signed_on", &text(s));
        assert_eq!(d("14/02/2023"), Ok(Some(date!(2023 - 02 - 14))));
        assert_eq!(d("14-02-2023"), Ok(Some(date!(2023 - 02 - 14))));
        assert_eq!(d("2023-02-14"), Ok(Some(date!(2023 - 02 - 14))));
        assert_eq!(d("2023-02-14T00:00:00"), Ok(Some(date!(2023 - 02 - 14))));
        assert_eq!(d("14 Februari 2023"), Ok(Some(date!(2023 - 02 - 14))));
        assert_eq!(d("Senin, 10 Agustus 2020"), Ok(Some(date!(2020 - 08 - 10))));
        assert_eq!(d("10 Agt. 2020"), Ok(Some(date!(2020 - 08 - 10))));
        assert_eq!(d("44971"), Ok(Some(date!(2023 - 02 - 14))));
        assert_eq!(
            parse_date("signed_on", &Cell::Number(44971.0)),
            Ok(Some(date!(2023 - 02 - 14)))
        );
        assert_eq!(d(""), Ok(None));
    }

    #[test]
    fn an_impossible_date_is_refused_never_shifted() {
        let d = |s: &str| parse_date("signed_on", &text(s));
        assert!(matches!(
            d("31 Juni 2023"),
            Err(Problem::DateImpossible { .. })
        ));
        assert!(matches!(
            d("29/02/2023"),
            Err(Problem::DateImpossible { .. })
        ));
        assert!(matches!(
            d("Selasa, 10 Agustus 2020"),
            Err(Problem::DateWeekday { .. })
        ));
        assert!(matches!(d("2023"), Err(Problem::DateIncomplete { .. })));
        assert!(matches!(
            d("Februari 2023"),
            Err(Problem::DateIncomplete { .. })
        ));
        assert!(matches!(d("kemarin"), Err(Problem::DateUnreadable { .. })));
    }

    #[test]
    fn terms_in_digits_words_and_abbreviations() {
        let t = |s: &str| parse_term(&text(s));
        assert_eq!(t("5 (lima) tahun"), Ok(Some(60)));
        assert_eq!(t("3 th"), Ok(Some(36)));
        assert_eq!(t("lima tahun"), Ok(Some(60)));
        assert_eq!(t("24 bulan"), Ok(Some(24)));
        assert_eq!(t("2 tahun 6 bulan"), Ok(Some(30)));
        assert_eq!(t("dua belas bulan"), Ok(Some(12)));
        assert!(matches!(
            t("5 (empat) tahun"),
            Err(Problem::TermMismatch { .. })
        ));
        assert!(matches!(t("lama"), Err(Problem::TermUnreadable { .. })));
    }

    #[test]
    fn kinds_and_status_words() {
        assert_eq!(parse_kind("KB"), Some(AgreementKind::Kb));
        assert_eq!(parse_kind("Kesepakatan Bersama"), Some(AgreementKind::Kb));
        assert_eq!(parse_kind("MoU"), Some(AgreementKind::Kb));
        assert_eq!(parse_kind("Nota Kesepahaman"), Some(AgreementKind::Kb));
        assert_eq!(parse_kind("PKS"), Some(AgreementKind::Pks));
        assert_eq!(
            parse_kind("Perjanjian Kerja Sama"),
            Some(AgreementKind::Pks)
        );
        assert_eq!(parse_kind("Addendum"), Some(AgreementKind::Addendum));
        assert_eq!(parse_kind("Surat"), None);
        assert_eq!(parse_status("Aktif"), Some(StatusWord::Active));
        assert_eq!(parse_status("Dalam pelaksanaan"), Some(StatusWord::Active));
        assert_eq!(parse_status("Berakhir"), Some(StatusWord::Ended));
        assert_eq!(
            parse_status("Sudah berakhir; diusulkan perpanjangan"),
            Some(StatusWord::Ended)
        );
        assert_eq!(
            number_in_note("Pelaksanaan KB Nomor 075/12/KSD/2023."),
            Some("075/12/KSD/2023".to_owned())
        );
    }
}
