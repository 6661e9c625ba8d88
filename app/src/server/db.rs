//! One binary, two databases: embedded SQLite by default, PostgreSQL when `DATABASE_URL` says `postgres://`.
//!
//! Each query is written once and compiled for both drivers by [`run!`], which matches on the backend and hands
//! the same body a native connection. Native drivers (rather than `sqlx::Any`) keep real `DATE`/`TIMESTAMPTZ`
//! types on Postgres and let SQLite open write transactions with `BEGIN IMMEDIATE`; see docs/ARCHITECTURE.md.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Postgres, Sqlite, Transaction};

use super::StoreError;

/// The default database: a file next to the binary's working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/coop-travel.db";

/// Pool sizes unless `DATABASE_MAX_CONNECTIONS` says otherwise. PostgreSQL allows 100 connections by default:
/// 16 per instance leaves room for several instances and for maintenance (many more instances: pgbouncer).
pub const POSTGRES_DEFAULT_CONNECTIONS: u32 = 16;
/// SQLite writes one at a time; a few readers beside the writer are plenty.
pub const SQLITE_DEFAULT_CONNECTIONS: u32 = 8;

/// How long a SQLite writer waits for the single write lock before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(30);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A connection pool on one of the two backends. Cheap to clone.
#[derive(Debug, Clone)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A transaction on one of the two backends. Dropped without [`Tx::commit`], it rolls back.
#[derive(Debug)]
pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// Runs `$body` with `$conn` bound to the transaction's native connection and `$db` to the driver type
/// (`sqlx::Sqlite` or `sqlx::Postgres`), so one body of SQL serves both databases.
macro_rules! run {
    ($tx:expr, |$conn:ident, $db:ident| $body:expr) => {
        match $tx {
            $crate::server::db::Tx::Sqlite(tx) => {
                type $db = sqlx::Sqlite;
                let $conn: &mut sqlx::SqliteConnection = &mut *tx;
                $body
            }
            $crate::server::db::Tx::Postgres(tx) => {
                type $db = sqlx::Postgres;
                let $conn: &mut sqlx::PgConnection = &mut *tx;
                $body
            }
        }
    };
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::server::db::Tx::Sqlite(tx) => {
                let $conn: &mut sqlx::SqliteConnection = &mut *tx;
                $body
            }
            $crate::server::db::Tx::Postgres(tx) => {
                let $conn: &mut sqlx::PgConnection = &mut *tx;
                $body
            }
        }
    };
}
pub(crate) use run;

/// A PostgreSQL `url` with its database name replaced by `name`, its parameters kept (for creating and using
/// scratch databases next to an admin connection: tests, benchmarks).
pub fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_end = base.find("://").map_or(0, |i| i + 3);
    let base = match base[authority_end..].find('/') {
        Some(slash) => &base[..authority_end + slash],
        None => base,
    };
    match query {
        Some(query) => format!("{base}/{name}?{query}"),
        None => format!("{base}/{name}"),
    }
}

impl Db {
    /// Opens (and for SQLite creates) the database at `url`, with the default pool size. Does not migrate: see
    /// [`Db::migrate`].
    pub async fn connect(url: &str) -> Result<Db, StoreError> {
        Db::connect_with(url, None).await
    }

    /// Opens the database with at most `max_connections` in the pool (default: `POSTGRES_DEFAULT_CONNECTIONS`,
    /// so that several instances fit in PostgreSQL's default 100 connections; `SQLITE_DEFAULT_CONNECTIONS`).
    pub async fn connect_with(url: &str, max_connections: Option<u32>) -> Result<Db, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.unwrap_or(POSTGRES_DEFAULT_CONNECTIONS))
                .acquire_timeout(Duration::from_secs(30))
                .connect_with(options)
                .await?;
            Ok(Db::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            let options = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // FULL: a commit is on disk before we acknowledge it, even across a power cut.
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(SQLITE_BUSY_TIMEOUT);
            if let Some(dir) = Path::new(options.get_filename()).parent()
                && !dir.as_os_str().is_empty()
            {
                std::fs::create_dir_all(dir).map_err(|e| StoreError::Config(format!("{}: {e}", dir.display())))?;
            }
            let pool = SqlitePoolOptions::new()
                .max_connections(max_connections.unwrap_or(SQLITE_DEFAULT_CONNECTIONS))
                .acquire_timeout(Duration::from_secs(60))
                .connect_with(options)
                .await?;
            Ok(Db::Sqlite(pool))
        } else {
            Err(StoreError::Config(format!(
                "DATABASE_URL must start with sqlite: or postgres://, got {:?}",
                url.split(':').next().unwrap_or_default()
            )))
        }
    }

    /// Brings the schema up to date with the migrations of this backend's dialect.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(pool) => sqlx::migrate!("../migrations/sqlite").run(pool).await?,
            Db::Postgres(pool) => sqlx::migrate!("../migrations/postgres").run(pool).await?,
        }
        Ok(())
    }

    pub fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// A transaction that will write. On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`), so a
    /// read-then-write transaction can never fail half-way on a lock upgrade.
    pub async fn begin_write(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    /// A transaction that only reads: one consistent snapshot, no write lock.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => Tx::Postgres(pool.begin().await?),
        })
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(pool) => pool.close().await,
            Db::Postgres(pool) => pool.close().await,
        }
    }
}

impl Tx {
    pub async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.commit().await?,
            Tx::Postgres(tx) => tx.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(tx) => tx.rollback().await?,
            Tx::Postgres(tx) => tx.rollback().await?,
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::with_database;

    #[test]
    fn the_database_name_is_swapped_and_the_query_kept() {
        assert_eq!(with_database("postgres://u@h:5/postgres", "t1"), "postgres://u@h:5/t1");
        assert_eq!(with_database("postgres://u@h:5/postgres?host=/tmp", "t1"), "postgres://u@h:5/t1?host=/tmp");
        assert_eq!(with_database("postgres://u@h:5", "t1"), "postgres://u@h:5/t1");
    }
}
