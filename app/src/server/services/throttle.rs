//! Throttling per subject, kept in the database so it holds across restarts and instances.
//!
//! - **Log-in**, per typed e-mail address, known or not (so the answer never tells which accounts exist): the first
//!   `FREE_FAILURES` wrong passwords cost nothing; each further one makes the next attempt wait twice as long, from
//!   2 s up to `MAX_DELAY_SECONDS`. The count starts again `FAILURE_WINDOW_MINUTES` after the first failure, and
//!   after a success. A stranger can slow an account down for minutes at most, never shut it.
//! - **Current password** (changing it), per account: the same rule.
//! - **Calendar imports**, per account: `IMPORTS_PER_HOUR`.
//! - **Password-reset links**, per typed address, known or not: `RESETS_PER_HOUR`.

use chrono::{DateTime, Duration, Utc};
use sha2::{Digest, Sha256};

use crate::error::Refusal;
use crate::server::store::throttles;
use crate::server::{ServiceError, Tx};

pub const FREE_FAILURES: i32 = 5;
pub const FAILURE_WINDOW_MINUTES: i64 = 15;
pub const MAX_DELAY_SECONDS: i64 = 300;
pub const IMPORTS_PER_HOUR: i32 = 30;
pub const RESETS_PER_HOUR: i32 = 5;

/// The subject of log-ins with a typed address: a hash, so the table holds no address in clear.
pub fn login_subject(email: &str) -> String {
    format!("login:{}", address_hash(email))
}

/// The subject of password-reset links asked for a typed address (hashed like [`login_subject`]).
pub fn reset_subject(email: &str) -> String {
    format!("reset:{}", address_hash(email))
}

fn address_hash(email: &str) -> String {
    let digest = Sha256::digest(email.trim().to_lowercase().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub fn password_subject(user: crate::domain::UserId) -> String {
    format!("password:{user}")
}

pub fn import_subject(user: crate::domain::UserId) -> String {
    format!("import:{user}")
}

/// How long the next attempt must wait after `failures` failures in the window.
pub fn delay_after(failures: i32) -> Option<Duration> {
    let over = failures - FREE_FAILURES;
    (over >= 0).then(|| {
        let seconds = 2_i64.checked_pow(u32::try_from(over + 1).unwrap_or(u32::MAX)).unwrap_or(MAX_DELAY_SECONDS);
        Duration::seconds(seconds.min(MAX_DELAY_SECONDS))
    })
}

/// `RateLimited` if `subject` must still wait at `now`.
pub async fn check(tx: &mut Tx, subject: &str, now: DateTime<Utc>) -> Result<(), ServiceError> {
    match throttles::find(tx, subject).await? {
        Some(row) if row.blocked_until.is_some_and(|until| until > now) => {
            let left = row.blocked_until.map_or(Duration::seconds(1), |until| until - now);
            Err(too_many(whole_seconds(left)))
        }
        _ => Ok(()),
    }
}

/// Counts a failure of `subject`; from the `FREE_FAILURES`-th on, the next attempt waits (growing delays).
/// Returns the failures in the window.
pub async fn record_failure(tx: &mut Tx, subject: &str, now: DateTime<Utc>) -> Result<i32, ServiceError> {
    let failures = throttles::count(tx, subject, now - Duration::minutes(FAILURE_WINDOW_MINUTES), now).await?;
    if let Some(delay) = delay_after(failures) {
        throttles::block_until(tx, subject, now + delay).await?;
    }
    Ok(failures)
}

/// Forgets the failures of `subject` (a success).
pub async fn clear(tx: &mut Tx, subject: &str) -> Result<(), ServiceError> {
    Ok(throttles::clear(tx, subject).await?)
}

/// Counts one use of `subject` and refuses it beyond `limit` uses per hour.
pub async fn take(tx: &mut Tx, subject: &str, limit: i32, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let used = throttles::count(tx, subject, now - Duration::hours(1), now).await?;
    if used > limit {
        let row = throttles::find(tx, subject).await?;
        let wait = row.map_or(60, |r| whole_seconds(r.window_start + Duration::hours(1) - now));
        return Err(too_many(wait));
    }
    Ok(())
}

/// A wait rounded up to whole seconds, at least one (timestamps keep microseconds on PostgreSQL).
fn whole_seconds(wait: Duration) -> i64 {
    let millis = wait.num_milliseconds().max(1);
    (millis + 999) / 1000
}

fn too_many(wait_seconds: i64) -> ServiceError {
    ServiceError::RateLimited(Refusal::TooManyAttempts { seconds: wait_seconds })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_failures_cost_nothing_and_later_ones_double_the_wait_up_to_five_minutes() {
        assert_eq!(delay_after(FREE_FAILURES - 1), None);
        assert_eq!(delay_after(FREE_FAILURES), Some(Duration::seconds(2)));
        assert_eq!(delay_after(FREE_FAILURES + 1), Some(Duration::seconds(4)));
        assert_eq!(delay_after(FREE_FAILURES + 7), Some(Duration::seconds(256)));
        assert_eq!(delay_after(FREE_FAILURES + 8), Some(Duration::seconds(MAX_DELAY_SECONDS)));
        assert_eq!(delay_after(i32::MAX), Some(Duration::seconds(MAX_DELAY_SECONDS)));
    }

    #[test]
    fn a_login_subject_is_the_same_for_any_spelling_of_the_address_and_holds_no_address() {
        assert_eq!(login_subject(" Ana@Coop.Example"), login_subject("ana@coop.example"));
        assert!(!login_subject("ana@coop.example").contains("ana"));
    }
}
