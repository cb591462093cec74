//! Uploaded files checked by content, never by name alone: PDF, DOCX (a zip package with
//! `word/document.xml`), PNG and JPEG only, within a size limit.

use std::io::Cursor;

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
        }
    }
}

/// Checks `bytes` by content (and against the name's extension, when it has a known one).
///
/// # Errors
/// Empty, over `max_bytes`, an unknown or damaged format, a name that promises another kind.
pub fn check(bytes: &[u8], name: Option<&str>, max_bytes: u64) -> Result<FileKind, UploadError> {
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
}
