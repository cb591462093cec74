//! Any bytes as a region's register of agreements (issue 19): the bounded grid, the header
//! search, the values and the partner names — never a panic, every row accounted for.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sinergi_register::{Directory, Outcome, Spec, read_register, register_limits};
use std::sync::OnceLock;

fn directory() -> &'static Directory {
    static DIR: OnceLock<Directory> = OnceLock::new();
    DIR.get_or_init(|| Directory::embedded().expect("embedded region list"))
}

fuzz_target!(|data: &[u8]| {
    let mut limits = register_limits();
    limits.max_unpacked_bytes = 4 * 1024 * 1024;
    for name in ["register.xlsx", "register.csv"] {
        let spec = Spec {
            file_name: name,
            sheet: None,
            region: "62",
            overrides: &[],
            limits,
        };
        let report = read_register(data, &spec, directory());
        assert!(report.rows.len() <= limits.max_rows);
        for row in &report.rows {
            if let Outcome::Record { record, .. } = &row.outcome {
                assert!(!record.subject.is_empty());
                assert!(!record.partners.is_empty());
            }
        }
    }
});
