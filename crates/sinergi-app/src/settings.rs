//! Files and agreement documents: the one file store (documents, scans, evidence), the
//! upload limit, the verification address and the signing secret.

use crate::AppError;
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;

#[derive(Clone, Debug)]
pub struct DocumentSettings {
    pub files: Arc<dyn sinergi_store::FileStore>,
    pub max_upload_bytes: u64,
    pub public_url: String,
    pub signing_secret: Option<SecretString>,
    /// What an upload may cost (`[limits]`; `max_bytes` is `max_upload_bytes`).
    pub upload_limits: sinergi_documents::upload::Limits,
}

impl Default for DocumentSettings {
    fn default() -> Self {
        Self {
            files: Arc::new(sinergi_store::LocalFileStore::new(
                std::env::temp_dir().join("sinergi-files"),
            )),
            max_upload_bytes: 20 * 1024 * 1024,
            public_url: "http://127.0.0.1:8080".to_owned(),
            // A development secret; `sinergi serve` always sets the configured one (or none).
            signing_secret: Some(SecretString::from("sinergi-development-only-secret")),
            upload_limits: sinergi_documents::upload::Limits::default(),
        }
    }
}

impl DocumentSettings {
    /// The context of an electronic signature: refused while no signing secret is set.
    ///
    /// # Errors
    /// `document.signing_disabled`.
    pub fn signing_context(&self) -> Result<sinergi_store::DocumentContext<'_>, AppError> {
        if self.signing_secret.is_none() {
            return Err(sinergi_domain::DomainError::guard(
                "document.signing_disabled",
                "Tanda tangan elektronik belum diaktifkan: documents.signing_secret belum diatur.",
                "Electronic signing is not enabled: documents.signing_secret is not set.",
            )
            .into());
        }
        Ok(self.context())
    }

    /// The context the store's document operations take; `None` secret → empty (signing is
    /// refused before it gets here).
    #[must_use]
    pub fn context(&self) -> sinergi_store::DocumentContext<'_> {
        sinergi_store::DocumentContext {
            files: self.files.as_ref(),
            public_url: &self.public_url,
            signing_secret: self
                .signing_secret
                .as_ref()
                .map_or(&[][..], |s| s.expose_secret().as_bytes()),
            max_upload_bytes: self.max_upload_bytes,
            upload_limits: sinergi_documents::upload::Limits {
                max_bytes: self.max_upload_bytes,
                ..self.upload_limits
            },
        }
    }
}
