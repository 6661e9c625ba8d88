//! In-app notifications and the e-mail outbox. A notification is written in the same transaction as the event or
//! message it tells about, once per person: the UNIQUE constraints turn a repeat into a no-op.

use chrono::{DateTime, Utc};

use crate::domain::{StayRequestId, UserId};
use crate::server::{StoreError, Tx, db::run};

use super::now;

/// Tells `users` about event `event` of request `request`. Inserting twice changes nothing.
pub async fn for_event(
    tx: &mut Tx,
    users: &[UserId],
    request: StayRequestId,
    event: i64,
    kind: &str,
    body: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO notifications (user_id, stay_request_id, stay_request_event_id, kind, body, \
                       created_at) VALUES ($1, $2, $3, $4, $5, $6) \
                       ON CONFLICT (user_id, stay_request_event_id) DO NOTHING";
    for user in users {
        run!(tx, |c| sqlx::query(SQL)
            .bind(user)
            .bind(request)
            .bind(event)
            .bind(kind)
            .bind(body)
            .bind(now())
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Tells `users` about message `message` of request `request`.
pub async fn for_message(
    tx: &mut Tx,
    users: &[UserId],
    request: StayRequestId,
    message: i64,
    body: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO notifications (user_id, stay_request_id, stay_message_id, kind, body, created_at) \
                       VALUES ($1, $2, $3, 'message', $4, $5) ON CONFLICT (user_id, stay_message_id) DO NOTHING";
    for user in users {
        run!(tx, |c| sqlx::query(SQL)
            .bind(user)
            .bind(request)
            .bind(message)
            .bind(body)
            .bind(now())
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// A notification about nothing in particular (no request, event or message). Returns its id.
pub async fn insert_plain(tx: &mut Tx, user: UserId, kind: &str, body: &str) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO notifications (user_id, kind, body, created_at) VALUES ($1, $2, $3, $4) \
                       RETURNING notification_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(user).bind(kind).bind(body).bind(now()).fetch_one(&mut *c).await)?)
}

/// Mail about the account itself (a confirmation link, a password reset…), written in its reader's language.
pub struct AccountMail<'a> {
    pub kind: &'a str,
    pub subject: &'a str,
    /// `{site}` becomes the site's address when the message is built.
    pub body: &'a str,
}

/// Queues account mail for `user`: e-mailed whatever the person's setting, never listed in the app. It goes to
/// `to` when given (the link that confirms a new address goes to that address), else to the account's address.
/// Returns its id.
pub async fn insert_account_mail(
    tx: &mut Tx,
    user: UserId,
    mail: &AccountMail<'_>,
    to: Option<&str>,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO notifications (user_id, kind, email_subject, body, in_app, email_to, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING notification_id";
    let in_app = false;
    Ok(run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(user)
        .bind(mail.kind)
        .bind(mail.subject)
        .bind(mail.body)
        .bind(in_app)
        .bind(to)
        .bind(now())
        .fetch_one(&mut *c)
        .await)?)
}

/// The latest account mail of `kind` to `user`, if any, with the address it goes to: (id, body, address).
pub async fn latest_account_mail(
    tx: &mut Tx,
    user: UserId,
    kind: &str,
) -> Result<Option<(i64, String, String)>, StoreError> {
    const SQL: &str = "SELECT n.notification_id, n.body, COALESCE(n.email_to, u.email) FROM notifications n \
                       JOIN users u ON u.user_id = n.user_id WHERE n.user_id = $1 AND n.kind = $2 AND NOT n.in_app \
                       ORDER BY n.notification_id DESC LIMIT 1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).bind(kind).fetch_optional(&mut *c).await)?)
}

/// The text of a notification (tests read links from account mail with it).
pub async fn body(tx: &mut Tx, notification: i64) -> Result<String, StoreError> {
    const SQL: &str = "SELECT body FROM notifications WHERE notification_id = $1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(notification).fetch_one(&mut *c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub notification_id: i64,
    pub stay_request_id: Option<StayRequestId>,
    pub kind: String,
    pub body: String,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// The latest notifications of a user, newest first.
pub async fn list(tx: &mut Tx, user: UserId, limit: i64) -> Result<Vec<NotificationRow>, StoreError> {
    const SQL: &str = "SELECT notification_id, stay_request_id, kind, body, read_at, created_at FROM notifications \
                       WHERE user_id = $1 AND in_app ORDER BY notification_id DESC LIMIT $2";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).bind(limit).fetch_all(&mut *c).await)?)
}

pub async fn unread_count(tx: &mut Tx, user: UserId) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND in_app AND read_at IS NULL";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(user).fetch_one(&mut *c).await)?)
}

/// Marks every notification of the user read.
pub async fn mark_all_read(tx: &mut Tx, user: UserId) -> Result<u64, StoreError> {
    const SQL: &str = "UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at IS NULL";
    Ok(run!(tx, |c| sqlx::query(SQL).bind(now()).bind(user).execute(&mut *c).await.map(|r| r.rows_affected()))?)
}

/// An e-mail waiting to be sent.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OutboxRow {
    pub notification_id: i64,
    pub email: String,
    /// The reader's language (`en`, `es`, `pt`).
    pub locale: String,
    /// Account mail carries its own subject, in its reader's language.
    pub email_subject: Option<String>,
    pub display_name: String,
    pub kind: String,
    pub body: String,
    pub stay_request_id: Option<StayRequestId>,
    /// Attempts so far, this one included.
    pub email_attempts: i32,
}

/// Claims up to `limit` e-mails that are due at `now` (not sent, not failed, their next try come, nobody else's
/// claim running) until `until`, counting an attempt for each, and returns them oldest first.
///
/// The claim is one UPDATE whose own WHERE repeats the conditions, so on PostgreSQL a row that a concurrent sender
/// claimed first is re-checked and dropped (and `SKIP LOCKED` passes over rows being claimed); SQLite runs one
/// writer at a time. So several app instances never send the same message.
pub async fn claim_outbox(
    tx: &mut Tx,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
    limit: i64,
) -> Result<Vec<OutboxRow>, StoreError> {
    const SQLITE: &str = "UPDATE notifications SET email_claimed_until = $1, email_attempts = email_attempts + 1 \
        WHERE notification_id IN (SELECT n.notification_id FROM notifications n JOIN users u ON u.user_id = n.user_id \
          WHERE n.emailed_at IS NULL AND n.email_failed_at IS NULL AND (u.email_notifications OR NOT n.in_app) \
            AND (n.email_next_at IS NULL OR n.email_next_at <= $2) \
            AND (n.email_claimed_until IS NULL OR n.email_claimed_until <= $2) \
          ORDER BY n.notification_id LIMIT $3) \
        AND emailed_at IS NULL AND email_failed_at IS NULL \
        AND (email_claimed_until IS NULL OR email_claimed_until <= $2) RETURNING notification_id";
    const POSTGRES: &str = "UPDATE notifications SET email_claimed_until = $1, email_attempts = email_attempts + 1 \
        WHERE notification_id IN (SELECT n.notification_id FROM notifications n JOIN users u ON u.user_id = n.user_id \
          WHERE n.emailed_at IS NULL AND n.email_failed_at IS NULL AND (u.email_notifications OR NOT n.in_app) \
            AND (n.email_next_at IS NULL OR n.email_next_at <= $2) \
            AND (n.email_claimed_until IS NULL OR n.email_claimed_until <= $2) \
          ORDER BY n.notification_id LIMIT $3 FOR UPDATE OF n SKIP LOCKED) \
        AND emailed_at IS NULL AND email_failed_at IS NULL \
        AND (email_claimed_until IS NULL OR email_claimed_until <= $2) RETURNING notification_id";
    let ids: Vec<i64> = match tx {
        Tx::Sqlite(c) => sqlx::query_scalar(SQLITE).bind(until).bind(now).bind(limit).fetch_all(&mut **c).await?,
        Tx::Postgres(c) => sqlx::query_scalar(POSTGRES).bind(until).bind(now).bind(limit).fetch_all(&mut **c).await?,
    };
    const DETAILS: &str = "SELECT n.notification_id, COALESCE(n.email_to, u.email) AS email, u.locale, \
                           n.email_subject, u.display_name, n.kind, n.body, n.stay_request_id, \
                           n.email_attempts FROM notifications n JOIN users u ON u.user_id = n.user_id \
                           WHERE n.notification_id = $1";
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        rows.push(run!(tx, |c| sqlx::query_as(DETAILS).bind(id).fetch_one(&mut *c).await)?);
    }
    rows.sort_by_key(|r: &OutboxRow| r.notification_id);
    Ok(rows)
}

/// Marks a claimed notification e-mailed, if nobody did already; returns whether this call did.
pub async fn mark_emailed(tx: &mut Tx, notification: i64) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE notifications SET emailed_at = $1, email_claimed_until = NULL, email_error = NULL \
                       WHERE notification_id = $2 AND emailed_at IS NULL";
    let n = run!(tx, |c| sqlx::query(SQL)
        .bind(now())
        .bind(notification)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Gives a claimed e-mail back, to be tried again at `next_at`, noting why this attempt failed.
pub async fn retry_later(
    tx: &mut Tx,
    notification: i64,
    next_at: DateTime<Utc>,
    error: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE notifications SET email_claimed_until = NULL, email_next_at = $1, email_error = $2 \
                       WHERE notification_id = $3 AND emailed_at IS NULL";
    run!(tx, |c| sqlx::query(SQL)
        .bind(next_at)
        .bind(error)
        .bind(notification)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Gives up on an e-mail for good (it cannot be built, its address is refused, or it failed too often).
pub async fn mark_failed(tx: &mut Tx, notification: i64, error: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE notifications SET email_claimed_until = NULL, email_failed_at = $1, email_error = $2 \
                       WHERE notification_id = $3 AND emailed_at IS NULL";
    run!(tx, |c| sqlx::query(SQL)
        .bind(now())
        .bind(error)
        .bind(notification)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Where an e-mail stands: (sent, failed, attempts, last error). For tests and operators.
pub async fn email_state(tx: &mut Tx, notification: i64) -> Result<(bool, bool, i32, Option<String>), StoreError> {
    const SQL: &str = "SELECT emailed_at IS NOT NULL, email_failed_at IS NOT NULL, email_attempts, email_error \
                       FROM notifications WHERE notification_id = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(notification).fetch_one(&mut *c).await)?)
}

pub async fn set_email_preference(tx: &mut Tx, user: UserId, enabled: bool) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET email_notifications = $1 WHERE user_id = $2";
    run!(tx, |c| sqlx::query(SQL).bind(enabled).bind(user).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn email_preference(tx: &mut Tx, user: UserId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT email_notifications FROM users WHERE user_id = $1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(user).fetch_one(&mut *c).await)?)
}
