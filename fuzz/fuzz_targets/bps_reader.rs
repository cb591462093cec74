//! Any bytes as a BPS table, read as XLSX/ODS (zip), XLS (compound file) or CSV by their
//! first bytes: never a panic, never more than the limits allow.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sinergi_bps::{Limits, read_grid};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_unpacked_bytes: 4 * 1024 * 1024,
        ..Limits::default()
    };
    if let Ok(grid) = read_grid("tabel.xlsx", data, None, &limits) {
        assert!(grid.rows.len() <= limits.max_rows);
        assert!(grid.rows.iter().all(|r| r.cells.len() <= limits.max_columns));
    }
});
