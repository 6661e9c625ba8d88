//! Links sent by e-mail: confirming the address at sign-up, resetting a forgotten password, confirming a new
//! address. Only a hash of each link's token is kept, and a link works once, for its one purpose, until it expires.

use chrono::{DateTime, Utc};

use crate::domain::UserId;
use crate::server::{StoreError, Tx, db::run};

use super::now;

/// What a link is for (the `purpose` column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// Confirming the address of a new account.
    Confirm,
    /// Choosing a new password without the old one.
    Reset,
    /// Confirming a new address for an account; the link carries the address.
    ChangeEmail,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Purpose::Confirm => "confirm",
            Purpose::Reset => "reset",
            Purpose::ChangeEmail => "change_email",
        }
    }
}

/// A new link for `purpose` (with the address it confirms, for [`Purpose::ChangeEmail`]).
pub async fn insert(
    tx: &mut Tx,
    user: UserId,
    purpose: Purpose,
    token_hash: &str,
    expires_at: DateTime<Utc>,
    new_email: Option<&str>,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO email_verifications (user_id, purpose, token_hash, expires_at, new_email, \
                       created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    run!(tx, |c| sqlx::query(SQL)
        .bind(user)
        .bind(purpose.as_str())
        .bind(token_hash)
        .bind(expires_at)
        .bind(new_email)
        .bind(now())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Uses the link for `purpose` with this token hash, if it is unused and not expired at `at`; returns whose it is
/// and the address it carries.
pub async fn redeem(
    tx: &mut Tx,
    purpose: Purpose,
    token_hash: &str,
    at: DateTime<Utc>,
) -> Result<Option<(UserId, Option<String>)>, StoreError> {
    const SQL: &str = "UPDATE email_verifications SET used_at = $1 \
                       WHERE token_hash = $2 AND purpose = $3 AND used_at IS NULL AND expires_at > $1 \
                       RETURNING user_id, new_email";
    let found: Option<(i64, Option<String>)> = run!(tx, |c| sqlx::query_as(SQL)
        .bind(at)
        .bind(token_hash)
        .bind(purpose.as_str())
        .fetch_optional(&mut *c)
        .await)?;
    Ok(found.map(|(user, email)| (UserId(user), email)))
}

/// Ends every open link of `user` for `purpose` (a newer one was sent, or the link's work is done).
pub async fn revoke_all(tx: &mut Tx, user: UserId, purpose: Purpose) -> Result<(), StoreError> {
    const SQL: &str =
        "UPDATE email_verifications SET used_at = $1 WHERE user_id = $2 AND purpose = $3 AND used_at IS NULL";
    run!(tx, |c| sqlx::query(SQL)
        .bind(now())
        .bind(user)
        .bind(purpose.as_str())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
