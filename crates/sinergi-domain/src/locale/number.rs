//! Numbers and money in the Indonesian style (dot for thousands, comma for decimals) and, for
//! English pages, the English one (comma for thousands, point for decimals).

use crate::Lang;

/// Shown for a number that has no value (NaN or infinite).
const NOT_A_NUMBER: &str = "–";

/// An amount in sen (1/100 rupiah) as rupiah: "Rp1.500.000,00"; negative "-Rp1.500.000,00".
#[must_use]
pub fn rupiah(minor_units: i64) -> String {
    let abs = minor_units.unsigned_abs();
    let sign = if minor_units < 0 { "-" } else { "" };
    format!(
        "{sign}Rp{},{:02}",
        group_thousands(&(abs / 100).to_string()),
        abs % 100
    )
}

/// A whole number with dots between thousands: "1.234.567"; negative "-1.234.567".
#[must_use]
pub fn number_id(n: i64) -> String {
    let sign = if n < 0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(&n.unsigned_abs().to_string()))
}

/// A number rounded to `decimals` places, dot for thousands and comma for decimals:
/// "1.234,56". NaN and infinities become "–". A value that rounds to zero carries no sign.
#[must_use]
pub fn decimal_id(x: f64, decimals: usize) -> String {
    if !x.is_finite() {
        return NOT_A_NUMBER.to_owned();
    }
    let plain = format!("{:.*}", decimals, x.abs());
    let (whole, fraction) = match plain.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (plain.as_str(), None),
    };
    let is_zero = plain.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::new();
    if x.is_sign_negative() && !is_zero {
        out.push('-');
    }
    out.push_str(&group_thousands(whole));
    if let Some(fraction) = fraction {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// A number in the reader's language: "1.234,56" or "1,234.56".
#[must_use]
pub fn decimal(x: f64, decimals: usize, lang: Lang) -> String {
    let id = decimal_id(x, decimals);
    match lang {
        Lang::Id => id,
        Lang::En => swap_separators(&id),
    }
}

/// An amount in sen in the reader's language: "Rp1.500.000,00" or "Rp1,500,000.00".
#[must_use]
pub fn rupiah_in(minor_units: i64, lang: Lang) -> String {
    let id = rupiah(minor_units);
    match lang {
        Lang::Id => id,
        Lang::En => swap_separators(&id),
    }
}

/// "1.234,56" → "1,234.56".
fn swap_separators(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '.' => ',',
            ',' => '.',
            c => c,
        })
        .collect()
}

/// Puts a dot between each group of three digits, counting from the right.
fn group_thousands(digits: &str) -> String {
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn english_numbers_swap_the_separators() {
        assert_eq!(decimal(1234.5, 2, Lang::En), "1,234.50");
        assert_eq!(decimal(1234.5, 2, Lang::Id), "1.234,50");
        assert_eq!(decimal(-0.001, 1, Lang::En), "0.0");
        assert_eq!(rupiah_in(150_000_000, Lang::En), "Rp1,500,000.00");
        assert_eq!(decimal(f64::NAN, 2, Lang::En), "–");
    }

    #[test]
    fn rupiah_amounts() {
        assert_eq!(rupiah(150_000_000), "Rp1.500.000,00");
        assert_eq!(rupiah(-150_000_000), "-Rp1.500.000,00");
        assert_eq!(rupiah(5), "Rp0,05");
        assert_eq!(rupiah(0), "Rp0,00");
        assert_eq!(rupiah(123_456), "Rp1.234,56");
        assert_eq!(rupiah(-1), "-Rp0,01");
        assert_eq!(rupiah(i64::MIN), "-Rp92.233.720.368.547.758,08");
        assert_eq!(rupiah(i64::MAX), "Rp92.233.720.368.547.758,07");
    }

    #[test]
    fn whole_numbers() {
        assert_eq!(number_id(1_234_567), "1.234.567");
        assert_eq!(number_id(0), "0");
        assert_eq!(number_id(999), "999");
        assert_eq!(number_id(1000), "1.000");
        assert_eq!(number_id(100_000), "100.000");
        assert_eq!(number_id(-1_234), "-1.234");
        assert_eq!(number_id(i64::MIN), "-9.223.372.036.854.775.808");
    }

    #[test]
    fn decimals() {
        assert_eq!(decimal_id(1234.56, 2), "1.234,56");
        assert_eq!(decimal_id(-1234.56, 2), "-1.234,56");
        assert_eq!(decimal_id(1_234_567.0, 0), "1.234.567");
        assert_eq!(decimal_id(0.5, 3), "0,500");
        assert_eq!(decimal_id(-0.001, 2), "0,00");
        assert_eq!(decimal_id(-0.0, 1), "0,0");
        assert_eq!(decimal_id(999.999, 2), "1.000,00");
        assert_eq!(decimal_id(f64::NAN, 2), "–");
        assert_eq!(decimal_id(f64::INFINITY, 2), "–");
        assert_eq!(decimal_id(f64::NEG_INFINITY, 0), "–");
    }
}
