//! Reports as PDF (issue 15): the tables of a report laid out by Typst like the naskah
//! (`typst/laporan.typ`, embedded fonts, tagged PDF, "Halaman n dari N"), cells that wrap
//! instead of being cut, the header row repeated on every page, and a landscape page for a
//! table too wide for portrait. The caller (the web crate's report builder) fills the model.

use serde::Serialize;

/// How a column's values align and print.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ColumnKind {
    Text,
    Number,
    Date,
}

/// One column.
#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub label: String,
    pub kind: ColumnKind,
    /// Relative width (Typst `fr`), from the longest value.
    pub weight: u32,
}

/// One table of a report, with its cells already written as text ("26 Maret 2022",
/// "1.234,5").
#[derive(Debug, Clone, Serialize)]
pub struct Table {
    pub name: String,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
    /// Laid out on a landscape page.
    pub landscape: bool,
}

/// A report ready for the layout.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDoc {
    pub title: String,
    pub subtitle: String,
    pub tables: Vec<Table>,
}

/// The widest table that still fits a portrait A4 page, in summed column weights.
const PORTRAIT_WEIGHT: u32 = 70;

impl Table {
    /// A table from its headers, kinds and text rows; column weights and the page
    /// orientation follow from the content.
    #[must_use]
    pub fn new(name: &str, headers: &[(String, ColumnKind)], rows: Vec<Vec<String>>) -> Self {
        let columns: Vec<Column> = headers
            .iter()
            .enumerate()
            .map(|(i, (label, kind))| {
                let longest = rows
                    .iter()
                    .filter_map(|r| r.get(i))
                    .map(|c| c.chars().count())
                    .max()
                    .unwrap_or(0);
                // Long texts wrap: a column never asks for more than 40 characters.
                let header = label
                    .split_whitespace()
                    .map(|w| w.chars().count())
                    .max()
                    .unwrap_or(1);
                let w = longest.clamp(header.max(3), 40);
                Column {
                    label: label.clone(),
                    kind: *kind,
                    weight: u32::try_from(w).unwrap_or(40),
                }
            })
            .collect();
        let total: u32 = columns.iter().map(|c| c.weight).sum();
        Self {
            name: name.to_owned(),
            landscape: total > PORTRAIT_WEIGHT || columns.len() > 6,
            columns,
            rows,
        }
    }
}
