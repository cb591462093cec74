//! Finding a register's header — title rows above it, one or two header rows, a merged cell
//! over its sub-columns ("NOMOR" over "PIHAK I" / "PIHAK II") — and recognising each column
//! by its words. The user may override any column's meaning.

use serde::{Deserialize, Serialize};
use sinergi_bps::{Cell, Row};
use sinergi_domain::lang::Lang;

/// What a register column holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// "No", "No. Urut": the register's own row number.
    Ordinal,
    Partner,
    Kind,
    /// The importing region's number (a single "Nomor" column, or "Nomor Pihak I").
    OwnNumber,
    /// The partner's number ("Nomor Pihak II").
    PartnerNumber,
    Subject,
    SignedOn,
    Term,
    StartsOn,
    EndsOn,
    /// The OPD carrying it out.
    Unit,
    Status,
    Notes,
    /// The KB a PKS implements.
    Parent,
}

impl Column {
    pub const ALL: [Self; 14] = [
        Self::Ordinal,
        Self::Partner,
        Self::Kind,
        Self::OwnNumber,
        Self::PartnerNumber,
        Self::Subject,
        Self::SignedOn,
        Self::Term,
        Self::StartsOn,
        Self::EndsOn,
        Self::Unit,
        Self::Status,
        Self::Notes,
        Self::Parent,
    ];

    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Ordinal => "ordinal",
            Self::Partner => "partner",
            Self::Kind => "kind",
            Self::OwnNumber => "own_number",
            Self::PartnerNumber => "partner_number",
            Self::Subject => "subject",
            Self::SignedOn => "signed_on",
            Self::Term => "term",
            Self::StartsOn => "starts_on",
            Self::EndsOn => "ends_on",
            Self::Unit => "unit",
            Self::Status => "status",
            Self::Notes => "notes",
            Self::Parent => "parent",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    #[must_use]
    pub const fn label(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Self::Ordinal, Lang::Id) => "No. urut",
            (Self::Ordinal, Lang::En) => "Row number",
            (Self::Partner, Lang::Id) => "Mitra",
            (Self::Partner, Lang::En) => "Partner",
            (Self::Kind, Lang::Id) => "Jenis dokumen",
            (Self::Kind, Lang::En) => "Document kind",
            (Self::OwnNumber, Lang::Id) => "Nomor pihak sendiri",
            (Self::OwnNumber, Lang::En) => "Own number",
            (Self::PartnerNumber, Lang::Id) => "Nomor pihak mitra",
            (Self::PartnerNumber, Lang::En) => "Partner's number",
            (Self::Subject, Lang::Id) => "Tentang",
            (Self::Subject, Lang::En) => "Subject",
            (Self::SignedOn, Lang::Id) => "Tanggal penandatanganan",
            (Self::SignedOn, Lang::En) => "Signing date",
            (Self::Term, Lang::Id) => "Jangka waktu",
            (Self::Term, Lang::En) => "Term",
            (Self::StartsOn, Lang::Id) => "Tanggal mulai",
            (Self::StartsOn, Lang::En) => "Start date",
            (Self::EndsOn, Lang::Id) => "Tanggal berakhir",
            (Self::EndsOn, Lang::En) => "End date",
            (Self::Unit, Lang::Id) => "OPD pelaksana",
            (Self::Unit, Lang::En) => "Implementing OPD",
            (Self::Status, Lang::Id) => "Status",
            (Self::Status, Lang::En) => "Status",
            (Self::Notes, Lang::Id) => "Keterangan",
            (Self::Notes, Lang::En) => "Notes",
            (Self::Parent, Lang::Id) => "KB induk",
            (Self::Parent, Lang::En) => "Parent KB",
        }
    }
}

/// "C" → 2, "AA" → 26.
fn column_index(letters: &str) -> Option<usize> {
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n = 0usize;
    for c in letters.chars() {
        if !c.is_ascii_alphabetic() {
            return None;
        }
        n = n * 26 + usize::from(c.to_ascii_uppercase() as u8 - b'A') + 1;
    }
    Some(n - 1)
}

/// A user's column choice `C=subject` (or `H=ignore`).
///
/// # Errors
/// What is wrong with it, in Indonesian and English.
pub fn parse_choice(choice: &str) -> Result<(usize, Option<Column>), (String, String)> {
    let Some((letter, meaning)) = choice.split_once('=') else {
        return Err((
            "tulis HURUF=ARTI, mis. C=subject".to_owned(),
            "write LETTER=MEANING, e.g. C=subject".to_owned(),
        ));
    };
    let Some(index) = column_index(letter.trim()) else {
        return Err((
            format!("\"{letter}\" bukan huruf kolom"),
            format!("\"{letter}\" is not a column letter"),
        ));
    };
    let meaning = meaning.trim();
    if meaning == "ignore" {
        return Ok((index, None));
    }
    Column::parse(meaning)
        .map(|c| (index, Some(c)))
        .ok_or_else(|| {
            let all: Vec<&str> = Column::ALL.iter().map(|c| c.as_str()).collect();
            (
                format!(
                    "arti \"{meaning}\" tidak dikenal; pilih dari {} atau ignore",
                    all.join(", ")
                ),
                format!(
                    "unknown meaning \"{meaning}\"; choose from {} or ignore",
                    all.join(", ")
                ),
            )
        })
}

/// Header text as words: lowercase, punctuation as spaces, padded with a space each side so
/// that `" no "` matches a whole word.
fn words(text: &str) -> String {
    let mut out = String::from(" ");
    for c in text.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// The column a header names, most specific words first.
#[must_use]
pub fn classify(header: &str) -> Option<Column> {
    let w = words(header);
    let has = |list: &[&str]| list.iter().any(|p| w.contains(p));
    let numberish = has(&[" nomor ", " no ", " nomer ", " nmr "]);
    if has(&[
        " induk ",
        " kb induk ",
        " dasar kb ",
        " nomor kb ",
        " kesepakatan induk ",
    ]) {
        return Some(Column::Parent);
    }
    if numberish && has(&[" pihak ii ", " pihak kedua ", " pihak 2 ", " mitra "]) {
        return Some(Column::PartnerNumber);
    }
    if numberish
        && has(&[
            " pihak i ",
            " pihak kesatu ",
            " pihak pertama ",
            " pihak 1 ",
        ])
    {
        return Some(Column::OwnNumber);
    }
    if w == " no " || has(&[" urut ", " no urut "]) {
        return Some(Column::Ordinal);
    }
    if has(&[" berakhir ", " sampai ", " s d ", " akhir ", " habis "]) {
        return Some(Column::EndsOn);
    }
    if has(&[" mulai "]) {
        return Some(Column::StartsOn);
    }
    if has(&[" jangka waktu ", " masa berlaku ", " durasi ", " lama "]) {
        return Some(Column::Term);
    }
    if numberish {
        return Some(Column::OwnNumber);
    }
    if has(&[
        " tanggal ",
        " tgl ",
        " ttd ",
        " penandatanganan ",
        " ditandatangani ",
    ]) {
        return Some(Column::SignedOn);
    }
    if has(&[" jenis ", " bentuk "]) {
        return Some(Column::Kind);
    }
    if has(&[" status "]) {
        return Some(Column::Status);
    }
    if has(&[
        " opd ",
        " perangkat daerah ",
        " skpd ",
        " pelaksana ",
        " unit kerja ",
        " leading sector ",
        " dinas ",
    ]) {
        return Some(Column::Unit);
    }
    if has(&[
        " mitra ",
        " pihak ",
        " para pihak ",
        " instansi ",
        " kerja sama dengan ",
    ]) {
        return Some(Column::Partner);
    }
    if has(&[
        " tentang ",
        " perihal ",
        " judul ",
        " materi ",
        " ruang lingkup ",
        " uraian ",
        " objek ",
        " nama kerja sama ",
        " nama dokumen ",
    ]) {
        return Some(Column::Subject);
    }
    if has(&[" keterangan ", " catatan ", " ket "]) {
        return Some(Column::Notes);
    }
    None
}

/// One column of the file as the header names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeaderColumn {
    pub index: usize,
    /// The spreadsheet letter ("C").
    pub letter: String,
    /// The header's words, both rows joined ("NOMOR PIHAK I").
    pub header: String,
    pub column: Option<Column>,
}

/// The header found, and the lines it takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Header {
    /// Lines (1-based) of the header rows.
    pub lines: Vec<usize>,
    pub columns: Vec<HeaderColumn>,
}

impl Header {
    /// The first column holding `column`.
    #[must_use]
    pub fn find(&self, column: Column) -> Option<usize> {
        self.columns
            .iter()
            .find(|c| c.column == Some(column))
            .map(|c| c.index)
    }

    /// Applies the user's choices: `(index, None)` ignores a column.
    pub fn adjust(&mut self, overrides: &[(usize, Option<Column>)]) {
        for (index, column) in overrides {
            if let Some(c) = self.columns.iter_mut().find(|c| c.index == *index) {
                c.column = *column;
            } else {
                self.columns.push(HeaderColumn {
                    index: *index,
                    letter: sinergi_bps::column_name(*index),
                    header: String::new(),
                    column: *column,
                });
            }
            // One column per meaning: a choice takes the meaning from any other column.
            if let Some(chosen) = column {
                for other in &mut self.columns {
                    if other.index != *index && other.column == Some(*chosen) {
                        other.column = None;
                    }
                }
            }
        }
        self.columns.sort_by_key(|c| c.index);
    }
}

fn texts(row: &Row) -> Vec<String> {
    row.cells.iter().map(Cell::text).collect()
}

fn distinct_columns(cells: &[String]) -> usize {
    let mut seen: Vec<Column> = cells.iter().filter_map(|t| classify(t)).collect();
    seen.sort_by_key(|c| c.as_str());
    seen.dedup();
    seen.len()
}

/// Whether a text looks like data rather than a sub-header (a date, a long sentence, a
/// document number).
fn looks_like_data(text: &str) -> bool {
    text.len() > 40 || text.contains('/') || text.chars().filter(char::is_ascii_digit).count() >= 4
}

/// Finds the header in the first 30 rows: the first row naming at least three columns,
/// including the partner or the subject; the row below joins it when it only holds
/// sub-headers (a merged "NOMOR" over "PIHAK I" / "PIHAK II").
#[must_use]
pub fn find_header(rows: &[Row]) -> Option<Header> {
    let (at, top) = rows.iter().enumerate().take(30).find_map(|(i, r)| {
        let t = texts(r);
        let cols: Vec<Option<Column>> = t.iter().map(|x| classify(x)).collect();
        let useful = cols
            .iter()
            .any(|c| matches!(c, Some(Column::Partner | Column::Subject)));
        (distinct_columns(&t) >= 3 && useful).then_some((i, t))
    })?;
    let below = rows.get(at + 1).map(texts).unwrap_or_default();
    let sub_header = !below.iter().all(String::is_empty)
        && below.iter().all(|t| t.is_empty() || !looks_like_data(t))
        && below
            .iter()
            .enumerate()
            .any(|(i, t)| !t.is_empty() && top.get(i).is_none_or(String::is_empty));
    let width = top.len().max(if sub_header { below.len() } else { 0 });
    let mut columns = Vec::with_capacity(width);
    let mut carried = String::new();
    for i in 0..width {
        let upper = top.get(i).cloned().unwrap_or_default();
        let lower = if sub_header {
            below.get(i).cloned().unwrap_or_default()
        } else {
            String::new()
        };
        // A merged header cell spans the empty cells to its right that have a sub-header.
        if !upper.is_empty() {
            carried.clone_from(&upper);
        } else if lower.is_empty() {
            carried.clear();
        }
        let upper = if upper.is_empty() && !lower.is_empty() {
            carried.clone()
        } else {
            upper
        };
        let header = format!("{upper} {lower}").trim().to_owned();
        let column = classify(&header).or_else(|| classify(&upper));
        if header.is_empty() {
            continue;
        }
        columns.push(HeaderColumn {
            index: i,
            letter: sinergi_bps::column_name(i),
            header,
            column,
        });
    }
    // The first column of a meaning keeps it; later ones become unclassified.
    let mut seen = Vec::new();
    for c in &mut columns {
        if let Some(k) = c.column {
            if seen.contains(&k) {
                c.column = None;
            } else {
                seen.push(k);
            }
        }
    }
    let mut lines = vec![rows[at].line];
    if sub_header {
        lines.push(rows[at + 1].line);
    }
    Some(Header { lines, columns })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_words_name_their_columns() {
        assert_eq!(classify("NO."), Some(Column::Ordinal));
        assert_eq!(classify("Mitra Kerja Sama"), Some(Column::Partner));
        assert_eq!(classify("NOMOR PIHAK I"), Some(Column::OwnNumber));
        assert_eq!(classify("NOMOR PIHAK II"), Some(Column::PartnerNumber));
        assert_eq!(classify("Nomor Naskah"), Some(Column::OwnNumber));
        assert_eq!(classify("Tentang"), Some(Column::Subject));
        assert_eq!(classify("Tanggal Penandatanganan"), Some(Column::SignedOn));
        assert_eq!(classify("Tgl. Berakhir"), Some(Column::EndsOn));
        assert_eq!(classify("Jangka Waktu"), Some(Column::Term));
        assert_eq!(classify("Masa Berlaku"), Some(Column::Term));
        assert_eq!(classify("OPD Pelaksana"), Some(Column::Unit));
        assert_eq!(classify("Status"), Some(Column::Status));
        assert_eq!(classify("Keterangan"), Some(Column::Notes));
        assert_eq!(classify("KB Induk"), Some(Column::Parent));
        assert_eq!(classify("Jenis Dokumen"), Some(Column::Kind));
        assert_eq!(classify("Daftar Kerja Sama Daerah"), None);
    }
}
