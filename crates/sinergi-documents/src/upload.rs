//! Uploaded files checked by content, never by name alone: PDF, DOCX (a zip package with
//! `word/document.xml`), PNG and JPEG only, within [`Limits`]: the file's size, an image's
//! declared width × height (read from the PNG `IHDR` or the JPEG frame header, after walking
//! the chunk or segment structure), and a DOCX package's entries and real unpacked size (every
//! part is inflated into a counting sink that stops at the limit). Nothing is decoded beyond
//! that, so a hostile file costs at most its own size and the limit.

use std::io::{Cursor, Read};

/// What an upload may cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_bytes: u64,
    /// Width × height of a PNG or JPEG (a 600-dpi A3 scan is ~70 million).
    pub max_image_pixels: u64,
    /// All parts of a DOCX together, unpacked.
    pub max_unpacked_bytes: u64,
    /// Entries of a DOCX package.
    pub max_zip_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
            max_image_pixels: 100_000_000,
            max_unpacked_bytes: 64 * 1024 * 1024,
            max_zip_entries: 1_000,
        }
    }
}

/// The accepted kinds of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Docx,
    Png,
    Jpeg,
}

impl FileKind {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
            Self::Png => "png",
            Self::Jpeg => "jpeg",
        }
    }

    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "pdf" => Self::Pdf,
            "docx" => Self::Docx,
            "png" => Self::Png,
            "jpeg" => Self::Jpeg,
            _ => return None,
        })
    }

    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Self::Png => "image/png",
            Self::Jpeg => "image/jpeg",
        }
    }

    /// The kind a file name's extension promises, if any.
    #[must_use]
    pub fn from_name(name: &str) -> Option<Self> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        Some(match ext.as_str() {
            "pdf" => Self::Pdf,
            "docx" => Self::Docx,
            "png" => Self::Png,
            "jpg" | "jpeg" => Self::Jpeg,
            _ => return None,
        })
    }
}

/// Why an upload was refused. Each variant has its own message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum UploadError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is {size} bytes; the limit is {max} bytes")]
    TooLarge { size: u64, max: u64 },
    #[error("the content is not a PDF, DOCX, PNG or JPEG file")]
    UnknownType,
    #[error("the {0} file is damaged or incomplete")]
    Corrupt(&'static str),
    #[error("the file is named as {named} but its content is {found}")]
    NameMismatch {
        named: &'static str,
        found: &'static str,
    },
    #[error("a {found} file was given where a {wanted} file is needed")]
    WrongKind {
        wanted: &'static str,
        found: &'static str,
    },
    #[error("the image declares {width} × {height} pixels; the limit is {max} pixels")]
    TooManyPixels { width: u64, height: u64, max: u64 },
    #[error("the DOCX unpacks to more than {max} bytes (a zip bomb?)")]
    Unpacked { max: u64 },
    #[error("the DOCX holds {entries} parts; the limit is {max}")]
    TooManyEntries { entries: usize, max: usize },
}

impl UploadError {
    /// A stable code for the API.
    #[must_use]
    pub fn code(&self) -> &'static str {
        match self {
            Self::Empty => "file.empty",
            Self::TooLarge { .. } => "file.too_large",
            Self::UnknownType => "file.type_not_allowed",
            Self::Corrupt(_) => "file.corrupt",
            Self::NameMismatch { .. } => "file.name_mismatch",
            Self::WrongKind { .. } => "file.wrong_kind",
            Self::TooManyPixels { .. } => "file.too_many_pixels",
            Self::Unpacked { .. } => "file.unpacks_too_large",
            Self::TooManyEntries { .. } => "file.too_many_parts",
        }
    }

    /// The message in Indonesian.
    #[must_use]
    pub fn message_id(&self) -> String {
        match self {
            Self::Empty => "Berkas kosong.".to_owned(),
            Self::TooLarge { size, max } => {
                format!("Berkas berukuran {size} bita melebihi batas {max} bita.")
            }
            Self::UnknownType => {
                "Isi berkas bukan PDF, DOCX, PNG, atau JPEG; jenis lain tidak diterima.".to_owned()
            }
            Self::Corrupt(k) => format!("Berkas {} rusak atau tidak lengkap.", k.to_uppercase()),
            Self::NameMismatch { named, found } => format!(
                "Nama berkas menunjukkan {} tetapi isinya {}.",
                named.to_uppercase(),
                found.to_uppercase()
            ),
            Self::WrongKind { wanted, found } => format!(
                "Diperlukan berkas {}, tetapi yang diunggah berkas {}.",
                wanted.to_uppercase(),
                found.to_uppercase()
            ),
            Self::TooManyPixels { width, height, max } => {
                format!("Gambar menyatakan {width} × {height} piksel; batasnya {max} piksel.")
            }
            Self::Unpacked { max } => {
                format!("Isi berkas DOCX melebihi {max} bita setelah dibuka (kemungkinan bom zip).")
            }
            Self::TooManyEntries { entries, max } => {
                format!("Berkas DOCX berisi {entries} bagian; paling banyak {max}.")
            }
        }
    }
}

/// Checks `bytes` by content (and against the name's extension, when it has a known one).
///
/// # Errors
/// Empty, over `max_bytes`, an unknown or damaged format, a name that promises another kind.
pub fn check(bytes: &[u8], name: Option<&str>, max_bytes: u64) -> Result<FileKind, UploadError> {
    check_within(
        bytes,
        name,
        &Limits {
            max_bytes,
            ..Limits::default()
        },
    )
}

/// Checks `bytes` by content and structure within `limits` (and against the name's
/// extension, when it has a known one).
///
/// # Errors
/// Empty, over a limit, an unknown or damaged format, a name that promises another kind.
pub fn check_within(
    bytes: &[u8],
    name: Option<&str>,
    limits: &Limits,
) -> Result<FileKind, UploadError> {
    let max_bytes = limits.max_bytes;
    let size = bytes.len() as u64;
    if size == 0 {
        return Err(UploadError::Empty);
    }
    if size > max_bytes {
        return Err(UploadError::TooLarge {
            size,
            max: max_bytes,
        });
    }
    let kind = detect(bytes)?;
    match kind {
        FileKind::Png | FileKind::Jpeg => {
            let (width, height) = if kind == FileKind::Png {
                png_size(bytes)?
            } else {
                jpeg_size(bytes)?
            };
            if width == 0 || height == 0 {
                return Err(UploadError::Corrupt(kind.as_str()));
            }
            if width.saturating_mul(height) > limits.max_image_pixels {
                return Err(UploadError::TooManyPixels {
                    width,
                    height,
                    max: limits.max_image_pixels,
                });
            }
        }
        FileKind::Docx => check_package(bytes, limits)?,
        FileKind::Pdf => {}
    }
    if let Some(named) = name.and_then(FileKind::from_name)
        && named != kind
    {
        return Err(UploadError::NameMismatch {
            named: named.as_str(),
            found: kind.as_str(),
        });
    }
    Ok(kind)
}

fn be32(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_be_bytes(b.get(at..at + 4)?.try_into().ok()?))
}

/// A PNG's declared size, after walking its chunks (each length within the file, `IHDR`
/// first, `IEND` last).
fn png_size(bytes: &[u8]) -> Result<(u64, u64), UploadError> {
    let bad = || UploadError::Corrupt("png");
    let mut pos = 8;
    let mut size = None;
    loop {
        let len = be32(bytes, pos).ok_or_else(bad)? as usize;
        let typ = bytes.get(pos + 4..pos + 8).ok_or_else(bad)?;
        let end = pos
            .checked_add(12)
            .and_then(|p| p.checked_add(len))
            .filter(|&e| e <= bytes.len())
            .ok_or_else(bad)?;
        if size.is_none() {
            if typ != b"IHDR" || len != 13 {
                return Err(bad());
            }
            size = Some((
                u64::from(be32(bytes, pos + 8).ok_or_else(bad)?),
                u64::from(be32(bytes, pos + 12).ok_or_else(bad)?),
            ));
        }
        pos = end;
        if typ == b"IEND" {
            return size.ok_or_else(bad);
        }
    }
}

/// A JPEG's declared size from its first frame header (SOF0–SOF15 but DHT, JPG and DAC),
/// walking the marker segments before it.
fn jpeg_size(bytes: &[u8]) -> Result<(u64, u64), UploadError> {
    let bad = || UploadError::Corrupt("jpeg");
    let mut pos = 2;
    loop {
        if *bytes.get(pos).ok_or_else(bad)? != 0xFF {
            return Err(bad());
        }
        let marker = *bytes.get(pos + 1).ok_or_else(bad)?;
        match marker {
            0xFF => {
                pos += 1;
                continue;
            }
            0xD0..=0xD7 | 0x01 => {
                pos += 2;
                continue;
            }
            0xD9 | 0xDA => return Err(bad()),
            _ => {}
        }
        let len = usize::from(u16::from_be_bytes(
            bytes
                .get(pos + 2..pos + 4)
                .ok_or_else(bad)?
                .try_into()
                .map_err(|_| bad())?,
        ));
        if len < 2 || pos + 2 + len > bytes.len() {
            return Err(bad());
        }
        if (0xC0..=0xCF).contains(&marker) && ![0xC4, 0xC8, 0xCC].contains(&marker) {
            let seg = &bytes[pos + 4..pos + 2 + len];
            if seg.len() < 5 {
                return Err(bad());
            }
            let height = u64::from(u16::from_be_bytes([seg[1], seg[2]]));
            let width = u64::from(u16::from_be_bytes([seg[3], seg[4]]));
            return Ok((width, height));
        }
        pos += 2 + len;
    }
}

/// A DOCX package: entry count, declared sizes, and the real unpacked size.
fn check_package(bytes: &[u8], limits: &Limits) -> Result<(), UploadError> {
    let bad = || UploadError::Corrupt("docx");
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|_| bad())?;
    if zip.len() > limits.max_zip_entries {
        return Err(UploadError::TooManyEntries {
            entries: zip.len(),
            max: limits.max_zip_entries,
        });
    }
    let max = limits.max_unpacked_bytes;
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        declared = declared.saturating_add(zip.by_index_raw(i).map_err(|_| bad())?.size());
    }
    if declared > max {
        return Err(UploadError::Unpacked { max });
    }
    let mut total: u64 = 0;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).map_err(|_| bad())?;
        loop {
            match entry.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => {
                    total = total.saturating_add(n as u64);
                    if total > max {
                        return Err(UploadError::Unpacked { max });
                    }
                }
                Err(_) => return Err(bad()),
            }
        }
    }
    Ok(())
}

/// The name a download may carry for an uploaded file: the last component of whatever path
/// the uploader's system sent (`C:\Users\…\foto.jpg`, `../../x.pdf`), without control
/// characters, quotes or separators, at most 120 characters; `berkas` when nothing is left.
#[must_use]
pub fn safe_file_name(name: &str) -> String {
    let base = name.rsplit(['/', '\\']).next().unwrap_or_default();
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| {
            if matches!(c, '"' | ';' | ':' | '*' | '?' | '<' | '>' | '|') {
                '_'
            } else {
                c
            }
        })
        .collect();
    let cleaned = cleaned.trim().trim_start_matches('.').trim();
    let mut out: String = cleaned.chars().take(120).collect();
    if out.is_empty() {
        out = "berkas".to_owned();
    }
    out
}

/// A `Content-Disposition: attachment` value for `name` (already [`safe_file_name`]d): an
/// ASCII fallback and the UTF-8 name per RFC 6266 / RFC 8187.
#[must_use]
pub fn attachment_disposition(name: &str) -> String {
    let name = safe_file_name(name);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::new();
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(char::from(b));
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}")
}

/// The kind of `bytes` by their magic numbers and structure.
///
/// # Errors
/// An unknown format or a damaged file of a known one.
pub fn detect(bytes: &[u8]) -> Result<FileKind, UploadError> {
    if bytes.starts_with(b"%PDF-") {
        let tail = &bytes[bytes.len().saturating_sub(1024)..];
        if !tail.windows(5).any(|w| w == b"%%EOF") {
            return Err(UploadError::Corrupt("pdf"));
        }
        return Ok(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        if bytes.get(12..16) != Some(b"IHDR") || !bytes.ends_with(b"IEND\xaeB`\x82") {
            return Err(UploadError::Corrupt("png"));
        }
        return Ok(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        if !bytes.ends_with(&[0xFF, 0xD9]) {
            return Err(UploadError::Corrupt("jpeg"));
        }
        return Ok(FileKind::Jpeg);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
            return Err(UploadError::Corrupt("docx"));
        };
        let has = |z: &mut zip::ZipArchive<Cursor<&[u8]>>, n: &str| z.by_name(n).is_ok();
        if has(&mut zip, "word/document.xml") && has(&mut zip, "[Content_Types].xml") {
            return Ok(FileKind::Docx);
        }
        // A zip that is not a Word document (xlsx, odt, a plain archive) is not accepted.
        return Err(UploadError::UnknownType);
    }
    Err(UploadError::UnknownType)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x02\0\0\0\x90wS\xde\0\0\0\x0cIDATx\x9cc\xf8\xcf\xc0\0\0\x03\x01\x01\0\xc9\xfe\x92\xef\0\0\0\0IEND\xaeB`\x82";

    #[test]
    fn detects_by_content() {
        assert_eq!(detect(PNG), Ok(FileKind::Png));
        assert_eq!(detect(b"%PDF-1.7\n...\n%%EOF\n"), Ok(FileKind::Pdf));
        assert_eq!(
            detect(b"%PDF-1.7\n...truncated"),
            Err(UploadError::Corrupt("pdf"))
        );
        assert_eq!(
            detect(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0xFF, 0xD9]),
            Ok(FileKind::Jpeg)
        );
        assert_eq!(
            detect(b"MZ\x90\0 an executable"),
            Err(UploadError::UnknownType)
        );
        assert_eq!(
            detect(b"PK\x03\x04 not really a zip"),
            Err(UploadError::Corrupt("docx"))
        );
    }

    #[test]
    fn size_emptiness_and_names() {
        assert_eq!(check(b"", None, 10), Err(UploadError::Empty));
        assert_eq!(
            check(PNG, None, 10),
            Err(UploadError::TooLarge {
                size: PNG.len() as u64,
                max: 10
            })
        );
        assert_eq!(
            check(PNG, Some("scan.pdf"), 1 << 20),
            Err(UploadError::NameMismatch {
                named: "pdf",
                found: "png"
            })
        );
        assert_eq!(check(PNG, Some("scan.PNG"), 1 << 20), Ok(FileKind::Png));
    }

    /// A PNG with a valid chunk structure declaring `w` × `h` (the pixel data is not read).
    fn png(w: u32, h: u32) -> Vec<u8> {
        let mut v = b"\x89PNG\r\n\x1a\n".to_vec();
        v.extend_from_slice(&13u32.to_be_bytes());
        v.extend_from_slice(b"IHDR");
        v.extend_from_slice(&w.to_be_bytes());
        v.extend_from_slice(&h.to_be_bytes());
        v.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        v.extend_from_slice(&PNG[33..]);
        v
    }

    #[test]
    fn declared_image_sizes_are_limited_before_anything_decodes_them() {
        let limits = Limits::default();
        assert_eq!(check_within(PNG, None, &limits), Ok(FileKind::Png));
        assert_eq!(
            check_within(&png(100_000, 100_000), Some("peta.png"), &limits),
            Err(UploadError::TooManyPixels {
                width: 100_000,
                height: 100_000,
                max: 100_000_000
            })
        );
        // A chunk whose length runs past the file is damage, not a size.
        let mut broken = png(10, 10);
        broken[8..12].copy_from_slice(&0x7FFF_FFFFu32.to_be_bytes());
        assert_eq!(
            check_within(&broken, None, &limits),
            Err(UploadError::Corrupt("png"))
        );
        // JPEG: SOF0 declaring 65535 × 65535.
        let mut jpeg = vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 4, 0, 0];
        jpeg.extend_from_slice(&[0xFF, 0xC0, 0, 11, 8, 0xFF, 0xFF, 0xFF, 0xFF, 1, 1, 0x11, 0]);
        jpeg.extend_from_slice(&[0xFF, 0xD9]);
        assert!(matches!(
            check_within(&jpeg, None, &limits),
            Err(UploadError::TooManyPixels { width: 65_535, .. })
        ));
        jpeg[13..17].copy_from_slice(&[0, 10, 0, 20]);
        assert_eq!(check_within(&jpeg, None, &limits), Ok(FileKind::Jpeg));
        assert_eq!(
            check_within(&[0xFF, 0xD8, 0xFF, 0xD9], None, &limits),
            Err(UploadError::Corrupt("jpeg"))
        );
    }

    #[test]
    fn a_docx_zip_bomb_is_refused_by_its_unpacked_size() {
        use std::io::Write as _;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let deflate = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file("[Content_Types].xml", deflate).unwrap();
        zip.write_all(b"<Types/>").unwrap();
        zip.start_file("word/document.xml", deflate).unwrap();
        let zeros = vec![b' '; 1 << 20];
        for _ in 0..4 {
            zip.write_all(&zeros).unwrap();
        }
        let bomb = zip.finish().unwrap().into_inner();
        let limits = Limits {
            max_unpacked_bytes: 1 << 20,
            ..Limits::default()
        };
        assert_eq!(
            check_within(&bomb, Some("naskah.docx"), &limits),
            Err(UploadError::Unpacked { max: 1 << 20 })
        );
        assert_eq!(
            check_within(&bomb, Some("naskah.docx"), &Limits::default()),
            Ok(FileKind::Docx)
        );
    }

    #[test]
    fn download_names_never_carry_the_uploaders_path() {
        assert_eq!(
            safe_file_name("C:\\Users\\budi\\Dokumen\\foto rapat.jpg"),
            "foto rapat.jpg"
        );
        assert_eq!(safe_file_name("../../etc/passwd"), "passwd");
        assert_eq!(safe_file_name("/home/budi/"), "berkas");
        assert_eq!(safe_file_name("a\"b\r\n.pdf"), "a_b.pdf");
        assert_eq!(
            attachment_disposition("/tmp/Notulen Rapat – Palangka Raya.pdf"),
            "attachment; filename=\"Notulen Rapat _ Palangka Raya.pdf\"; filename*=UTF-8''Notulen%20Rapat%20%E2%80%93%20Palangka%20Raya.pdf"
        );
    }
}
