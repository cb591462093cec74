//! Storage for Sinergi on SQLite (embedded) or PostgreSQL, from one code base.
//!
//! The backend is chosen at run time from the URL scheme. Every query is written once in
//! portable SQL (`$N` placeholders, `RETURNING`, `ON CONFLICT`) and run through [`on_pool!`]
//! against the concrete pool, so each backend keeps its native types (`UUID`, `TIMESTAMPTZ`,
//! `JSONB` on PostgreSQL). Migrations live per backend with matching versions.
//!
//! Handlers never see [`sqlx::Error`]: everything leaves this crate as [`StoreError`].

mod accounts;
mod agreements;
mod audit;
mod bps_import;
mod cases;
mod central_approvals;
mod dashboard;
mod demo;
mod disputes;
mod documents;
mod error;
pub mod files;
mod health;
mod history;
pub mod jobs;
mod kajian;
mod kak;
mod letters;
mod login_throttle;
mod meetings;
mod monitoring;
mod notices;
mod numbering;
mod observations;
mod officials;
mod opd;
mod paging;
mod powers_of_attorney;
mod reference;
mod register_imports;
mod reminders;
mod report_submissions;
mod reports;
mod rows;
mod rules;
pub mod tls;
mod url;

pub use accounts::{
    AccountChange, CaseAccess, LoginOutcome, LoginPolicy, NewNote, NewUser, Note, OidcIdentity,
    OidcOutcome, PendingOidcLogin, TokenInfo, User, secret_hash,
};
pub use audit::{AuditEntry, AuditScope};
pub use bps_import::{BpsImport, BpsImportOutcome, TableUnit};
pub use cases::{CaseFilter, CaseSort, CaseSummary, PartySummary};
pub use dashboard::{Activity, Deadline, Partner, Scope, StageCount, UpcomingMeeting, Visibility};
pub use demo::{DEMO_PASSWORD, SyntheticReport};
pub use documents::{
    CommentInfo, DocRef, DocumentContext, DraftInfo, DraftOp, SignatureInfo, VerificationReport,
    VersionInfo, WetInkInfo,
};
pub use error::StoreError;
use error::invalid_url;
pub use files::{FileStore, LocalFileStore, S3FileStore, S3Settings};
pub use health::InitLock;
pub use history::HistoryEntry;
pub use jobs::{Job, NewJob};
pub use letters::LetterChange;
pub use monitoring::{ActivityProgress, FieldProgress, WorkPlan};
pub use notices::{ActNotice, Compose};
pub use numbering::{NumberingRuleRow, RegisterEntry};
pub use observations::{
    BatchKind, BatchSummary, BatchView, ImportCandidate, NewBatch, NewObservation, PanelLevel,
    PanelQuery, PanelValue, StoredObservation,
};
pub use opd::OpdRow;
pub use reference::{BorderRow, Directory, LoadReport, RegionDetail, RegionFilter, RegionSummary};
pub use register_imports::{
    ExistingAgreement, LegacyWrite, RegisterImportSummary, RegisterUpload, RegisterWrite,
};
pub use reminders::{Channel, LedgerEntry, Notification, OutboxEntry, Recipient};
pub use report_submissions::SubmissionRow;
pub use reports::{CalendarItem, RegionCases};
pub use url::{Backend, DatabaseUrl};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};
use std::str::FromStr;
use std::time::Duration;

/// A page of results with the total count across all pages.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: i64,
}

/// The connection pool of one backend.
#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs `$body` with `$pool` bound to the concrete pool of the backend in use. The body is
/// type-checked once per backend, so the same query text binds native types on each.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::Db::Sqlite($pool) => $body,
            $crate::Db::Postgres($pool) => $body,
        }
    };
}
pub(crate) use on_pool;

/// The store: one pool and the operations of the application.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
}

/// Connection settings beyond the URL.
#[derive(Debug, Clone, Copy)]
pub struct ConnectOptions {
    /// Create the SQLite file if it does not exist (only for the default data directory or an
    /// explicit `?mode=rwc`): a typo'd path must never become a new empty database.
    pub create_sqlite_file: bool,
    pub max_connections: u32,
    /// SQLite `PRAGMA max_page_count` on every connection: a hard cap on the file's size in
    /// pages (4 KiB each). Tests use it to make a database "full" without a small disk.
    pub sqlite_max_page_count: Option<u32>,
}

impl Default for ConnectOptions {
    fn default() -> Self {
        Self {
            create_sqlite_file: false,
            max_connections: 10,
            sqlite_max_page_count: None,
        }
    }
}

impl Store {
    /// Connects to the database named by `url`.
    ///
    /// # Errors
    /// An unknown scheme, a SQLite file (or its directory) that does not exist, or a failed
    /// connection.
    pub async fn connect(url: &DatabaseUrl, opts: ConnectOptions) -> Result<Self, StoreError> {
        let db = match url.backend() {
            Backend::Sqlite => {
                let path = url.sqlite_path().ok_or_else(|| StoreError::InvalidUrl {
                    message: format!("URL SQLite tidak valid: {}", url.redacted()),
                    source: None,
                })?;
                let wants_create = opts.create_sqlite_file || url.sqlite_mode_rwc();
                if path != ":memory:" && !std::path::Path::new(&path).exists() {
                    let dir_ok = std::path::Path::new(&path)
                        .parent()
                        .is_none_or(|p| p.as_os_str().is_empty() || p.is_dir());
                    if !wants_create || !dir_ok {
                        return Err(StoreError::MissingDatabase(format!(
                            "Berkas basis data SQLite {path} tidak ada. Periksa penulisan jalurnya, atau buat basis data baru dengan menambahkan ?mode=rwc pada URL. (SQLite database file {path} does not exist; check the path or add ?mode=rwc to create it.)"
                        )));
                    }
                }
                let options = SqliteConnectOptions::from_str(url.expose())
                    .map_err(|e| invalid_url("SQLite", e))?
                    .create_if_missing(wants_create)
                    .foreign_keys(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10));
                let options = match opts.sqlite_max_page_count {
                    Some(n) => options.pragma("max_page_count", n.to_string()),
                    None => options,
                };
                let max = if path == ":memory:" {
                    1
                } else {
                    opts.max_connections.max(1)
                };
                let pool = SqlitePoolOptions::new()
                    .max_connections(max)
                    // A connection whose transaction state is not clean is closed, never
                    // reused: after a failed COMMIT (full disk) SQLite may have rolled the
                    // transaction back itself, the driver's ROLLBACK then fails and it would
                    // nest the next request's transaction in a savepoint — answered as done,
                    // never committed, holding the write lock (issue 16).
                    .after_release(|conn, _meta| {
                        Box::pin(async move {
                            sqlx::Connection::ping(&mut *conn).await?;
                            Ok(!sqlx::Connection::is_in_transaction(&*conn))
                        })
                    })
                    .connect_with(options)
                    .await?;
                Db::Sqlite(pool)
            }
            Backend::Postgres => {
                let options = PgConnectOptions::from_str(url.expose())
                    .map_err(|e| invalid_url("PostgreSQL", e))?;
                let pool = PgPoolOptions::new()
                    .max_connections(opts.max_connections.max(1))
                    .acquire_timeout(Duration::from_secs(10))
                    .connect_with(options)
                    .await?;
                Db::Postgres(pool)
            }
        };
        Ok(Self { db })
    }

    /// Which backend this store runs on.
    #[must_use]
    pub fn backend(&self) -> Backend {
        match self.db {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// The pool, for the few callers (benchmarks, tests) that need raw access.
    #[must_use]
    pub fn db(&self) -> &Db {
        &self.db
    }

    /// Applies the embedded migrations of the backend in use.
    ///
    /// # Errors
    /// A failed or tampered migration.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(p) => sqlx::migrate!("../../migrations/sqlite").run(p).await?,
            Db::Postgres(p) => sqlx::migrate!("../../migrations/postgres").run(p).await?,
        }
        Ok(())
    }

    /// Whether the database answers.
    ///
    /// # Errors
    /// The database is unreachable.
    pub async fn ping(&self) -> Result<(), StoreError> {
        on_pool!(&self.db, p => { sqlx::query("SELECT 1").execute(p).await?; });
        Ok(())
    }

    /// Refreshes the query planner's statistics (bounded work): SQLite plans the register's
    /// filters an order of magnitude better with them. PostgreSQL's autovacuum does this.
    ///
    /// # Errors
    /// Database errors.
    pub async fn optimize(&self) -> Result<(), StoreError> {
        if let Db::Sqlite(p) = &self.db {
            sqlx::query("PRAGMA analysis_limit = 1000")
                .execute(p)
                .await?;
            sqlx::query("PRAGMA optimize = 0x10002").execute(p).await?;
        }
        Ok(())
    }

    /// Closes the pool.
    pub async fn close(&self) {
        on_pool!(&self.db, p => p.close().await);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    fn versions(dir: &str) -> BTreeSet<String> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| {
                e.unwrap()
                    .file_name()
                    .to_string_lossy()
                    .split('_')
                    .next()
                    .unwrap()
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn both_backends_have_the_same_migration_versions() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../../migrations");
        let sqlite = versions(&format!("{root}/sqlite"));
        let postgres = versions(&format!("{root}/postgres"));
        assert!(!sqlite.is_empty());
        assert_eq!(sqlite, postgres);
    }
}
