//! Reads the PDRB tables BPS publishes — provinces or regencies as rows, the 17 *lapangan
//! usaha* categories as columns, one table per year and price basis — from CSV or a
//! spreadsheet, and says what happened to every row.
//!
//! Pure: bytes in, [`Report`] out (no files, no database, no clock). The caller supplies the
//! categories, the regions a row may name (with their spelling variants) and the year; the
//! report lists every row as mapped, skipped (title, blank, total, footnote) or rejected, each
//! rejection with the file, line and problem in Indonesian or English.
//!
//! What the reader copes with: title rows and multi-row (merged) headers above the data, the
//! categories named by code (`A.`, `M,N`, `R-U`) or by name in any header row, a numbering row
//! `(1) (2) …`, Indonesian numbers (`1.234,56`) and English ones (`1,234.56`) detected per
//! file, BPS's "not available" signs, `;`/`,`/tab delimiters, Windows-1252 text, footnote
//! markers after names (`Papua*`), island and national subtotal rows.

mod grid;
mod header;
pub mod limits;
mod number;
mod problem;
mod report;

pub use grid::{Cell, FileKind, Grid, ReadError, Row, read_csv, read_grid, read_spreadsheet};
pub use header::column_name;
pub use limits::{LimitError, Limits};
pub use number::{NumberFormat, Parsed, evidence, parse};
pub use problem::{Issue, Problem, SkipReason};
pub use report::{IssueView, Outcome, Report, ReportView, RowReport, RowView, Value};

use header::{
    category_of_cell, clean_label, code_of_header, find_region, looks_numeric, years_mentioned,
};
use sinergi_reference::{search_key, strip_level_prefix};

/// A PDRB category as the caller knows it (code `A` … `R,S,T,U`, name).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Category {
    pub code: String,
    pub name: String,
}

/// A region a row may name: its Kemendagri code, official name, level and search keys (the
/// normalised full name, the name without level prefix and every alias).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate {
    pub code: String,
    pub name: String,
    /// `province`, `regency` or `city`.
    pub level: String,
    pub keys: Vec<String>,
}

/// What to read.
#[derive(Debug, Clone)]
pub struct Spec<'a> {
    pub file_name: &'a str,
    /// The sheet of a workbook (default: the first).
    pub sheet: Option<&'a str>,
    /// The year the table is for.
    pub year: i32,
    /// The latest year data can exist for (the current year, from the caller's clock).
    pub latest_year: i32,
    pub categories: &'a [Category],
    pub candidates: &'a [Candidate],
    /// Search keys of rows that are totals of the rows in the table (e.g. the province of a
    /// regency table), skipped like "Indonesia".
    pub total_keys: &'a [String],
    /// What the file may cost to read (size, rows, columns, cells, unpacked bytes).
    pub limits: Limits,
}

const TOTAL_KEYS: [&str; 14] = [
    "indonesia",
    "total",
    "jumlah",
    "nasional",
    "34provinsi",
    "38provinsi",
    "sumatera",
    "jawa",
    "kalimantan",
    "sulawesi",
    "balidannusatenggara",
    "balinusatenggara",
    "malukudanpapua",
    "malukupapua",
];

const FOOTNOTE_PREFIXES: [&str; 12] = [
    "catatan",
    "sumber",
    "keterangan",
    "note",
    "source",
    "*",
    "¹",
    "angka sementara",
    "angka sangat sementara",
    "x)",
    "r)",
    "data ",
];

/// Reads a table and reports on every row.
#[must_use]
pub fn read_table(bytes: &[u8], spec: &Spec<'_>) -> Report {
    let mut report = Report {
        file: spec.file_name.to_owned(),
        sheet: None,
        year: spec.year,
        number_format: None,
        file_problems: Vec::new(),
        rows: Vec::new(),
        values: Vec::new(),
    };
    let grid = match read_grid(spec.file_name, bytes, spec.sheet, &spec.limits) {
        Ok(g) => g,
        Err(e) => {
            let problem = match e {
                ReadError::Spreadsheet(detail) => Problem::Unreadable { detail },
                ReadError::NoSuchSheet { name, available } => {
                    Problem::NoSuchSheet { name, available }
                }
                ReadError::NoSheet => Problem::Unreadable {
                    detail: "no sheet".to_owned(),
                },
                ReadError::Limit(e) => Problem::Limit(e),
            };
            report.file_problems.push(Issue {
                line: None,
                problem,
            });
            return report;
        }
    };
    report.sheet.clone_from(&grid.sheet);
    read_grid_rows(&grid, spec, &mut report);
    report
}

#[expect(clippy::too_many_lines, reason = "one pass over the rows, in order")]
fn read_grid_rows(grid: &Grid, spec: &Spec<'_>, report: &mut Report) {
    let cats = spec.categories;
    let rows = &grid.rows;
    if spec.year < 2000 || spec.year > spec.latest_year {
        report.file_problems.push(Issue {
            line: None,
            problem: Problem::YearOutOfRange {
                year: spec.year,
                latest: spec.latest_year,
            },
        });
    }
    // The header: the first row naming at least three categories.
    let matches_in = |row: &Row| {
        row.cells
            .iter()
            .filter(|c| category_of_cell(c, cats).is_some())
            .count()
    };
    let Some(anchor) = rows.iter().take(40).position(|r| matches_in(r) >= 3) else {
        report.file_problems.push(Issue {
            line: None,
            problem: Problem::NoHeader,
        });
        report.rows = rows
            .iter()
            .map(|r| RowReport {
                line: r.line,
                label: r.cell(0).text(),
                outcome: Outcome::Skipped(if r.is_blank() {
                    SkipReason::Blank
                } else {
                    SkipReason::Header
                }),
            })
            .collect();
        return;
    };
    let header_line = rows[anchor].line;
    // Columns: any header row may name a column's category (merged multi-row headers).
    let width = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let first_data = (anchor + 1..rows.len())
        .find(|&i| {
            let r = &rows[i];
            matches_in(r) == 0 && r.cells.iter().filter(|c| looks_numeric(c)).count() >= 3
        })
        .unwrap_or(rows.len());
    let mut column_category: Vec<Option<usize>> = vec![None; width];
    for (col, slot) in column_category.iter_mut().enumerate() {
        for r in &rows[..first_data] {
            if let Some(i) = category_of_cell(r.cell(col), cats) {
                let by_code = matches!(r.cell(col), Cell::Text(t) if code_of_header(t).is_some());
                if slot.is_none() || by_code {
                    *slot = Some(i);
                }
            }
        }
    }
    let mut category_column: Vec<Option<usize>> = vec![None; cats.len()];
    for (i, cat) in cats.iter().enumerate() {
        let columns: Vec<usize> = column_category
            .iter()
            .enumerate()
            .filter(|(_, c)| **c == Some(i))
            .map(|(col, _)| col)
            .collect();
        match columns.as_slice() {
            [] => report.file_problems.push(Issue {
                line: Some(header_line),
                problem: Problem::MissingCategory {
                    code: cat.code.clone(),
                    name: cat.name.clone(),
                },
            }),
            [one] => category_column[i] = Some(*one),
            many => report.file_problems.push(Issue {
                line: Some(header_line),
                problem: Problem::DuplicateCategory {
                    code: cat.code.clone(),
                    columns: many.iter().map(|c| column_name(*c)).collect(),
                },
            }),
        }
    }
    let found_years = years_mentioned(&rows[..first_data], grid.sheet.as_deref());
    if !found_years.is_empty() && !found_years.contains(&spec.year) {
        report.file_problems.push(Issue {
            line: None,
            problem: Problem::YearNotInTable {
                year: spec.year,
                found: found_years,
            },
        });
    }
    // The label column: the leftmost non-category column with names in the data rows.
    let first_category_col = column_category
        .iter()
        .position(Option::is_some)
        .unwrap_or(width);
    let label_col = (0..first_category_col.max(1))
        .max_by_key(|&col| {
            let texts = rows[first_data..]
                .iter()
                .filter(|r| matches!(r.cell(col), Cell::Text(t) if matches!(parse(t, NumberFormat::Indonesian), Parsed::NotANumber)))
                .count();
            (texts, std::cmp::Reverse(col))
        })
        .unwrap_or(0);
    // The number format: the evidence of all data cells, Indonesian when undecided.
    let (mut id, mut en) = (0usize, 0usize);
    for r in &rows[first_data..] {
        for col in category_column.iter().flatten() {
            if let Cell::Text(t) = r.cell(*col) {
                match evidence(t) {
                    Some(NumberFormat::Indonesian) => id += 1,
                    Some(NumberFormat::English) => en += 1,
                    None => {}
                }
            }
        }
    }
    let format = if en > id {
        NumberFormat::English
    } else {
        NumberFormat::Indonesian
    };
    report.number_format = Some(format);

    for r in &rows[..first_data] {
        report.rows.push(RowReport {
            line: r.line,
            label: r.cell(label_col).text(),
            outcome: Outcome::Skipped(if r.is_blank() {
                SkipReason::Blank
            } else {
                SkipReason::Header
            }),
        });
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    let mut data_started = false;
    for r in &rows[first_data..] {
        let label = r.cell(label_col).text();
        let skip = |reason| RowReport {
            line: r.line,
            label: label.clone(),
            outcome: Outcome::Skipped(reason),
        };
        if r.is_blank() {
            report.rows.push(skip(SkipReason::Blank));
            continue;
        }
        let has_numbers = category_column
            .iter()
            .flatten()
            .any(|&col| !r.cell(col).is_empty());
        let lower = label.to_lowercase();
        if !has_numbers {
            let footnote = FOOTNOTE_PREFIXES.iter().any(|p| lower.starts_with(p));
            report.rows.push(skip(if footnote || data_started {
                if footnote {
                    SkipReason::Footnote
                } else {
                    SkipReason::Heading
                }
            } else {
                SkipReason::Header
            }));
            continue;
        }
        if FOOTNOTE_PREFIXES[..5].iter().any(|p| lower.starts_with(p)) {
            report.rows.push(skip(SkipReason::Footnote));
            continue;
        }
        let cleaned = clean_label(&label);
        let key = search_key(&cleaned);
        if TOTAL_KEYS.contains(&key.as_str())
            || key.starts_with("jumlah")
            || key.starts_with("total")
            || spec
                .total_keys
                .iter()
                .any(|k| *k == key || *k == search_key(strip_level_prefix(&cleaned)))
        {
            report.rows.push(skip(SkipReason::Total));
            continue;
        }
        data_started = true;
        let mut problems = Vec::new();
        let region = if key.is_empty() {
            problems.push(Problem::EmptyRegionName);
            None
        } else {
            match find_region(&cleaned, spec.candidates).as_slice() {
                [] => {
                    problems.push(Problem::UnknownRegion {
                        name: label.trim().to_owned(),
                    });
                    None
                }
                [one] => Some(*one),
                many => {
                    problems.push(Problem::AmbiguousRegion {
                        name: label.trim().to_owned(),
                        candidates: many
                            .iter()
                            .map(|c| format!("{} ({})", c.name, c.code))
                            .collect(),
                    });
                    None
                }
            }
        };
        if let Some(c) = region
            && let Some((_, first_line)) = seen.iter().find(|(code, _)| *code == c.code)
        {
            problems.push(Problem::DuplicateRegion {
                code: c.code.clone(),
                name: c.name.clone(),
                first_line: *first_line,
            });
        }
        let mut values = Vec::new();
        for (i, cat) in cats.iter().enumerate() {
            let Some(col) = category_column[i] else {
                continue;
            };
            let column = column_name(col);
            let parsed = match r.cell(col) {
                Cell::Empty => Parsed::NotAvailable,
                Cell::Number(n) => Parsed::Number(*n),
                Cell::Text(t) => parse(t, format),
            };
            match parsed {
                Parsed::Number(v) if v < 0.0 => problems.push(Problem::Negative {
                    code: cat.code.clone(),
                    column,
                    text: r.cell(col).text(),
                }),
                Parsed::Number(v) => values.push((cat.code.clone(), v)),
                Parsed::NotAvailable => problems.push(Problem::MissingValue {
                    code: cat.code.clone(),
                    column,
                }),
                Parsed::NotANumber => problems.push(Problem::NonNumeric {
                    code: cat.code.clone(),
                    column,
                    text: r.cell(col).text(),
                }),
            }
        }
        match (region, problems.is_empty()) {
            (Some(c), true) => {
                seen.push((c.code.clone(), r.line));
                for (sector, value) in values {
                    report.values.push(Value {
                        line: r.line,
                        region_code: c.code.clone(),
                        sector,
                        value,
                    });
                }
                report.rows.push(RowReport {
                    line: r.line,
                    label: label.clone(),
                    outcome: Outcome::Mapped {
                        code: c.code.clone(),
                        name: c.name.clone(),
                    },
                });
            }
            _ => report.rows.push(RowReport {
                line: r.line,
                label: label.clone(),
                outcome: Outcome::Rejected(problems),
            }),
        }
    }
    if report.file_problems.is_empty() && report.mapped() == 0 && report.rejected() == 0 {
        report.file_problems.push(Issue {
            line: None,
            problem: Problem::NoRegionRows,
        });
    }
    if !report.file_problems.is_empty() {
        report.values.clear();
    }
}

#[cfg(test)]
mod hostile_tests;
#[cfg(test)]
mod tests;
