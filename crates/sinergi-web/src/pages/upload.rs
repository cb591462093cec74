//! Reading a page's upload form (`multipart/form-data`): the file of the `file` field and the
//! names of the other fields sent (the ticked boxes). The CSRF token travels in the form's
//! address, checked before the body is read.

use crate::error::ApiError;
use axum::extract::Multipart;
use axum::extract::multipart::MultipartError;
use sinergi_domain::{DomainError, FieldError};

/// What an upload form sent.
pub struct Upload {
    /// The name the browser gave the file, if any.
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
    /// The other fields present (a checkbox is sent only when ticked).
    pub fields: Vec<String>,
}

impl Upload {
    /// Whether the field `name` was sent.
    pub fn has(&self, name: &str) -> bool {
        self.fields.iter().any(|f| f == name)
    }
}

/// Reads the form; a form without a file is refused with `missing` (Indonesian, English).
///
/// # Errors
/// A body over the limit, a malformed form, no file.
pub async fn read(mut form: Multipart, missing: (&str, &str)) -> Result<Upload, ApiError> {
    let mut up = Upload {
        file_name: None,
        bytes: Vec::new(),
        fields: Vec::new(),
    };
    while let Some(field) = form.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or_default() {
            "file" => {
                up.file_name = field.file_name().map(str::to_owned);
                up.bytes = field.bytes().await.map_err(multipart_error)?.to_vec();
            }
            other => up.fields.push(other.to_owned()),
        }
    }
    if up.bytes.is_empty() {
        return Err(ApiError::Domain(DomainError::Validation(vec![
            FieldError::new("file", "required", missing.0, missing.1),
        ])));
    }
    Ok(up)
}

/// A body over the limit is "too large"; anything else is a malformed form.
fn multipart_error(e: MultipartError) -> ApiError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::TooLarge
    } else {
        ApiError::Domain(DomainError::Validation(vec![FieldError::new(
            "file",
            "invalid",
            format!("Formulir unggahan tidak dapat dibaca: {}", e.body_text()),
            format!("The upload form cannot be read: {}", e.body_text()),
        )]))
    }
}
