//! Agreement documents: templates as versioned data, clause trees, redlines between versions,
//! official output (PDF through Typst, DOCX through OOXML) and electronic signatures.
//!
//! This crate is pure: no database, no network, no clock. Templates are TOML files embedded
//! with `include_str!` (`templates/`), filled with typed variables taken from a case
//! ([`DocumentInput`]); the result is a [`Document`] — one value that both renderers draw,
//! so the PDF and the DOCX say the same thing. User text reaches Typst only as JSON data
//! served by the in-memory World (`/data.json`), never spliced into markup.

pub mod docx;
pub mod draft;
pub mod fixtures;
pub mod gather;
pub mod input;
pub mod kind;
pub mod letterhead;
pub mod model;
pub mod pdf;
pub mod qr;
pub mod redline;
pub mod report;
pub mod sign;
pub mod template;
pub mod upload;
mod vars;

pub use draft::{Ayat, Clause, Draft};
pub use input::{DocumentInput, LetterheadInput, MeetingInput, PartyInput, SignatoryInput};
pub use kind::DocumentKind;
pub use model::{Document, Verification};
pub use template::{Template, TemplateError};

/// Builds the document of `kind` from the embedded template, with the clauses of `draft`
/// when given (a negotiated text) or the template's own clauses otherwise.
///
/// # Errors
/// A template that does not parse or lacks a required section (a programming error caught by
/// the unit tests), or a draft that lacks a section the template requires.
pub fn build(
    kind: DocumentKind,
    input: &DocumentInput,
    draft: Option<&Draft>,
) -> Result<Document, TemplateError> {
    let template = Template::embedded_for(kind, input.nota_kesepakatan)?;
    template.build(input, draft)
}
