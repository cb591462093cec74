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
    /// Relative width (Typst `fr`) in tenths of a character: see [`Table::new`].
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
    /// The table's text size in points (smaller for many columns).
    pub font_size: f64,
}

/// A report ready for the layout.
#[derive(Debug, Clone, Serialize)]
pub struct ReportDoc {
    pub title: String,
    pub subtitle: String,
    pub tables: Vec<Table>,
}

/// The widest table that still fits a portrait A4 page, in summed column widths (characters).
const PORTRAIT_WEIGHT: u32 = 70;
/// A table with more columns than this is set in the smaller size.
const MANY_COLUMNS: usize = 10;
/// The width between the margins of an A4 page, portrait and landscape, in points.
const PORTRAIT_PT: f64 = 510.0;
const LANDSCAPE_PT: f64 = 757.0;
/// A cell's left and right inset together, and the average advance of a character of
/// Libertinus Serif per point of font size (bold headers a little wider).
const INSET_PT: f64 = 6.0;
const CHAR_EM: f64 = 0.48;

/// The longest run of characters a line cannot break inside (a date, a letter number, a
/// long word).
fn longest_word(s: &str) -> usize {
    s.split_whitespace()
        .map(|w| w.chars().count())
        .max()
        .unwrap_or(0)
}

impl Table {
    /// A table from its headers, kinds and text rows. Each column is at least as wide as the
    /// longest word of its header and of its values (no word runs into the next cell), and
    /// at most 40 characters; when the page cannot hold every column at its length, only
    /// the long-text columns give up width (their texts wrap). A table of more than six
    /// columns, or too wide for portrait, is laid out landscape; one of more than ten
    /// columns is set smaller.
    #[must_use]
    pub fn new(name: &str, headers: &[(String, ColumnKind)], rows: Vec<Vec<String>>) -> Self {
        let column = |i: usize| rows.iter().filter_map(move |r| r.get(i));
        let mins: Vec<f64> = headers
            .iter()
            .enumerate()
            .map(|(i, (label, _))| {
                // Bold capitals (PIHAK KESATU) run wider than the average character.
                let header = longest_word(label) as f64 * 1.35 + 1.0;
                let values = column(i).map(|c| longest_word(c)).max().unwrap_or(0) as f64;
                header.max(values).clamp(3.0, 24.0)
            })
            .collect();
        let wanted: Vec<f64> = headers
            .iter()
            .enumerate()
            .map(|(i, _)| {
                let longest = column(i).map(|c| c.chars().count()).max().unwrap_or(0);
                (longest as f64).clamp(mins[i], 40.0_f64.max(mins[i]))
            })
            .collect();
        let n = headers.len();
        let total_wanted: f64 = wanted.iter().sum();
        let landscape = total_wanted > f64::from(PORTRAIT_WEIGHT) || n > 6;
        let font_size = if n > MANY_COLUMNS { 7.5 } else { 9.0 };
        let page = if landscape { LANDSCAPE_PT } else { PORTRAIT_PT };
        #[expect(clippy::cast_precision_loss, reason = "a handful of columns")]
        let capacity = (page - INSET_PT * n as f64) / (CHAR_EM * font_size);
        let widths: Vec<f64> = if total_wanted <= capacity {
            wanted.clone()
        } else {
            let floor: f64 = mins.iter().sum();
            let excess = total_wanted - floor;
            let spare = (capacity - floor).max(0.0);
            let share = if excess > 0.0 { spare / excess } else { 0.0 };
            mins.iter()
                .zip(&wanted)
                .map(|(min, want)| min + (want - min) * share)
                .collect()
        };
        let columns = headers
            .iter()
            .zip(&widths)
            .map(|((label, kind), w)| Column {
                label: label.clone(),
                kind: *kind,
                // Tenths of a character, so narrow columns keep their proportion.
                #[expect(
                    clippy::cast_possible_truncation,
                    clippy::cast_sign_loss,
                    reason = "0.3 to 40 characters"
                )]
                weight: (w * 10.0).round() as u32,
            })
            .collect();
        Self {
            name: name.to_owned(),
            landscape,
            font_size,
            columns,
            rows,
        }
    }
}
