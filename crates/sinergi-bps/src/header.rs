//! Finding the table in the grid: category columns by code or name, the numbering row, the
//! years a sheet mentions, and the region a row's label names.

use crate::{Candidate, Category, Cell, NumberFormat, Parsed, Row, parse};
use sinergi_reference::{search_key, strip_level_prefix};

/// Spreadsheet column letters: 0 → A, 26 → AA.
#[must_use]
pub fn column_name(mut i: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(char::from(b'A' + u8::try_from(i % 26).unwrap_or(0)));
        if i < 26 {
            break;
        }
        i = i / 26 - 1;
    }
    s.iter().rev().collect()
}

/// Expands a header code such as `M,N`, `M-N`, `R-U`, `R, S, T, U` to `M,N` / `R,S,T,U`.
pub(super) fn code_of_header(text: &str) -> Option<String> {
    let t = text.trim().trim_start_matches('[');
    let first = t.chars().next()?;
    if !first.is_ascii_uppercase() {
        return None;
    }
    let end = t.find(['.', ')', ':', ']']).unwrap_or(t.len());
    let head: String = t[..end].chars().filter(|c| !c.is_whitespace()).collect();
    // "A" alone, or "A. Pertanian…": a bare "Bali" must not read as a code.
    if head.is_empty()
        || !head
            .chars()
            .all(|c| c.is_ascii_uppercase() || matches!(c, ',' | '-' | '–'))
    {
        return None;
    }
    if end == t.len()
        && head.chars().filter(char::is_ascii_uppercase).count() > 1
        && !head.contains([',', '-', '–'])
    {
        return None;
    }
    let parts: Vec<&str> = head.split(['-', '–']).collect();
    if parts.len() == 2 && parts[0].len() == 1 && parts[1].len() == 1 {
        let (a, b) = (parts[0].as_bytes()[0], parts[1].as_bytes()[0]);
        if a < b {
            return Some(
                (a..=b)
                    .map(|c| char::from(c).to_string())
                    .collect::<Vec<_>>()
                    .join(","),
            );
        }
    }
    Some(head.replace(['-', '–'], ","))
}

/// Which category a header cell names, by code or by name.
pub(super) fn category_of_cell(cell: &Cell, categories: &[Category]) -> Option<usize> {
    let Cell::Text(text) = cell else {
        return None;
    };
    if let Some(code) = code_of_header(text)
        && let Some(i) = categories.iter().position(|c| c.code == code)
    {
        return Some(i);
    }
    let key = search_key(text);
    if key.len() < 6 {
        return None;
    }
    let key = key.replace("realestate", "realestat");
    categories
        .iter()
        .enumerate()
        .filter(|(_, c)| {
            let ck = search_key(&c.name);
            ck.len() >= 6 && (key == ck || key.contains(&ck))
        })
        .max_by_key(|(_, c)| search_key(&c.name).len())
        .map(|(i, _)| i)
}

/// `(1)`, `[2]`: a column-numbering cell of a header, not data.
pub(super) fn is_column_number(text: &str) -> bool {
    let t = text.trim();
    let inner = t
        .strip_prefix('(')
        .and_then(|r| r.strip_suffix(')'))
        .or_else(|| t.strip_prefix('[').and_then(|r| r.strip_suffix(']')));
    inner.is_some_and(|i| !i.is_empty() && i.len() <= 3 && i.chars().all(|c| c.is_ascii_digit()))
}

pub(super) fn looks_numeric(cell: &Cell) -> bool {
    match cell {
        Cell::Number(_) => true,
        Cell::Text(t) => {
            !is_column_number(t) && matches!(parse(t, NumberFormat::Indonesian), Parsed::Number(_))
        }
        Cell::Empty => false,
    }
}

/// Years 2000–2100 written in the title and header rows (and the sheet name).
pub(super) fn years_mentioned(rows: &[Row], sheet: Option<&str>) -> Vec<i32> {
    let mut years = Vec::new();
    let mut scan = |text: &str| {
        let bytes = text.as_bytes();
        for i in 0..bytes.len().saturating_sub(3) {
            let window = &bytes[i..i + 4];
            let before = i.checked_sub(1).map(|j| bytes[j]);
            let after = bytes.get(i + 4).copied();
            if window.iter().all(u8::is_ascii_digit)
                && !before.is_some_and(|b| b.is_ascii_digit())
                && !after.is_some_and(|b| b.is_ascii_digit())
                && let Ok(y) = std::str::from_utf8(window).unwrap_or("").parse::<i32>()
                && (2000..=2100).contains(&y)
                && !years.contains(&y)
            {
                years.push(y);
            }
        }
    };
    for row in rows {
        for cell in &row.cells {
            match cell {
                Cell::Text(t) => scan(t),
                Cell::Number(n) if n.fract() == 0.0 && (2000.0..=2100.0).contains(n) => {
                    scan(&format!("{n}"));
                }
                _ => {}
            }
        }
    }
    if let Some(s) = sheet {
        scan(s);
    }
    years.sort_unstable();
    years
}

/// The row label without numbering ("1.", "01") and footnote markers ("Papua*", "Aceh¹", "Bali x)").
pub(super) fn clean_label(label: &str) -> String {
    let mut t = label.trim();
    let numbered = t.trim_start_matches(|c: char| c.is_ascii_digit());
    if numbered.len() < t.len() {
        let rest = numbered.trim_start_matches(['.', ')']);
        if rest.starts_with(' ') || rest.len() < numbered.len() {
            t = rest.trim_start();
        }
    }
    let mut s = t.to_owned();
    loop {
        let before = s.len();
        s = s.trim_end_matches(['*', '¹', '²', '³', ' ']).to_owned();
        for marker in [" x)", " r)", "x)", " 1)", " 2)"] {
            if let Some(stripped) = s.strip_suffix(marker) {
                s = stripped.to_owned();
            }
        }
        if s.len() == before {
            break;
        }
    }
    s
}

/// Finds the region a label names: exact keys only (a table is no place to guess).
pub(super) fn find_region<'a>(label: &str, candidates: &'a [Candidate]) -> Vec<&'a Candidate> {
    let full = search_key(label);
    let stripped = search_key(strip_level_prefix(label));
    let says_city = label.trim_start().to_lowercase().starts_with("kota ");
    let found: Vec<&Candidate> = candidates
        .iter()
        .filter(|c| c.keys.iter().any(|k| *k == full || *k == stripped))
        .collect();
    if found.len() == 2 && !says_city {
        // BPS writes regencies without a prefix and cities with "Kota": "Bandung" is the regency.
        let regencies: Vec<&Candidate> = found
            .iter()
            .copied()
            .filter(|c| c.level == "regency")
            .collect();
        if regencies.len() == 1 {
            return regencies;
        }
    }
    if found.len() > 1 && says_city {
        let cities: Vec<&Candidate> = found
            .iter()
            .copied()
            .filter(|c| c.level == "city")
            .collect();
        if cities.len() == 1 {
            return cities;
        }
    }
    found
}
