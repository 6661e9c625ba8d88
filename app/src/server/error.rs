//! Errors of the store (SQL) and service (rules, transactions) layers, and how they become an [`AppError`].

use crate::domain::DomainError;
use crate::error::{AppError, Refusal};

/// A database operation failed. Constraint violations are told apart so callers can answer "taken" or
/// "impossible" instead of "something went wrong".
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A UNIQUE constraint refused the row (a taken slug or email).
    #[error("already exists ({0})")]
    Conflict(String),
    /// A CHECK, NOT NULL or FOREIGN KEY constraint refused the row: the invariants hold.
    #[error("refused by the database ({0})")]
    Invariant(String),
    #[error("not found")]
    NotFound,
    #[error("configuration: {0}")]
    Config(String),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(transparent)]
    Sqlx(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(error: sqlx::Error) -> Self {
        use sqlx::error::ErrorKind;
        match &error {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) => match db.kind() {
                ErrorKind::UniqueViolation => StoreError::Conflict(db.message().to_owned()),
                ErrorKind::CheckViolation | ErrorKind::NotNullViolation | ErrorKind::ForeignKeyViolation => {
                    StoreError::Invariant(db.message().to_owned())
                }
                _ => StoreError::Sqlx(error),
            },
            _ => StoreError::Sqlx(error),
        }
    }
}

/// A service refused or failed an operation.
#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Domain(#[from] DomainError),
    #[error("{0}")]
    Conflict(Refusal),
    /// Input that parsed but breaks a rule only the server can check (a wrong current password…).
    #[error("{0}")]
    Invalid(Refusal),
    #[error("not found")]
    NotFound,
    #[error("you need to log in")]
    Unauthorized,
    #[error("you are not allowed to do this")]
    Forbidden,
    #[error("{0}")]
    RateLimited(Refusal),
    /// Too much at once right now (the password-hashing queue is full); the message says to come back soon.
    #[error("{0}")]
    Busy(String),
    #[error(transparent)]
    Store(StoreError),
    #[error("internal: {0}")]
    Internal(String),
}

impl From<StoreError> for ServiceError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound => ServiceError::NotFound,
            other => ServiceError::Store(other),
        }
    }
}

impl From<ServiceError> for AppError {
    /// Expected refusals keep their message; anything else is logged with its cause and answered with a reference.
    fn from(error: ServiceError) -> Self {
        match error {
            ServiceError::Domain(e) => AppError::from(e),
            ServiceError::Conflict(refusal) => AppError::Conflict(refusal),
            ServiceError::Invalid(refusal) => AppError::Validation(refusal),
            ServiceError::NotFound | ServiceError::Store(StoreError::NotFound) => AppError::NotFound,
            ServiceError::Unauthorized => AppError::Unauthorized,
            ServiceError::Forbidden => AppError::Forbidden,
            ServiceError::RateLimited(refusal) => AppError::RateLimited(refusal),
            ServiceError::Busy(message) => AppError::Busy(message),
            other => {
                let reference = error_reference();
                tracing::error!(error = %other, debug = ?other, reference, "request failed");
                AppError::Internal(reference)
            }
        }
    }
}

/// A short random reference that ties a user-visible error to its log line.
fn error_reference() -> String {
    use rand::Rng;
    let n: u32 = rand::rng().random();
    format!("{n:08x}")
}
