//! Storage errors. Driver errors are mapped here, at the boundary; domain refusals pass
//! through unchanged.

use sinergi_domain::DomainError;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The domain refused the operation.
    #[error(transparent)]
    Domain(#[from] DomainError),
    /// Misconfiguration (bad URL, missing file).
    #[error("{0}")]
    Config(String),
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
