//! Counters of attempts per subject (`throttles`): failed log-ins per e-mail address, wrong current passwords and
//! calendar imports per account. The rules (how many, how long) are the services'; this module keeps the counts.

use chrono::{DateTime, Utc};

use crate::server::{StoreError, Tx, db::run};

/// A subject's counter.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ThrottleRow {
    pub count: i32,
    pub window_start: DateTime<Utc>,
    pub blocked_until: Option<DateTime<Utc>>,
}

pub async fn find(tx: &mut Tx, subject: &str) -> Result<Option<ThrottleRow>, StoreError> {
    const SQL: &str = "SELECT count, window_start, blocked_until FROM throttles WHERE subject = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(subject).fetch_optional(&mut *c).await)?)
}

/// Counts one more attempt for `subject`, starting a new window at `now` when the current one began before
/// `window_after` (or there is none). Returns the count in the window, this attempt included. The upsert holds the
/// row until the transaction ends, so concurrent attempts are all counted.
pub async fn count(
    tx: &mut Tx,
    subject: &str,
    window_after: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<i32, StoreError> {
    const SQL: &str = "INSERT INTO throttles (subject, count, window_start, blocked_until, updated_at) \
                       VALUES ($1, 1, $2, NULL, $2) \
                       ON CONFLICT (subject) DO UPDATE SET \
                         count = CASE WHEN throttles.window_start < $3 THEN 1 ELSE throttles.count + 1 END, \
                         window_start = CASE WHEN throttles.window_start < $3 THEN $2 ELSE throttles.window_start END, \
                         blocked_until = CASE WHEN throttles.window_start < $3 THEN NULL ELSE throttles.blocked_until END, \
                         updated_at = $2 \
                       RETURNING count";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(subject).bind(now).bind(window_after).fetch_one(&mut *c).await)?)
}

/// No attempt for `subject` before `until`.
pub async fn block_until(tx: &mut Tx, subject: &str, until: DateTime<Utc>) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE throttles SET blocked_until = $1 WHERE subject = $2";
    run!(tx, |c| sqlx::query(SQL).bind(until).bind(subject).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Forgets `subject`'s attempts (after a successful log-in).
pub async fn clear(tx: &mut Tx, subject: &str) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM throttles WHERE subject = $1";
    run!(tx, |c| sqlx::query(SQL).bind(subject).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
