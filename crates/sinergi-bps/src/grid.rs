//! Reading a file into a grid of cells: CSV (delimiter detected, UTF-8 or Windows-1252) and
//! spreadsheets (XLSX, XLS, ODS through calamine). Each row keeps the line (row) number the
//! user sees in a text editor or spreadsheet program.
//!
//! Every format is read within [`Limits`] (see `limits.rs`): nothing is allocated for rows,
//! columns or cells a file only claims to have.

use std::io::Cursor;

use calamine::{Data, DataRef, Reader};

use crate::limits::{self, CellCount, LimitError, Limits};

/// One cell as read.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Number(f64),
}

impl Cell {
    /// The cell as text (numbers in plain notation), trimmed.
    #[must_use]
    pub fn text(&self) -> String {
        match self {
            Self::Empty => String::new(),
            Self::Text(t) => t.trim().to_owned(),
            Self::Number(n) => format!("{n}"),
        }
    }

    #[must_use]
    pub fn is_empty(&self) -> bool {
        match self {
            Self::Empty => true,
            Self::Text(t) => t.trim().is_empty(),
            Self::Number(_) => false,
        }
    }
}

/// One row with its number in the file (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub line: usize,
    pub cells: Vec<Cell>,
}

impl Row {
    #[must_use]
    pub fn cell(&self, i: usize) -> &Cell {
        self.cells.get(i).unwrap_or(&Cell::Empty)
    }

    #[must_use]
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(Cell::is_empty)
    }
}

/// A table read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    /// The sheet read, for spreadsheets.
    pub sheet: Option<String>,
    pub rows: Vec<Row>,
}

/// The file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// Not a spreadsheet calamine can open.
    Spreadsheet(String),
    /// The named sheet does not exist.
    NoSuchSheet {
        name: String,
        available: Vec<String>,
    },
    /// The workbook has no sheet.
    NoSheet,
    /// The file is over a limit, or too damaged to check.
    Limit(LimitError),
}

impl From<LimitError> for ReadError {
    fn from(e: LimitError) -> Self {
        Self::Limit(e)
    }
}

/// What kind of file the bytes are, from the name and the first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Csv,
    Spreadsheet,
}

impl FileKind {
    /// XLSX/ODS are zip files (`PK`), XLS is an OLE file; everything else is read as CSV.
    #[must_use]
    pub fn detect(file_name: &str, bytes: &[u8]) -> Self {
        let lower = file_name.to_ascii_lowercase();
        if bytes.starts_with(b"PK\x03\x04")
            || bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0])
            || [".xlsx", ".xlsm", ".xls", ".ods"]
                .iter()
                .any(|e| lower.ends_with(e))
        {
            Self::Spreadsheet
        } else {
            Self::Csv
        }
    }
}

/// Reads any supported file within `limits`.
///
/// # Errors
/// See [`ReadError`].
pub fn read_grid(
    file_name: &str,
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Grid, ReadError> {
    limits::check_size(bytes, limits)?;
    match FileKind::detect(file_name, bytes) {
        FileKind::Csv => read_csv(bytes, limits),
        FileKind::Spreadsheet => read_spreadsheet(bytes, sheet, limits),
    }
}

/// UTF-8 (with or without BOM), else Windows-1252 as BPS's older downloads are.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_owned(),
        Err(_) => bytes.iter().map(|&b| windows_1252(b)).collect(),
    }
}

fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', '\u{81}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{8d}', 'Ž',
        '\u{8f}', '\u{90}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ', '\u{9d}',
        'ž', 'Ÿ',
    ];
    if (0x80..0xA0).contains(&b) {
        HIGH[usize::from(b - 0x80)]
    } else {
        char::from(b)
    }
}

/// Splits CSV text into records with a given delimiter; quotes may span lines. Returns each
/// record with the line it starts on; stops with an error at the first record past the
/// limits (trailing blank lines and empty fields do not count).
fn split_records(
    text: &str,
    delimiter: char,
    limits: &Limits,
) -> Result<Vec<(usize, Vec<String>)>, LimitError> {
    let mut cells = CellCount::default();
    // Blank records are kept only when data follows them (then within the row limit), so a
    // file of empty lines costs nothing.
    let mut blanks: Option<(usize, usize)> = None;
    let mut push = |out: &mut Vec<(usize, Vec<String>)>,
                    line: usize,
                    mut record: Vec<String>|
     -> Result<(), LimitError> {
        while record.last().is_some_and(|f| f.trim().is_empty()) {
            record.pop();
        }
        if record.is_empty() {
            blanks = Some(blanks.map_or((line, 1), |(first, n)| (first, n + 1)));
            return Ok(());
        }
        limits::check_position(line as u64 - 1, record.len() as u64 - 1, limits)?;
        let filled = record.iter().filter(|f| !f.trim().is_empty()).count();
        cells.add(filled as u64, limits)?;
        if let Some((first, n)) = blanks.take() {
            out.extend((0..n).map(|k| (first + k, Vec::new())));
        }
        out.push((line, record));
        Ok(())
    };
    // Empty fields past the last allowed column are not kept (exports pad rows with
    // delimiters); a non-empty one there is refused.
    let add_field = |record: &mut Vec<String>,
                     skipped: &mut usize,
                     f: String,
                     line: usize|
     -> Result<(), LimitError> {
        if record.len() >= limits.max_columns {
            if !f.trim().is_empty() {
                let col = (record.len() + *skipped) as u64;
                limits::check_position(line as u64 - 1, col, limits)?;
            }
            *skipped += 1;
            return Ok(());
        }
        record.push(f);
        Ok(())
    };
    let mut skipped = 0usize;
    let mut out = Vec::new();
    let mut field = String::new();
    let mut record: Vec<String> = Vec::new();
    let mut in_quotes = false;
    let mut line = 1;
    let mut start_line = 1;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    field.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                if c == '\n' {
                    line += 1;
                }
                field.push(c);
            }
            continue;
        }
        match c {
            '"' => in_quotes = true,
            '\r' => {}
            '\n' => {
                add_field(
                    &mut record,
                    &mut skipped,
                    std::mem::take(&mut field),
                    start_line,
                )?;
                push(&mut out, start_line, std::mem::take(&mut record))?;
                skipped = 0;
                line += 1;
                start_line = line;
            }
            c if c == delimiter => {
                add_field(
                    &mut record,
                    &mut skipped,
                    std::mem::take(&mut field),
                    start_line,
                )?;
            }
            c => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        add_field(&mut record, &mut skipped, field, start_line)?;
        push(&mut out, start_line, record)?;
    }
    Ok(out)
}

/// The delimiter giving the most rows with at least 18 fields (a name and 17 categories);
/// `;` first on ties because Indonesian spreadsheets export with it.
fn detect_delimiter(text: &str) -> char {
    let sample: String = text.lines().take(60).collect::<Vec<_>>().join("\n");
    let mut best = (',', 0usize, 0usize);
    // The sample is read without limits on width (a wrong delimiter may make one wide
    // record); the real read below applies them.
    let loose = Limits {
        max_columns: usize::MAX / 4,
        max_rows: usize::MAX / 4,
        max_cells: usize::MAX / 4,
        ..Limits::default()
    };
    for d in [';', ',', '\t'] {
        let records = split_records(&sample, d, &loose).unwrap_or_default();
        let wide = records.iter().filter(|(_, r)| r.len() >= 18).count();
        let max = records.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
        if (wide, max) > (best.1, best.2) {
            best = (d, wide, max);
        }
    }
    best.0
}

/// Reads CSV bytes within `limits`; every cell is text (numbers are parsed later, with the
/// file's format).
///
/// # Errors
/// A row, column or cell count past the limits.
pub fn read_csv(bytes: &[u8], limits: &Limits) -> Result<Grid, ReadError> {
    limits::check_size(bytes, limits)?;
    let text = decode(bytes);
    let delimiter = detect_delimiter(&text);
    let rows = split_records(&text, delimiter, limits)?
        .into_iter()
        .map(|(line, fields)| Row {
            line,
            cells: fields
                .into_iter()
                .map(|f| {
                    if f.trim().is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Text(f)
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Grid { sheet: None, rows })
}

fn cell_of(d: &Data) -> Cell {
    match d {
        Data::Empty => Cell::Empty,
        #[expect(clippy::cast_precision_loss, reason = "spreadsheet integers are small")]
        Data::Int(i) => Cell::Number(*i as f64),
        Data::Float(f) => Cell::Number(*f),
        Data::String(s) => {
            if s.trim().is_empty() {
                Cell::Empty
            } else {
                Cell::Text(s.clone())
            }
        }
        other => Cell::Text(other.to_string()),
    }
}

/// Picks the named sheet (case-insensitive), else the first.
fn pick_sheet(names: &[String], sheet: Option<&str>) -> Result<String, ReadError> {
    match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(s))
            .cloned()
            .ok_or_else(|| ReadError::NoSuchSheet {
                name: s.to_owned(),
                available: names.to_vec(),
            }),
        None => names.first().cloned().ok_or(ReadError::NoSheet),
    }
}

/// Builds rows from sparse cells `(row, col, cell)` (0-based), each checked against the
/// limits before it is stored: a row is only as wide as its last non-empty cell.
fn rows_of(
    cells: impl IntoIterator<Item = Result<(u32, u32, Cell), ReadError>>,
    limits: &Limits,
) -> Result<Vec<Row>, ReadError> {
    let mut count = CellCount::default();
    let mut by_row: std::collections::BTreeMap<u32, Vec<(u32, Cell)>> = Default::default();
    for c in cells {
        let (r, col, cell) = c?;
        if cell.is_empty() {
            continue;
        }
        limits::check_position(u64::from(r), u64::from(col), limits)?;
        count.add(1, limits)?;
        by_row.entry(r).or_default().push((col, cell));
    }
    let (Some(&first), Some(&last)) = (by_row.keys().next(), by_row.keys().next_back()) else {
        return Ok(Vec::new());
    };
    let mut rows = Vec::with_capacity((last - first + 1) as usize);
    for r in first..=last {
        let mut row = Vec::new();
        if let Some(cells) = by_row.remove(&r) {
            for (col, cell) in cells {
                let col = col as usize;
                if row.len() <= col {
                    row.resize(col + 1, Cell::Empty);
                }
                row[col] = cell;
            }
        }
        rows.push(Row {
            line: r as usize + 1,
            cells: row,
        });
    }
    Ok(rows)
}

fn cell_of_ref(d: &DataRef<'_>) -> Cell {
    match d {
        DataRef::Empty => Cell::Empty,
        #[expect(clippy::cast_precision_loss, reason = "spreadsheet integers are small")]
        DataRef::Int(i) => Cell::Number(*i as f64),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::String(s) => Cell::Text(s.clone()),
        DataRef::SharedString(s) => Cell::Text((*s).to_owned()),
        other => cell_of(&Data::from(other.clone())),
    }
}

fn spreadsheet_error(e: impl std::fmt::Display) -> ReadError {
    ReadError::Spreadsheet(e.to_string())
}

/// Reads one sheet (the named one, else the first) of a workbook within `limits`: XLSX cells
/// are streamed; XLS and ODS are checked record by record before calamine reads them.
///
/// # Errors
/// See [`ReadError`].
pub fn read_spreadsheet(
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Grid, ReadError> {
    limits::check_size(bytes, limits)?;
    // Last resort: a reader bug on a hostile file is a refused file, never a dead process.
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        read_spreadsheet_checked(bytes, sheet, limits)
    }))
    .unwrap_or_else(|_| {
        Err(ReadError::Limit(LimitError::Damaged(
            "the spreadsheet reader failed on this file".to_owned(),
        )))
    })
}

fn read_spreadsheet_checked(
    bytes: &[u8],
    sheet: Option<&str>,
    limits: &Limits,
) -> Result<Grid, ReadError> {
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        limits::check_xls(bytes, limits)?;
        let mut book = calamine::Xls::new(Cursor::new(bytes)).map_err(spreadsheet_error)?;
        let name = pick_sheet(&book.sheet_names(), sheet)?;
        let range = book.worksheet_range(&name).map_err(spreadsheet_error)?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range
            .used_cells()
            .map(|(r, c, d)| {
                let r = r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
                let c = c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
                Ok((r, c, cell_of(d)))
            })
            .collect::<Vec<_>>();
        return Ok(Grid {
            sheet: Some(name),
            rows: rows_of(cells, limits)?,
        });
    }
    if !bytes.starts_with(b"PK\x03\x04") {
        return Err(ReadError::Spreadsheet(
            "not an XLSX, XLS or ODS file".to_owned(),
        ));
    }
    limits::check_zip(bytes, limits)?;
    let names = limits::zip_names(bytes);
    if names.iter().any(|n| n == "xl/workbook.xml") {
        let mut book = calamine::Xlsx::new(Cursor::new(bytes)).map_err(spreadsheet_error)?;
        let name = pick_sheet(&book.sheet_names(), sheet)?;
        let mut reader = book
            .worksheet_cells_reader(&name)
            .map_err(spreadsheet_error)?;
        let mut cells = Vec::new();
        let mut count = CellCount::default();
        while let Some(c) = reader.next_cell().map_err(spreadsheet_error)? {
            let (r, col) = c.get_position();
            let cell = cell_of_ref(c.get_value());
            if cell.is_empty() {
                continue;
            }
            limits::check_position(u64::from(r), u64::from(col), limits)?;
            count.add(1, limits)?;
            cells.push(Ok((r, col, cell)));
        }
        drop(reader);
        return Ok(Grid {
            sheet: Some(name),
            rows: rows_of(cells, limits)?,
        });
    }
    if names.iter().any(|n| n == "content.xml") {
        let content = limits::zip_entry(bytes, "content.xml")
            .ok_or_else(|| ReadError::Spreadsheet("content.xml unreadable".to_owned()))?;
        limits::check_ods_content(&content, limits)?;
        let mut book = calamine::Ods::new(Cursor::new(bytes)).map_err(spreadsheet_error)?;
        let name = pick_sheet(&book.sheet_names(), sheet)?;
        let range = book.worksheet_range(&name).map_err(spreadsheet_error)?;
        let (r0, c0) = range.start().unwrap_or((0, 0));
        let cells = range
            .used_cells()
            .map(|(r, c, d)| {
                let r = r0.saturating_add(u32::try_from(r).unwrap_or(u32::MAX));
                let c = c0.saturating_add(u32::try_from(c).unwrap_or(u32::MAX));
                Ok((r, c, cell_of(d)))
            })
            .collect::<Vec<_>>();
        return Ok(Grid {
            sheet: Some(name),
            rows: rows_of(cells, limits)?,
        });
    }
    Err(ReadError::Spreadsheet(
        "a zip file that is neither XLSX nor ODS".to_owned(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_semicolons_quotes_and_latin1() {
        let text = "Provinsi;A;B\n\"Kep. Bangka\nBelitung\";1.234,5;7\n";
        let mut padded = text.replace(";B", &";B".repeat(17));
        padded.push_str("Bali;1;2\n");
        let g = read_csv(padded.as_bytes(), &Limits::default()).unwrap();
        assert_eq!(g.rows[1].line, 2);
        assert_eq!(g.rows[1].cell(0).text(), "Kep. Bangka\nBelitung");
        assert_eq!(g.rows[2].line, 4);
        let latin = read_csv(b"Bal\xED,1\n", &Limits::default()).unwrap();
        assert_eq!(latin.rows[0].cell(0).text(), "Balí");
    }
}
