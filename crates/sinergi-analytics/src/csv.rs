//! A small RFC 4180 reader and writer: comma-separated, fields optionally in double quotes
//! (`""` inside quotes is one quote; quoted fields may span lines), `\n` or `\r\n` line ends,
//! an optional UTF-8 byte order mark. Line numbers count physical lines from 1.

use crate::panel::Observation;

/// A syntax error at a physical line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CsvSyntaxError {
    pub line: usize,
    pub detail: &'static str,
}

/// Reads records one at a time.
pub(crate) struct Records<'a> {
    text: &'a str,
    pos: usize,
    line: usize,
}

impl<'a> Records<'a> {
    pub(crate) fn new(text: &'a str) -> Self {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        Self {
            text,
            pos: 0,
            line: 1,
        }
    }

    /// Consumes a line end at `pos` if there is one.
    fn eat_newline(&mut self) -> bool {
        let bytes = self.text.as_bytes();
        match bytes.get(self.pos) {
            Some(b'\n') => {
                self.pos += 1;
                self.line += 1;
                true
            }
            Some(b'\r') => {
                self.pos += 1;
                if bytes.get(self.pos) == Some(&b'\n') {
                    self.pos += 1;
                }
                self.line += 1;
                true
            }
            _ => false,
        }
    }

    /// Reads the next record into `fields`; returns its first line, or `None` at the end.
    pub(crate) fn next_record(
        &mut self,
        fields: &mut Vec<String>,
    ) -> Result<Option<usize>, CsvSyntaxError> {
        let bytes = self.text.as_bytes();
        if self.pos >= bytes.len() {
            return Ok(None);
        }
        let start_line = self.line;
        fields.clear();
        loop {
            let mut field = String::new();
            if bytes.get(self.pos) == Some(&b'"') {
                let quote_line = self.line;
                self.pos += 1;
                loop {
                    let rest = &self.text[self.pos..];
                    let Some(q) = rest.find('"') else {
                        return Err(CsvSyntaxError {
                            line: quote_line,
                            detail: "tanda kutip tidak ditutup",
                        });
                    };
                    let chunk = &rest[..q];
                    self.line += chunk.bytes().filter(|b| *b == b'\n').count();
                    field.push_str(chunk);
                    self.pos += q + 1;
                    if bytes.get(self.pos) == Some(&b'"') {
                        field.push('"');
                        self.pos += 1;
                    } else {
                        break;
                    }
                }
                while matches!(bytes.get(self.pos), Some(b' ' | b'\t')) {
                    self.pos += 1;
                }
                match bytes.get(self.pos) {
                    None => {
                        fields.push(field);
                        return Ok(Some(start_line));
                    }
                    Some(b',') => {
                        self.pos += 1;
                        fields.push(field);
                    }
                    Some(b'\n' | b'\r') => {
                        self.eat_newline();
                        fields.push(field);
                        return Ok(Some(start_line));
                    }
                    Some(_) => {
                        return Err(CsvSyntaxError {
                            line: self.line,
                            detail: "ada teks sesudah tanda kutip penutup",
                        });
                    }
                }
            } else {
                let rest = &self.text[self.pos..];
                let end = rest.find([',', '\n', '\r']).unwrap_or(rest.len());
                field.push_str(&rest[..end]);
                self.pos += end;
                fields.push(field);
                match bytes.get(self.pos) {
                    Some(b',') => self.pos += 1,
                    _ => {
                        self.eat_newline();
                        return Ok(Some(start_line));
                    }
                }
            }
        }
    }
}

fn write_field(out: &mut String, field: &str) {
    if field.contains([',', '"', '\n', '\r']) || field.trim() != field {
        out.push('"');
        out.push_str(&field.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(field);
    }
}

/// Writes observations as CSV with the header `region,sector,year,value` (quoting names where
/// needed, values at full precision), the format `analyze_csv` reads.
#[must_use]
pub fn observations_to_csv(observations: &[Observation]) -> String {
    let mut out = String::with_capacity(32 * (observations.len() + 1));
    out.push_str("region,sector,year,value\n");
    for o in observations {
        write_field(&mut out, &o.region);
        out.push(',');
        write_field(&mut out, &o.sector);
        out.push(',');
        out.push_str(&o.year.to_string());
        out.push(',');
        out.push_str(&o.value.to_string());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(text: &str) -> Result<Vec<(usize, Vec<String>)>, CsvSyntaxError> {
        let mut r = Records::new(text);
        let mut out = Vec::new();
        let mut f = Vec::new();
        while let Some(line) = r.next_record(&mut f)? {
            out.push((line, f.clone()));
        }
        Ok(out)
    }

    #[test]
    fn plain_quoted_and_multiline() {
        let got = all("\u{feff}a,b\r\n\"x, y\",\"he said \"\"hi\"\"\"\n\"multi\nline\",z\nlast,")
            .unwrap();
        assert_eq!(got[0], (1, vec!["a".into(), "b".into()]));
        assert_eq!(got[1], (2, vec!["x, y".into(), "he said \"hi\"".into()]));
        assert_eq!(got[2], (3, vec!["multi\nline".into(), "z".into()]));
        assert_eq!(got[3], (5, vec!["last".into(), String::new()]));
        assert_eq!(got.len(), 4);
    }

    #[test]
    fn blank_lines_are_single_empty_records() {
        let got = all("a\n\nb\n").unwrap();
        assert_eq!(
            got,
            vec![
                (1, vec!["a".into()]),
                (2, vec![String::new()]),
                (3, vec!["b".into()])
            ]
        );
    }

    #[test]
    fn syntax_errors() {
        assert_eq!(
            all("a\n\"open").unwrap_err(),
            CsvSyntaxError {
                line: 2,
                detail: "tanda kutip tidak ditutup"
            }
        );
        assert_eq!(all("\"a\"b,c").unwrap_err().line, 1);
    }

    #[test]
    fn writer_round_trips() {
        let obs = vec![Observation::new("Kep. \"Babel\"", "M,N", 2022, 0.1 + 0.2)];
        let text = observations_to_csv(&obs);
        let got = all(&text).unwrap();
        assert_eq!(
            got[1].1,
            vec!["Kep. \"Babel\"", "M,N", "2022", "0.30000000000000004"]
        );
    }
}
