//! Accounts in a session: axum-login over tower-sessions, with the sessions stored in our own database (SQLite
//! or Postgres, through tower-sessions-sqlx-store).
//!
//! The session's auth hash is the user's password hash and session key, so a new password or a new key ("log out
//! everywhere else", a reset, a new address) ends every other session on its next request (axum-login compares
//! the two on each request).

use std::fmt;

use async_trait::async_trait;
use axum_login::{AuthUser, AuthnBackend, UserId as LoginUserId};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

use crate::domain::UserId;
use crate::server::store::users::UserRow;
use crate::server::{Db, ServiceError, store};

/// The logged-in person, as the session knows them.
#[derive(Clone)]
pub struct SessionUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    /// The password hash and the session key: what each request's session is checked against.
    auth_hash: String,
}

impl fmt::Debug for SessionUser {
    /// Never prints the password hash.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SessionUser").field("id", &self.id).field("is_admin", &self.is_admin).finish_non_exhaustive()
    }
}

impl From<UserRow> for SessionUser {
    fn from(row: UserRow) -> Self {
        SessionUser {
            id: row.user_id,
            email: row.email,
            display_name: row.display_name,
            is_admin: row.is_admin,
            // Accounts whose key was never changed keep the sessions they had before keys existed.
            auth_hash: if row.session_key.is_empty() {
                row.password_hash
            } else {
                format!("{}\n{}", row.password_hash, row.session_key)
            },
        }
    }
}

impl AuthUser for SessionUser {
    type Id = i64;

    fn id(&self) -> i64 {
        self.id.0
    }

    fn session_auth_hash(&self) -> &[u8] {
        self.auth_hash.as_bytes()
    }
}

/// Loads session users from the database. Log-in itself goes through `services::accounts::log_in`, which also
/// counts failures; `authenticate` is only here because the trait asks for it.
#[derive(Clone, Debug)]
pub struct Backend {
    db: Db,
}

impl Backend {
    pub fn new(db: Db) -> Self {
        Backend { db }
    }
}

/// E-mail and password, as typed.
pub struct Credentials {
    pub email: String,
    pub password: String,
}

impl AuthnBackend for Backend {
    type User = SessionUser;
    type Credentials = Credentials;
    type Error = ServiceError;

    async fn authenticate(&self, credentials: Credentials) -> Result<Option<SessionUser>, ServiceError> {
        let now = chrono::Utc::now();
        match super::services::accounts::log_in(&self.db, &credentials.email, &credentials.password, now).await {
            Ok(user) => Ok(Some(user)),
            Err(ServiceError::Unauthorized | ServiceError::RateLimited(_)) => Ok(None),
            Err(other) => Err(other),
        }
    }

    async fn get_user(&self, id: &LoginUserId<Self>) -> Result<Option<SessionUser>, ServiceError> {
        // Every logged-in request comes through here: one statement, no transaction around it.
        let mut tx = self.db.reader().await?;
        let user = store::users::find_by_id(&mut tx, UserId(*id)).await?;
        tx.commit().await?;
        // A suspended account's sessions end on their next request (suspending also renews its session key).
        Ok(user.filter(|u| !u.is_suspended(chrono::Utc::now())).map(SessionUser::from))
    }
}

/// The session extractor used by server functions and middleware.
pub type AuthSession = axum_login::AuthSession<Backend>;

/// Session keys of our own, next to axum-login's.
pub const LOGGED_IN_AT: &str = "logged_in_at";
pub const SEEN_AT: &str = "seen_at";

/// The session store on whichever database the instance uses.
#[derive(Clone, Debug)]
pub enum AnyStore {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

impl AnyStore {
    pub fn new(db: &Db) -> Self {
        match db {
            Db::Sqlite(pool) => AnyStore::Sqlite(SqliteStore::new(pool.clone())),
            Db::Postgres(pool) => AnyStore::Postgres(PostgresStore::new(pool.clone())),
        }
    }

    /// Creates the sessions table if it does not exist (the store owns its schema).
    pub async fn migrate(&self) -> Result<(), sqlx::Error> {
        match self {
            AnyStore::Sqlite(store) => store.migrate().await,
            AnyStore::Postgres(store) => store.migrate().await,
        }
    }
}

#[async_trait]
impl SessionStore for AnyStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        match self {
            AnyStore::Sqlite(store) => store.create(record).await,
            AnyStore::Postgres(store) => store.create(record).await,
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        match self {
            AnyStore::Sqlite(store) => store.save(record).await,
            AnyStore::Postgres(store) => store.save(record).await,
        }
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        match self {
            AnyStore::Sqlite(store) => store.load(id).await,
            AnyStore::Postgres(store) => store.load(id).await,
        }
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        match self {
            AnyStore::Sqlite(store) => store.delete(id).await,
            AnyStore::Postgres(store) => store.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for AnyStore {
    async fn delete_expired(&self) -> session_store::Result<()> {
        match self {
            AnyStore::Sqlite(store) => store.delete_expired().await,
            AnyStore::Postgres(store) => store.delete_expired().await,
        }
    }
}
