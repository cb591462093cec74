//! The small reference catalogues the rules consult (urusan, cooperation fields, PDRB
//! categories), parsed once from the data embedded in `sinergi-reference`.

use sinergi_reference::{CooperationField, PdrbCategory, Urusan};
use std::sync::LazyLock;

/// The parsed catalogues.
#[derive(Debug, Default)]
pub struct Catalog {
    pub urusan: Vec<Urusan>,
    pub fields: Vec<CooperationField>,
    pub pdrb: Vec<PdrbCategory>,
}

static CATALOG: LazyLock<Catalog> = LazyLock::new(|| Catalog {
    // The embedded data is checked by sinergi-reference's tests; an empty list here would
    // make every urusan unknown, which the tests of this crate would catch too.
    urusan: sinergi_reference::urusan().unwrap_or_default(),
    fields: sinergi_reference::cooperation_fields().unwrap_or_default(),
    pdrb: sinergi_reference::pdrb_categories().unwrap_or_default(),
});

/// The catalogues.
#[must_use]
pub fn catalog() -> &'static Catalog {
    &CATALOG
}

#[cfg(test)]
mod tests {
    #[test]
    fn catalogues_are_complete() {
        let c = super::catalog();
        assert_eq!(c.urusan.len(), 32);
        assert_eq!(c.fields.len(), 10);
        assert_eq!(c.pdrb.len(), 17);
    }
}
