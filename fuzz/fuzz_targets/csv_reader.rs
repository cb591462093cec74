//! Any bytes as a CSV table (any delimiter, UTF-8 or Windows-1252), then through the whole
//! report: never a panic, the limits hold.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sinergi_bps::{Limits, read_csv, read_table};

fuzz_target!(|data: &[u8]| {
    let limits = Limits::default();
    if let Ok(grid) = read_csv(data, &limits) {
        assert!(grid.rows.len() <= limits.max_rows);
        assert!(grid.rows.iter().all(|r| r.cells.len() <= limits.max_columns));
    }
    let spec = sinergi_bps::Spec {
        file_name: "tabel.csv",
        sheet: None,
        year: 2022,
        latest_year: 2026,
        categories: &[],
        candidates: &[],
        total_keys: &[],
        limits,
    };
    let _ = read_table(data, &spec);
});
