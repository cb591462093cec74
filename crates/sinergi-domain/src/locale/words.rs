//! Numbers, money and dates spelled out in Indonesian words ("terbilang"), as written in
//! agreements.

use time::Date;

use super::{day_name, month_name};
use crate::Lang;

/// Words for 0 through 9 ("nol" is only used for zero on its own).
const DIGITS: [&str; 10] = [
    "nol", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan",
];

/// Names of the powers of a thousand, from ones up to 10^18 (enough for `u64::MAX`).
const SCALES: [&str; 7] = [
    "",
    "ribu",
    "juta",
    "miliar",
    "triliun",
    "kuadriliun",
    "kuintiliun",
];

/// A number in Indonesian words: 2022 → "dua ribu dua puluh dua", 1000 → "seribu".
#[must_use]
pub fn terbilang(n: u64) -> String {
    if n == 0 {
        return DIGITS[0].to_owned();
    }
    let mut groups: Vec<u64> = Vec::with_capacity(SCALES.len());
    let mut rest = n;
    while rest > 0 {
        groups.push(rest % 1000);
        rest /= 1000;
    }
    let mut parts: Vec<String> = Vec::new();
    for (scale, &group) in groups.iter().enumerate().rev() {
        if group == 0 {
            continue;
        }
        let name = SCALES.get(scale).copied().unwrap_or("");
        if scale == 1 && group == 1 {
            parts.push("seribu".to_owned());
        } else if name.is_empty() {
            parts.push(below_thousand(group));
        } else {
            parts.push(format!("{} {name}", below_thousand(group)));
        }
    }
    parts.join(" ")
}

/// Words for 1..=999 (empty for 0).
fn below_thousand(n: u64) -> String {
    let hundreds = n / 100;
    let rest = n % 100;
    let mut parts: Vec<String> = Vec::new();
    match hundreds {
        0 => {}
        1 => parts.push("seratus".to_owned()),
        h => parts.push(format!("{} ratus", digit(h))),
    }
    if rest > 0 {
        parts.push(below_hundred(rest));
    }
    parts.join(" ")
}

/// Words for 1..=99.
fn below_hundred(n: u64) -> String {
    match n {
        0..=9 => digit(n).to_owned(),
        10 => "sepuluh".to_owned(),
        11 => "sebelas".to_owned(),
        12..=19 => format!("{} belas", digit(n - 10)),
        _ => {
            let tens = format!("{} puluh", digit(n / 10));
            match n % 10 {
                0 => tens,
                ones => format!("{tens} {}", digit(ones)),
            }
        }
    }
}

/// The word for a single digit.
fn digit(n: u64) -> &'static str {
    usize::try_from(n)
        .ok()
        .and_then(|i| DIGITS.get(i))
        .copied()
        .unwrap_or("")
}

/// An amount in sen (1/100 rupiah) in words: "satu juta lima ratus ribu rupiah", with sen
/// "… rupiah dua puluh lima sen", negative prefixed "minus". Less than one rupiah reads
/// "lima sen"; zero reads "nol rupiah".
#[must_use]
pub fn rupiah_words(minor_units: i64) -> String {
    let abs = minor_units.unsigned_abs();
    let (whole, sen) = (abs / 100, abs % 100);
    let mut text = if minor_units < 0 {
        "minus ".to_owned()
    } else {
        String::new()
    };
    if whole > 0 || sen == 0 {
        text.push_str(&terbilang(whole));
        text.push_str(" rupiah");
        if sen > 0 {
            text.push(' ');
        }
    }
    if sen > 0 {
        text.push_str(&terbilang(sen));
        text.push_str(" sen");
    }
    text
}

/// A date in words, as in an agreement: "hari Sabtu tanggal dua puluh enam bulan Maret tahun
/// dua ribu dua puluh dua".
#[must_use]
pub fn date_in_words(d: Date) -> String {
    format!("hari {}", date_words_after_hari(d))
}

/// The opening of an agreement: "Pada hari ini Sabtu tanggal dua puluh enam bulan Maret tahun
/// dua ribu dua puluh dua".
#[must_use]
pub fn agreement_opening(d: Date) -> String {
    format!("Pada hari ini {}", date_words_after_hari(d))
}

/// "Sabtu tanggal … bulan … tahun …", the part shared by the two date phrases.
fn date_words_after_hari(d: Date) -> String {
    let year = d.year();
    let year_words = if year < 0 {
        format!("minus {}", terbilang(u64::from(year.unsigned_abs())))
    } else {
        terbilang(u64::from(year.unsigned_abs()))
    };
    format!(
        "{} tanggal {} bulan {} tahun {year_words}",
        day_name(d, Lang::Id),
        terbilang(u64::from(d.day())),
        month_name(d.month(), Lang::Id),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    #[test]
    fn terbilang_table() {
        let table: &[(u64, &str)] = &[
            (0, "nol"),
            (1, "satu"),
            (9, "sembilan"),
            (10, "sepuluh"),
            (11, "sebelas"),
            (12, "dua belas"),
            (19, "sembilan belas"),
            (20, "dua puluh"),
            (21, "dua puluh satu"),
            (99, "sembilan puluh sembilan"),
            (100, "seratus"),
            (101, "seratus satu"),
            (110, "seratus sepuluh"),
            (111, "seratus sebelas"),
            (200, "dua ratus"),
            (999, "sembilan ratus sembilan puluh sembilan"),
            (1000, "seribu"),
            (1001, "seribu satu"),
            (1500, "seribu lima ratus"),
            (2000, "dua ribu"),
            (2022, "dua ribu dua puluh dua"),
            (10_000, "sepuluh ribu"),
            (11_000, "sebelas ribu"),
            (100_000, "seratus ribu"),
            (101_000, "seratus satu ribu"),
            (1_000_000, "satu juta"),
            (1_000_001, "satu juta satu"),
            (1_001_000, "satu juta seribu"),
            (1_500_000, "satu juta lima ratus ribu"),
            (
                1_234_567,
                "satu juta dua ratus tiga puluh empat ribu lima ratus enam puluh tujuh",
            ),
            (1_000_000_000, "satu miliar"),
            (2_000_000_000_000, "dua triliun"),
            (1_000_000_000_000_000, "satu kuadriliun"),
            (1_000_000_000_000_000_000, "satu kuintiliun"),
            (
                u64::MAX,
                "delapan belas kuintiliun empat ratus empat puluh enam kuadriliun \
                 tujuh ratus empat puluh empat triliun tujuh puluh tiga miliar \
                 tujuh ratus sembilan juta lima ratus lima puluh satu ribu enam ratus lima belas",
            ),
        ];
        for &(n, words) in table {
            assert_eq!(terbilang(n), words, "terbilang({n})");
        }
    }

    #[test]
    fn terbilang_spacing_is_clean() {
        for n in 0..=100_000_u64 {
            let words = terbilang(n);
            assert!(!words.is_empty(), "{n}");
            assert!(!words.contains("  "), "{n}: {words:?}");
            assert_eq!(words.trim(), words, "{n}: {words:?}");
            assert!(n == 0 || !words.contains("nol"), "{n}: {words:?}");
        }
    }

    #[test]
    fn rupiah_in_words() {
        assert_eq!(
            rupiah_words(150_000_000),
            "satu juta lima ratus ribu rupiah"
        );
        assert_eq!(
            rupiah_words(150_000_025),
            "satu juta lima ratus ribu rupiah dua puluh lima sen"
        );
        assert_eq!(
            rupiah_words(-150_000_000),
            "minus satu juta lima ratus ribu rupiah"
        );
        assert_eq!(rupiah_words(0), "nol rupiah");
        assert_eq!(rupiah_words(5), "lima sen");
        assert_eq!(rupiah_words(-5), "minus lima sen");
        assert!(rupiah_words(i64::MIN).starts_with("minus sembilan puluh dua kuadriliun"));
        assert!(rupiah_words(i64::MIN).ends_with("rupiah delapan sen"));
    }

    #[test]
    fn dates_in_words() {
        let d = date!(2022 - 03 - 26);
        assert_eq!(
            date_in_words(d),
            "hari Sabtu tanggal dua puluh enam bulan Maret tahun dua ribu dua puluh dua"
        );
        assert_eq!(
            agreement_opening(d),
            "Pada hari ini Sabtu tanggal dua puluh enam bulan Maret tahun dua ribu dua puluh dua"
        );
        assert_eq!(
            date_in_words(date!(2024 - 01 - 01)),
            "hari Senin tanggal satu bulan Januari tahun dua ribu dua puluh empat"
        );
    }
}
