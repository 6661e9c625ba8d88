//! E-mail confirmation links: only a hash of each link's token is kept, and a link works once, until it expires.

use chrono::{DateTime, Utc};

use crate::domain::UserId;
use crate::server::{StoreError, Tx, db::run};

use super::now;

pub async fn insert(tx: &mut Tx, user: UserId, token_hash: &str, expires_at: DateTime<Utc>) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO email_verifications (user_id, token_hash, expires_at, created_at) \
                       VALUES ($1, $2, $3, $4)";
    run!(tx, |c| sqlx::query(SQL)
        .bind(user)
        .bind(token_hash)
        .bind(expires_at)
        .bind(now())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Uses the link with this token hash, if it is unused and not expired at `at`; returns whose it is.
pub async fn redeem(tx: &mut Tx, token_hash: &str, at: DateTime<Utc>) -> Result<Option<UserId>, StoreError> {
    const SQL: &str = "UPDATE email_verifications SET used_at = $1 \
                       WHERE token_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING user_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(at).bind(token_hash).fetch_optional(&mut *c).await)?.map(UserId))
}

/// Ends every open link of `user` (a newer one was sent, or the address is confirmed).
pub async fn revoke_all(tx: &mut Tx, user: UserId) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE email_verifications SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL";
    run!(tx, |c| sqlx::query(SQL).bind(now()).bind(user).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
