//! Any bytes as an upload (PDF, DOCX, PNG, JPEG): never a panic; what is accepted is within
//! the limits.
#![no_main]

use libfuzzer_sys::fuzz_target;
#[path = "../../crates/sinergi-documents/src/upload.rs"]
#[allow(dead_code)]
mod upload;

use upload::{Limits, check_within, safe_file_name};

fuzz_target!(|data: &[u8]| {
    let limits = Limits {
        max_unpacked_bytes: 4 * 1024 * 1024,
        ..Limits::default()
    };
    let _ = check_within(data, Some("berkas.png"), &limits);
    let _ = check_within(data, None, &limits);
    let name = String::from_utf8_lossy(data);
    let safe = safe_file_name(&name);
    assert!(!safe.contains(['/', '\\', '"', '\r', '\n']));
});
