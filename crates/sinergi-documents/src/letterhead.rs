//! Each government's kop surat — its lambang daerah and address — as the deployment
//! configures it (`[documents.letterheads.<kode>]` in `sinergi.toml`, read by the binary at
//! start and installed here once). The crate stays pure: the binary reads the files, this
//! module only holds the values; the store asks for a party's letterhead by region code when
//! it gathers a document's input. Nothing is invented: a government without a configured
//! letterhead gets the name-only kop.

use crate::input::LetterheadInput;
use std::collections::BTreeMap;
use std::sync::RwLock;

static LETTERHEADS: RwLock<BTreeMap<String, LetterheadInput>> = RwLock::new(BTreeMap::new());

/// Installs the letterheads (region code → letterhead), replacing what was there.
pub fn install(heads: BTreeMap<String, LetterheadInput>) {
    if let Ok(mut l) = LETTERHEADS.write() {
        *l = heads;
    }
}

/// Adds or replaces one government's letterhead.
pub fn set(region: &str, head: LetterheadInput) {
    if let Ok(mut l) = LETTERHEADS.write() {
        l.insert(region.to_owned(), head);
    }
}

/// The letterhead of the government with this Kemendagri code, when configured.
#[must_use]
pub fn for_region(region: &str) -> Option<LetterheadInput> {
    LETTERHEADS.read().ok()?.get(region).cloned()
}

/// Checks that an SVG file is one (the lambang is drawn by Typst, which refuses other data
/// with a layout error that would block every letter).
///
/// # Errors
/// Text that is not an SVG document.
pub fn check_svg(text: &str) -> Result<(), String> {
    let t = text.trim_start_matches('\u{feff}').trim_start();
    if t.starts_with("<svg") || (t.starts_with("<?xml") && t.contains("<svg")) {
        Ok(())
    } else {
        Err("lambang harus berkas SVG (the lambang must be an SVG file)".to_owned())
    }
}
