//! The founding case's documents built from its published facts only
//! (`sinergi_domain::demo`), for tests, benchmarks and the demo. The database path
//! (`sinergi document render`) builds the same input from stored rows.

use crate::input::{DocumentInput, PartyInput, SignatoryInput};
use sinergi_domain::catalog::catalog;
use sinergi_domain::demo::{Who, founding_case};

/// The founding case's KB input: numbers blank (never published), date and place of the
/// signing as reported, the governors as signatories.
#[must_use]
pub fn founding_kb() -> DocumentInput {
    let f = founding_case();
    let signatory = |who: Who| {
        f.officials
            .iter()
            .find(|o| o.who == who)
            .map(|o| SignatoryInput {
                name: o.input.name.clone(),
                title: format!("{}{}", o.input.acting.prefix(), o.input.position),
            })
    };
    let field_label = |code: &str| {
        catalog()
            .fields
            .iter()
            .find(|x| x.code == code)
            .map_or_else(|| code.to_owned(), |x| x.name.clone())
    };
    DocumentInput {
        title: f.kb_title.to_owned(),
        case_title: f.case.title.clone(),
        object: f.case.object.clone(),
        background: f.case.background.clone(),
        objectives: f.case.objectives.clone(),
        fields: f
            .case
            .fields
            .iter()
            .map(|x| {
                x.code
                    .as_deref()
                    .map_or_else(|| x.label.clone().unwrap_or_default(), field_label)
            })
            .collect(),
        place: Some(f.kb_place.to_owned()),
        date: Some(f.kb_signed_on),
        parties: vec![
            PartyInput {
                ordinal: 1,
                government: "Pemerintah Provinsi Kalimantan Tengah".to_owned(),
                number: None,
                signatory: signatory(Who::GubernurKalteng),
                power_of_attorney: None,
                unit: f.case.parties[0].contact.unit.clone(),
                letterhead: None,
            },
            PartyInput {
                ordinal: 2,
                government: "Pemerintah Provinsi Bali".to_owned(),
                number: None,
                signatory: signatory(Who::GubernurBali),
                power_of_attorney: None,
                unit: None,
                letterhead: None,
            },
        ],
        ..DocumentInput::default()
    }
}
