//! What can be wrong with the input of `sinergi analyze`, named by file and line.

use thiserror::Error;

use crate::analysis::AnalysisError;
use crate::panel::PanelError;

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
    pub(crate) fn new(file: &str, line: Option<usize>, kind: AnalyzeErrorKind) -> Self {
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

/// A panel error as the file's error, at the line of the observation it names.
pub(crate) fn map_panel_error(file: &str, lines: &[usize], e: PanelError) -> AnalyzeError {
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
