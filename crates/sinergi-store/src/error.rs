//! Storage errors. Driver errors are mapped here, at the boundary; domain refusals pass
//! through unchanged.

use sinergi_domain::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The domain refused the operation.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// The database URL cannot be used; the message says why, in both languages.
    #[error("{message}")]
    InvalidUrl {
        message: String,
        #[source]
        source: Option<sqlx::Error>,
    },
    /// The SQLite file the URL names does not exist and may not be created.
    #[error("{0}")]
    MissingDatabase(String),
    /// The lock that serialises initialising one SQLite file could not be taken.
    #[error(
        "berkas kunci inisialisasi {path} tidak dapat dipakai (cannot use the initialisation lock file)"
    )]
    InitLock {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// A blocking task (PDF layout, a file lock) ended without an answer.
    #[error("a background task failed")]
    Task(#[from] tokio::task::JoinError),
    /// The password hasher refused its input.
    #[error("password hashing: {0}")]
    PasswordHash(String),
    /// A stored value is not one the code knows (a row written by a newer version, or altered).
    #[error("stored {what} has an unknown value {value:?}")]
    UnknownValue { what: String, value: String },
    /// Stored rows contradict each other (a draft without versions, a final version without
    /// its file).
    #[error("stored data is inconsistent: {0}")]
    Inconsistent(&'static str),
    /// The file storage (local directory or S3) failed.
    #[error("penyimpanan berkas gagal (file storage failed)")]
    Files(#[source] std::io::Error),
    /// A file the database refers to is not in the file storage.
    #[error("file {sha256} is missing from file storage")]
    MissingFile { sha256: String },
    /// An embedded document template could not be used.
    #[error("document template")]
    Template(#[from] sinergi_documents::template::TemplateError),
    /// A document could not be laid out as PDF.
    #[error("PDF rendering")]
    Render(#[from] sinergi_documents::pdf::RenderError),
    /// A signing key could not be opened or could not sign.
    #[error("kunci tanda tangan tidak dapat dipakai (signing key cannot be used)")]
    Signing(#[from] sinergi_documents::sign::SignError),
    /// Embedded reference data could not be read.
    #[error("reference data: {0}")]
    Reference(String),
    /// A unique constraint refused a write that raced another.
    #[error("conflicting write: {0}")]
    Conflict(String),
    /// Anything else the database said.
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("migration failed")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// The database cannot take the operation now: a full disk, an I/O error, a read-only or
    /// locked database, no connection. Nothing was written; the request may be retried.
    #[error("database unavailable for writing")]
    Unavailable(#[source] sqlx::Error),
    /// The database file is damaged (`PRAGMA quick_check` failed).
    #[error("database is corrupted: {0}")]
    Corrupt(String),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        if let sqlx::Error::Database(db) = &e
            && db.is_unique_violation()
        {
            return Self::Conflict(db.message().to_owned());
        }
        if let sqlx::Error::Database(db) = &e
            && db
                .code()
                .and_then(|c| c.parse::<i64>().ok())
                .is_some_and(|n| matches!(n & 0xFF, 11 | 26))
        {
            return Self::Corrupt(db.message().to_owned());
        }
        if crate::health::is_unavailable(&e) {
            return Self::Unavailable(e);
        }
        Self::Database(e)
    }
}

impl From<sinergi_reference::ReferenceError> for StoreError {
    fn from(e: sinergi_reference::ReferenceError) -> Self {
        Self::Reference(e.to_string())
    }
}

/// A database URL the driver refused, named by its backend.
pub(crate) fn invalid_url(backend: &str, source: sqlx::Error) -> StoreError {
    StoreError::InvalidUrl {
        message: format!("URL {backend} tidak valid: {source}"),
        source: Some(source),
    }
}
