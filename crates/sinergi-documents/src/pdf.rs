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

/// Renders `doc` and also returns its number of pages.
///
/// # Errors
/// A layout error (reported with Typst's messages).
pub fn render_counted(doc: &Document) -> Result<(Vec<u8>, usize), RenderError> {
    let main_id = MAIN.ok_or_else(|| RenderError("bad main path".into()))?;
    let data = serde_json::to_vec(doc).map_err(|e| RenderError(e.to_string()))?;
    let world = NaskahWorld {
        main: Source::new(main_id, LAYOUT.to_owned()),
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
    let options = typst_pdf::PdfOptions {
        ident: typst::foundations::Smart::Custom(format!("sinergi-{}", doc.template)),
        creator: typst::foundations::Smart::Custom(Some("Sinergi".to_owned())),
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
