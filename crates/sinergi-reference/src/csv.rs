//! Minimal RFC 4180 reader for the embedded CSV files.

use std::borrow::Cow;

use crate::ReferenceError;

/// One data record: its 1-based starting line and its fields.
pub(crate) struct Record<'a> {
    pub line: usize,
    pub fields: Vec<Cow<'a, str>>,
}

impl Record<'_> {
    /// Field `index` as text; the reader guarantees the field count.
    pub fn get(&self, index: usize) -> &str {
        self.fields.get(index).map_or("", |f| f.as_ref())
    }
}

/// Iterates over the data records of `text` after checking its header row.
pub(crate) fn records<'a>(
    file: &'static str,
    text: &'a str,
    header: &[&str],
) -> Result<Reader<'a>, ReferenceError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut reader = Reader {
        file,
        text,
        pos: 0,
        line: 1,
        columns: header.len(),
    };
    match reader.next() {
        Some(Ok(record))
            if record
                .fields
                .iter()
                .map(|f| f.as_ref())
                .eq(header.iter().copied()) =>
        {
            Ok(reader)
        }
        Some(Err(e)) => Err(e),
        _ => Err(ReferenceError::Malformed {
            file,
            line: 1,
            problem: format!("expected header {:?}", header.join(",")),
        }),
    }
}

pub(crate) struct Reader<'a> {
    file: &'static str,
    text: &'a str,
    pos: usize,
    line: usize,
    columns: usize,
}

impl<'a> Reader<'a> {
    fn error(&self, line: usize, problem: impl Into<String>) -> ReferenceError {
        ReferenceError::Malformed {
            file: self.file,
            line,
            problem: problem.into(),
        }
    }

    fn read_record(&mut self) -> Result<Record<'a>, ReferenceError> {
        let text = self.text;
        let bytes = text.as_bytes();
        let start_line = self.line;
        let mut fields = Vec::with_capacity(self.columns);
        loop {
            let field = if bytes.get(self.pos) == Some(&b'"') {
                self.read_quoted()?
            } else {
                let start = self.pos;
                let end = bytes[start..]
                    .iter()
                    .position(|&b| b == b',' || b == b'\n')
                    .map_or(bytes.len(), |i| start + i);
                self.pos = end;
                let raw = &text[start..end];
                let raw = if bytes.get(end) != Some(&b',') {
                    raw.strip_suffix('\r').unwrap_or(raw)
                } else {
                    raw
                };
                if raw.contains('"') {
                    return Err(self.error(self.line, "quote inside an unquoted field"));
                }
                Cow::Borrowed(raw)
            };
            fields.push(field);
            match bytes.get(self.pos) {
                Some(b',') => self.pos += 1,
                Some(b'\n') => {
                    self.pos += 1;
                    self.line += 1;
                    break;
                }
                None => break,
                Some(_) => {
                    return Err(self.error(self.line, "unexpected character after closing quote"));
                }
            }
        }
        if fields.len() != self.columns {
            return Err(self.error(
                start_line,
                format!("expected {} fields, found {}", self.columns, fields.len()),
            ));
        }
        Ok(Record {
            line: start_line,
            fields,
        })
    }

    /// Reads a quoted field; `self.pos` is at the opening quote.
    fn read_quoted(&mut self) -> Result<Cow<'a, str>, ReferenceError> {
        let text = self.text;
        let bytes = text.as_bytes();
        let open_line = self.line;
        let mut start = self.pos + 1;
        let mut owned: Option<String> = None;
        loop {
            let Some(offset) = bytes[start..].iter().position(|&b| b == b'"') else {
                return Err(self.error(open_line, "unterminated quoted field"));
            };
            let quote = start + offset;
            self.line += bytes[start..quote].iter().filter(|&&b| b == b'\n').count();
            if bytes.get(quote + 1) == Some(&b'"') {
                // Escaped quote: keep one `"` and continue.
                owned
                    .get_or_insert_with(String::new)
                    .push_str(&text[start..=quote]);
                start = quote + 2;
                continue;
            }
            self.pos = quote + 1;
            if bytes.get(self.pos) == Some(&b'\r') && bytes.get(self.pos + 1) == Some(&b'\n') {
                self.pos += 1;
            }
            return Ok(match owned {
                Some(mut s) => {
                    s.push_str(&text[start..quote]);
                    Cow::Owned(s)
                }
                None => Cow::Borrowed(&text[start..quote]),
            });
        }
    }
}

impl<'a> Iterator for Reader<'a> {
    type Item = Result<Record<'a>, ReferenceError>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.pos >= self.text.len() {
            return None;
        }
        let result = self.read_record();
        if result.is_err() {
            // Stop after the first error.
            self.pos = self.text.len();
        }
        Some(result)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, header: &[&str]) -> Result<Vec<(usize, Vec<String>)>, ReferenceError> {
        records("test.csv", text, header)?
            .map(|r| r.map(|r| (r.line, r.fields.iter().map(|f| f.to_string()).collect())))
            .collect()
    }

    #[test]
    fn plain_quoted_and_escaped_fields() {
        let text = "a,b\r\nx,\"y, z\"\r\n\"say \"\"hi\"\"\",\r\n\"multi\nline\",end\nlast,row";
        let rows = parse(text, &["a", "b"]).unwrap();
        assert_eq!(
            rows,
            vec![
                (2, vec!["x".into(), "y, z".into()]),
                (3, vec!["say \"hi\"".into(), String::new()]),
                (4, vec!["multi\nline".into(), "end".into()]),
                (6, vec!["last".into(), "row".into()]),
            ]
        );
    }

    #[test]
    fn rejects_bad_input() {
        assert!(parse("a,b\n", &["a", "c"]).is_err());
        assert!(parse("a,b\n1,2,3\n", &["a", "b"]).is_err());
        assert!(parse("a,b\n1\n", &["a", "b"]).is_err());
        assert!(parse("a,b\n\"1,2\n", &["a", "b"]).is_err());
        assert!(parse("a,b\n\"1\"x,2\n", &["a", "b"]).is_err());
        assert!(parse("a,b\n1\"x,2\n", &["a", "b"]).is_err());
        let Err(ReferenceError::Malformed { line, .. }) = parse("a,b\n1,2\n3\n", &["a", "b"])
        else {
            panic!("expected an error");
        };
        assert_eq!(line, 3);
    }
}
