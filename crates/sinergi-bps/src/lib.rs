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
pub mod limits;
mod number;

pub use grid::{Cell, FileKind, Grid, ReadError, Row, read_csv, read_grid, read_spreadsheet};
pub use limits::{LimitError, Limits};
pub use number::{NumberFormat, Parsed, evidence, parse};

use serde::Serialize;
use sinergi_domain::Lang;
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

fn join_years(years: &[i32]) -> String {
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

/// What happened to one row.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Mapped { code: String, name: String },
    Skipped(SkipReason),
    Rejected(Vec<Problem>),
}

#[derive(Debug, Clone, PartialEq)]
pub struct RowReport {
    pub line: usize,
    /// The row's region cell as written.
    pub label: String,
    pub outcome: Outcome,
}

/// One value read from a mapped row.
#[derive(Debug, Clone, PartialEq)]
pub struct Value {
    pub line: usize,
    pub region_code: String,
    pub sector: String,
    pub value: f64,
}

/// Everything the reader found.
#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub file: String,
    pub sheet: Option<String>,
    pub year: i32,
    pub number_format: Option<NumberFormat>,
    /// Problems with the file as a whole; any of them means nothing can be imported.
    pub file_problems: Vec<Issue>,
    pub rows: Vec<RowReport>,
    /// Values of the mapped rows only.
    pub values: Vec<Value>,
}

impl Report {
    #[must_use]
    pub fn mapped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Mapped { .. }))
    }

    #[must_use]
    pub fn skipped(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Skipped(_)))
    }

    #[must_use]
    pub fn rejected(&self) -> usize {
        self.count(|o| matches!(o, Outcome::Rejected(_)))
    }

    fn count(&self, f: impl Fn(&Outcome) -> bool) -> usize {
        self.rows.iter().filter(|r| f(&r.outcome)).count()
    }

    /// Whether the values may be written: no file problem, at least one mapped row, and no
    /// rejected row unless the user accepted a partial import.
    #[must_use]
    pub fn importable(&self, accept_partial: bool) -> bool {
        self.file_problems.is_empty()
            && self.mapped() > 0
            && (accept_partial || self.rejected() == 0)
    }

    /// "data.csv, baris 12" / "data.xlsx (lembar Tabel), line 12".
    #[must_use]
    pub fn place(&self, line: Option<usize>, lang: Lang) -> String {
        let mut s = self.file.clone();
        if let Some(sheet) = &self.sheet {
            s.push_str(&format!(" ({} {sheet})", lang.pick("lembar", "sheet")));
        }
        if let Some(line) = line {
            s.push_str(&format!(", {} {line}", lang.pick("baris", "line")));
        }
        s
    }

    /// Every problem as "file, line N: problem", file problems first.
    #[must_use]
    pub fn problem_lines(&self, lang: Lang) -> Vec<String> {
        let mut out: Vec<String> = self
            .file_problems
            .iter()
            .map(|i| format!("{}: {}", self.place(i.line, lang), i.problem.message(lang)))
            .collect();
        for r in &self.rows {
            if let Outcome::Rejected(problems) = &r.outcome {
                for p in problems {
                    out.push(format!(
                        "{}: {}",
                        self.place(Some(r.line), lang),
                        p.message(lang)
                    ));
                }
            }
        }
        out
    }

    /// The report as JSON-ready data in the user's language.
    #[must_use]
    pub fn view(&self, lang: Lang) -> ReportView {
        let issue = |line: Option<usize>, p: &Problem| IssueView {
            line,
            code: p.code(),
            message: p.message(lang),
            place: self.place(line, lang),
        };
        ReportView {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            year: self.year,
            number_format: self.number_format,
            mapped: self.mapped(),
            skipped: self.skipped(),
            rejected: self.rejected(),
            file_problems: self
                .file_problems
                .iter()
                .map(|i| issue(i.line, &i.problem))
                .collect(),
            rows: self
                .rows
                .iter()
                .map(|r| {
                    let (status, code, name, reason, problems) = match &r.outcome {
                        Outcome::Mapped { code, name } => (
                            "mapped",
                            Some(code.clone()),
                            Some(name.clone()),
                            None,
                            Vec::new(),
                        ),
                        Outcome::Skipped(s) => (
                            "skipped",
                            None,
                            None,
                            Some(s.message(lang).to_owned()),
                            Vec::new(),
                        ),
                        Outcome::Rejected(ps) => (
                            "rejected",
                            None,
                            None,
                            None,
                            ps.iter().map(|p| issue(Some(r.line), p)).collect(),
                        ),
                    };
                    RowView {
                        line: r.line,
                        label: r.label.clone(),
                        status,
                        region_code: code,
                        region_name: name,
                        reason,
                        problems,
                    }
                })
                .collect(),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct IssueView {
    pub line: Option<usize>,
    pub code: &'static str,
    pub message: String,
    /// "file, baris N".
    pub place: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct RowView {
    pub line: usize,
    pub label: String,
    /// `mapped`, `skipped` or `rejected`.
    pub status: &'static str,
    pub region_code: Option<String>,
    pub region_name: Option<String>,
    pub reason: Option<String>,
    pub problems: Vec<IssueView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ReportView {
    pub file: String,
    pub sheet: Option<String>,
    pub year: i32,
    pub number_format: Option<NumberFormat>,
    pub mapped: usize,
    pub skipped: usize,
    pub rejected: usize,
    pub file_problems: Vec<IssueView>,
    pub rows: Vec<RowView>,
}

/// Spreadsheet column letters: 0 → A, 26 → AA.
#[must_use]
pub fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(char::from(b'A' + u8::try_from(i % 26).unwrap_or(0)));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.iter().rev().collect()
}

/// Expands a header code such as `M,N`, `M-N`, `R-U`, `R, S, T, U` to `M,N` / `R,S,T,U`.
fn code_of_header(text: &str) -> Option<String> {
    let t = text.trim().trim_start_matches('[');
    let first = t.chars().next()?;
    if !first.is_ascii_uppercase() {
        return None;
    }
    let end = t.find(['.', ')', ':', ']']).unwrap_or(t.len());
    let head: String = t[..end].chars().filter(|c| !c.is_whitespace()).collect();
    // "A" alone, or "A. Pertanian…": a bare "Bali" must not read as a code.
    if head.is_empty()
        || !head
            .chars()
            .all(|c| c.is_ascii_uppercase() || matches!(c, ',' | '-' | '–'))
    {
        return None;
    }
    if end == t.len()
        && head.chars().filter(char::is_ascii_uppercase).count() > 1
        && !head.contains([',', '-', '–'])
    {
        return None;
    }
    let parts: Vec<&str> = head.split(['-', '–']).collect();
    if parts.len() == 2 && parts[0].len() == 1 && parts[1].len() == 1 {
        let (a, b) = (parts[0].as_bytes()[0], parts[1].as_bytes()[0]);
        if a < b {
            return Some(
                (a..=b)
                    .map(|c| char::from(c).to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            );
        }
    }
    Some(head.replace(['-', '–'], ","))
}

/// Which category a header cell names, by code or by name.
fn category_of_cell(cell: &Cell, categories: &[Category]) -> Option<usize> {
    let Cell::Text(text) = cell else {
        return None;
    };
    if let Some(code) = code_of_header(text)
        && let Some(i) = categories.iter().position(|c| c.code == code)
    {
        return Some(i);
    }
    let key = search_key(text);
    if key.len() < 6 {
        return None;
    }
    let key = key.replace("realestate", "realestat");
    categories
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let ck = search_key(&c.name);
            ck.len() >= 6 && (key == ck || key.contains(&ck))
        })
        .max_by_key(|(_, c)| search_key(&c.name).len())
        .map(|(i, _)| i)
}

/// `(1)`, `[2]`: a column-numbering cell of a header, not data.
fn is_column_number(text: &str) -> bool {
    let t = text.trim();
    let inner = t
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')));
    inner.is_some_and(|i| !i.is_empty() && i.len() <= 3 && i.chars().all(|c| c.is_ascii_digit()))
}

fn looks_numeric(cell: &Cell) -> bool {
    match cell {
        Cell::Number(_) => true,
        Cell::Text(t) => {
            !is_column_number(t) && matches!(parse(t, NumberFormat::Indonesian), Parsed::Number(_))
        }
        Cell::Empty => false,
    }
}

/// Years 2000–2100 written in the title and header rows (and the sheet name).
fn years_mentioned(rows: &[Row], sheet: Option<&str>) -> Vec<i32> {
    let mut years = Vec::new();
    let mut scan = |text: &str| {
        let bytes = text.as_bytes();
        for i in 0..bytes.len().saturating_sub(3) {
            let window = &bytes[i..i + 4];
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 4).copied();
            if window.iter().all(u8::is_ascii_digit)
                && !before.is_some_and(|b| b.is_ascii_digit())
                && !after.is_some_and(|b| b.is_ascii_digit())
                && let Ok(y) = std::str::from_utf8(window).unwrap_or("").parse::<i32>()
                && (2000..=2100).contains(&y)
                && !years.contains(&y)
            {
                years.push(y);
            }
        }
    };
    for row in rows {
        for cell in &row.cells {
            match cell {
                Cell::Text(t) => scan(t),
                Cell::Number(n) if n.fract() == 0.0 && (2000.0..=2100.0).contains(n) => {
                    scan(&format!("{n}"));
                }
                _ => {}
            }
        }
    }
    if let Some(s) = sheet {
        scan(s);
    }
    years.sort_unstable();
    years
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

/// The row label without numbering ("1.", "01") and footnote markers ("Papua*", "Aceh¹", "Bali x)").
fn clean_label(label: &str) -> String {
    let mut t = label.trim();
    let numbered = t.trim_start_matches(|c: char| c.is_ascii_digit());
    if numbered.len() < t.len() {
        let rest = numbered.trim_start_matches(['.', ')']);
        if rest.starts_with(' ') || rest.len() < numbered.len() {
            t = rest.trim_start();
        }
    }
    let mut s = t.to_owned();
    loop {
        let before = s.len();
        s = s.trim_end_matches(['*', '¹', '²', '³', ' ']).to_owned();
        for marker in [" x)", " r)", "x)", " 1)", " 2)"] {
            if let Some(stripped) = s.strip_suffix(marker) {
                s = stripped.to_owned();
            }
        }
        if s.len() == before {
            break;
        }
    }
    s
}

/// Finds the region a label names: exact keys only (a table is no place to guess).
fn find_region<'a>(label: &str, candidates: &'a [Candidate]) -> Vec<&'a Candidate> {
    let full = search_key(label);
    let stripped = search_key(strip_level_prefix(label));
    let says_city = label.trim_start().to_lowercase().starts_with("kota ");
    let found: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.keys.iter().any(|k| *k == full || *k == stripped))
        .collect();
    if found.len() == 2 && !says_city {
        // BPS writes regencies without a prefix and cities with "Kota": "Bandung" is the regency.
        let regencies: Vec<&Candidate> = found
            .iter()
            .copied()
            .filter(|c| c.level == "regency")
            .collect();
        if regencies.len() == 1 {
            return regencies;
        }
    }
    if found.len() > 1 && says_city {
        let cities: Vec<&Candidate> = found
            .iter()
            .copied()
            .filter(|c| c.level == "city")
            .collect();
        if cities.len() == 1 {
            return cities;
        }
    }
    found
}

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
