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

/// A case of the register with its KB, when there is one.
pub struct RegisterRow {
    pub case: CaseSummary,
    pub kb: Option<Agreement>,
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
        out.push(RegisterRow { case, kb });
    }
    Ok(out)
}

const HEADERS: [&str; 11] = [
    "ID",
    "Judul",
    "Jenis",
    "Tahap",
    "Tahun",
    "Para pihak",
    "Nomor KB",
    "Tanggal TTD KB",
    "Mulai",
    "Berakhir",
    "Diperbarui",
];

fn cells(r: &RegisterRow) -> Vec<Cell> {
    let c = &r.case;
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
        Cell::Text(
            r.kb.as_ref()
                .map(|k| {
                    k.parties
                        .iter()
                        .filter_map(|p| p.number.clone())
                        .collect::<Vec<_>>()
                        .join(" / ")
                })
                .unwrap_or_default(),
        ),
        date(r.kb.as_ref().and_then(|k| k.signed_on)),
        date(r.kb.as_ref().and_then(|k| k.starts_on)),
        date(r.kb.as_ref().and_then(|k| k.ends_on)),
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
pub fn register_csv(rows: &[RegisterRow], sep: Separator) -> String {
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
            &cells(r)
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
        rows: rows.iter().map(cells).collect(),
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
