//! `[limits]`: what an uploaded or imported file may cost before it is read (issue 16).

use serde::Deserialize;

/// `[limits]`. The table limits apply to BPS imports (API and `sinergi observations import`);
/// the image and package limits to every upload (signed scans, evidence).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LimitSettings {
    /// Largest BPS table file (CSV, XLSX, XLS, ODS), in bytes. Over HTTP the request body
    /// limit (`server.max_body_bytes`) applies first.
    #[serde(default = "default_table_bytes")]
    pub max_table_bytes: u64,
    /// The last row of a table that may hold data.
    #[serde(default = "default_rows")]
    pub max_table_rows: usize,
    /// The last column of a table that may hold data.
    #[serde(default = "default_columns")]
    pub max_table_columns: usize,
    /// Non-empty cells of one table file.
    #[serde(default = "default_cells")]
    pub max_table_cells: usize,
    /// All parts of a zip-based file (XLSX, ODS, DOCX) together, unpacked, in bytes.
    #[serde(default = "default_unpacked")]
    pub max_unpacked_bytes: u64,
    /// Parts of a zip-based file.
    #[serde(default = "default_zip_entries")]
    pub max_zip_entries: usize,
    /// Width × height an uploaded PNG or JPEG may declare.
    #[serde(default = "default_pixels")]
    pub max_image_pixels: u64,
}

fn default_table_bytes() -> u64 {
    sinergi_bps::Limits::default().max_bytes
}
fn default_rows() -> usize {
    sinergi_bps::Limits::default().max_rows
}
fn default_columns() -> usize {
    sinergi_bps::Limits::default().max_columns
}
fn default_cells() -> usize {
    sinergi_bps::Limits::default().max_cells
}
fn default_unpacked() -> u64 {
    sinergi_bps::Limits::default().max_unpacked_bytes
}
fn default_zip_entries() -> usize {
    sinergi_bps::Limits::default().max_zip_entries
}
fn default_pixels() -> u64 {
    sinergi_documents::upload::Limits::default().max_image_pixels
}

impl Default for LimitSettings {
    fn default() -> Self {
        Self {
            max_table_bytes: default_table_bytes(),
            max_table_rows: default_rows(),
            max_table_columns: default_columns(),
            max_table_cells: default_cells(),
            max_unpacked_bytes: default_unpacked(),
            max_zip_entries: default_zip_entries(),
            max_image_pixels: default_pixels(),
        }
    }
}

impl LimitSettings {
    /// The limits of a BPS table.
    #[must_use]
    pub fn table(&self) -> sinergi_bps::Limits {
        sinergi_bps::Limits {
            max_bytes: self.max_table_bytes,
            max_rows: self.max_table_rows.max(1),
            max_columns: self.max_table_columns.max(1),
            max_cells: self.max_table_cells.max(1),
            max_unpacked_bytes: self.max_unpacked_bytes,
            max_zip_entries: self.max_zip_entries.max(1),
        }
    }

    /// The limits of an upload of at most `max_upload_bytes`.
    #[must_use]
    pub fn upload(&self, max_upload_bytes: u64) -> sinergi_documents::upload::Limits {
        sinergi_documents::upload::Limits {
            max_bytes: max_upload_bytes,
            max_image_pixels: self.max_image_pixels,
            max_unpacked_bytes: self.max_unpacked_bytes,
            max_zip_entries: self.max_zip_entries.max(1),
        }
    }
}
