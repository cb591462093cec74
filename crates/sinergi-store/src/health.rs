//! The database's health (issue 16): whether it can take writes now (`/ready`), whether its
//! file is intact (`migrate`, `serve`, `audit verify` refuse a corrupted one), one process at
//! a time initialising a database (a migration lock across processes on both backends), and a
//! read-only connection for checking a copy.

use crate::error::invalid_url;
use crate::{DatabaseUrl, Db, Store, StoreError, on_pool};
use sqlx::ConnectOptions as _;
use sqlx::postgres::PgConnectOptions;
use sqlx::sqlite::SqliteConnectOptions;
use std::str::FromStr;
use time::OffsetDateTime;

/// The advisory-lock key of database initialisation on PostgreSQL ("SINERGI" in ASCII).
const PG_INIT_LOCK: i64 = 0x0053_494E_4552_4749;

/// Held while one process initialises the database (migrations, reference data, rule sets);
/// others wait for it. Released by [`InitLock::release`] or when dropped (the lock file is
/// unlocked with its handle; the PostgreSQL session holding the advisory lock is closed).
#[derive(Debug)]
pub struct InitLock {
    file: Option<std::fs::File>,
    pg: Option<sqlx::PgConnection>,
}

impl InitLock {
    /// Releases the lock.
    pub async fn release(mut self) {
        if let Some(mut c) = self.pg.take() {
            let _ = sqlx::query("SELECT pg_advisory_unlock($1)")
                .bind(PG_INIT_LOCK)
                .execute(&mut c)
                .await;
            let _ = sqlx::Connection::close(c).await;
        }
        if let Some(f) = self.file.take() {
            let _ = f.unlock();
        }
    }
}

impl Store {
    /// Waits until no other process initialises this database, then holds the lock: on SQLite
    /// an exclusive lock on `<database>.init-lock` beside the file, on PostgreSQL a session
    /// advisory lock. Two processes started together on a new database (a server and its
    /// workers) thus migrate and load the reference data one after the other.
    ///
    /// # Errors
    /// The lock file cannot be opened; the database is unreachable.
    pub async fn lock_initialization(&self, url: &DatabaseUrl) -> Result<InitLock, StoreError> {
        match &self.db {
            Db::Sqlite(_) => {
                let Some(path) = url.sqlite_path().filter(|p| p != ":memory:") else {
                    return Ok(InitLock {
                        file: None,
                        pg: None,
                    });
                };
                let lock_path = format!("{path}.init-lock");
                let file = std::fs::OpenOptions::new()
                    .create(true)
                    .truncate(false)
                    .write(true)
                    .open(&lock_path)
                    .map_err(|source| StoreError::InitLock {
                        path: lock_path.clone(),
                        source,
                    })?;
                let file = tokio::task::spawn_blocking(move || file.lock().map(|()| file))
                    .await?
                    .map_err(|source| StoreError::InitLock {
                        path: lock_path,
                        source,
                    })?;
                Ok(InitLock {
                    file: Some(file),
                    pg: None,
                })
            }
            Db::Postgres(pool) => {
                let mut conn = pool.acquire().await?.detach();
                sqlx::query("SELECT pg_advisory_lock($1)")
                    .bind(PG_INIT_LOCK)
                    .execute(&mut conn)
                    .await?;
                Ok(InitLock {
                    file: None,
                    pg: Some(conn),
                })
            }
        }
    }

    /// Whether the database takes a write now: one committed transaction that writes a
    /// scratch row larger than a page (so a database at its size limit refuses it) and deletes
    /// it again.
    ///
    /// # Errors
    /// The write failed ([`StoreError::Unavailable`] for a full disk, a read-only or locked
    /// database).
    pub async fn check_writable(&self, now: OffsetDateTime) -> Result<(), StoreError> {
        let filler = vec![0u8; 8 * 1024];
        on_pool!(&self.db, p => {
            let mut tx = p.begin().await?;
            sqlx::query("INSERT INTO write_probe (id, at, filler) VALUES (1, $1, $2) ON CONFLICT (id) DO UPDATE SET at = excluded.at, filler = excluded.filler")
                .bind(now).bind(&filler).execute(&mut *tx).await?;
            sqlx::query("DELETE FROM write_probe WHERE id = 1").execute(&mut *tx).await?;
            tx.commit().await?;
        });
        Ok(())
    }

    /// SQLite's `PRAGMA quick_check`: a database with overwritten or torn pages is refused
    /// before anything reads or writes it. PostgreSQL checks its own pages (data checksums),
    /// so there this only confirms the server answers.
    ///
    /// # Errors
    /// [`StoreError::Corrupt`] naming the first problems SQLite found.
    pub async fn check_integrity(&self) -> Result<(), StoreError> {
        match &self.db {
            Db::Sqlite(p) => {
                let rows: Vec<String> = match sqlx::query_scalar("PRAGMA quick_check(5)")
                    .fetch_all(p)
                    .await
                {
                    Ok(r) => r,
                    // A damaged header or schema fails the pragma itself.
                    Err(e) => return Err(StoreError::Corrupt(e.to_string())),
                };
                if rows.len() == 1 && rows[0] == "ok" {
                    Ok(())
                } else {
                    Err(StoreError::Corrupt(rows.join("; ")))
                }
            }
            Db::Postgres(_) => self.ping().await,
        }
    }

    /// A read-only connection (for `sinergi audit verify` on a copy): SQLite opens a file
    /// without a write-ahead log beside it immutable (no lock, no WAL or shared-memory file,
    /// so a read-only directory or medium works), a live one read-only with its log;
    /// PostgreSQL sessions are read-only. Nothing is migrated.
    ///
    /// # Errors
    /// A bad URL, a missing file, a failed connection.
    pub async fn connect_read_only(url: &DatabaseUrl) -> Result<Self, StoreError> {
        let db = match url.backend() {
            crate::Backend::Sqlite => {
                let path = url.sqlite_path().unwrap_or_default();
                if path != ":memory:" && !std::path::Path::new(&path).exists() {
                    return Err(StoreError::MissingDatabase(format!(
                        "Berkas basis data SQLite {path} tidak ada. (SQLite database file {path} does not exist.)"
                    )));
                }
                // A write-ahead log beside the file means a live database (or a copy with
                // changes not yet checkpointed): read it with the log. Without one, open the
                // file immutable, so nothing (no log, no shared memory) is created beside it.
                let live = std::path::Path::new(&format!("{path}-wal")).exists();
                let options = SqliteConnectOptions::from_str(url.expose())
                    .map_err(|e| invalid_url("SQLite", e))?
                    .create_if_missing(false)
                    .read_only(true)
                    .immutable(!live)
                    .disable_statement_logging();
                Db::Sqlite(
                    sqlx::sqlite::SqlitePoolOptions::new()
                        .max_connections(1)
                        .connect_with(options)
                        .await?,
                )
            }
            crate::Backend::Postgres => {
                let options = PgConnectOptions::from_str(url.expose())
                    .map_err(|e| invalid_url("PostgreSQL", e))?
                    .options([("default_transaction_read_only", "on")]);
                Db::Postgres(
                    sqlx::postgres::PgPoolOptions::new()
                        .max_connections(1)
                        .connect_with(options)
                        .await?,
                )
            }
        };
        Ok(Self { db })
    }
}

/// Whether a driver error means the database cannot take writes now (full disk, I/O error,
/// read-only or locked database, no connection): the request is answered 503, never as done.
pub(crate) fn is_unavailable(e: &sqlx::Error) -> bool {
    match e {
        sqlx::Error::PoolTimedOut | sqlx::Error::Io(_) | sqlx::Error::PoolClosed => true,
        sqlx::Error::Database(db) => {
            let code = db.code().unwrap_or_default();
            // SQLite primary result codes (the extended ones carry them in the low byte):
            // BUSY 5, LOCKED 6, NOMEM 7, READONLY 8, IOERR 10, FULL 13, CANTOPEN 14.
            if let Ok(n) = code.parse::<i64>() {
                return matches!(n & 0xFF, 5 | 6 | 7 | 8 | 10 | 13 | 14);
            }
            // PostgreSQL: disk_full, insufficient_resources, out_of_memory, io_error,
            // read_only_sql_transaction, admin_shutdown, cannot_connect_now.
            matches!(
                code.as_ref(),
                "53100" | "53000" | "53200" | "58030" | "25006" | "57P01" | "57P03"
            )
        }
        _ => false,
    }
}
