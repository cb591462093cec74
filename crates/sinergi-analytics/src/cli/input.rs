//! Reading the input of `sinergi analyze`: CSV bytes or text through the shared reader
//! (`sinergi_reference::csv`) into observations, each with its line.

use sinergi_reference::csv::{self, Dialect, Record};

use super::error::{AnalyzeError, AnalyzeErrorKind};
use crate::panel::Observation;

/// The columns the input must have (other columns are ignored, in any position).
pub const REQUIRED_COLUMNS: [&str; 4] = ["region", "sector", "year", "value"];

/// Observations read from CSV text, with the line each came from.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedCsv {
    /// The observations, in file order.
    pub observations: Vec<Observation>,
    /// `lines[k]` is the 1-based line of `observations[k]`.
    pub lines: Vec<usize>,
}

/// Reads `region,sector,year,value` rows from bytes: UTF-8 (a byte-order mark is skipped) or,
/// when the bytes are not UTF-8, Windows-1252; then as [`parse_observations_csv`].
///
/// # Errors
/// As [`parse_observations_csv`].
pub fn parse_observations_bytes(file_name: &str, bytes: &[u8]) -> Result<ParsedCsv, AnalyzeError> {
    let (text, _) = csv::decode(bytes);
    parse_observations_csv(file_name, &text)
}

/// A record of nothing but white space, which the input may have between rows.
fn is_blank_line(record: &Record) -> bool {
    record.len() == 1 && record.get(0).trim().is_empty()
}

/// Reads `region,sector,year,value` rows (header required; other columns ignored; header
/// names matched case-insensitively after trimming; names and numbers trimmed; blank lines
/// skipped). Fields are separated by commas, or by semicolons when the file uses them (as a
/// spreadsheet does where the comma is the decimal mark).
///
/// # Errors
/// Empty file, missing or duplicate column, malformed CSV, short row, empty field, year not an
/// integer, value not a (finite) number — each with its line.
pub fn parse_observations_csv(file_name: &str, csv_text: &str) -> Result<ParsedCsv, AnalyzeError> {
    let err = |line: usize, kind| AnalyzeError::new(file_name, Some(line), kind);
    let delimiter = csv::detect_delimiter(csv_text, &Dialect::COMMA_OR_SEMICOLON);
    let mut records = csv::records(csv_text, delimiter);
    // One record reused for every row: the input may have hundreds of thousands.
    let mut record = Record::new();
    let mut next_row = |record: &mut Record| -> Result<bool, AnalyzeError> {
        loop {
            let more = records.read_into(record).map_err(|e| {
                err(
                    e.line,
                    AnalyzeErrorKind::MalformedCsv {
                        detail: e.problem.indonesian(),
                    },
                )
            })?;
            if !more || !is_blank_line(record) {
                return Ok(more);
            }
        }
    };

    // Header: the first non-blank record.
    if !next_row(&mut record)? {
        return Err(AnalyzeError::new(
            file_name,
            None,
            AnalyzeErrorKind::EmptyFile,
        ));
    }
    let mut positions = [0usize; 4];
    for (k, column) in REQUIRED_COLUMNS.iter().enumerate() {
        let mut found = record
            .iter()
            .enumerate()
            .filter(|(_, f)| f.trim().eq_ignore_ascii_case(column));
        let Some((p, _)) = found.next() else {
            return Err(err(record.line, AnalyzeErrorKind::MissingColumn { column }));
        };
        if found.next().is_some() {
            return Err(err(
                record.line,
                AnalyzeErrorKind::DuplicateColumn { column },
            ));
        }
        positions[k] = p;
    }

    let mut observations = Vec::new();
    let mut lines = Vec::new();
    while next_row(&mut record)? {
        let line = record.line;
        let mut values: [&str; 4] = [""; 4];
        for (k, &p) in positions.iter().enumerate() {
            let column = REQUIRED_COLUMNS[k];
            let Some(f) = record.field(p) else {
                return Err(err(
                    line,
                    AnalyzeErrorKind::MissingField {
                        column,
                        position: p + 1,
                        found: record.len(),
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

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(parsed: &ParsedCsv) -> Vec<(usize, &str, &str, i32, f64)> {
        parsed
            .observations
            .iter()
            .zip(&parsed.lines)
            .map(|(o, &l)| (l, o.region.as_str(), o.sector.as_str(), o.year, o.value))
            .collect()
    }

    #[test]
    fn semicolons_byte_order_marks_and_windows_1252() {
        let parsed = parse_observations_bytes(
            "x.csv",
            b"\xEF\xBB\xBFwilayah;region;sector;year;value\r\n1;Kab. Seruyan;A;2021;12.5\r\n\r\n2;\"Kota; Palangka Raya\";A;2021;3\r\n",
        )
        .unwrap();
        assert_eq!(
            rows(&parsed),
            [
                (2, "Kab. Seruyan", "A", 2021, 12.5),
                (4, "Kota; Palangka Raya", "A", 2021, 3.0)
            ]
        );
        let parsed =
            parse_observations_bytes("x.csv", b"region,sector,year,value\nCaf\xe9,A,2021,1\n")
                .unwrap();
        assert_eq!(parsed.observations[0].region, "Café");
        // A decimal comma in a semicolon file is not a number: said so, with the line.
        let e = parse_observations_bytes("x.csv", b"region;sector;year;value\nA;X;2021;1,5\n")
            .unwrap_err();
        assert_eq!(e.to_string(), "x.csv:2: nilai bukan angka: \"1,5\"");
    }

    #[test]
    fn blank_lines_are_skipped_and_quoting_errors_have_their_line() {
        let parsed = parse_observations_csv(
            "x.csv",
            "\n  \nregion,sector,year,value\n\nA,X,2020,1\n   \n\"B\" ,X,2020,2\n",
        )
        .unwrap();
        assert_eq!(
            rows(&parsed),
            [(5, "A", "X", 2020, 1.0), (7, "B", "X", 2020, 2.0)]
        );
        let e = parse_observations_csv("x.csv", "region,sector,year,value\n\"A\"B,X,2020,1\n")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.csv:2: CSV rusak: ada teks sesudah tanda kutip penutup"
        );
        let e = parse_observations_csv("x.csv", "region,sector,year,value\nA,X,2020,1\n\"B,X")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "x.csv:3: CSV rusak: tanda kutip tidak ditutup"
        );
    }
}
