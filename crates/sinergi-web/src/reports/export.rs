//! The register page's exports (`/kerja-sama?format=csv|xlsx`): labels, not codes; the KB's
//! numbers and dates; real date cells.
//!
//! **CSV for Excel with Indonesian settings.** Excel splits a CSV at the list separator of
//! the computer's regional settings, which for Indonesian (id-ID) is the semicolon, and reads
//! a file without a byte-order mark in the local code page. The default export therefore uses
//! `;` between fields, starts with a UTF-8 BOM and ends lines with CRLF; dates are ISO
//! (`2022-03-26`), which Excel reads as dates in every locale. `sep=comma` gives the comma for
//! programs that expect RFC 4180 exactly. Every field is quoted and a leading `= + - @` is
//! neutralised, so a spreadsheet never runs a cell as a formula.

use super::{Cell, Report, Sheet, xlsx};
use sinergi_domain::agreement::{Agreement, AgreementKind};
use sinergi_domain::{Lang, locale};
use sinergi_store::{CaseSummary, Store, StoreError};
use time::Date;

/// The field separator of a CSV export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Separator {
    Semicolon,
    Comma,
}

impl Separator {
    /// `sep=` of the query: `comma` (or `,`), else the semicolon.
    #[must_use]
    pub fn from_query(s: Option<&str>) -> Self {
        match s {
            Some("comma" | "," | "koma") => Self::Comma,
            _ => Self::Semicolon,
        }
    }

    fn char(self) -> char {
        match self {
            Self::Semicolon => ';',
            Self::Comma => ',',
        }
    }
}

/// A case of the register with its KB, when there is one, and the OPD involved.
pub struct RegisterRow {
    pub case: CaseSummary,
    pub kb: Option<Agreement>,
    /// The agencies (OPD) recorded on the case, each with its region.
    pub units: Vec<String>,
}

/// The rows of an export: each case with its KB.
///
/// # Errors
/// Database errors.
pub async fn register_rows(
    store: &Store,
    items: Vec<CaseSummary>,
) -> Result<Vec<RegisterRow>, StoreError> {
    let mut out = Vec::with_capacity(items.len());
    for case in items {
        let kb = store
            .list_agreements(case.id)
            .await?
            .into_iter()
            .find(|a| a.kind == AgreementKind::Kb);
        let units = store
            .case_units(case.id)
            .await?
            .into_iter()
            .map(|(_, unit)| unit)
            .collect();
        out.push(RegisterRow { case, kb, units });
    }
    Ok(out)
}

/// The columns the Bagian Kerja Sama keeps in its own register, as words for one reader:
/// each party's number, the signing date, the term, the end, what remains of it, the OPD and
/// the status.
pub struct RegisterFacts {
    pub number_1: String,
    pub number_2: String,
    pub signed_on: Option<Date>,
    pub starts_on: Option<Date>,
    pub ends_on: Option<Date>,
    pub term: String,
    pub remaining: String,
    pub units: String,
    pub status: String,
}

/// Whole months from `a` to `b` (negative when `b` is earlier).
fn months_between(a: Date, b: Date) -> i32 {
    let m = (b.year() - a.year()) * 12
        + (i32::from(u8::from(b.month())) - i32::from(u8::from(a.month())));
    if b.day() < a.day() { m - 1 } else { m }
}

/// "5 tahun", "1 tahun 3 bulan", "2 years 1 month" (English plurals right).
fn span(months: i32, lang: Lang) -> String {
    let (y, m) = (months / 12, months % 12);
    let unit = |n: i32, id: &str, one: &str, many: &str| match lang {
        Lang::En => format!("{n} {}", if n == 1 { one } else { many }),
        Lang::Id => format!("{n} {id}"),
    };
    let mut parts = Vec::new();
    if y > 0 {
        parts.push(unit(y, "tahun", "year", "years"));
    }
    if m > 0 {
        parts.push(unit(m, "bulan", "month", "months"));
    }
    parts.join(" ")
}

impl RegisterFacts {
    /// The register's columns for `r` on `today`, in `lang`.
    #[must_use]
    pub fn of(r: &RegisterRow, today: Date, lang: Lang) -> Self {
        Self::new(r.case.stage, r.kb.as_ref(), &r.units, today, lang)
    }

    /// The register's columns of a case at `stage` with its KB (if any) and the OPD recorded
    /// on it, on `today`, in `lang`.
    #[must_use]
    pub fn new(
        stage: sinergi_domain::case::Stage,
        kb: Option<&Agreement>,
        units: &[String],
        today: Date,
        lang: Lang,
    ) -> Self {
        use sinergi_domain::case::Stage as S;
        let number = |ordinal: u16| {
            kb.and_then(|k| k.parties.iter().find(|p| p.ordinal == ordinal))
                .map(|p| match (&p.number, p.number_unpublished) {
                    (Some(n), _) => n.clone(),
                    (None, true) => lang
                        .pick("tidak dipublikasikan", "not published")
                        .to_owned(),
                    (None, false) => String::new(),
                })
                .unwrap_or_default()
        };
        let (starts_on, ends_on) = (kb.and_then(|k| k.starts_on), kb.and_then(|k| k.ends_on));
        let term = match (starts_on, ends_on) {
            (Some(s), Some(e)) => span(months_between(s, e.next_day().unwrap_or(e)), lang),
            _ => String::new(),
        };
        let expired = ends_on.is_some_and(|e| e < today);
        let remaining = match ends_on {
            _ if stage.is_final() && stage != S::Berakhir && stage != S::DiakhiriDini => {
                String::new()
            }
            Some(_) if expired || matches!(stage, S::Berakhir | S::DiakhiriDini) => {
                lang.pick("sudah berakhir", "ended").to_owned()
            }
            Some(e) => {
                let months = months_between(today, e);
                if months >= 1 {
                    span(months, lang)
                } else {
                    let days = (e - today).whole_days();
                    match lang {
                        Lang::En if days == 1 => "1 day".to_owned(),
                        Lang::En => format!("{days} days"),
                        Lang::Id => format!("{days} hari"),
                    }
                }
            }
            None => String::new(),
        };
        let status = match stage {
            S::Aktif if expired => lang.pick("Masa berlaku habis", "Term expired"),
            S::Aktif => lang.pick("Berlaku", "In force"),
            S::Berakhir | S::DiakhiriDini => lang.pick("Berakhir", "Ended"),
            s if s.is_final() => lang.pick("Tidak dilanjutkan", "Not pursued"),
            S::KbDitandatangani | S::MenungguDprd => {
                lang.pick("Ditandatangani, belum berlaku", "Signed, not yet in force")
            }
            _ => lang.pick("Dalam proses", "In progress"),
        }
        .to_owned();
        Self {
            number_1: number(1),
            number_2: number(2),
            signed_on: kb.and_then(|k| k.signed_on),
            starts_on,
            ends_on,
            term,
            remaining,
            units: units.join("; "),
            status,
        }
    }
}

const HEADERS: [&str; 16] = [
    "ID",
    "Judul",
    "Jenis",
    "Tahap",
    "Tahun",
    "Para pihak",
    "Nomor PIHAK KESATU",
    "Nomor PIHAK KEDUA",
    "Tanggal TTD",
    "Jangka waktu",
    "Mulai",
    "Berakhir",
    "Sisa masa berlaku",
    "OPD",
    "Status",
    "Diperbarui",
];

fn cells(r: &RegisterRow, today: Date) -> Vec<Cell> {
    let c = &r.case;
    let f = RegisterFacts::of(r, today, Lang::Id);
    let title = if c.fictional {
        format!("[FIKTIF] {}", c.title.trim_start_matches("[FIKTIF] "))
    } else {
        c.title.clone()
    };
    let date = |d: Option<Date>| d.map_or_else(|| Cell::Text(String::new()), Cell::Date);
    vec![
        Cell::Text(c.id.to_string()),
        Cell::Text(title),
        Cell::Text(c.kind.label_id().to_owned()),
        Cell::Text(c.stage.label_id().to_owned()),
        Cell::Number(f64::from(c.year)),
        Cell::Text(
            c.parties
                .iter()
                .map(|p| format!("{} ({})", p.name, p.region.clone().unwrap_or_default()))
                .collect::<Vec<_>>()
                .join("; "),
        ),
        Cell::Text(f.number_1),
        Cell::Text(f.number_2),
        date(f.signed_on),
        Cell::Text(f.term),
        date(f.starts_on),
        date(f.ends_on),
        Cell::Text(f.remaining),
        Cell::Text(f.units),
        Cell::Text(f.status),
        Cell::Date(c.updated_at.date()),
    ]
}

fn csv_field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    format!("\"{}\"", s.replace('"', "\"\""))
}

fn csv_text(c: &Cell) -> String {
    match c {
        Cell::Text(s) => s.clone(),
        Cell::Number(n) => format!("{n}"),
        Cell::Date(d) => d.to_string(),
    }
}

/// The register as CSV text (BOM, CRLF, quoted fields).
#[must_use]
pub fn register_csv(rows: &[RegisterRow], sep: Separator, today: Date) -> String {
    let sep = sep.char().to_string();
    let mut out = String::from("\u{feff}");
    out.push_str(
        &HEADERS
            .iter()
            .map(|h| csv_field(h))
            .collect::<Vec<_>>()
            .join(&sep),
    );
    out.push_str("\r\n");
    for r in rows {
        out.push_str(
            &cells(r, today)
                .iter()
                .map(|c| csv_field(&csv_text(c)))
                .collect::<Vec<_>>()
                .join(&sep),
        );
        out.push_str("\r\n");
    }
    out
}

/// The register as an XLSX workbook, written like the reports.
///
/// # Errors
/// The writer failed.
pub fn register_xlsx(
    rows: &[RegisterRow],
    today: Date,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    let sheet = Sheet {
        name: "Daftar Kerja Sama".to_owned(),
        headers: HEADERS.iter().map(|h| (*h).to_owned()).collect(),
        rows: rows.iter().map(|r| cells(r, today)).collect(),
    };
    xlsx(&Report {
        title: "Daftar Kerja Sama Daerah".to_owned(),
        subtitle: format!(
            "Diekspor dari Sinergi pada {}; {} kerja sama",
            locale::date_long(today, Lang::Id),
            rows.len()
        ),
        sheets: vec![sheet],
    })
}

#[cfg(test)]
mod register_tests {
    use super::{months_between, span};
    use sinergi_domain::Lang;
    use time::macros::date;

    #[test]
    fn terms_are_words_with_plurals_right() {
        assert_eq!(
            months_between(date!(2026 - 06 - 01), date!(2031 - 06 - 01)),
            60
        );
        assert_eq!(
            months_between(date!(2026 - 06 - 15), date!(2026 - 07 - 14)),
            0
        );
        assert_eq!(span(60, Lang::Id), "5 tahun");
        assert_eq!(span(13, Lang::Id), "1 tahun 1 bulan");
        assert_eq!(span(13, Lang::En), "1 year 1 month");
        assert_eq!(span(26, Lang::En), "2 years 2 months");
    }
}
