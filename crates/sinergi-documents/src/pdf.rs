//! PDF output through Typst, in-process: a small World that serves one embedded layout
//! (`typst/naskah.typ`), the document as JSON at `/data.json`, and the fonts embedded from
//! typst-assets. No system fonts, no file system, no network.

use crate::model::Document;
use std::sync::LazyLock;
use typst::diag::{FileError, FileResult};
use typst::foundations::{Bytes, Datetime};
use typst::syntax::{FileId, RootedPath, Source, VirtualPath, VirtualRoot};
use typst::text::{Font, FontBook};
use typst::utils::LazyHash;
use typst::{Library, LibraryExt, World};
use typst_layout::PagedDocument;

const LAYOUT: &str = include_str!("../typst/naskah.typ");

static FONTS: LazyLock<(LazyHash<FontBook>, Vec<Font>)> = LazyLock::new(|| {
    let fonts: Vec<Font> = typst_assets::fonts()
        .flat_map(|d| Font::iter(Bytes::new(d)))
        .collect();
    (LazyHash::new(FontBook::from_fonts(&fonts)), fonts)
});

static LIBRARY: LazyLock<LazyHash<Library>> = LazyLock::new(|| LazyHash::new(Library::default()));

fn file_id(path: &str) -> Option<FileId> {
    Some(RootedPath::new(VirtualRoot::Project, VirtualPath::new(path).ok()?).intern())
}

static MAIN: LazyLock<Option<FileId>> = LazyLock::new(|| file_id("/naskah.typ"));
static REPORT: LazyLock<Option<FileId>> = LazyLock::new(|| file_id("/laporan.typ"));
static DATA: LazyLock<Option<FileId>> = LazyLock::new(|| file_id("/data.json"));

/// Rendering failed (a bug in the layout, never in the user's text: that arrives as data).
#[derive(Debug, Clone, thiserror::Error)]
#[error("PDF rendering failed: {0}")]
pub struct RenderError(pub String);

struct NaskahWorld {
    main: Source,
    data: Bytes,
}

impl World for NaskahWorld {
    fn library(&self) -> &LazyHash<Library> {
        &LIBRARY
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &FONTS.0
    }

    fn main(&self) -> FileId {
        self.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.main.id() {
            Ok(self.main.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        if Some(id) == *DATA {
            Ok(self.data.clone())
        } else {
            Err(FileError::AccessDenied)
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        FONTS.1.get(index).cloned()
    }

    fn today(&self, _offset: Option<typst::foundations::Duration>) -> Option<Datetime> {
        // Documents never print "today": dates come from the data.
        None
    }
}

/// Renders `doc` to PDF bytes. The output is deterministic for the same document.
///
/// # Errors
/// A layout error (reported with Typst's messages).
pub fn render(doc: &Document) -> Result<Vec<u8>, RenderError> {
    render_counted(doc).map(|(pdf, _)| pdf)
}

/// Whether a document is archived as PDF/A-2b: a final (verifiable) KB or PKS, the texts
/// that are kept for their whole term and beyond (ADR 0011), when it carries its issue time.
#[must_use]
pub fn is_archival(doc: &Document) -> bool {
    doc.verification.is_some()
        && matches!(
            doc.kind,
            crate::kind::DocumentKind::Kb | crate::kind::DocumentKind::Pks
        )
}

/// Renders `doc` and also returns its number of pages. A final KB or PKS is written as
/// PDF/A-2b ([`is_archival`]); every other document as plain (tagged) PDF.
///
/// # Errors
/// A layout error (reported with Typst's messages).
pub fn render_counted(doc: &Document) -> Result<(Vec<u8>, usize), RenderError> {
    let data = serde_json::to_vec(doc).map_err(|e| RenderError(e.to_string()))?;
    // The archival copy is the one the finalisation stores, which carries its issue time; a
    // later re-rendering of a final text without it (a preview) stays plain PDF.
    let standard = if is_archival(doc) && doc.issued_at.is_some() {
        Some(typst_pdf::PdfStandard::A_2b)
    } else {
        None
    };
    compile(
        *MAIN,
        LAYOUT,
        data,
        &format!("sinergi-{}", doc.template),
        standard,
        issued(doc)?,
    )
}

/// The archival creation date: `issued_at` as a PDF timestamp (UTC).
fn issued(doc: &Document) -> Result<Option<typst_pdf::Timestamp>, RenderError> {
    let Some(at) = &doc.issued_at else {
        return Ok(None);
    };
    let t = time::OffsetDateTime::parse(at, &time::format_description::well_known::Rfc3339)
        .map_err(|e| RenderError(format!("issued_at {at}: {e}")))?
        .to_offset(time::UtcOffset::UTC);
    let dt = Datetime::from_ymd_hms(
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
    )
    .ok_or_else(|| RenderError(format!("issued_at {at}: out of range")))?;
    Ok(Some(typst_pdf::Timestamp::new_utc(dt)))
}

/// Renders `doc` as PDF/A-2b whatever its kind (for archiving a copy).
///
/// # Errors
/// A layout error, or content PDF/A does not allow.
pub fn render_archival(doc: &Document) -> Result<Vec<u8>, RenderError> {
    let data = serde_json::to_vec(doc).map_err(|e| RenderError(e.to_string()))?;
    compile(
        *MAIN,
        LAYOUT,
        data,
        &format!("sinergi-{}", doc.template),
        Some(typst_pdf::PdfStandard::A_2b),
        issued(doc)?,
    )
    .map(|(pdf, _)| pdf)
}

const REPORT_LAYOUT: &str = include_str!("../typst/laporan.typ");

/// Renders a report (tables) with the report layout (`typst/laporan.typ`).
///
/// # Errors
/// A layout error.
pub fn render_report(report: &crate::report::ReportDoc) -> Result<(Vec<u8>, usize), RenderError> {
    let data = serde_json::to_vec(report).map_err(|e| RenderError(e.to_string()))?;
    compile(*REPORT, REPORT_LAYOUT, data, "sinergi-laporan", None, None)
}

/// Compiles `layout` (served as `main`) over `data` (served as `/data.json`) to PDF.
fn compile(
    main: Option<FileId>,
    layout: &str,
    data: Vec<u8>,
    ident: &str,
    standard: Option<typst_pdf::PdfStandard>,
    timestamp: Option<typst_pdf::Timestamp>,
) -> Result<(Vec<u8>, usize), RenderError> {
    let main_id = main.ok_or_else(|| RenderError("bad main path".into()))?;
    let world = NaskahWorld {
        main: Source::new(main_id, layout.to_owned()),
        data: Bytes::new(data),
    };
    let compiled = typst::compile::<PagedDocument>(&world);
    let paged = compiled.output.map_err(|errs| {
        RenderError(
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let standards = match standard {
        Some(s) => {
            typst_pdf::PdfStandards::new(&[s]).map_err(|e| RenderError(e.message().to_string()))?
        }
        None => typst_pdf::PdfStandards::default(),
    };
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(ident.to_owned()),
        creator: typst::foundations::Smart::Custom(Some("Sinergi".to_owned())),
        standards,
        timestamp,
        ..typst_pdf::PdfOptions::default()
    };
    let pdf = typst_pdf::pdf(&paged, &options).map_err(|errs| {
        RenderError(
            errs.iter()
                .map(|e| e.message.to_string())
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    // Keep the global memo cache bounded in a long-running server.
    typst::comemo::evict(10);
    Ok((pdf, paged.pages().len()))
}
