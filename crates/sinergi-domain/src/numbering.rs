//! Numbering rules and the number register (issue 22; domain.md §13.1, entity 22, rule 52).
//!
//! A region numbers its naskah dinas from its own register: the Kode Klasifikasi Arsip of
//! Permendagri 83/2022 first, then the running number, then the unit's code —
//! `100.3.6/15/KS` [V kompasiana johansyahsyafri; tasadmin.id]. Which klasifikasi code a
//! region uses for kerja sama documents, its unit code, whether the year is printed and
//! whether the count restarts each year are the region's own [U], so they are a rule the
//! region's secretariat sets, never constants here. A bilateral document carries one number
//! per party, each from that party's own register [V practice].
//!
//! The rule also carries the archive metadata the numbered document is filed under: the same
//! klasifikasi code ("dasar penomoran surat, pemberkasan, penataan, penyusutan") and how many
//! years it is kept after its term ends, from the region's Jadwal Retensi Arsip [U].

use serde::{Deserialize, Serialize};
use time::Date;

use crate::error::{DomainError, FieldError};

/// The documents a register numbers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum NumberedKind {
    /// Kesepakatan Bersama.
    Kb,
    /// Perjanjian Kerja Sama.
    Pks,
    /// Addendum (perubahan).
    Addendum,
    /// An outgoing letter (surat penawaran, jawaban, pemberitahuan): numbered when it is
    /// recorded, as the agenda book gives a letter its number when it is registered.
    Surat,
}

impl NumberedKind {
    pub const ALL: [Self; 4] = [Self::Kb, Self::Pks, Self::Addendum, Self::Surat];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Kb => "kb",
            Self::Pks => "pks",
            Self::Addendum => "addendum",
            Self::Surat => "surat",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }

    #[must_use]
    pub const fn label_id(self) -> &'static str {
        match self {
            Self::Kb => "Kesepakatan Bersama",
            Self::Pks => "Perjanjian Kerja Sama",
            Self::Addendum => "Addendum",
            Self::Surat => "Surat dinas",
        }
    }

    /// The register kind of an agreement.
    #[must_use]
    pub const fn of_agreement(kind: crate::agreement::AgreementKind) -> Self {
        match kind {
            crate::agreement::AgreementKind::Kb => Self::Kb,
            crate::agreement::AgreementKind::Pks => Self::Pks,
            crate::agreement::AgreementKind::Addendum => Self::Addendum,
        }
    }
}

/// The pattern a region uses when it sets none: klasifikasi, running number, unit
/// [V common pattern, §13.1].
pub const DEFAULT_PATTERN: &str = "{klasifikasi}/{urut}/{unit}";

/// The placeholders a pattern may use.
const TOKENS: [&str; 5] = ["{klasifikasi}", "{urut}", "{unit}", "{tahun}", "{bulan}"];

/// A rule as the secretariat sends it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NumberingRuleInput {
    /// Kode Klasifikasi Arsip (Permendagri 83/2022), e.g. `100.3.6`.
    pub classification: String,
    /// The unit's code printed in the number, e.g. `KS`.
    pub unit_code: String,
    /// Placeholders `{klasifikasi}`, `{urut}` (required), `{unit}`, `{tahun}`, `{bulan}`
    /// (Roman month); empty means `{klasifikasi}/{urut}/{unit}`.
    #[serde(default)]
    pub pattern: Option<String>,
    /// The running number restarts on 1 January (the default).
    #[serde(default = "yes")]
    pub yearly_reset: bool,
    /// Years the document is kept after its term ends (Jadwal Retensi Arsip); none means the
    /// region has not set it.
    #[serde(default)]
    pub retention_years: Option<u16>,
}

const fn yes() -> bool {
    true
}

/// A checked rule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct NumberingRule {
    pub kind: NumberedKind,
    pub classification: String,
    pub unit_code: String,
    pub pattern: String,
    pub yearly_reset: bool,
    pub retention_years: Option<u16>,
}

fn valid_classification(c: &str) -> bool {
    // Three digits for the primary class, then dot-separated sub-classes: `100`, `100.3.6`.
    let mut parts = c.split('.');
    let first_ok = parts
        .next()
        .is_some_and(|p| p.len() == 3 && p.chars().all(|ch| ch.is_ascii_digit()));
    first_ok
        && parts.all(|p| !p.is_empty() && p.len() <= 3 && p.chars().all(|ch| ch.is_ascii_digit()))
}

fn valid_unit(u: &str) -> bool {
    (1..=30).contains(&u.chars().count())
        && u.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || matches!(c, '.' | '-' | '/'))
        && !u.starts_with('/')
        && !u.ends_with('/')
}

/// The pattern's problem, if any: `{urut}` exactly once, only known placeholders, and
/// between them only letters, digits and `/ . -`.
fn pattern_problem(p: &str) -> Option<(&'static str, String, String)> {
    if p.matches("{urut}").count() != 1 {
        return Some((
            "missing_sequence",
            "Pola nomor harus memuat {urut} tepat satu kali.".to_owned(),
            "The pattern must contain {urut} exactly once.".to_owned(),
        ));
    }
    let mut rest = p.to_owned();
    for t in TOKENS {
        rest = rest.replace(t, "");
    }
    if let Some(bad) = rest
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '-')))
    {
        let (id, en) = if matches!(bad, '{' | '}') {
            (
                "Pola memuat penanda yang tidak dikenal; yang tersedia: {klasifikasi}, {urut}, {unit}, {tahun}, {bulan}.".to_owned(),
                "The pattern has an unknown placeholder; available: {klasifikasi}, {urut}, {unit}, {tahun}, {bulan}.".to_owned(),
            )
        } else {
            (
                format!(
                    "Karakter «{bad}» tidak dipakai dalam nomor naskah; gunakan huruf, angka, / . atau -."
                ),
                format!(
                    "The character «{bad}» is not used in document numbers; use letters, digits, / . or -."
                ),
            )
        };
        return Some(("invalid", id, en));
    }
    None
}

impl NumberingRuleInput {
    /// Checks the rule for documents of `kind`.
    ///
    /// # Errors
    /// A klasifikasi code not in the form of Permendagri 83/2022, a malformed unit code, a
    /// pattern without exactly one running number or with unknown placeholders, a retention
    /// beyond 100 years.
    pub fn validate(&self, kind: NumberedKind) -> Result<NumberingRule, DomainError> {
        let mut errors = Vec::new();
        let classification = self.classification.trim().to_owned();
        if !valid_classification(&classification) {
            errors.push(FieldError::new(
                "classification",
                "invalid",
                "Kode klasifikasi arsip ditulis seperti pada Lampiran Permendagri 83/2022: tiga angka, lalu sub-kelas dipisah titik (mis. 100.3.6).",
                "Write the archive classification code as in the annex of Permendagri 83/2022: three digits, then sub-classes separated by dots (e.g. 100.3.6).",
            ));
        }
        let unit_code = self.unit_code.trim().to_owned();
        if !valid_unit(&unit_code) {
            errors.push(FieldError::new(
                "unit_code",
                "invalid",
                "Kode unit ditulis dengan huruf kapital, angka, titik atau tanda hubung (mis. KS atau B.PEM), paling banyak 30 karakter.",
                "Write the unit code in capitals, digits, dots or hyphens (e.g. KS or B.PEM), at most 30 characters.",
            ));
        }
        let pattern = self
            .pattern
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .unwrap_or(DEFAULT_PATTERN)
            .to_owned();
        if pattern.chars().count() > 80 {
            errors.push(FieldError::too_long("pattern", 80));
        } else if let Some((code, id, en)) = pattern_problem(&pattern) {
            errors.push(FieldError::new("pattern", code, id, en));
        }
        if self.retention_years.is_some_and(|y| y == 0 || y > 100) {
            errors.push(FieldError::new(
                "retention_years",
                "out_of_range",
                "Masa retensi antara 1 dan 100 tahun.",
                "The retention is between 1 and 100 years.",
            ));
        }
        if !errors.is_empty() {
            return Err(DomainError::Validation(errors));
        }
        Ok(NumberingRule {
            kind,
            classification,
            unit_code,
            pattern,
            yearly_reset: self.yearly_reset,
            retention_years: self.retention_years,
        })
    }
}

const ROMAN_MONTHS: [&str; 12] = [
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
];

impl NumberingRule {
    /// The register book this rule draws from: documents of several kinds under the same
    /// klasifikasi and unit share one running count, as they share one agenda book.
    #[must_use]
    pub fn book(&self) -> String {
        format!("{}/{}", self.classification, self.unit_code)
    }

    /// The counter's year: the calendar year when the count restarts yearly, else 0 (one
    /// count for ever).
    #[must_use]
    pub fn counter_year(&self, on: Date) -> i32 {
        if self.yearly_reset { on.year() } else { 0 }
    }

    /// The number for running number `seq` issued on `on`.
    #[must_use]
    pub fn format(&self, seq: i64, on: Date) -> String {
        let month = ROMAN_MONTHS[usize::from(u8::from(on.month())) - 1];
        self.pattern
            .replace("{klasifikasi}", &self.classification)
            .replace("{unit}", &self.unit_code)
            .replace("{tahun}", &on.year().to_string())
            .replace("{bulan}", month)
            .replace("{urut}", &seq.to_string())
    }

    /// The last year the document is kept: `retention_years` after its term ends (or after it
    /// was numbered, without a term).
    #[must_use]
    pub fn retained_until(&self, issued_on: Date, ends_on: Option<Date>) -> Option<i32> {
        self.retention_years
            .map(|y| ends_on.unwrap_or(issued_on).year() + i32::from(y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input(c: &str, u: &str, p: Option<&str>) -> NumberingRuleInput {
        NumberingRuleInput {
            classification: c.to_owned(),
            unit_code: u.to_owned(),
            pattern: p.map(str::to_owned),
            yearly_reset: true,
            retention_years: Some(10),
        }
    }

    #[test]
    fn the_default_pattern_is_klasifikasi_number_unit() {
        let r = input("100.3.6", "KS", None)
            .validate(NumberedKind::Kb)
            .unwrap();
        assert_eq!(r.format(15, date!(2026 - 06 - 10)), "100.3.6/15/KS");
        assert_eq!(r.book(), "100.3.6/KS");
        assert_eq!(r.counter_year(date!(2026 - 06 - 10)), 2026);
    }

    #[test]
    fn year_and_roman_month_are_printed_when_the_pattern_asks() {
        let r = input(
            "000.8.3.3",
            "B.PEM",
            Some("{klasifikasi}/{urut}/{unit}/{bulan}/{tahun}"),
        )
        .validate(NumberedKind::Pks)
        .unwrap();
        assert_eq!(
            r.format(7, date!(2026 - 12 - 04)),
            "000.8.3.3/7/B.PEM/XII/2026"
        );
    }

    #[test]
    fn a_count_that_never_restarts_has_one_counter() {
        let mut r = input("100", "KS", None).validate(NumberedKind::Kb).unwrap();
        r.yearly_reset = false;
        assert_eq!(r.counter_year(date!(2027 - 01 - 01)), 0);
    }

    #[test]
    fn malformed_rules_are_refused_field_by_field() {
        let fields = |e: DomainError| -> Vec<String> {
            e.fields().iter().map(|f| f.field.clone()).collect()
        };
        let e = input("1.3", "ks", Some("{klasifikasi}/{unit}"))
            .validate(NumberedKind::Kb)
            .unwrap_err();
        assert_eq!(fields(e), ["classification", "unit_code", "pattern"]);
        let e = input("100.3", "KS", Some("{urut}/{nomor}"))
            .validate(NumberedKind::Kb)
            .unwrap_err();
        assert!(e.fields()[0].message_id.contains("tidak dikenal"));
        let e = input("100.3", "KS", Some("{urut} {unit}"))
            .validate(NumberedKind::Kb)
            .unwrap_err();
        assert_eq!(e.fields()[0].code, "invalid");
        let e = input("100.3", "KS", Some("{urut}/{urut}"))
            .validate(NumberedKind::Kb)
            .unwrap_err();
        assert_eq!(e.fields()[0].code, "missing_sequence");
    }

    #[test]
    fn retention_counts_from_the_end_of_the_term() {
        let r = input("100.3.6", "KS", None)
            .validate(NumberedKind::Kb)
            .unwrap();
        assert_eq!(
            r.retained_until(date!(2026 - 06 - 10), Some(date!(2031 - 06 - 09))),
            Some(2041)
        );
        assert_eq!(r.retained_until(date!(2026 - 06 - 10), None), Some(2036));
        let e = NumberingRuleInput {
            retention_years: Some(0),
            ..input("100", "KS", None)
        }
        .validate(NumberedKind::Kb)
        .unwrap_err();
        assert_eq!(e.fields()[0].field, "retention_years");
    }
}
