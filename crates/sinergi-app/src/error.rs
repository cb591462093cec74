//! The application layer's one error: a refusal by a rule (the domain's, with its code and
//! bilingual message), or a failure of the store. The web layer renders it once as JSON and
//! once as HTML.

use sinergi_domain::DomainError;
use sinergi_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum AppError {
    /// A rule refused the operation (validation, a guard, whose act it is, a stale version).
    #[error(transparent)]
    Refused(DomainError),
    /// Storage failed (database, files); the cause is logged, the user gets a request id.
    #[error(transparent)]
    Store(StoreError),
}

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        Self::Refused(e)
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> Self {
        match e {
            StoreError::Domain(d) => Self::Refused(d),
            other => Self::Store(other),
        }
    }
}
