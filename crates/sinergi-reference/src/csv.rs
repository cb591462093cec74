//! The one CSV reader of Sinergi, for every CSV input: the embedded reference data, the input
//! of `sinergi analyze` and (to come) BPS tables. Bytes in, records out; no I/O.
//!
//! * **Encoding** ([`decode`]): a byte-order mark decides (UTF-8, UTF-16LE, UTF-16BE);
//!   without one the text is UTF-8 when the bytes are valid UTF-8, else Windows-1252 (older
//!   BPS downloads, Excel on an Indonesian Windows). Decoding is `encoding_rs`'s.
//! * **Delimiter** ([`Dialect`]): fixed, or chosen among candidates from the first records
//!   ([`detect_delimiter`]).
//! * **Records** ([`records`]): parsed by the `csv` crate (RFC 4180: a quoted field may hold
//!   delimiters and line breaks, `""` inside quotes is one quote; `\n`, `\r\n` or `\r` end a
//!   record; empty lines are skipped). Each [`Record`] keeps the line it starts on, counted
//!   from 1 as a text editor does.
//! * **Quotes checked**: the `csv` crate never fails on quoting (an unclosed quote silently
//!   takes in the rest of the file). Before parsing, one pass over the text reports the line
//!   of an unclosed quote or of text after a closing quote ([`CsvProblem`]); spaces or tabs
//!   between a closing quote and the delimiter are allowed. A quote inside an unquoted field is
//!   kept as text, as the `csv` crate does.

use std::borrow::Cow;

/// The encoding a text was read in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

/// Decodes bytes (see the module documentation); the byte-order mark is removed. Never fails:
/// Windows-1252 gives every byte a character.
#[must_use]
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, TextEncoding) {
    if let Some((encoding, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let which = if encoding == encoding_rs::UTF_16LE {
            TextEncoding::Utf16Le
        } else if encoding == encoding_rs::UTF_16BE {
            TextEncoding::Utf16Be
        } else {
            TextEncoding::Utf8
        };
        let (text, _) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return (text, which);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (Cow::Borrowed(text), TextEncoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text, TextEncoding::Windows1252)
        }
    }
}

/// Which delimiters a file may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dialect<'a> {
    /// The candidates, the preferred first (it wins a tie). One candidate: no detection.
    pub delimiters: &'a [u8],
    /// In detection, a record counts as a table row when it has at least this many fields.
    pub min_fields: usize,
}

impl Dialect<'static> {
    /// Comma-separated only (the embedded data).
    pub const COMMA: Self = Self {
        delimiters: b",",
        min_fields: 2,
    };
    /// Comma or semicolon (spreadsheet exports use `;` where `,` is the decimal mark).
    pub const COMMA_OR_SEMICOLON: Self = Self {
        delimiters: b",;",
        min_fields: 2,
    };
}

/// How many records delimiter detection looks at.
const DETECTION_SAMPLE: usize = 60;

/// The candidate delimiter under which most of the first records are table rows (have at
/// least `min_fields` fields), then under which the widest record is widest; the earlier
/// candidate on a tie.
#[must_use]
pub fn detect_delimiter(text: &str, dialect: &Dialect<'_>) -> u8 {
    let Some((&first, rest)) = dialect.delimiters.split_first() else {
        return b',';
    };
    if rest.is_empty() {
        return first;
    }
    let score = |delimiter: u8| {
        let mut reader = builder(delimiter).from_reader(text.as_bytes());
        let mut record = csv::StringRecord::new();
        let (mut rows, mut widest) = (0usize, 0usize);
        for _ in 0..DETECTION_SAMPLE {
            match reader.read_record(&mut record) {
                Ok(true) => {
                    rows += usize::from(record.len() >= dialect.min_fields);
                    widest = widest.max(record.len());
                }
                Ok(false) | Err(_) => break,
            }
        }
        (rows, widest)
    };
    let mut best = (first, score(first));
    for &d in rest {
        let s = score(d);
        if s > best.1 {
            best = (d, s);
        }
    }
    best.0
}

/// What is wrong with the quoting of a CSV text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsvProblem {
    /// A quoted field is never closed.
    UnclosedQuote,
    /// Text follows a closing quote before the delimiter or the line end.
    TextAfterQuote,
}

impl CsvProblem {
    /// The problem in Indonesian.
    #[must_use]
    pub const fn indonesian(self) -> &'static str {
        match self {
            Self::UnclosedQuote => "tanda kutip tidak ditutup",
            Self::TextAfterQuote => "ada teks sesudah tanda kutip penutup",
        }
    }

    /// The problem in English.
    #[must_use]
    pub const fn english(self) -> &'static str {
        match self {
            Self::UnclosedQuote => "unclosed quoted field",
            Self::TextAfterQuote => "text after a closing quote",
        }
    }
}

/// A CSV syntax error at a line (1-based; the line of the opening quote for an unclosed one).
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {}", problem.english())]
pub struct CsvError {
    pub line: usize,
    pub problem: CsvProblem,
}

/// Checks the quoting of the whole text in one pass (see the module documentation).
fn check_quotes(text: &str, delimiter: u8) -> Result<(), CsvError> {
    if !text.as_bytes().contains(&b'"') {
        return Ok(());
    }
    #[derive(Clone, Copy)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted {
            opened: usize,
        },
        /// After a quote inside a quoted field: a closing quote, or the first of `""`.
        Quote {
            opened: usize,
        },
        /// Spaces after a closing quote.
        Closed,
    }
    let mut state = State::FieldStart;
    let mut line = 1;
    for &b in text.as_bytes() {
        let ends_field = b == delimiter || b == b'\n' || b == b'\r';
        state = match state {
            State::FieldStart if b == b'"' => State::Quoted { opened: line },
            State::FieldStart | State::Unquoted | State::Closed if ends_field => State::FieldStart,
            State::FieldStart | State::Unquoted => State::Unquoted,
            State::Quoted { opened } if b == b'"' => State::Quote { opened },
            State::Quoted { opened } => State::Quoted { opened },
            State::Quote { opened } if b == b'"' => State::Quoted { opened },
            State::Quote { .. } if ends_field => State::FieldStart,
            State::Quote { .. } | State::Closed if b == b' ' || b == b'\t' => State::Closed,
            State::Quote { .. } | State::Closed => {
                return Err(CsvError {
                    line,
                    problem: CsvProblem::TextAfterQuote,
                });
            }
        };
        line += usize::from(b == b'\n');
    }
    match state {
        State::Quoted { opened } => Err(CsvError {
            line: opened,
            problem: CsvProblem::UnclosedQuote,
        }),
        _ => Ok(()),
    }
}

fn builder(delimiter: u8) -> csv::ReaderBuilder {
    let mut b = csv::ReaderBuilder::new();
    b.has_headers(false).flexible(true).delimiter(delimiter);
    b
}

/// One record: the line it starts on and its fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    fields: csv::StringRecord,
}

impl Record {
    /// An empty record to read into ([`Records::read_into`]).
    #[must_use]
    pub fn new() -> Self {
        Self {
            line: 0,
            fields: csv::StringRecord::new(),
        }
    }

    /// Field `index`, or `""` when the record is shorter.
    #[must_use]
    pub fn get(&self, index: usize) -> &str {
        self.fields.get(index).unwrap_or("")
    }

    /// Field `index`, when the record has it.
    #[must_use]
    pub fn field(&self, index: usize) -> Option<&str> {
        self.fields.get(index)
    }

    /// Number of fields.
    #[must_use]
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    /// Whether the record has no field (never, for a record read from text).
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Whether every field is empty or white space.
    #[must_use]
    pub fn is_blank(&self) -> bool {
        self.fields.iter().all(|f| f.trim().is_empty())
    }

    /// The fields in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.fields.iter()
    }
}

/// The records of a text, in order; stops after the first error.
pub struct Records<'a> {
    text: &'a [u8],
    reader: csv::Reader<&'a [u8]>,
    pending: Option<CsvError>,
    done: bool,
    /// A byte offset and the line it is on, for counting lines forward.
    counted: (usize, usize),
    /// Bytes and fields of the previous record.
    sizes: (usize, usize),
}

impl std::fmt::Debug for Records<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Records")
    }
}

/// Reads the records of `text` with `delimiter` (a leading byte-order mark is skipped). A
/// quoting error is returned in place of the first record: nothing of a malformed text is
/// read.
#[must_use]
pub fn records(text: &str, delimiter: u8) -> Records<'_> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    Records {
        text: text.as_bytes(),
        reader: builder(delimiter).from_reader(text.as_bytes()),
        pending: check_quotes(text, delimiter).err(),
        done: false,
        counted: (0, 1),
        sizes: (64, 4),
    }
}

impl Records<'_> {
    /// The line of the record the reader positioned at byte `at`: the `csv` crate takes a
    /// record's position before it consumes the previous line end (and any empty lines), so
    /// the record itself begins after those.
    fn line_at(&mut self, at: usize) -> usize {
        let text = self.text;
        let mut start = at.min(text.len());
        while matches!(text.get(start), Some(b'\n' | b'\r')) {
            start += 1;
        }
        let (from, line) = self.counted;
        let line = if start >= from {
            line + text[from..start].iter().filter(|&&b| b == b'\n').count()
        } else {
            1 + text[..start].iter().filter(|&&b| b == b'\n').count()
        };
        self.counted = (start, line);
        line
    }
}

impl Records<'_> {
    /// Reads the next record into `record`, reusing its memory (for large inputs; the
    /// iterator allocates one record each). `Ok(false)` at the end.
    ///
    /// # Errors
    /// The quoting error of the text, in place of its first record.
    pub fn read_into(&mut self, record: &mut Record) -> Result<bool, CsvError> {
        if self.done {
            return Ok(false);
        }
        if let Some(e) = self.pending.take() {
            self.done = true;
            return Err(e);
        }
        match self.reader.read_record(&mut record.fields) {
            Ok(true) => {
                let at = record
                    .fields
                    .position()
                    .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX));
                record.line = self.line_at(at);
                Ok(true)
            }
            // Reading a valid `&str` into flexible records cannot fail otherwise; an error
            // would end the records.
            Ok(false) | Err(_) => {
                self.done = true;
                Ok(false)
            }
        }
    }
}

impl Iterator for Records<'_> {
    type Item = Result<Record, CsvError>;

    fn next(&mut self) -> Option<Self::Item> {
        // Sized like the previous record, so that reading does not grow it step by step.
        let mut record = Record {
            line: 0,
            fields: csv::StringRecord::with_capacity(self.sizes.0, self.sizes.1),
        };
        match self.read_into(&mut record) {
            Ok(true) => {
                self.sizes = (record.fields.as_slice().len(), record.fields.len());
                Some(Ok(record))
            }
            Ok(false) => None,
            Err(e) => Some(Err(e)),
        }
    }
}

/// A table read from bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    pub encoding: TextEncoding,
    pub delimiter: u8,
    pub records: Vec<Record>,
}

/// Decodes `bytes`, chooses the delimiter and reads every record.
///
/// # Errors
/// A quoting error, with its line.
pub fn read(bytes: &[u8], dialect: &Dialect<'_>) -> Result<Table, CsvError> {
    let (text, encoding) = decode(bytes);
    let delimiter = detect_delimiter(&text, dialect);
    let records = records(&text, delimiter).collect::<Result<Vec<_>, _>>()?;
    Ok(Table {
        encoding,
        delimiter,
        records,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, delimiter: u8) -> Result<Vec<(usize, Vec<String>)>, CsvError> {
        records(text, delimiter)
            .map(|r| r.map(|r| (r.line, r.iter().map(str::to_owned).collect())))
            .collect()
    }

    fn row(line: usize, fields: &[&str]) -> (usize, Vec<String>) {
        (line, fields.iter().map(|f| (*f).to_owned()).collect())
    }

    #[test]
    fn plain_quoted_escaped_and_multiline_fields_with_their_lines() {
        let text = "a,b\r\nx,\"y, z\"\r\n\"say \"\"hi\"\"\",\r\n\"multi\nline\",end\n\nlast,row";
        assert_eq!(
            parse(text, b',').unwrap(),
            vec![
                row(1, &["a", "b"]),
                row(2, &["x", "y, z"]),
                row(3, &["say \"hi\"", ""]),
                row(4, &["multi\nline", "end"]),
                row(7, &["last", "row"]),
            ]
        );
        // A quote inside an unquoted field is text; spaces may follow a closing quote.
        assert_eq!(
            parse("Kab. \"X\",\"a\" ,b\n", b',').unwrap(),
            vec![row(1, &["Kab. \"X\"", "a ", "b"])]
        );
    }

    #[test]
    fn reading_into_one_record_gives_the_same_records() {
        let text = "a,b\n\"x\ny\",2\n\n3,4,5\n";
        let mut records = records(text, b',');
        let mut record = Record::new();
        let mut got = Vec::new();
        while records.read_into(&mut record).unwrap() {
            got.push((
                record.line,
                record.iter().map(str::to_owned).collect::<Vec<_>>(),
            ));
        }
        assert_eq!(got, parse(text, b',').unwrap());
        assert!(!records.read_into(&mut record).unwrap());
        let mut bad = super::records("a\n\"b", b',');
        assert_eq!(bad.read_into(&mut record).unwrap_err().line, 2);
        assert!(!bad.read_into(&mut record).unwrap());
    }

    #[test]
    fn quoting_errors_name_their_line() {
        let err = |text: &str| parse(text, b',').unwrap_err();
        assert_eq!(
            err("a,b\n1,2\n\"3,4\n5,6\n"),
            CsvError {
                line: 3,
                problem: CsvProblem::UnclosedQuote
            }
        );
        assert_eq!(
            err("a,b\n\"x\ny\",2\n\"1\"x,2\n"),
            CsvError {
                line: 4,
                problem: CsvProblem::TextAfterQuote
            }
        );
        assert_eq!(err("\"a\"b,c").line, 1);
        // Nothing of a malformed text is read.
        assert_eq!(records("a,b\n\"x", b',').count(), 1);
        assert_eq!(
            err("a\n\"open").to_string(),
            "line 2: unclosed quoted field"
        );
    }

    #[test]
    fn encodings_are_detected() {
        let (t, e) = decode(b"\xEF\xBB\xBFa,b");
        assert_eq!((t.as_ref(), e), ("a,b", TextEncoding::Utf8));
        let (t, e) = decode("Rp1.500,00;Kab. Pulang Pisau".as_bytes());
        assert_eq!(
            (t.as_ref(), e),
            ("Rp1.500,00;Kab. Pulang Pisau", TextEncoding::Utf8)
        );
        // Windows-1252: é, the euro sign and a right quote.
        let (t, e) = decode(b"Caf\xe9 \x80 \x92");
        assert_eq!((t.as_ref(), e), ("Café € ’", TextEncoding::Windows1252));
        let (t, e) = decode(b"\xFF\xFEa\x00;\x00b\x00");
        assert_eq!((t.as_ref(), e), ("a;b", TextEncoding::Utf16Le));
        let (t, e) = decode(b"\xFE\xFF\x00a\x00,");
        assert_eq!((t.as_ref(), e), ("a,", TextEncoding::Utf16Be));
    }

    #[test]
    fn delimiters_are_detected() {
        let d = Dialect::COMMA_OR_SEMICOLON;
        assert_eq!(detect_delimiter("region,sector\n\"A; B\",x\n", &d), b',');
        assert_eq!(
            detect_delimiter("wilayah;A;B\nKalteng;1,5;2,25\n", &d),
            b';'
        );
        assert_eq!(detect_delimiter("a;b\n", &Dialect::COMMA), b',');
        // A title line before a wide table: the table decides.
        let bps = Dialect {
            delimiters: b";,\t",
            min_fields: 4,
        };
        let text = "PDRB Kalimantan Tengah, 2021\nKab;A;B;C\nX;1,5;2;3\nY;4;5,5;6\n";
        assert_eq!(detect_delimiter(text, &bps), b';');
        assert_eq!(detect_delimiter("a\tb\tc\td\n1\t2\t3\t4\n", &bps), b'\t');
    }

    #[test]
    fn bytes_in_records_out() {
        let table = read(
            b"\xEF\xBB\xBFwilayah;nilai\r\nKota Palangka Raya;1.234,5\r\n\"Kab. \"\"Seruyan\"\"\";7\r\n",
            &Dialect::COMMA_OR_SEMICOLON,
        )
        .unwrap();
        assert_eq!(table.encoding, TextEncoding::Utf8);
        assert_eq!(table.delimiter, b';');
        assert_eq!(table.records.len(), 3);
        assert_eq!(table.records[1].get(1), "1.234,5");
        assert_eq!(table.records[2].get(0), "Kab. \"Seruyan\"");
        assert_eq!(table.records[2].line, 3);
        assert_eq!(table.records[2].get(5), "");
        assert_eq!(table.records[2].field(5), None);
        let latin = read(b"nama,nilai\nPasar Caf\xe9,3\n", &Dialect::COMMA).unwrap();
        assert_eq!(latin.encoding, TextEncoding::Windows1252);
        assert_eq!(latin.records[1].get(0), "Pasar Café");
        assert_eq!(read(b"a,b\n\"x,1\n", &Dialect::COMMA).unwrap_err().line, 2);
    }
}
