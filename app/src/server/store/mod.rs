//! SQL, one module per table group. Every function takes the caller's transaction, so the service decides what
//! commits together. Queries use `$n` placeholders, which both SQLite and Postgres understand.

pub mod audit;
pub mod calendar;
pub mod coops;
pub mod deletion;
pub mod exports;
pub mod letters;
pub mod networks;
pub mod notifications;
pub mod offers;
pub mod safety;
pub mod stays;
pub mod throttles;
pub mod trust;
pub mod users;
pub mod verifications;

use chrono::{DateTime, Utc};

use super::{StoreError, Tx, db::run};

/// Timestamps are taken by the application, not the database, so both backends store the same instant.
pub fn now() -> DateTime<Utc> {
    Utc::now()
}

/// Whether the database holds no network, co-op or user yet (a fresh install, ready for the demo).
pub async fn is_empty(tx: &mut Tx) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT (SELECT COUNT(*) FROM networks) + (SELECT COUNT(*) FROM coops) \
                       + (SELECT COUNT(*) FROM users)";
    let count: i64 = run!(tx, |c| sqlx::query_scalar(SQL).fetch_one(&mut *c).await)?;
    Ok(count == 0)
}
