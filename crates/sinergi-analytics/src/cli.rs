//! The command-line contract of analytics.md §4 as library functions:
//! `sinergi analyze --input FILE.csv --start YEAR --end YEAR [--format json|text]`.
//!
//! The binary reads the file and calls [`analyze_csv`]; it prints the JSON of
//! [`AnalyzeOutput`] or [`render_text`], or the [`AnalyzeError`] (which names file, line and
//! problem) and exits non-zero.

use std::fmt::Write as _;

use serde::Serialize;
use serde::ser::{SerializeMap, Serializer};
use thiserror::Error;

use crate::analysis::{Analysis, AnalysisError, AnalysisOptions, analyze};
use crate::csv::Records;
use crate::formulas::{DlqClass, KlassenQuadrant, ShiftShare};
use crate::measure::Measure;
use crate::panel::{Observation, Panel, PanelError, ReferenceKind};

/// The columns the input must have (other columns are ignored, in any position).
pub const REQUIRED_COLUMNS: [&str; 4] = ["region", "sector", "year", "value"];

/// What is wrong with the input.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum AnalyzeErrorKind {
    /// No header line.
    #[error("berkas kosong: tidak ada baris header")]
    EmptyFile,
    /// A required column is missing from the header.
    #[error("kolom \"{column}\" tidak ada di header (kolom wajib: region, sector, year, value)")]
    MissingColumn {
        /// The column.
        column: &'static str,
    },
    /// A required column appears twice in the header.
    #[error("kolom \"{column}\" muncul dua kali di header")]
    DuplicateColumn {
        /// The column.
        column: &'static str,
    },
    /// The CSV text itself is malformed.
    #[error("CSV rusak: {detail}")]
    MalformedCsv {
        /// What is wrong.
        detail: &'static str,
    },
    /// A row has too few fields.
    #[error("baris hanya berisi {found} kolom; kolom \"{column}\" (kolom ke-{position}) tidak ada")]
    MissingField {
        /// The missing column.
        column: &'static str,
        /// Its 1-based position in the header.
        position: usize,
        /// Fields found in the row.
        found: usize,
    },
    /// A required field is empty.
    #[error("kolom \"{column}\" kosong")]
    EmptyField {
        /// The column.
        column: &'static str,
    },
    /// The value is not a number.
    #[error("nilai bukan angka: \"{text}\"")]
    NonNumeric {
        /// The text found.
        text: String,
    },
    /// The value is NaN, infinite or out of range.
    #[error("nilai bukan angka terhingga: \"{text}\"")]
    NonFinite {
        /// The text found.
        text: String,
    },
    /// The value is negative.
    #[error("nilai negatif: {value}")]
    NegativeValue {
        /// The value.
        value: f64,
    },
    /// The year is not an integer.
    #[error("tahun bukan bilangan bulat: \"{text}\"")]
    BadYear {
        /// The text found.
        text: String,
    },
    /// The same region, sector and year twice.
    #[error(
        "observasi ganda: wilayah \"{region}\", sektor \"{sector}\", tahun {year} (sudah ada di baris {first_line})"
    )]
    Duplicate {
        /// Region.
        region: String,
        /// Sector.
        sector: String,
        /// Year.
        year: i32,
        /// Line of the first occurrence.
        first_line: usize,
    },
    /// A region lacks a sector in a used year.
    #[error("wilayah \"{region}\" tidak memiliki sektor \"{sector}\" pada tahun {year}")]
    MissingSector {
        /// Region.
        region: String,
        /// Sector.
        sector: String,
        /// Year.
        year: i32,
    },
    /// Start or end is not in the data.
    #[error("tahun {year} tidak ada dalam data (tahun yang tersedia: {})", year_list(.available))]
    YearOutsideData {
        /// Requested year.
        year: i32,
        /// Years in the file, ascending.
        available: Vec<i32>,
    },
    /// A year between start and end is not in the data.
    #[error(
        "tahun {year} tidak ada dalam data, padahal berada di antara tahun awal {start} dan tahun akhir {end}"
    )]
    YearGap {
        /// Missing year.
        year: i32,
        /// Start.
        start: i32,
        /// End.
        end: i32,
    },
    /// Start after end.
    #[error("tahun awal {start} sesudah tahun akhir {end}")]
    InvalidRange {
        /// Start.
        start: i32,
        /// End.
        end: i32,
    },
    /// A header but no data rows.
    #[error("tidak ada baris data")]
    NoData,
    /// Any other panel problem.
    #[error("{0}")]
    Panel(PanelError),
    /// Any analysis problem.
    #[error("{0}")]
    Analysis(AnalysisError),
}

fn year_list(years: &[i32]) -> String {
    years
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl AnalyzeErrorKind {
    /// Stable machine code, e.g. `analyze.non_numeric`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::EmptyFile => "analyze.empty_file",
            Self::MissingColumn { .. } => "analyze.missing_column",
            Self::DuplicateColumn { .. } => "analyze.duplicate_column",
            Self::MalformedCsv { .. } => "analyze.malformed_csv",
            Self::MissingField { .. } => "analyze.missing_field",
            Self::EmptyField { .. } => "analyze.empty_field",
            Self::NonNumeric { .. } => "analyze.non_numeric",
            Self::NonFinite { .. } => "analyze.non_finite",
            Self::NegativeValue { .. } => "analyze.negative_value",
            Self::BadYear { .. } => "analyze.bad_year",
            Self::Duplicate { .. } => "analyze.duplicate",
            Self::MissingSector { .. } => "analyze.missing_sector",
            Self::YearOutsideData { .. } => "analyze.year_outside_data",
            Self::YearGap { .. } => "analyze.year_gap",
            Self::InvalidRange { .. } => "analyze.invalid_range",
            Self::NoData => "analyze.no_data",
            Self::Panel(e) => e.code(),
            Self::Analysis(e) => e.code(),
        }
    }
}

/// A bad input: `file:line: problem`, or `file: problem` when no single line is at fault
/// (a requested year that is not in the data, an empty file).
#[derive(Debug, Clone, PartialEq, Error)]
#[error("{file}{}: {kind}", line_part(.line))]
pub struct AnalyzeError {
    /// The file name as given.
    pub file: String,
    /// 1-based line, when one line is at fault.
    pub line: Option<usize>,
    /// The problem.
    pub kind: AnalyzeErrorKind,
}

fn line_part(line: &Option<usize>) -> String {
    line.map_or_else(String::new, |l| format!(":{l}"))
}

impl AnalyzeError {
    fn new(file: &str, line: Option<usize>, kind: AnalyzeErrorKind) -> Self {
        Self {
            file: file.to_owned(),
            line,
            kind,
        }
    }

    /// Stable machine code, e.g. `analyze.missing_sector`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        self.kind.code()
    }
}

/// Observations read from CSV text, with the line each came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCsv {
    /// The observations, in file order.
    pub observations: Vec<Observation>,
    /// `lines[k]` is the 1-based line of `observations[k]`.
    pub lines: Vec<usize>,
}

/// Reads `region,sector,year,value` rows (header required; other columns ignored; header
/// names matched case-insensitively after trimming; names and numbers trimmed; blank lines
/// skipped).
///
/// # Errors
/// Empty file, missing or duplicate column, malformed CSV, short row, empty field, year not an
/// integer, value not a (finite) number — each with its line.
pub fn parse_observations_csv(file_name: &str, csv_text: &str) -> Result<ParsedCsv, AnalyzeError> {
    let err = |line: usize, kind| AnalyzeError::new(file_name, Some(line), kind);
    let mut records = Records::new(csv_text);
    let mut fields = Vec::new();
    let syntax = |e: crate::csv::CsvSyntaxError| {
        err(e.line, AnalyzeErrorKind::MalformedCsv { detail: e.detail })
    };

    // Header: the first non-blank record.
    let positions = loop {
        let Some(line) = records.next_record(&mut fields).map_err(syntax)? else {
            return Err(AnalyzeError::new(
                file_name,
                None,
                AnalyzeErrorKind::EmptyFile,
            ));
        };
        if fields.len() == 1 && fields[0].trim().is_empty() {
            continue;
        }
        let mut positions = [0usize; 4];
        for (k, column) in REQUIRED_COLUMNS.iter().enumerate() {
            let mut found = fields
                .iter()
                .enumerate()
                .filter(|(_, f)| f.trim().eq_ignore_ascii_case(column));
            let Some((p, _)) = found.next() else {
                return Err(err(line, AnalyzeErrorKind::MissingColumn { column }));
            };
            if found.next().is_some() {
                return Err(err(line, AnalyzeErrorKind::DuplicateColumn { column }));
            }
            positions[k] = p;
        }
        break positions;
    };

    let mut observations = Vec::new();
    let mut lines = Vec::new();
    while let Some(line) = records.next_record(&mut fields).map_err(syntax)? {
        if fields.len() == 1 && fields[0].trim().is_empty() {
            continue;
        }
        let mut values: [&str; 4] = [""; 4];
        for (k, &p) in positions.iter().enumerate() {
            let column = REQUIRED_COLUMNS[k];
            let Some(f) = fields.get(p) else {
                return Err(err(
                    line,
                    AnalyzeErrorKind::MissingField {
                        column,
                        position: p + 1,
                        found: fields.len(),
                    },
                ));
            };
            let f = f.trim();
            if f.is_empty() {
                return Err(err(line, AnalyzeErrorKind::EmptyField { column }));
            }
            values[k] = f;
        }
        let [region, sector, year_text, value_text] = values;
        let year: i32 = year_text.parse().map_err(|_| {
            err(
                line,
                AnalyzeErrorKind::BadYear {
                    text: year_text.to_owned(),
                },
            )
        })?;
        let value: f64 = match value_text.parse::<f64>() {
            Ok(v) if v.is_finite() => v,
            Ok(_) => {
                return Err(err(
                    line,
                    AnalyzeErrorKind::NonFinite {
                        text: value_text.to_owned(),
                    },
                ));
            }
            Err(_) => {
                return Err(err(
                    line,
                    AnalyzeErrorKind::NonNumeric {
                        text: value_text.to_owned(),
                    },
                ));
            }
        };
        observations.push(Observation::new(region, sector, year, value));
        lines.push(line);
    }
    Ok(ParsedCsv {
        observations,
        lines,
    })
}

fn map_panel_error(file: &str, lines: &[usize], e: PanelError) -> AnalyzeError {
    let line_of = |i: usize| lines.get(i).copied();
    let (line, kind) = match e {
        PanelError::Empty => (None, AnalyzeErrorKind::NoData),
        PanelError::InvalidRange { start, end } => {
            (None, AnalyzeErrorKind::InvalidRange { start, end })
        }
        PanelError::YearNotInData { year, available } => {
            (None, AnalyzeErrorKind::YearOutsideData { year, available })
        }
        PanelError::YearGap { year, start, end } => {
            (None, AnalyzeErrorKind::YearGap { year, start, end })
        }
        PanelError::NonFinite { index, value, .. } => (
            line_of(index),
            AnalyzeErrorKind::NonFinite {
                text: value.to_string(),
            },
        ),
        PanelError::Negative { index, value, .. } => {
            (line_of(index), AnalyzeErrorKind::NegativeValue { value })
        }
        PanelError::Duplicate {
            region,
            sector,
            year,
            first,
            index,
        } => (
            line_of(index),
            AnalyzeErrorKind::Duplicate {
                region,
                sector,
                year,
                first_line: line_of(first).unwrap_or(0),
            },
        ),
        PanelError::MissingCell {
            region,
            sector,
            year,
            near,
        } => (
            line_of(near),
            AnalyzeErrorKind::MissingSector {
                region,
                sector,
                year,
            },
        ),
        other => (
            other.observation_index().and_then(line_of),
            AnalyzeErrorKind::Panel(other),
        ),
    };
    AnalyzeError::new(file, line, kind)
}

/// Runs the whole §4 contract on CSV text: parse, check, compute every measure for
/// `start ..= end` with the sum of all regions as reference.
///
/// # Errors
/// See [`AnalyzeErrorKind`]; every error names the file, and the line when one is at fault.
pub fn analyze_csv(
    file_name: &str,
    csv_text: &str,
    start: i32,
    end: i32,
) -> Result<AnalyzeOutput, AnalyzeError> {
    if start > end {
        return Err(AnalyzeError::new(
            file_name,
            None,
            AnalyzeErrorKind::InvalidRange { start, end },
        ));
    }
    let parsed = parse_observations_csv(file_name, csv_text)?;
    let panel = Panel::from_observations_in(&parsed.observations, start, end)
        .map_err(|e| map_panel_error(file_name, &parsed.lines, e))?;
    let analysis = analyze(&panel, &AnalysisOptions::new(start, end))
        .map_err(|e| AnalyzeError::new(file_name, None, AnalyzeErrorKind::Analysis(e)))?;
    Ok(AnalyzeOutput::from_analysis(&analysis))
}

// ---------------------------------------------------------------------------------------------
// Output
// ---------------------------------------------------------------------------------------------

/// A matrix with named rows and columns that serializes as `{row: {column: value}}` in row and
/// column order. Pair matrices leave out the diagonal (a region is not its own partner).
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledMatrix<T> {
    rows: Vec<String>,
    columns: Vec<String>,
    values: Vec<T>,
    skip_diagonal: bool,
}

impl<T> LabeledMatrix<T> {
    fn new(rows: Vec<String>, columns: Vec<String>, values: Vec<T>, skip_diagonal: bool) -> Self {
        Self {
            rows,
            columns,
            values,
            skip_diagonal,
        }
    }

    /// Row names.
    #[must_use]
    pub fn rows(&self) -> &[String] {
        &self.rows
    }

    /// Column names.
    #[must_use]
    pub fn columns(&self) -> &[String] {
        &self.columns
    }

    /// By positions (`None` outside, and on the diagonal of a pair matrix).
    #[must_use]
    pub fn at(&self, row: usize, column: usize) -> Option<&T> {
        if row >= self.rows.len()
            || column >= self.columns.len()
            || (self.skip_diagonal && row == column)
        {
            return None;
        }
        self.values.get(row * self.columns.len() + column)
    }

    /// By names.
    #[must_use]
    pub fn get(&self, row: &str, column: &str) -> Option<&T> {
        let r = self.rows.iter().position(|x| x == row)?;
        let c = self.columns.iter().position(|x| x == column)?;
        self.at(r, c)
    }
}

struct RowView<'a, T> {
    matrix: &'a LabeledMatrix<T>,
    row: usize,
}

impl<T: Serialize> Serialize for RowView<'_, T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let m = self.matrix;
        let len = m.columns.len() - usize::from(m.skip_diagonal && self.row < m.columns.len());
        let mut map = serializer.serialize_map(Some(len))?;
        for (c, name) in m.columns.iter().enumerate() {
            if let Some(v) = m.at(self.row, c) {
                map.serialize_entry(name, v)?;
            }
        }
        map.end()
    }
}

impl<T: Serialize> Serialize for LabeledMatrix<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.rows.len()))?;
        for (row, name) in self.rows.iter().enumerate() {
            map.serialize_entry(name, &RowView { matrix: self, row })?;
        }
        map.end()
    }
}

/// A vector with named entries that serializes as `{label: value}` in order.
#[derive(Debug, Clone, PartialEq)]
pub struct LabeledVector<T> {
    labels: Vec<String>,
    values: Vec<T>,
}

impl<T> LabeledVector<T> {
    /// Labels.
    #[must_use]
    pub fn labels(&self) -> &[String] {
        &self.labels
    }

    /// By position.
    #[must_use]
    pub fn at(&self, index: usize) -> Option<&T> {
        self.values.get(index)
    }

    /// By name.
    #[must_use]
    pub fn get(&self, label: &str) -> Option<&T> {
        self.labels
            .iter()
            .position(|x| x == label)
            .and_then(|i| self.values.get(i))
    }
}

impl<T: Serialize> Serialize for LabeledVector<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.labels.len()))?;
        for (name, v) in self.labels.iter().zip(&self.values) {
            map.serialize_entry(name, v)?;
        }
        map.end()
    }
}

/// The JSON document of `sinergi analyze` (keys exactly as analytics.md §4; undefined values
/// and the growth measures when `start == end` are `null`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AnalyzeOutput {
    /// Start year.
    pub start: i32,
    /// End year.
    pub end: i32,
    /// Regions in file order (first appearance).
    pub regions: Vec<String>,
    /// Sectors in file order (first appearance).
    pub sectors: Vec<String>,
    /// LQ at the end year, `{region: {sector: value}}`.
    pub lq: LabeledMatrix<Measure>,
    /// LQ at the start year.
    pub lq_start: LabeledMatrix<Measure>,
    /// Hoover specialisation at the end year, `{region: value}`.
    pub hoover: LabeledVector<Measure>,
    /// Dynamic LQ start → end.
    pub dlq: Option<LabeledMatrix<Measure>>,
    /// SLQ × DLQ class.
    pub dlq_class: Option<LabeledMatrix<Measure<DlqClass>>>,
    /// Sectoral Klassen quadrant.
    pub klassen: Option<LabeledMatrix<Measure<KlassenQuadrant>>>,
    /// Shift-share `{region: {sector: {"ns", "im", "rs"}}}`.
    pub shift_share: Option<LabeledMatrix<Measure<ShiftShare>>>,
    /// `C(supplier → recipient)`, `{supplier: {recipient: value}}`, end year.
    pub complementarity: LabeledMatrix<Measure>,
    /// Mutual score, symmetric.
    pub mutual: LabeledMatrix<Measure>,
    /// Structural similarity `1 − K/2`, symmetric.
    pub similarity: LabeledMatrix<Measure>,
    /// What the regions were compared with (not part of the JSON).
    #[serde(skip)]
    pub reference: ReferenceKind,
}

impl AnalyzeOutput {
    /// Builds the document from an analysis.
    #[must_use]
    pub fn from_analysis(a: &Analysis) -> Self {
        let regions = a.regions.clone();
        let sectors = a.sectors.clone();
        fn rs<T: Clone>(regions: &[String], sectors: &[String], values: &[T]) -> LabeledMatrix<T> {
            LabeledMatrix::new(regions.to_vec(), sectors.to_vec(), values.to_vec(), false)
        }
        let n = regions.len();
        let pairs = |f: &dyn Fn(usize, usize) -> Measure| {
            let mut values = Vec::with_capacity(n * n);
            for x in 0..n {
                for y in 0..n {
                    values.push(f(x, y));
                }
            }
            LabeledMatrix::new(regions.clone(), regions.clone(), values, true)
        };
        let growth = a.growth.as_ref();
        Self {
            start: a.start,
            end: a.end,
            lq: rs(&regions, &sectors, &a.lq_end),
            lq_start: rs(&regions, &sectors, &a.lq_start),
            hoover: LabeledVector {
                labels: regions.clone(),
                values: a.hoover.clone(),
            },
            dlq: growth.map(|g| rs(&regions, &sectors, &g.dlq)),
            dlq_class: growth.map(|g| rs(&regions, &sectors, &g.dlq_class)),
            klassen: growth.map(|g| rs(&regions, &sectors, &g.klassen)),
            shift_share: growth.map(|g| rs(&regions, &sectors, &g.shift_share)),
            complementarity: pairs(&|x, y| a.complementarity_score(x, y)),
            mutual: pairs(&|x, y| a.mutual(x, y)),
            similarity: pairs(&|x, y| a.similarity(x, y)),
            reference: a.reference.clone(),
            regions,
            sectors,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Text
// ---------------------------------------------------------------------------------------------

const DASH: &str = "—";

fn num(m: Option<&Measure>, decimals: usize) -> String {
    match m.and_then(Measure::get) {
        Some(v) => format!("{v:.decimals$}"),
        None => DASH.to_owned(),
    }
}

fn note<T>(notes: &mut Vec<String>, what: &str, m: Option<&Measure<T>>) {
    if let Some(u) = m.and_then(Measure::reason) {
        notes.push(format!("{what}: {u}"));
    }
}

/// How many partners the text summary lists per region.
const TOP_PARTNERS: usize = 5;

/// A readable plain-text summary (`--format text`): per region its Hoover index, a sector
/// table (LQ start and end, DLQ, class, Klassen, shift-share), its best partners by mutual
/// score, and the reason for every undefined figure.
#[must_use]
pub fn render_text(out: &AnalyzeOutput) -> String {
    let mut t = String::new();
    let growth = out.dlq.is_some();
    let _ = writeln!(t, "Analisis potensi wilayah — Sinergi");
    let _ = writeln!(
        t,
        "Struktur (LQ, Hoover, komplementaritas, kemiripan): tahun {}. Pertumbuhan: {} → {}.",
        out.end, out.start, out.end
    );
    let _ = writeln!(t, "Acuan: {}.", out.reference);
    let _ = writeln!(
        t,
        "{} wilayah, {} sektor.",
        out.regions.len(),
        out.sectors.len()
    );
    if !growth {
        let _ = writeln!(
            t,
            "Ukuran pertumbuhan (DLQ, kelas DLQ, Klassen, shift-share) tidak dihitung karena tahun awal sama dengan tahun akhir."
        );
    }
    let width = out
        .sectors
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    let name_width = out
        .regions
        .iter()
        .map(|s| s.chars().count())
        .max()
        .unwrap_or(0)
        .max(6);
    for (r, region) in out.regions.iter().enumerate() {
        let mut notes: Vec<String> = Vec::new();
        let _ = writeln!(t, "\n== {region} ==");
        let h = out.hoover.at(r);
        let _ = writeln!(t, "Indeks Hoover (spesialisasi): {}", num(h, 4));
        note(&mut notes, "Indeks Hoover", h);
        let _ = write!(
            t,
            "{:<width$} {:>9} {:>9}",
            "Sektor",
            format!("LQ {}", out.start),
            format!("LQ {}", out.end)
        );
        if growth {
            let _ = write!(
                t,
                " {:>9}  {:<17} {:<7} {:>14} {:>14} {:>14}",
                "DLQ", "Kelas DLQ", "Klassen", "NS", "IM", "RS"
            );
        }
        t.push('\n');
        for (s, sector) in out.sectors.iter().enumerate() {
            let lq0 = out.lq_start.at(r, s);
            let lq1 = out.lq.at(r, s);
            let _ = write!(t, "{sector:<width$} {:>9} {:>9}", num(lq0, 4), num(lq1, 4));
            note(
                &mut notes,
                &format!("LQ {} sektor {sector}", out.start),
                lq0,
            );
            if out.start != out.end {
                note(&mut notes, &format!("LQ {} sektor {sector}", out.end), lq1);
            }
            if growth {
                let dlq = out.dlq.as_ref().and_then(|m| m.at(r, s));
                let class = out.dlq_class.as_ref().and_then(|m| m.at(r, s));
                let klassen = out.klassen.as_ref().and_then(|m| m.at(r, s));
                let ss = out.shift_share.as_ref().and_then(|m| m.at(r, s));
                let class_text = class.and_then(Measure::value).map_or(DASH, |c| c.code());
                let klassen_text = klassen.and_then(Measure::value).map_or(DASH, |k| k.code());
                let part = |f: fn(&ShiftShare) -> f64| {
                    ss.and_then(Measure::value)
                        .map_or_else(|| DASH.to_owned(), |v| format!("{:.2}", f(v)))
                };
                let _ = write!(
                    t,
                    " {:>9}  {:<17} {:<7} {:>14} {:>14} {:>14}",
                    num(dlq, 4),
                    class_text,
                    klassen_text,
                    part(|v| v.ns),
                    part(|v| v.im),
                    part(|v| v.rs)
                );
                note(&mut notes, &format!("DLQ sektor {sector}"), dlq);
                note(&mut notes, &format!("Klassen sektor {sector}"), klassen);
                note(&mut notes, &format!("Shift-share sektor {sector}"), ss);
            }
            t.push('\n');
        }

        let mut partners: Vec<(usize, Option<f64>)> = (0..out.regions.len())
            .filter(|&b| b != r)
            .map(|b| (b, out.mutual.at(r, b).and_then(Measure::get)))
            .collect();
        partners.sort_by(|x, y| match (x.1, y.1) {
            (Some(a), Some(b)) => b.total_cmp(&a).then(x.0.cmp(&y.0)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => x.0.cmp(&y.0),
        });
        if !partners.is_empty() {
            let _ = writeln!(
                t,
                "\nMitra teratas menurut skor timbal balik M (keluar = {region}→mitra, masuk = mitra→{region}):"
            );
            for (rank, (b, _)) in partners.iter().take(TOP_PARTNERS).enumerate() {
                let _ = writeln!(
                    t,
                    "  {:>2}. {:<name_width$}  M {:>9}  keluar {:>9}  masuk {:>9}  kemiripan {:>7}",
                    rank + 1,
                    out.regions[*b],
                    num(out.mutual.at(r, *b), 6),
                    num(out.complementarity.at(r, *b), 6),
                    num(out.complementarity.at(*b, r), 6),
                    num(out.similarity.at(r, *b), 4),
                );
            }
            if let Some(u) = partners
                .first()
                .and_then(|(b, _)| out.mutual.at(r, *b))
                .and_then(Measure::reason)
            {
                notes.push(format!("Skor kemitraan: {u}"));
            }
        }
        if !notes.is_empty() {
            let _ = writeln!(t, "Tidak terdefinisi ({DASH}):");
            for n in notes {
                let _ = writeln!(t, "  - {n}");
            }
        }
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "\
id,region,sector,year,value,unit
1,Alpha,A,2020,50,juta
2,Alpha,B,2020,30,juta
3,Alpha,C,2020,20,juta
4,Beta,A,2020,10,juta
5,Beta,B,2020,60,juta
6,Beta,C,2020,30,juta
7,\"Gamma, Kab.\",A,2020,20,juta
8,\"Gamma, Kab.\",B,2020,20,juta
9,\"Gamma, Kab.\",C,2020,60,juta
10,Alpha,A,2021,60,juta
11,Alpha,B,2021,40,juta
12,Alpha,C,2021,25,juta
13,Beta,A,2021,13,juta
14,Beta,B,2021,70,juta
15,Beta,C,2021,33,juta
16,\"Gamma, Kab.\",A,2021,22,juta
17,\"Gamma, Kab.\",B,2021,24,juta
18,\"Gamma, Kab.\",C,2021,70,juta
";

    #[test]
    fn json_has_exactly_the_contract_keys() {
        let out = analyze_csv("data.csv", SAMPLE, 2020, 2021).unwrap();
        let v = serde_json::to_value(&out).unwrap();
        let keys: Vec<&str> = v.as_object().unwrap().keys().map(String::as_str).collect();
        let mut expected = vec![
            "start",
            "end",
            "regions",
            "sectors",
            "lq",
            "lq_start",
            "hoover",
            "dlq",
            "dlq_class",
            "klassen",
            "shift_share",
            "complementarity",
            "mutual",
            "similarity",
        ];
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        expected.sort_unstable();
        assert_eq!(sorted, expected);
        assert_eq!(
            v["regions"],
            serde_json::json!(["Alpha", "Beta", "Gamma, Kab."])
        );
        assert_eq!(v["sectors"], serde_json::json!(["A", "B", "C"]));
        assert!(v["lq"]["Alpha"]["A"].as_f64().unwrap() > 1.0);
        let ss = &v["shift_share"]["Beta"]["B"];
        let total =
            ss["ns"].as_f64().unwrap() + ss["im"].as_f64().unwrap() + ss["rs"].as_f64().unwrap();
        assert!((total - 10.0).abs() < 1e-9);
        assert!(v["dlq_class"]["Alpha"]["A"].is_string());
        assert!(
            v["klassen"]["Alpha"]["A"]
                .as_str()
                .unwrap()
                .starts_with('Q')
        );
        // pair maps: no diagonal, symmetric mutual and similarity
        assert!(v["complementarity"]["Alpha"].get("Alpha").is_none());
        assert_eq!(v["complementarity"]["Alpha"].as_object().unwrap().len(), 2);
        assert_eq!(v["mutual"]["Alpha"]["Beta"], v["mutual"]["Beta"]["Alpha"]);
        assert_eq!(
            v["similarity"]["Alpha"]["Gamma, Kab."],
            v["similarity"]["Gamma, Kab."]["Alpha"]
        );
        // full precision: the JSON number round-trips the f64
        let lq = out.lq.get("Beta", "B").unwrap().get().unwrap();
        assert_eq!(v["lq"]["Beta"]["B"].as_f64().unwrap(), lq);
    }

    #[test]
    fn same_year_growth_is_null() {
        let out = analyze_csv("data.csv", SAMPLE, 2021, 2021).unwrap();
        let v = serde_json::to_value(&out).unwrap();
        for k in ["dlq", "dlq_class", "klassen", "shift_share"] {
            assert!(v[k].is_null(), "{k}");
        }
        assert_eq!(v["lq"], v["lq_start"]);
        let text = render_text(&out);
        assert!(text.contains("tidak dihitung karena tahun awal sama dengan tahun akhir"));
    }

    #[test]
    fn zero_value_gives_null_not_nan() {
        let text = SAMPLE.replace("1,Alpha,A,2020,50,", "1,Alpha,A,2020,0,");
        let out = analyze_csv("data.csv", &text, 2020, 2021).unwrap();
        let v = serde_json::to_value(&out).unwrap();
        assert!(v["dlq"]["Alpha"]["A"].is_null());
        assert!(v["klassen"]["Alpha"]["A"].is_null());
        let rendered = render_text(&out);
        assert!(
            rendered.contains("DLQ sektor A: nilai sektor wilayah pada tahun dasar nol"),
            "{rendered}"
        );
        let json = serde_json::to_string(&out).unwrap();
        assert!(!json.contains("NaN") && !json.contains("inf"));
    }

    fn error(text: &str, start: i32, end: i32) -> AnalyzeError {
        analyze_csv("data.csv", text, start, end).unwrap_err()
    }

    #[test]
    fn errors_name_file_line_and_problem() {
        let e = error(
            &SAMPLE.replace("14,Beta,B,2021,70,", "14,Beta,B,2021,abc,"),
            2020,
            2021,
        );
        assert_eq!(e.to_string(), "data.csv:15: nilai bukan angka: \"abc\"");
        assert_eq!(e.code(), "analyze.non_numeric");

        let e = error(&SAMPLE.replace("value", "nilai"), 2020, 2021);
        assert_eq!(e.line, Some(1));
        assert_eq!(e.code(), "analyze.missing_column");
        assert!(
            e.to_string()
                .starts_with("data.csv:1: kolom \"value\" tidak ada di header")
        );

        let e = error(&SAMPLE.replace("15,Beta,C,2021,33,juta\n", ""), 2020, 2021);
        assert_eq!(
            e.to_string(),
            "data.csv:14: wilayah \"Beta\" tidak memiliki sektor \"C\" pada tahun 2021"
        );
        assert_eq!(e.code(), "analyze.missing_sector");
        // …but not when 2021 is not used
        assert!(
            analyze_csv(
                "data.csv",
                &SAMPLE.replace("15,Beta,C,2021,33,juta\n", ""),
                2020,
                2020
            )
            .is_ok()
        );

        let e = error(SAMPLE, 2020, 2030);
        assert_eq!(
            e.to_string(),
            "data.csv: tahun 2030 tidak ada dalam data (tahun yang tersedia: 2020, 2021)"
        );
        assert_eq!(e.code(), "analyze.year_outside_data");

        let e = error(&format!("{SAMPLE}19,Beta,C,2021,1,juta\n"), 2020, 2021);
        assert_eq!(e.line, Some(20));
        assert_eq!(e.code(), "analyze.duplicate");
        assert!(e.to_string().contains("sudah ada di baris 16"), "{e}");

        let e = error(
            &SAMPLE.replace("3,Alpha,C,2020,20,", "3,Alpha,C,20x0,20,"),
            2020,
            2021,
        );
        assert_eq!((e.line, e.code()), (Some(4), "analyze.bad_year"));

        let e = error(
            &SAMPLE.replace("3,Alpha,C,2020,20,", "3,Alpha,C,2020,-20,"),
            2020,
            2021,
        );
        assert_eq!((e.line, e.code()), (Some(4), "analyze.negative_value"));

        let e = error(
            &SAMPLE.replace("3,Alpha,C,2020,20,", "3,Alpha,C,2020,NaN,"),
            2020,
            2021,
        );
        assert_eq!((e.line, e.code()), (Some(4), "analyze.non_finite"));

        let e = error(
            &SAMPLE.replace("3,Alpha,C,2020,20,juta", "3,Alpha"),
            2020,
            2021,
        );
        assert_eq!((e.line, e.code()), (Some(4), "analyze.missing_field"));

        let e = error(&SAMPLE.replace("3,Alpha,C,", "3,,C,"), 2020, 2021);
        assert_eq!(e.to_string(), "data.csv:4: kolom \"region\" kosong");

        assert_eq!(error("", 2020, 2020).code(), "analyze.empty_file");
        assert_eq!(
            error("region,sector,year,value\n", 2020, 2020).code(),
            "analyze.no_data"
        );
        assert_eq!(error(SAMPLE, 2021, 2020).code(), "analyze.invalid_range");
        let e = error("region,sector,year,value\n\"a,x,2020,1\n", 2020, 2020);
        assert_eq!((e.line, e.code()), (Some(2), "analyze.malformed_csv"));
    }

    #[test]
    fn gap_years_are_reported() {
        let text = "region,sector,year,value\nA,x,2020,1\nA,x,2022,2\n";
        let e = error(text, 2020, 2022);
        assert_eq!(e.code(), "analyze.year_gap");
        assert!(e.to_string().contains("tahun 2021 tidak ada dalam data"));
    }

    #[test]
    fn text_summary_lists_sectors_and_partners() {
        let out = analyze_csv("data.csv", SAMPLE, 2020, 2021).unwrap();
        let text = render_text(&out);
        assert!(text.contains("== Gamma, Kab. =="));
        assert!(text.contains("Mitra teratas"));
        assert!(text.contains("Acuan: jumlah semua wilayah dalam perbandingan."));
        assert!(text.lines().any(|l| l.starts_with("B ")));
    }
}
