//! Numbers as BPS writes them: Indonesian `1.234,56` (dot thousands, comma decimals), the
//! English `1,234.56` of BPS's English tables, or plain `1234.56` from CSV downloads.

/// Which separator is the decimal one in a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NumberFormat {
    /// `1.234,56`.
    Indonesian,
    /// `1,234.56` or `1234.56`.
    English,
}

/// What a cell's text says.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Parsed {
    Number(f64),
    /// `-`, `–`, `…`, `x`, `NA`: BPS's signs for "not available".
    NotAvailable,
    NotANumber,
}

fn clean(text: &str) -> String {
    text.trim()
        .chars()
        .filter(|c| !matches!(c, ' ' | '\u{a0}' | '\u{202f}' | '\''))
        .collect()
}

/// Evidence for a format in one text: `Some(Indonesian)` for `12,5` or `1.234,5`,
/// `Some(English)` for `12.5` or `1,234.5`; `None` for `1234` or an ambiguous `1.234`.
#[must_use]
pub fn evidence(text: &str) -> Option<NumberFormat> {
    let t = clean(text);
    let t = t.trim_start_matches(['-', '+']);
    if t.is_empty()
        || !t
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
    {
        return None;
    }
    let (dot, comma) = (t.rfind('.'), t.rfind(','));
    match (dot, comma) {
        (Some(d), Some(c)) => Some(if c > d {
            NumberFormat::Indonesian
        } else {
            NumberFormat::English
        }),
        (None, Some(c)) => {
            let tail = t.len() - c - 1;
            (t.matches(',').count() == 1 && tail != 3).then_some(NumberFormat::Indonesian)
        }
        (Some(d), None) => {
            let tail = t.len() - d - 1;
            (t.matches('.').count() == 1 && tail != 3).then_some(NumberFormat::English)
        }
        (None, None) => None,
    }
}

/// Parses a cell's text in the file's format.
#[must_use]
pub fn parse(text: &str, format: NumberFormat) -> Parsed {
    let t = clean(text);
    if t.is_empty()
        || matches!(
            t.to_lowercase().as_str(),
            "-" | "–" | "—" | "..." | "…" | "x" | "na" | "n/a" | "tt"
        )
    {
        return Parsed::NotAvailable;
    }
    let (thousands, decimal) = match format {
        NumberFormat::Indonesian => ('.', ','),
        NumberFormat::English => (',', '.'),
    };
    let mut body = t.as_str();
    let negative = if let Some(rest) = body.strip_prefix('-') {
        body = rest;
        true
    } else if let Some(rest) = body.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
        body = rest;
        true
    } else {
        false
    };
    if body.is_empty()
        || !body
            .chars()
            .all(|c| c.is_ascii_digit() || c == thousands || c == decimal)
        || body.matches(decimal).count() > 1
    {
        return Parsed::NotANumber;
    }
    let normal: String = body
        .chars()
        .filter(|&c| c != thousands)
        .map(|c| if c == decimal { '.' } else { c })
        .collect();
    match normal.parse::<f64>() {
        Ok(v) if v.is_finite() => Parsed::Number(if negative { -v } else { v }),
        _ => Parsed::NotANumber,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_formats() {
        use NumberFormat::{English, Indonesian};
        assert_eq!(parse("1.234,56", Indonesian), Parsed::Number(1234.56));
        assert_eq!(parse("245 230,12", Indonesian), Parsed::Number(245_230.12));
        assert_eq!(parse("1.234", Indonesian), Parsed::Number(1234.0));
        assert_eq!(parse("1,234.56", English), Parsed::Number(1234.56));
        assert_eq!(parse("1234.56", English), Parsed::Number(1234.56));
        assert_eq!(parse("-", Indonesian), Parsed::NotAvailable);
        assert_eq!(parse("abc", Indonesian), Parsed::NotANumber);
        assert_eq!(parse("1,2,3", Indonesian), Parsed::NotANumber);
        assert_eq!(parse("-12,5", Indonesian), Parsed::Number(-12.5));
        assert_eq!(evidence("1.234,5"), Some(Indonesian));
        assert_eq!(evidence("12,5"), Some(Indonesian));
        assert_eq!(evidence("12.5"), Some(English));
        assert_eq!(evidence("1,234.5"), Some(English));
        assert_eq!(evidence("1.234"), None);
        assert_eq!(evidence("1234"), None);
        assert_eq!(evidence("Bali"), None);
    }
}
