//! Reads the agreement registers a Bagian Kerja Sama keeps in a spreadsheet (XLSX, XLS, ODS or
//! CSV) into legacy records, and says for every row what it will become or why not.
//!
//! Pure: bytes in, [`Register`] out. The file is read within [`sinergi_bps::Limits`] by the
//! same bounded reader as the BPS tables. The header is found below any title rows, one or two
//! rows deep ([`columns`]); values are read as people write them ([`values`]); partners are
//! resolved to Kemendagri codes ([`partners`]). Blank rows, footers ("Jumlah: 9 dokumen"),
//! column-number rows and repeated headers are named as skipped, never dropped silently.
//! What needs the database — a parent KB already in Sinergi, a row already imported, a
//! possible duplicate — is decided by the application layer on top of this report.

pub mod columns;
pub mod partners;
mod problem;
pub mod values;

pub use columns::{Column, Header, HeaderColumn, classify, find_header};
pub use partners::Directory;
pub use problem::Problem;

use serde::Serialize;
use sinergi_bps::{Cell, Limits, ReadError, Row};
use sinergi_domain::agreement::AgreementKind;
use sinergi_domain::lang::Lang;
use sinergi_domain::legacy::{LegacyRecord, Provenance};

/// What to read.
#[derive(Debug, Clone)]
pub struct Spec<'a> {
    pub file_name: &'a str,
    pub sheet: Option<&'a str>,
    /// The importing region's Kemendagri code.
    pub region: &'a str,
    /// The user's column choices over the recognised ones.
    pub overrides: &'a [(usize, Option<Column>)],
    pub limits: Limits,
}

/// The limits of a register: 20,000 rows, a generous margin over any region's history.
#[must_use]
pub fn register_limits() -> Limits {
    Limits {
        max_rows: 20_000,
        max_columns: 64,
        max_cells: 400_000,
        ..Limits::default()
    }
}

/// Why a row is not an agreement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "reason", content = "text", rename_all = "snake_case")]
pub enum Skip {
    /// Above the header: the register's title.
    Title(String),
    Header,
    Blank,
    /// "Jumlah: 9 dokumen", "Sumber: …", a signature block.
    Footer(String),
    /// "(1) (2) (3) …" under the header.
    ColumnNumbers,
    /// The header printed again (a register printed page by page).
    RepeatedHeader,
}

impl Skip {
    #[must_use]
    pub fn message(&self, lang: Lang) -> String {
        let id = lang == Lang::Id;
        match self {
            Self::Title(t) if id => format!("judul di atas tabel: \"{t}\""),
            Self::Title(t) => format!("title above the table: \"{t}\""),
            Self::Header if id => "baris judul kolom".to_owned(),
            Self::Header => "header row".to_owned(),
            Self::Blank if id => "baris kosong".to_owned(),
            Self::Blank => "blank row".to_owned(),
            Self::Footer(t) if id => format!("catatan kaki/jumlah: \"{t}\""),
            Self::Footer(t) => format!("footer or total: \"{t}\""),
            Self::ColumnNumbers if id => "baris nomor kolom".to_owned(),
            Self::ColumnNumbers => "column-number row".to_owned(),
            Self::RepeatedHeader if id => "baris judul kolom yang diulang".to_owned(),
            Self::RepeatedHeader => "repeated header row".to_owned(),
        }
    }
}

/// A fact noted on an accepted row (the kind read from the subject, an unknown status word).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    pub id: String,
    pub en: String,
}

/// What a row became.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "outcome", rename_all = "snake_case")]
pub enum Outcome {
    Record {
        record: Box<LegacyRecord>,
        notes: Vec<Note>,
        /// For a PKS or addendum: the line of its KB in this file.
        parent_line: Option<usize>,
    },
    Refused {
        problems: Vec<Problem>,
    },
    Skipped {
        skip: Skip,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowReport {
    pub line: usize,
    pub outcome: Outcome,
}

/// A register read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Register {
    pub file: String,
    pub sheet: Option<String>,
    pub header: Option<Header>,
    /// Why nothing could be read (an unreadable file, no header, a required column missing).
    pub problems: Vec<Problem>,
    pub rows: Vec<RowReport>,
}

impl Register {
    #[must_use]
    pub fn accepted(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Record { .. }))
            .count()
    }

    #[must_use]
    pub fn refused(&self) -> usize {
        self.rows
            .iter()
            .filter(|r| matches!(r.outcome, Outcome::Refused { .. }))
            .count()
    }
}

fn read_error(e: &ReadError) -> Problem {
    let (id, en) = match e {
        ReadError::Spreadsheet(why) => (
            format!("File tidak dapat dibuka sebagai lembar kerja (XLSX, XLS, ODS): {why}."),
            format!("The file cannot be opened as a spreadsheet (XLSX, XLS, ODS): {why}."),
        ),
        ReadError::NoSuchSheet { name, available } => (
            format!(
                "Lembar \"{name}\" tidak ada. Lembar yang ada: {}.",
                available.join(", ")
            ),
            format!(
                "There is no sheet \"{name}\". Sheets: {}.",
                available.join(", ")
            ),
        ),
        ReadError::NoSheet => (
            "File tidak memiliki lembar kerja.".to_owned(),
            "The workbook has no sheet.".to_owned(),
        ),
        ReadError::Limit(limit) => {
            let (id, en) = limit.messages();
            (
                format!("Berkas ditolak: {id}."),
                format!("File refused: {en}."),
            )
        }
    };
    Problem::Unreadable { id, en }
}

/// Reads a register file.
#[must_use]
pub fn read_register(bytes: &[u8], spec: &Spec<'_>, dir: &Directory) -> Register {
    let mut register = Register {
        file: spec.file_name.to_owned(),
        sheet: None,
        header: None,
        problems: Vec::new(),
        rows: Vec::new(),
    };
    let grid = match sinergi_bps::read_grid(spec.file_name, bytes, spec.sheet, &spec.limits) {
        Ok(g) => g,
        Err(e) => {
            register.problems.push(read_error(&e));
            return register;
        }
    };
    register.sheet.clone_from(&grid.sheet);
    let Some(mut header) = find_header(&grid.rows).or_else(|| {
        (!spec.overrides.is_empty()).then(|| Header {
            lines: Vec::new(),
            columns: Vec::new(),
        })
    }) else {
        register.problems.push(Problem::NoHeader);
        return register;
    };
    header.adjust(spec.overrides);
    for needed in [Column::Partner, Column::Subject, Column::SignedOn] {
        if header.find(needed).is_none() {
            register
                .problems
                .push(Problem::MissingColumn { column: needed });
        }
    }
    let first_data = header.lines.last().copied().unwrap_or(0);
    for row in &grid.rows {
        let outcome = if header.lines.contains(&row.line) {
            Outcome::Skipped { skip: Skip::Header }
        } else if row.is_blank() {
            Outcome::Skipped { skip: Skip::Blank }
        } else if row.line < first_data {
            Outcome::Skipped {
                skip: Skip::Title(joined(row)),
            }
        } else if let Some(skip) = not_data(row, &header) {
            Outcome::Skipped { skip }
        } else if !register.problems.is_empty() {
            // The columns are not known: every row waits for the user's choice.
            continue;
        } else {
            read_row(row, &header, spec, grid.sheet.as_deref(), dir)
        };
        register.rows.push(RowReport {
            line: row.line,
            outcome,
        });
    }
    link_parents(&mut register.rows);
    register.header = Some(header);
    register
}

/// One agreement typed into a form, read by the same rules as a register row: each field
/// with its meaning, the values as the user wrote them ("14 Februari 2023", "5 tahun",
/// "Pemkab Badung"). The provenance is the form (`line` 0), not a file.
#[must_use]
pub fn read_entry(fields: &[(Column, String)], region: &str, dir: &Directory) -> Register {
    let header = Header {
        lines: Vec::new(),
        columns: fields
            .iter()
            .enumerate()
            .map(|(index, (column, _))| HeaderColumn {
                index,
                letter: sinergi_bps::column_name(index),
                header: column.as_str().to_owned(),
                column: Some(*column),
            })
            .collect(),
    };
    let row = Row {
        line: 0,
        cells: fields
            .iter()
            .map(|(_, v)| {
                if v.trim().is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(v.clone())
                }
            })
            .collect(),
    };
    let spec = Spec {
        file_name: ENTRY_FILE,
        sheet: None,
        region,
        overrides: &[],
        limits: register_limits(),
    };
    let outcome = read_row(&row, &header, &spec, None, dir);
    Register {
        file: ENTRY_FILE.to_owned(),
        sheet: None,
        header: Some(header),
        problems: Vec::new(),
        rows: vec![RowReport { line: 0, outcome }],
    }
}

/// The "file" of an agreement entered by hand.
pub const ENTRY_FILE: &str = "formulir naskah lama";

fn joined(row: &Row) -> String {
    row.cells
        .iter()
        .map(Cell::text)
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

const FOOTER_WORDS: [&str; 12] = [
    "jumlah",
    "total",
    "sub total",
    "subtotal",
    "sumber",
    "keterangan:",
    "ket:",
    "catatan:",
    "mengetahui",
    "kepala bagian",
    "kepala biro",
    "dicetak",
];

/// A footer, a column-number row or a repeated header.
fn not_data(row: &Row, header: &Header) -> Option<Skip> {
    let texts: Vec<String> = row
        .cells
        .iter()
        .map(Cell::text)
        .filter(|t| !t.is_empty())
        .collect();
    if texts.iter().all(|t| {
        let t = t.trim_start_matches('(').trim_end_matches(')');
        !t.is_empty() && t.len() <= 2 && t.chars().all(|c| c.is_ascii_digit())
    }) && texts.len() >= 3
    {
        return Some(Skip::ColumnNumbers);
    }
    let distinct = {
        let mut cols: Vec<Column> = texts.iter().filter_map(|t| classify(t)).collect();
        cols.sort_by_key(|c| c.as_str());
        cols.dedup();
        cols.len()
    };
    if distinct >= 3 && texts.iter().all(|t| classify(t).is_some()) {
        return Some(Skip::RepeatedHeader);
    }
    let first = texts.first()?.to_lowercase();
    let subject_empty = header
        .find(Column::Subject)
        .is_none_or(|c| row.cell(c).is_empty());
    if FOOTER_WORDS.iter().any(|w| first.starts_with(w)) && (subject_empty || texts.len() <= 2) {
        return Some(Skip::Footer(joined(row)));
    }
    None
}

fn text_of(row: &Row, header: &Header, column: Column) -> Option<String> {
    let t = row.cell(header.find(column)?).text();
    (!t.is_empty() && t != "-").then_some(t)
}

fn cell_of<'a>(row: &'a Row, header: &Header, column: Column) -> &'a Cell {
    header.find(column).map_or(&Cell::Empty, |c| row.cell(c))
}

/// One line of a multi-line cell per partner ("075/1/2023\n120/5/2023").
fn lines_of(text: Option<String>) -> Vec<String> {
    text.map(|t| {
        t.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_owned)
            .collect()
    })
    .unwrap_or_default()
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn read_row(
    row: &Row,
    header: &Header,
    spec: &Spec<'_>,
    sheet: Option<&str>,
    dir: &Directory,
) -> Outcome {
    let mut problems = Vec::new();
    let mut notes = Vec::new();
    let subject = text_of(row, header, Column::Subject).map(|s| one_line(&s));
    if subject.is_none() {
        problems.push(Problem::SubjectMissing);
    }
    let partners = match text_of(row, header, Column::Partner) {
        None => {
            problems.push(Problem::PartnerMissing);
            Vec::new()
        }
        Some(text) => partners::resolve(&text, spec.region, dir).unwrap_or_else(|p| {
            problems.extend(p);
            Vec::new()
        }),
    };
    let mut date = |column: Column, name: &'static str| {
        values::parse_date(name, cell_of(row, header, column)).unwrap_or_else(|p| {
            problems.push(p);
            None
        })
    };
    let signed_on = date(Column::SignedOn, "signed_on");
    let starts_on = date(Column::StartsOn, "starts_on");
    let ends_on = date(Column::EndsOn, "ends_on");
    if signed_on.is_none()
        && !problems.iter().any(
            |p| matches!(p, Problem::DateUnreadable { column, .. } | Problem::DateImpossible { column, .. } | Problem::DateWeekday { column, .. } | Problem::DateIncomplete { column, .. } if *column == "signed_on"),
        )
    {
        problems.push(Problem::SignedOnMissing);
    }
    let term_months = values::parse_term(cell_of(row, header, Column::Term)).unwrap_or_else(|p| {
        problems.push(p);
        None
    });
    let kind_text = text_of(row, header, Column::Kind);
    let kind = match &kind_text {
        Some(t) => values::parse_kind(t).or_else(|| {
            problems.push(Problem::KindUnknown { text: t.clone() });
            None
        }),
        None => {
            let found = subject.as_deref().and_then(values::kind_in_subject);
            if found.is_some() {
                notes.push(Note {
                    id: "Jenis dokumen dibaca dari kolom tentang.".to_owned(),
                    en: "The document kind was read from the subject.".to_owned(),
                });
            } else if subject.is_some() {
                problems.push(Problem::KindUnknown {
                    text: String::new(),
                });
            }
            found
        }
    };
    let status_text = text_of(row, header, Column::Status).map(|s| one_line(&s));
    let status = status_text.as_deref().and_then(values::parse_status);
    if let (Some(t), None) = (&status_text, status) {
        notes.push(Note {
            id: format!("Status \"{t}\" tidak dikenali; disimpan sebagai catatan, tahap diambil dari tanggal."),
            en: format!("The status \"{t}\" is not recognised; it is kept as a note and the stage follows the dates."),
        });
    }
    let notes_text = text_of(row, header, Column::Notes);
    let parent_number = text_of(row, header, Column::Parent)
        .map(|t| values::number_in_note(&t).unwrap_or_else(|| one_line(&t)))
        .or_else(|| {
            matches!(kind, Some(AgreementKind::Pks | AgreementKind::Addendum))
                .then(|| notes_text.as_deref().and_then(values::number_in_note))
                .flatten()
        });
    if !problems.is_empty() {
        return Outcome::Refused { problems };
    }
    let (Some(subject), Some(signed_on), Some(kind)) = (subject, signed_on, kind) else {
        return Outcome::Refused { problems };
    };
    let mut partners = partners;
    for (p, number) in
        partners
            .iter_mut()
            .zip(lines_of(text_of(row, header, Column::PartnerNumber)))
    {
        p.number = Some(number);
    }
    let record = LegacyRecord {
        kind,
        subject,
        partners,
        own_number: text_of(row, header, Column::OwnNumber).map(|s| one_line(&s)),
        signed_on,
        starts_on,
        term_months,
        ends_on,
        unit: text_of(row, header, Column::Unit).map(|s| one_line(&s)),
        status,
        status_text,
        notes: notes_text,
        parent_number,
        source: Provenance {
            file: spec.file_name.to_owned(),
            sheet: sheet.map(str::to_owned),
            line: row.line,
        },
    };
    Outcome::Record {
        record: Box::new(record),
        notes,
        parent_line: None,
    }
}

/// Links each PKS or addendum to the KB in this file whose number it names.
fn link_parents(rows: &mut [RowReport]) {
    let kbs: Vec<(usize, Vec<String>)> = rows
        .iter()
        .filter_map(|r| match &r.outcome {
            Outcome::Record { record, .. } if record.kind == AgreementKind::Kb => {
                Some((r.line, numbers_of(record)))
            }
            _ => None,
        })
        .collect();
    for r in rows.iter_mut() {
        if let Outcome::Record {
            record,
            parent_line,
            ..
        } = &mut r.outcome
            && record.kind != AgreementKind::Kb
            && let Some(number) = &record.parent_number
        {
            let key = sinergi_reference::search_key(number);
            *parent_line = kbs
                .iter()
                .find(|(_, numbers)| numbers.contains(&key))
                .map(|(line, _)| *line);
        }
    }
}

/// The normalised numbers of a record (its own and its partners').
#[must_use]
pub fn numbers_of(record: &LegacyRecord) -> Vec<String> {
    record
        .own_number
        .iter()
        .chain(record.partners.iter().filter_map(|p| p.number.as_ref()))
        .map(|n| sinergi_reference::search_key(n))
        .filter(|k| !k.is_empty())
        .collect()
}

#[cfg(test)]
mod tests;
