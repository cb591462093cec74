//! What can be wrong with a file or a row, and why a row was skipped, in Indonesian or English.

use crate::LimitError;
use sinergi_domain::Lang;

/// A problem with the file as a whole or with one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Problem {
    Unreadable {
        detail: String,
    },
    /// Over a limit, checked before the file is read.
    Limit(LimitError),
    NoSuchSheet {
        name: String,
        available: Vec<String>,
    },
    NoHeader,
    MissingCategory {
        code: String,
        name: String,
    },
    DuplicateCategory {
        code: String,
        columns: Vec<String>,
    },
    YearNotInTable {
        year: i32,
        found: Vec<i32>,
    },
    YearOutOfRange {
        year: i32,
        latest: i32,
    },
    NoRegionRows,
    EmptyRegionName,
    UnknownRegion {
        name: String,
    },
    AmbiguousRegion {
        name: String,
        candidates: Vec<String>,
    },
    DuplicateRegion {
        code: String,
        name: String,
        first_line: usize,
    },
    NonNumeric {
        code: String,
        column: String,
        text: String,
    },
    MissingValue {
        code: String,
        column: String,
    },
    Negative {
        code: String,
        column: String,
        text: String,
    },
}

pub(super) fn join_years(years: &[i32]) -> String {
    years
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

impl Problem {
    /// Stable machine code, e.g. `import.unknown_region`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::Unreadable { .. } => "import.unreadable_file",
            Self::Limit(e) => e.code(),
            Self::NoSuchSheet { .. } => "import.no_such_sheet",
            Self::NoHeader => "import.no_header",
            Self::MissingCategory { .. } => "import.missing_category",
            Self::DuplicateCategory { .. } => "import.duplicate_category",
            Self::YearNotInTable { .. } => "import.year_not_in_table",
            Self::YearOutOfRange { .. } => "import.year_out_of_range",
            Self::NoRegionRows => "import.no_region_rows",
            Self::EmptyRegionName => "import.empty_region_name",
            Self::UnknownRegion { .. } => "import.unknown_region",
            Self::AmbiguousRegion { .. } => "import.ambiguous_region",
            Self::DuplicateRegion { .. } => "import.duplicate_region",
            Self::NonNumeric { .. } => "import.non_numeric",
            Self::MissingValue { .. } => "import.missing_value",
            Self::Negative { .. } => "import.negative_value",
        }
    }

    /// The problem in the user's language.
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let (id, en) = match self {
            Self::Limit(e) => e.messages(),
            Self::Unreadable { detail } => (
                format!("berkas tidak dapat dibaca sebagai tabel: {detail}"),
                format!("the file cannot be read as a table: {detail}"),
            ),
            Self::NoSuchSheet { name, available } => (
                format!(
                    "lembar \"{name}\" tidak ada (yang ada: {})",
                    available.join(", ")
                ),
                format!(
                    "there is no sheet \"{name}\" (available: {})",
                    available.join(", ")
                ),
            ),
            Self::NoHeader => (
                "tidak ditemukan baris judul kolom yang menyebut kategori lapangan usaha (A, B, C, … atau namanya)".to_owned(),
                "no header row naming the lapangan usaha categories (A, B, C, … or their names) was found".to_owned(),
            ),
            Self::MissingCategory { code, name } => (
                format!("kolom kategori {code} ({name}) tidak ada dalam tabel"),
                format!("the table has no column for category {code} ({name})"),
            ),
            Self::DuplicateCategory { code, columns } => (
                format!(
                    "kategori {code} muncul di lebih dari satu kolom ({})",
                    columns.join(", ")
                ),
                format!(
                    "category {code} appears in more than one column ({})",
                    columns.join(", ")
                ),
            ),
            Self::YearNotInTable { year, found } => (
                format!(
                    "tahun {year} berada di luar data: judul tabel hanya menyebut tahun {}",
                    join_years(found)
                ),
                format!(
                    "year {year} is outside the data: the table's title names only {}",
                    join_years(found)
                ),
            ),
            Self::YearOutOfRange { year, latest } => (
                format!("tahun {year} berada di luar data yang mungkin ada (2000–{latest})"),
                format!("year {year} is outside the data that can exist (2000–{latest})"),
            ),
            Self::NoRegionRows => (
                "tidak ada satu pun baris wilayah dengan angka".to_owned(),
                "there is not a single region row with numbers".to_owned(),
            ),
            Self::EmptyRegionName => (
                "baris berisi angka tetapi nama wilayahnya kosong".to_owned(),
                "the row has numbers but no region name".to_owned(),
            ),
            Self::UnknownRegion { name } => (
                format!("nama wilayah \"{name}\" tidak dikenal (tidak ada dalam daftar Kemendagri maupun tabel ejaan lain)"),
                format!("unknown region name \"{name}\" (neither in the Kemendagri list nor in the alias table)"),
            ),
            Self::AmbiguousRegion { name, candidates } => (
                format!(
                    "nama wilayah \"{name}\" cocok dengan lebih dari satu wilayah: {}",
                    candidates.join(", ")
                ),
                format!(
                    "region name \"{name}\" matches more than one region: {}",
                    candidates.join(", ")
                ),
            ),
            Self::DuplicateRegion {
                code,
                name,
                first_line,
            } => (
                format!("{name} ({code}) sudah ada di baris {first_line}"),
                format!("{name} ({code}) already appears on line {first_line}"),
            ),
            Self::NonNumeric { code, column, text } => (
                format!("sel kategori {code} (kolom {column}) bukan angka: \"{text}\""),
                format!("the cell of category {code} (column {column}) is not a number: \"{text}\""),
            ),
            Self::MissingValue { code, column } => (
                format!("nilai kategori {code} (kolom {column}) kosong: wilayah ini tidak lengkap untuk tahun ini"),
                format!("the value of category {code} (column {column}) is missing: this region is incomplete for the year"),
            ),
            Self::Negative { code, column, text } => (
                format!("nilai kategori {code} (kolom {column}) negatif: \"{text}\""),
                format!("the value of category {code} (column {column}) is negative: \"{text}\""),
            ),
        };
        lang.pick(&id, &en).to_owned()
    }
}

/// A problem with where it is (`line` = `None` for the file as a whole).
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub line: Option<usize>,
    pub problem: Problem,
}

/// Why a row was skipped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipReason {
    /// A title or header row above the data.
    Header,
    Blank,
    /// The nation, an island group or the parent province.
    Total,
    Footnote,
    /// Text without numbers between data rows (a group heading).
    Heading,
}

impl SkipReason {
    #[must_use]
    pub const fn code(self) -> &'static str {
        match self {
            Self::Header => "header",
            Self::Blank => "blank",
            Self::Total => "total",
            Self::Footnote => "footnote",
            Self::Heading => "heading",
        }
    }

    #[must_use]
    pub fn message(self, lang: Lang) -> &'static str {
        match self {
            Self::Header => lang.pick("judul atau kepala tabel", "title or table header"),
            Self::Blank => lang.pick("baris kosong", "blank row"),
            Self::Total => lang.pick(
                "baris jumlah (nasional, pulau atau provinsi induk)",
                "total row (nation, island group or parent province)",
            ),
            Self::Footnote => lang.pick("catatan kaki", "footnote"),
            Self::Heading => lang.pick(
                "judul kelompok tanpa angka",
                "group heading without numbers",
            ),
        }
    }
}
