//! One binary, two databases: embedded SQLite by default, PostgreSQL when `DATABASE_URL` says `postgres://`.
//!
//! Each query is written once and compiled for both drivers by [`run!`], which matches on the backend and hands
//! the same body a native connection. Native drivers (rather than `sqlx::Any`) keep real `DATE`/`TIMESTAMPTZ`
//! types on Postgres and let SQLite open write transactions with `BEGIN IMMEDIATE`; see docs/ARCHITECTURE.md.

use std::path::Path;
use std::str::FromStr;
use std::time::Duration;

use sqlx::pool::PoolConnection;
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Connection, PgConnection, Postgres, Sqlite, Transaction};

use super::StoreError;

/// The default database: a file next to the binary's working directory.
pub const DEFAULT_DATABASE_URL: &str = "sqlite://data/coop-travel.db";

/// Pool sizes unless `DATABASE_MAX_CONNECTIONS` says otherwise. PostgreSQL allows 100 connections by default:
/// 8 per instance (and 4 for sessions) leaves room for several instances and for maintenance (many more
/// instances: pgbouncer). More connections than the database has cores only queue inside it: on 2 cores, 16 made
/// the mixed load's p99 219 ms, 8 made it 188 ms (docs/BENCHMARKS.md).
pub const POSTGRES_DEFAULT_CONNECTIONS: u32 = 8;
/// SQLite writes one at a time; a few readers beside the writer are plenty.
pub const SQLITE_DEFAULT_CONNECTIONS: u32 = 8;

/// A PostgreSQL connection idle longer than this is pinged before it is used again.
const PING_AFTER_IDLE: Duration = Duration::from_secs(30);

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

/// A transaction on one of the two backends — or, from [`Db::reader`], a plain connection for a single
/// statement. Dropped without [`Tx::commit`], a transaction rolls back.
#[derive(Debug)]
pub enum Tx {
    Sqlite(Handle<Sqlite>),
    Postgres(Handle<Postgres>),
}

/// A transaction, or a pooled connection used without one (a single statement is consistent by itself). Either
/// way the store's SQL runs on the connection it dereferences to.
#[derive(Debug)]
pub enum Handle<DB: sqlx::Database> {
    Transaction(Transaction<'static, DB>),
    Connection(PoolConnection<DB>),
}

impl<DB: sqlx::Database> std::ops::Deref for Handle<DB> {
    type Target = DB::Connection;
    fn deref(&self) -> &DB::Connection {
        match self {
            Handle::Transaction(tx) => tx,
            Handle::Connection(conn) => conn,
        }
    }
}

impl<DB: sqlx::Database> std::ops::DerefMut for Handle<DB> {
    fn deref_mut(&mut self) -> &mut DB::Connection {
        match self {
            Handle::Transaction(tx) => &mut *tx,
            Handle::Connection(conn) => &mut *conn,
        }
    }
}

impl<DB: sqlx::Database> Handle<DB> {
    async fn commit(self) -> Result<(), sqlx::Error> {
        match self {
            Handle::Transaction(tx) => tx.commit().await,
            Handle::Connection(_) => Ok(()),
        }
    }

    async fn rollback(self) -> Result<(), sqlx::Error> {
        match self {
            Handle::Transaction(tx) => tx.rollback().await,
            Handle::Connection(_) => Ok(()),
        }
    }
}

/// Runs `$body` with `$conn` bound to the transaction's native connection and `$db` to the driver type
/// (`sqlx::Sqlite` or `sqlx::Postgres`), so one body of SQL serves both databases.
macro_rules! run {
    ($tx:expr, |$conn:ident, $db:ident| $body:expr) => {
        match $tx {
            $crate::server::db::Tx::Sqlite(tx) => {
                type $db = sqlx::Sqlite;
                let $conn: &mut sqlx::SqliteConnection = &mut **tx;
                $body
            }
            $crate::server::db::Tx::Postgres(tx) => {
                type $db = sqlx::Postgres;
                let $conn: &mut sqlx::PgConnection = &mut **tx;
                $body
            }
        }
    };
    ($tx:expr, |$conn:ident| $body:expr) => {
        match $tx {
            $crate::server::db::Tx::Sqlite(tx) => {
                let $conn: &mut sqlx::SqliteConnection = &mut **tx;
                $body
            }
            $crate::server::db::Tx::Postgres(tx) => {
                let $conn: &mut sqlx::PgConnection = &mut **tx;
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
                // A connection in steady use is known to work: ping only one that sat idle a while (the server
                // may have restarted), instead of a round trip before every use (docs/BENCHMARKS.md).
                .test_before_acquire(false)
                .before_acquire(|conn: &mut PgConnection, meta| {
                    Box::pin(async move {
                        if meta.idle_for > PING_AFTER_IDLE {
                            conn.ping().await?;
                        }
                        Ok(true)
                    })
                })
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
                // A file cannot drop a connection the way a network can: no ping before every use (a round trip
                // through the connection's worker thread for each request, measured in docs/BENCHMARKS.md).
                .test_before_acquire(false)
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

    /// One round trip to the database (`SELECT 1`): the readiness check.
    pub async fn ping(&self) -> Result<(), StoreError> {
        match self {
            Db::Sqlite(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
            Db::Postgres(pool) => {
                sqlx::query("SELECT 1").execute(pool).await?;
            }
        }
        Ok(())
    }

    /// Migrations this binary has that the database has not applied, as `version description` (empty: the
    /// schema is current). A database that never saw a migration lacks them all. Reads only: `check` runs it
    /// beside a serving instance.
    pub async fn pending_migrations(&self) -> Result<Vec<String>, StoreError> {
        let (migrator, applied): (sqlx::migrate::Migrator, Result<Vec<i64>, sqlx::Error>) = match self {
            Db::Sqlite(pool) => (
                sqlx::migrate!("../migrations/sqlite"),
                sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(pool).await,
            ),
            Db::Postgres(pool) => (
                sqlx::migrate!("../migrations/postgres"),
                sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success").fetch_all(pool).await,
            ),
        };
        let applied = match applied {
            Ok(versions) => versions,
            // No bookkeeping table yet: nothing was ever migrated.
            Err(sqlx::Error::Database(error)) if error.message().contains("_sqlx_migrations") => Vec::new(),
            Err(error) => return Err(error.into()),
        };
        Ok(migrator
            .iter()
            .filter(|m| !applied.contains(&m.version))
            .map(|m| format!("{} {}", m.version, m.description))
            .collect())
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
            Db::Sqlite(pool) => Tx::Sqlite(Handle::Transaction(pool.begin_with("BEGIN IMMEDIATE").await?)),
            Db::Postgres(pool) => Tx::Postgres(Handle::Transaction(pool.begin().await?)),
        })
    }

    /// For reads only. On SQLite a deferred transaction: one consistent snapshot, no write lock. On PostgreSQL a
    /// plain connection: under READ COMMITTED a transaction would not hold one snapshot either (each statement
    /// sees what was committed when it starts), so `BEGIN` and `COMMIT` would be two round trips for nothing.
    pub async fn begin_read(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(Handle::Transaction(pool.begin().await?)),
            Db::Postgres(pool) => Tx::Postgres(Handle::Connection(pool.acquire().await?)),
        })
    }

    /// A connection for a read of one statement, which is consistent without a transaction: saves the
    /// `BEGIN` and `COMMIT` round trips on the hottest paths (the logged-in user of every request, "my stays").
    /// Never for several statements that must agree, nor for writes.
    pub async fn reader(&self) -> Result<Tx, StoreError> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(Handle::Connection(pool.acquire().await?)),
            Db::Postgres(pool) => Tx::Postgres(Handle::Connection(pool.acquire().await?)),
        })
    }

    /// Writes a consistent copy of a SQLite database to `to` (which must not exist) while the server keeps
    /// running: `VACUUM INTO` reads one snapshot, so writes committed after it began are not in the copy and
    /// writes committed before it are, whole. The copy is a complete database file, compacted. PostgreSQL is
    /// backed up with `pg_dump` (docs/OPERATIONS.md), not here.
    pub async fn backup_sqlite(&self, to: &Path) -> Result<(), StoreError> {
        let Db::Sqlite(pool) = self else {
            return Err(StoreError::Config("backup copies SQLite databases; for PostgreSQL use pg_dump".into()));
        };
        if to.exists() {
            return Err(StoreError::Config(format!("{} exists already: nothing is overwritten", to.display())));
        }
        if let Some(dir) = to.parent()
            && !dir.as_os_str().is_empty()
        {
            std::fs::create_dir_all(dir).map_err(|e| StoreError::Config(format!("{}: {e}", dir.display())))?;
        }
        let target = to.to_str().ok_or_else(|| StoreError::Config(format!("{}: not a UTF-8 path", to.display())))?;
        sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await?;
        Ok(())
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
            Tx::Sqlite(handle) => handle.commit().await?,
            Tx::Postgres(handle) => handle.commit().await?,
        }
        Ok(())
    }

    pub async fn rollback(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(handle) => handle.rollback().await?,
            Tx::Postgres(handle) => handle.rollback().await?,
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
