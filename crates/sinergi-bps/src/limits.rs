//! What a table file may cost before it is read: its size, the rows, columns and cells it
//! declares or holds, and how much its zip parts unpack to. Every check runs on the bytes
//! before calamine (or the CSV reader) builds anything from them, so a hostile file is refused
//! with a specific message in bounded time and memory instead of allocating what it claims.
//!
//! - XLSX/ODS are zip packages: the central directory's entry count and declared sizes are
//!   checked, then every entry is actually inflated into a counting sink that stops at the
//!   limit (a declared size can lie).
//! - XLS is an OLE compound file: its `Workbook` stream is read through a strict compound-file
//!   reader of our own and every BIFF record calamine turns into cells (`DIMENSIONS`, `NUMBER`,
//!   `RK`, `MULRK`, `LABELSST`, …) is checked against the limits, from every sheet position the
//!   workbook names, as calamine walks them.
//! - ODS content is scanned for repeated rows and cells (`table:number-rows-repeated`,
//!   `table:number-columns-repeated`) that would expand past the limits.
//! - XLSX cells are streamed (never a dense bounding box) and checked as they are read.

use std::io::{Cursor, Read};

/// The limits of one table file. The defaults fit every published BPS PDRB table with a
/// wide margin (Indonesia's 514 regencies and cities are 514 rows; 17 categories per year).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The file's size in bytes.
    pub max_bytes: u64,
    /// The last row that may hold data (1-based, as a spreadsheet numbers rows).
    pub max_rows: usize,
    /// The last column that may hold data (1-based: 26 = Z).
    pub max_columns: usize,
    /// Non-empty cells in the whole file.
    pub max_cells: usize,
    /// All parts of a zip package (XLSX, ODS) together, unpacked.
    pub max_unpacked_bytes: u64,
    /// Entries in a zip package.
    pub max_zip_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 10 * 1024 * 1024,
            max_rows: 5_000,
            max_columns: 128,
            max_cells: 200_000,
            max_unpacked_bytes: 64 * 1024 * 1024,
            max_zip_entries: 1_000,
        }
    }
}

/// Why a file is refused before it is read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LimitError {
    TooLarge {
        size: u64,
        max: u64,
    },
    TooManyRows {
        row: u64,
        max: usize,
    },
    TooManyColumns {
        column: u64,
        max: usize,
    },
    TooManyCells {
        max: usize,
    },
    Unpacked {
        max: u64,
    },
    TooManyEntries {
        entries: usize,
        max: usize,
    },
    /// The structure is inconsistent (a chain that loops, a record that overruns its stream).
    Damaged(String),
}

impl LimitError {
    /// Stable machine code, e.g. `import.too_many_rows`.
    #[must_use]
    pub const fn code(&self) -> &'static str {
        match self {
            Self::TooLarge { .. } => "import.file_too_large",
            Self::TooManyRows { .. } => "import.too_many_rows",
            Self::TooManyColumns { .. } => "import.too_many_columns",
            Self::TooManyCells { .. } => "import.too_many_cells",
            Self::Unpacked { .. } => "import.unpacks_too_large",
            Self::TooManyEntries { .. } => "import.too_many_parts",
            Self::Damaged(_) => "import.damaged_file",
        }
    }

    /// (Indonesian, English).
    #[must_use]
    pub fn messages(&self) -> (String, String) {
        match self {
            Self::TooLarge { size, max } => (
                format!("berkas berukuran {size} bita melebihi batas {max} bita"),
                format!("the file is {size} bytes; the limit is {max} bytes"),
            ),
            Self::TooManyRows { row, max } => (
                format!(
                    "lembar berisi data sampai baris {row}; paling banyak {max} baris yang dibaca"
                ),
                format!("the sheet holds data up to row {row}; at most {max} rows are read"),
            ),
            Self::TooManyColumns { column, max } => (
                format!(
                    "lembar berisi data sampai kolom ke-{column}; paling banyak {max} kolom yang dibaca"
                ),
                format!(
                    "the sheet holds data up to column {column}; at most {max} columns are read"
                ),
            ),
            Self::TooManyCells { max } => (
                format!("berkas berisi lebih dari {max} sel berisi"),
                format!("the file holds more than {max} non-empty cells"),
            ),
            Self::Unpacked { max } => (
                format!(
                    "isi berkas yang dimampatkan melebihi {max} bita setelah dibuka (kemungkinan bom zip)"
                ),
                format!("the compressed file unpacks to more than {max} bytes (a zip bomb?)"),
            ),
            Self::TooManyEntries { entries, max } => (
                format!("paket berkas berisi {entries} bagian; paling banyak {max}"),
                format!("the package holds {entries} parts; at most {max}"),
            ),
            Self::Damaged(detail) => (
                format!("struktur berkas rusak: {detail}"),
                format!("the file's structure is damaged: {detail}"),
            ),
        }
    }
}

/// The file's size.
///
/// # Errors
/// Over `max_bytes`.
pub fn check_size(bytes: &[u8], limits: &Limits) -> Result<(), LimitError> {
    let size = bytes.len() as u64;
    if size > limits.max_bytes {
        return Err(LimitError::TooLarge {
            size,
            max: limits.max_bytes,
        });
    }
    Ok(())
}

/// A row and column (0-based, as the formats store them) within the limits.
///
/// # Errors
/// Past the last allowed row or column.
pub fn check_position(row: u64, col: u64, limits: &Limits) -> Result<(), LimitError> {
    if row >= limits.max_rows as u64 {
        return Err(LimitError::TooManyRows {
            row: row + 1,
            max: limits.max_rows,
        });
    }
    if col >= limits.max_columns as u64 {
        return Err(LimitError::TooManyColumns {
            column: col + 1,
            max: limits.max_columns,
        });
    }
    Ok(())
}

/// A zip package's entries, declared sizes and real unpacked size.
///
/// # Errors
/// Too many entries, more unpacked bytes than allowed, or a damaged archive.
pub fn check_zip(bytes: &[u8], limits: &Limits) -> Result<(), LimitError> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| LimitError::Damaged(format!("zip: {e}")))?;
    if zip.len() > limits.max_zip_entries {
        return Err(LimitError::TooManyEntries {
            entries: zip.len(),
            max: limits.max_zip_entries,
        });
    }
    let max = limits.max_unpacked_bytes;
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|e| LimitError::Damaged(format!("zip: {e}")))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > max {
        return Err(LimitError::Unpacked { max });
    }
    // Declared sizes can lie: inflate every entry into a sink that stops past the limit.
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|e| LimitError::Damaged(format!("zip: {e}")))?;
        loop {
            let n = match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) => return Err(LimitError::Damaged(format!("zip: {e}"))),
            };
            total = total.saturating_add(n as u64);
            if total > max {
                return Err(LimitError::Unpacked { max });
            }
        }
    }
    Ok(())
}

/// The names of a zip package's entries (after [`check_zip`]).
pub(crate) fn zip_names(bytes: &[u8]) -> Vec<String> {
    zip::ZipArchive::new(Cursor::new(bytes))
        .map(|z| {
            z.file_names()
                .filter_map(|n| n.ok().map(std::borrow::Cow::into_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// One entry of a zip package, unpacked (after [`check_zip`], so bounded).
pub(crate) fn zip_entry(bytes: &[u8], name: &str) -> Option<Vec<u8>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).ok()?;
    let mut entry = zip.by_name(name).ok()?;
    let mut out = Vec::new();
    entry.read_to_end(&mut out).ok()?;
    Some(out)
}

/// Counts non-empty cells against the limit.
#[derive(Debug, Default)]
pub(crate) struct CellCount(usize);

impl CellCount {
    pub(crate) fn add(&mut self, n: u64, limits: &Limits) -> Result<(), LimitError> {
        self.0 = self
            .0
            .saturating_add(usize::try_from(n).unwrap_or(usize::MAX));
        if self.0 > limits.max_cells {
            return Err(LimitError::TooManyCells {
                max: limits.max_cells,
            });
        }
        Ok(())
    }
}

/// ODS `content.xml`: the extent the repeated rows and cells would expand to.
///
/// # Errors
/// Data past the limits, too many cells, malformed XML.
pub fn check_ods_content(xml: &[u8], limits: &Limits) -> Result<(), LimitError> {
    use quick_xml::events::{BytesStart, Event};
    fn repeats(e: &BytesStart<'_>, name: &str) -> u64 {
        e.attributes()
            .flatten()
            .find(|a| a.key.as_ref() == name)
            .and_then(|a| a.value.trim().parse::<u64>().ok())
            .unwrap_or(1)
            .max(1)
    }
    fn has_value(e: &BytesStart<'_>) -> bool {
        e.attributes().flatten().any(|a| {
            matches!(
                a.key.as_ref(),
                "office:value-type" | "table:formula" | "calcext:value-type"
            )
        })
    }
    let mut reader = quick_xml::Reader::from_reader(xml);
    reader.config_mut().expand_empty_elements = true;
    let mut buf = Vec::new();
    let mut cells = CellCount::default();
    // Per table: the next row index; per row: its repeats, the next column, the last column
    // with content and the content cells; per cell: its repeats and whether it holds content.
    let mut row_index: u64 = 0;
    let mut row: Option<(u64, u64, u64, u64)> = None;
    let mut cell: Option<(u64, bool)> = None;
    let mut depth_in_cell = 0usize;
    loop {
        let event = reader
            .read_event_into(&mut buf)
            .map_err(|e| LimitError::Damaged(format!("content.xml: {e}")))?;
        match event {
            Event::Eof => break,
            Event::Start(e) => {
                if cell.is_some() {
                    depth_in_cell += 1;
                    if let Some(c) = &mut cell {
                        c.1 = true;
                    }
                    continue;
                }
                match e.name().as_ref() {
                    "table:table" => row_index = 0,
                    "table:table-row" => {
                        row = Some((repeats(&e, "table:number-rows-repeated"), 0, 0, 0));
                    }
                    "table:table-cell" | "table:covered-table-cell" if row.is_some() => {
                        cell = Some((repeats(&e, "table:number-columns-repeated"), has_value(&e)));
                        depth_in_cell = 0;
                    }
                    _ => {}
                }
            }
            Event::End(e) => {
                if cell.is_some() && depth_in_cell > 0 {
                    depth_in_cell -= 1;
                    continue;
                }
                match e.name().as_ref() {
                    "table:table-cell" | "table:covered-table-cell" => {
                        if let (Some((reps, content)), Some(r)) = (cell.take(), row.as_mut()) {
                            r.1 = r.1.saturating_add(reps);
                            if content {
                                check_position(row_index, r.1 - 1, limits)?;
                                r.2 = r.1;
                                r.3 = r.3.saturating_add(reps);
                            }
                        }
                    }
                    "table:table-row" => {
                        if let Some((reps, _, last, content)) = row.take() {
                            if content > 0 {
                                check_position(
                                    row_index.saturating_add(reps - 1),
                                    last - 1,
                                    limits,
                                )?;
                                cells.add(content.saturating_mul(reps), limits)?;
                            }
                            row_index = row_index.saturating_add(reps);
                        }
                    }
                    _ => {}
                }
            }
            _ => {}
        }
        buf.clear();
    }
    Ok(())
}

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;

fn le16(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes(b.get(at..at + 2)?.try_into().ok()?))
}
fn le32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

fn damaged(what: &str) -> LimitError {
    LimitError::Damaged(format!("XLS: {what}"))
}

/// A strict reader of an OLE compound file's streams: every sector id in range, every chain
/// visited at most once and long enough for its stream.
struct Compound<'a> {
    bytes: &'a [u8],
    sector: usize,
    fat: Vec<u32>,
    dirs: Vec<(String, u8, u32, u64)>,
    mini_fat: Vec<u32>,
    mini_stream: Vec<u8>,
}

impl<'a> Compound<'a> {
    fn open(bytes: &'a [u8]) -> Result<Self, LimitError> {
        if !bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            return Err(damaged("not a compound file"));
        }
        let shift = le16(bytes, 0x1E).ok_or_else(|| damaged("header"))?;
        if shift != 9 && shift != 12 {
            return Err(damaged("sector size"));
        }
        let sector = 1usize << shift;
        let sectors = bytes.len() / sector;
        let mut c = Self {
            bytes,
            sector,
            fat: Vec::new(),
            dirs: Vec::new(),
            mini_fat: Vec::new(),
            mini_stream: Vec::new(),
        };
        // The FAT's sectors: 109 in the header, the rest in the DIFAT chain.
        let mut fat_sectors: Vec<u32> = (0..109)
            .filter_map(|i| le32(bytes, 0x4C + 4 * i))
            .filter(|&s| s < 0xFFFF_FFFA)
            .collect();
        let mut difat = le32(bytes, 0x44).ok_or_else(|| damaged("header"))?;
        let mut hops = 0;
        while difat < 0xFFFF_FFFA {
            hops += 1;
            if hops > sectors {
                return Err(damaged("DIFAT chain loops"));
            }
            let s = c.sector_bytes(difat)?;
            let n = sector / 4 - 1;
            fat_sectors.extend(
                (0..n)
                    .filter_map(|i| le32(s, 4 * i))
                    .filter(|&x| x < 0xFFFF_FFFA),
            );
            difat = le32(s, 4 * n).ok_or_else(|| damaged("DIFAT"))?;
        }
        if fat_sectors.len() > sectors {
            return Err(damaged("FAT larger than the file"));
        }
        let mut fat = Vec::with_capacity(fat_sectors.len() * sector / 4);
        for s in fat_sectors {
            let b = c.sector_bytes(s)?;
            fat.extend(b.chunks_exact(4).filter_map(|w| le32(w, 0)));
        }
        c.fat = fat;
        let dir_start = le32(bytes, 0x30).ok_or_else(|| damaged("header"))?;
        let dir_bytes = c.chain(dir_start, None, false)?;
        for d in dir_bytes.chunks_exact(128) {
            let len = usize::from(le16(d, 64).unwrap_or(0)).min(64);
            let units: Vec<u16> = d[..len.saturating_sub(2)]
                .chunks_exact(2)
                .filter_map(|w| le16(w, 0))
                .collect();
            let name = String::from_utf16_lossy(&units);
            let kind = d[66];
            let start = le32(d, 116).unwrap_or(ENDOFCHAIN);
            let size = u64::from(le32(d, 120).unwrap_or(0));
            c.dirs.push((name, kind, start, size));
        }
        let Some(&(_, root_kind, root_start, root_size)) = c.dirs.first() else {
            return Err(damaged("no root directory"));
        };
        if root_kind != 5 {
            return Err(damaged("no root directory"));
        }
        if root_size > 0 && root_start < 0xFFFF_FFFA {
            c.mini_stream = c.chain(root_start, Some(root_size), false)?;
            let mini_fat_start = le32(bytes, 0x3C).ok_or_else(|| damaged("header"))?;
            if mini_fat_start < 0xFFFF_FFFA {
                let m = c.chain(mini_fat_start, None, false)?;
                c.mini_fat = m.chunks_exact(4).filter_map(|w| le32(w, 0)).collect();
            }
        }
        Ok(c)
    }

    fn sector_bytes(&self, id: u32) -> Result<&'a [u8], LimitError> {
        let start = (id as usize)
            .checked_add(1)
            .and_then(|n| n.checked_mul(self.sector))
            .ok_or_else(|| damaged("sector beyond the file"))?;
        self.bytes
            .get(start..start + self.sector)
            .ok_or_else(|| damaged("sector beyond the file"))
    }

    /// The bytes of a chain starting at `start` (regular or mini sectors), `size` bytes of
    /// it when given.
    fn chain(&self, start: u32, size: Option<u64>, mini: bool) -> Result<Vec<u8>, LimitError> {
        let (fat, unit) = if mini {
            (&self.mini_fat, 64usize)
        } else {
            (&self.fat, self.sector)
        };
        let want = size.map(|s| usize::try_from(s).unwrap_or(usize::MAX));
        if let Some(w) = want
            && w > self.bytes.len()
        {
            return Err(damaged("stream larger than the file"));
        }
        let mut out = Vec::with_capacity(want.unwrap_or(0));
        let mut id = start;
        let mut seen = vec![false; fat.len()];
        while id != ENDOFCHAIN {
            if want.is_some_and(|w| out.len() >= w) {
                break;
            }
            if id == FREESECT || seen.get(id as usize).is_none_or(|s| *s) {
                return Err(damaged("sector chain loops or is broken"));
            }
            seen[id as usize] = true;
            if mini {
                let at = (id as usize) * unit;
                let b = self
                    .mini_stream
                    .get(at..at + unit)
                    .ok_or_else(|| damaged("mini sector beyond the mini stream"))?;
                out.extend_from_slice(b);
            } else {
                out.extend_from_slice(self.sector_bytes(id)?);
            }
            id = *fat
                .get(id as usize)
                .ok_or_else(|| damaged("sector chain beyond the FAT"))?;
        }
        if let Some(w) = want {
            if out.len() < w {
                return Err(damaged("stream shorter than declared"));
            }
            out.truncate(w);
        }
        Ok(out)
    }

    fn stream(&self, names: &[&str]) -> Result<Vec<u8>, LimitError> {
        let (_, _, start, size) = self
            .dirs
            .iter()
            .find(|(n, kind, _, _)| *kind == 2 && names.iter().any(|w| n.eq_ignore_ascii_case(w)))
            .ok_or_else(|| damaged("no Workbook stream"))?;
        self.chain(*start, Some(*size), *size < 4096)
    }
}

/// Walks BIFF records as calamine does (each record's own data; `CONTINUE` records after it
/// belong to it) from `at` until `EOF`, calling `f(type, data)`.
fn walk_records(
    stream: &[u8],
    at: usize,
    mut f: impl FnMut(u16, &[u8]) -> Result<(), LimitError>,
) -> Result<(), LimitError> {
    let mut pos = at;
    let mut depth = 0usize;
    let mut seen_bof = false;
    while pos < stream.len() {
        let typ = le16(stream, pos).ok_or_else(|| damaged("record header"))?;
        let len = usize::from(le16(stream, pos + 2).ok_or_else(|| damaged("record header"))?);
        let data = stream
            .get(pos + 4..pos + 4 + len)
            .ok_or_else(|| damaged("record overruns the stream"))?;
        pos += 4 + len;
        match typ {
            0x003C => continue,
            0x0809 => {
                if seen_bof {
                    depth += 1;
                } else {
                    seen_bof = true;
                }
            }
            0x000A => {
                if depth == 0 {
                    return Ok(());
                }
                depth -= 1;
            }
            _ if depth > 0 => {}
            _ => f(typ, data)?,
        }
    }
    Ok(())
}

/// An XLS workbook's declared dimensions and cells, sheet by sheet.
///
/// # Errors
/// Data past the limits, too many cells, a damaged compound file or record.
pub fn check_xls(bytes: &[u8], limits: &Limits) -> Result<(), LimitError> {
    let cfb = Compound::open(bytes)?;
    let stream = cfb.stream(&["Workbook", "Book"])?;
    let mut sheets = Vec::new();
    walk_records(&stream, 0, |typ, data| {
        if typ == 0x0085 {
            let pos = le32(data, 0).ok_or_else(|| damaged("sheet record"))?;
            sheets.push(pos as usize);
        }
        Ok(())
    })?;
    let mut cells = CellCount::default();
    for pos in sheets {
        if pos >= stream.len() {
            return Err(damaged("sheet beyond the stream"));
        }
        walk_records(&stream, pos, |typ, d| {
            let at = |row: u16, col: u16| check_position(u64::from(row), u64::from(col), limits);
            match typ {
                // DIMENSIONS: first row, last row + 1, first column, last column + 1.
                0x0200 => {
                    let (rl, cl) = match d.len() {
                        10 => (
                            u64::from(le16(d, 2).unwrap_or(0)),
                            u64::from(le16(d, 6).unwrap_or(0)),
                        ),
                        14 | 16 => (
                            u64::from(le32(d, 4).unwrap_or(0)),
                            u64::from(le16(d, 10).unwrap_or(0)),
                        ),
                        _ => return Err(damaged("DIMENSIONS record")),
                    };
                    let (rf, cf) = match d.len() {
                        10 => (
                            u64::from(le16(d, 0).unwrap_or(0)),
                            u64::from(le16(d, 4).unwrap_or(0)),
                        ),
                        _ => (
                            u64::from(le32(d, 0).unwrap_or(0)),
                            u64::from(le16(d, 8).unwrap_or(0)),
                        ),
                    };
                    if rl < rf || cl < cf {
                        return Err(damaged("DIMENSIONS record"));
                    }
                    check_position(rl.saturating_sub(1), cl.saturating_sub(1), limits)?;
                    // calamine reserves the declared area for its cells.
                    let area = (rl - rf).saturating_mul(cl - cf);
                    if area > limits.max_rows as u64 * limits.max_columns as u64 {
                        return Err(LimitError::TooManyCells {
                            max: limits.max_cells,
                        });
                    }
                }
                // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST, FORMULA, BLANK.
                0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD | 0x0006 | 0x0201 => {
                    let row = le16(d, 0).ok_or_else(|| damaged("cell record"))?;
                    let col = le16(d, 2).ok_or_else(|| damaged("cell record"))?;
                    at(row, col)?;
                    cells.add(1, limits)?;
                }
                // MULRK, MULBLANK: row, first column, …, last column.
                0x00BD | 0x00BE => {
                    if d.len() < 6 {
                        return Err(damaged("MULRK record"));
                    }
                    let row = le16(d, 0).unwrap_or(0);
                    let first = le16(d, 2).unwrap_or(0);
                    let last = le16(d, d.len() - 2).unwrap_or(0);
                    if last < first {
                        return Err(damaged("MULRK record"));
                    }
                    let per = if typ == 0x00BD { 6 } else { 2 };
                    if d.len() != 6 + per * usize::from(last - first + 1) {
                        return Err(damaged("MULRK record"));
                    }
                    at(row, last)?;
                    cells.add(u64::from(last - first + 1), limits)?;
                }
                _ => {}
            }
            Ok(())
        })?;
    }
    Ok(())
}
