//! The embedded CSV files, read through the shared reader ([`crate::csv`]) with their header
//! and field count checked.

use crate::ReferenceError;
use crate::csv::{self, Record};

/// The data records of an embedded file after checking its header row; every record has as
/// many fields as the header.
pub(crate) fn records<'a>(
    file: &'static str,
    text: &'a str,
    header: &'a [&'a str],
) -> Result<impl Iterator<Item = Result<Record, ReferenceError>> + 'a, ReferenceError> {
    let malformed = move |line: usize, problem: String| ReferenceError::Malformed {
        file,
        line,
        problem,
    };
    let mut all = csv::records(text, b',');
    match all.next() {
        Some(Ok(first)) if first.iter().eq(header.iter().copied()) => {}
        Some(Err(e)) => return Err(malformed(e.line, e.problem.english().to_owned())),
        _ => {
            return Err(malformed(
                1,
                format!("expected header {:?}", header.join(",")),
            ));
        }
    }
    Ok(all.map(move |record| {
        let record = record.map_err(|e| malformed(e.line, e.problem.english().to_owned()))?;
        if record.len() == header.len() {
            Ok(record)
        } else {
            Err(malformed(
                record.line,
                format!("expected {} fields, found {}", header.len(), record.len()),
            ))
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str, header: &[&str]) -> Result<Vec<(usize, Vec<String>)>, ReferenceError> {
        records("test.csv", text, header)?
            .map(|r| r.map(|r| (r.line, r.iter().map(str::to_owned).collect())))
            .collect()
    }

    #[test]
    fn header_and_field_count_are_checked() {
        let rows = parse("a,b\r\nx,\"y, z\"\r\n\"multi\nline\",end\n", &["a", "b"]).unwrap();
        assert_eq!(
            rows,
            vec![
                (2, vec!["x".to_owned(), "y, z".to_owned()]),
                (3, vec!["multi\nline".to_owned(), "end".to_owned()]),
            ]
        );
        assert!(parse("a,b\n", &["a", "c"]).is_err());
        assert!(parse("", &["a"]).is_err());
        assert!(parse("a,b\n1,2,3\n", &["a", "b"]).is_err());
        assert!(parse("a,b\n\"1,2\n", &["a", "b"]).is_err());
        assert!(parse("a,b\n\"1\"x,2\n", &["a", "b"]).is_err());
        let Err(ReferenceError::Malformed { line, problem, .. }) =
            parse("a,b\n1,2\n3\n", &["a", "b"])
        else {
            panic!("expected an error");
        };
        assert_eq!((line, problem.as_str()), (3, "expected 2 fields, found 1"));
        let Err(ReferenceError::Malformed { line, problem, .. }) =
            parse("a,b\n1,2\n\"3,4\n", &["a", "b"])
        else {
            panic!("expected an error");
        };
        assert_eq!((line, problem.as_str()), (3, "unclosed quoted field"));
    }
}
