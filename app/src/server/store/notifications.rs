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
                       WHERE user_id = $1 ORDER BY notification_id DESC LIMIT $2";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).bind(limit).fetch_all(&mut *c).await)?)
}

pub async fn unread_count(tx: &mut Tx, user: UserId) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at IS NULL";
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
    pub display_name: String,
    pub kind: String,
    pub body: String,
    pub stay_request_id: Option<StayRequestId>,
}

/// Notifications not e-mailed yet, of users who want e-mail, oldest first.
pub async fn outbox(tx: &mut Tx, limit: i64) -> Result<Vec<OutboxRow>, StoreError> {
    const SQL: &str = "SELECT n.notification_id, u.email, u.display_name, n.kind, n.body, n.stay_request_id \
                       FROM notifications n JOIN users u ON u.user_id = n.user_id \
                       WHERE n.emailed_at IS NULL AND u.email_notifications ORDER BY n.notification_id LIMIT $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(limit).fetch_all(&mut *c).await)?)
}

/// Marks a notification e-mailed, if nobody did already; returns whether this call did.
pub async fn mark_emailed(tx: &mut Tx, notification: i64) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE notifications SET emailed_at = $1 WHERE notification_id = $2 AND emailed_at IS NULL";
    let n = run!(tx, |c| sqlx::query(SQL)
        .bind(now())
        .bind(notification)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
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
