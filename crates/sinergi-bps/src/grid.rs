//! Reading a file into a grid of cells: CSV (delimiter detected, UTF-8 or Windows-1252) and
//! spreadsheets (XLSX, XLS, ODS through calamine). Each row keeps the line (row) number the
//! user sees in a text editor or spreadsheet program.

use std::io::Cursor;

use calamine::{Data, Reader};

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

/// Reads any supported file.
///
/// # Errors
/// See [`ReadError`].
pub fn read_grid(file_name: &str, bytes: &[u8], sheet: Option<&str>) -> Result<Grid, ReadError> {
    match FileKind::detect(file_name, bytes) {
        FileKind::Csv => Ok(read_csv(bytes)),
        FileKind::Spreadsheet => read_spreadsheet(bytes, sheet),
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
/// record with the line it starts on.
fn split_records(text: &str, delimiter: char) -> Vec<(usize, Vec<String>)> {
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
                record.push(std::mem::take(&mut field));
                out.push((start_line, std::mem::take(&mut record)));
                line += 1;
                start_line = line;
            }
            c if c == delimiter => record.push(std::mem::take(&mut field)),
            c => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        out.push((start_line, record));
    }
    out
}

/// The delimiter giving the most rows with at least 18 fields (a name and 17 categories);
/// `;` first on ties because Indonesian spreadsheets export with it.
fn detect_delimiter(text: &str) -> char {
    let sample: String = text.lines().take(60).collect::<Vec<_>>().join("\n");
    let mut best = (',', 0usize, 0usize);
    for d in [';', ',', '\t'] {
        let records = split_records(&sample, d);
        let wide = records.iter().filter(|(_, r)| r.len() >= 18).count();
        let max = records.iter().map(|(_, r)| r.len()).max().unwrap_or(0);
        if (wide, max) > (best.1, best.2) {
            best = (d, wide, max);
        }
    }
    best.0
}

/// Reads CSV bytes; every cell is text (numbers are parsed later, with the file's format).
#[must_use]
pub fn read_csv(bytes: &[u8]) -> Grid {
    let text = decode(bytes);
    let delimiter = detect_delimiter(&text);
    let rows = split_records(&text, delimiter)
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
    Grid { sheet: None, rows }
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

/// Reads one sheet (the named one, else the first) of a workbook.
///
/// # Errors
/// See [`ReadError`].
pub fn read_spreadsheet(bytes: &[u8], sheet: Option<&str>) -> Result<Grid, ReadError> {
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes.to_vec()))
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let names = book.sheet_names();
    let name = match sheet {
        Some(s) => names
            .iter()
            .find(|n| n.eq_ignore_ascii_case(s))
            .cloned()
            .ok_or_else(|| ReadError::NoSuchSheet {
                name: s.to_owned(),
                available: names.clone(),
            })?,
        None => names.first().cloned().ok_or(ReadError::NoSheet)?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| ReadError::Spreadsheet(e.to_string()))?;
    let (first_row, first_col) = range.start().unwrap_or((0, 0));
    let pad = usize::try_from(first_col).unwrap_or(0);
    let first_line = usize::try_from(first_row).unwrap_or(0) + 1;
    let rows = range
        .rows()
        .enumerate()
        .map(|(i, cells)| {
            let mut row = vec![Cell::Empty; pad];
            row.extend(cells.iter().map(cell_of));
            Row {
                line: first_line + i,
                cells: row,
            }
        })
        .collect();
    Ok(Grid {
        sheet: Some(name),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_semicolons_quotes_and_latin1() {
        let text = "Provinsi;A;B\n\"Kep. Bangka\nBelitung\";1.234,5;7\n";
        let mut padded = text.replace(";B", &";B".repeat(17));
        padded.push_str("Bali;1;2\n");
        let g = read_csv(padded.as_bytes());
        assert_eq!(g.rows[1].line, 2);
        assert_eq!(g.rows[1].cell(0).text(), "Kep. Bangka\nBelitung");
        assert_eq!(g.rows[2].line, 4);
        let latin = read_csv(b"Bal\xED,1\n");
        assert_eq!(latin.rows[0].cell(0).text(), "Balí");
    }
}
