//! In-app notifications and the e-mail outbox. A notification is written in the same transaction as the event or
//! message it tells about, once per person: the UNIQUE constraints turn a repeat into a no-op.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::notice::{Audience, EmailMode, Topic};
use crate::domain::{CoopId, NetworkId, StayRequestId, UserId};
use crate::server::{StoreError, Tx, db::run};

use super::now;

/// What a new notification tells, besides whom: the facts, never a sentence (it is worded for its reader when it
/// is shown or e-mailed).
#[derive(Debug, Clone, Copy)]
pub struct NewNotice<'a> {
    /// A stay's new status, or one of `domain::notice::kind`.
    pub kind: &'a str,
    pub topic: Topic,
    pub request: Option<StayRequestId>,
    pub event: Option<i64>,
    pub message: Option<i64>,
    pub network: Option<NetworkId>,
    pub coop: Option<CoopId>,
    /// Who did it; none when the system did.
    pub actor: Option<UserId>,
    /// Their note or message.
    pub body: &'a str,
}

/// Tells each reader (in their part) about `notice`, e-mailed as they chose for its topic. Telling someone twice
/// about the same event or message changes nothing. Returns how many were told.
pub async fn notify(tx: &mut Tx, readers: &[(UserId, Audience)], notice: &NewNotice<'_>) -> Result<u64, StoreError> {
    const SQL: &str = "INSERT INTO notifications (user_id, audience, kind, topic, stay_request_id, \
                       stay_request_event_id, stay_message_id, network_id, coop_id, actor_id, body, email_mode, \
                       created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, \
                       COALESCE((SELECT mode FROM email_preferences WHERE user_id = $1 AND topic = $4), 'now'), $12) \
                       ON CONFLICT DO NOTHING";
    let mut told = 0;
    for (user, audience) in readers {
        told += run!(tx, |c| sqlx::query(SQL)
            .bind(user)
            .bind(audience.as_str())
            .bind(notice.kind)
            .bind(notice.topic.as_str())
            .bind(notice.request)
            .bind(notice.event)
            .bind(notice.message)
            .bind(notice.network)
            .bind(notice.coop)
            .bind(notice.actor)
            .bind(notice.body)
            .bind(now())
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(told)
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
    const SQL: &str = "INSERT INTO notifications (user_id, kind, topic, email_subject, body, in_app, email_to, \
                       created_at) VALUES ($1, $2, 'account', $3, $4, $5, $6, $7) RETURNING notification_id";
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

/// A notification with the facts it tells, as its reader's page or e-mail words them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NoticeRow {
    pub notification_id: i64,
    pub kind: String,
    pub audience: String,
    pub body: String,
    pub read_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub actor_name: Option<String>,
    pub stay_request_id: Option<StayRequestId>,
    pub offer_title: Option<String>,
    pub host_coop_name: Option<String>,
    pub traveller_name: Option<String>,
    pub check_in: Option<NaiveDate>,
    pub check_out: Option<NaiveDate>,
    pub guests: Option<i32>,
    pub network_slug: Option<String>,
    pub network_name: Option<String>,
    pub coop_slug: Option<String>,
    pub coop_name: Option<String>,
}

/// The columns of a `NoticeRow`, for notifications `n`.
const NOTICE: &str = "SELECT n.notification_id, n.kind, n.audience, n.body, n.read_at, n.created_at, \
    a.display_name AS actor_name, n.stay_request_id, o.title AS offer_title, hc.name AS host_coop_name, \
    t.display_name AS traveller_name, s.check_in, s.check_out, s.guests, nw.slug AS network_slug, \
    nw.name AS network_name, c.slug AS coop_slug, c.name AS coop_name \
    FROM notifications n LEFT JOIN users a ON a.user_id = n.actor_id \
    LEFT JOIN stay_requests s ON s.stay_request_id = n.stay_request_id \
    LEFT JOIN offers o ON o.offer_id = s.offer_id LEFT JOIN coops hc ON hc.coop_id = o.coop_id \
    LEFT JOIN users t ON t.user_id = s.traveller_id LEFT JOIN networks nw ON nw.network_id = n.network_id \
    LEFT JOIN coops c ON c.coop_id = n.coop_id";

/// The latest notifications of a user, newest first.
pub async fn list(tx: &mut Tx, user: UserId, limit: i64) -> Result<Vec<NoticeRow>, StoreError> {
    let sql = format!("{NOTICE} WHERE n.user_id = $1 AND n.in_app ORDER BY n.notification_id DESC LIMIT $2");
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(user).bind(limit).fetch_all(&mut *c).await)?)
}

/// One notification with its facts.
pub async fn notice(tx: &mut Tx, notification: i64) -> Result<NoticeRow, StoreError> {
    let sql = format!("{NOTICE} WHERE n.notification_id = $1");
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(notification).fetch_one(&mut *c).await)?)
}

/// The notifications a digest e-mail carries, oldest first.
pub async fn digest_items(tx: &mut Tx, digest: i64) -> Result<Vec<NoticeRow>, StoreError> {
    let sql = format!("{NOTICE} WHERE n.digest_id = $1 ORDER BY n.notification_id");
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(digest).fetch_all(&mut *c).await)?)
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
    pub topic: String,
    pub body: String,
    /// Attempts so far, this one included.
    pub email_attempts: i32,
    /// What it tells: the notification's facts, or a digest's notifications; none for account mail.
    #[sqlx(skip)]
    pub notices: Vec<NoticeRow>,
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
          WHERE n.emailed_at IS NULL AND n.email_failed_at IS NULL AND n.email_mode = 'now' \
            AND (n.email_next_at IS NULL OR n.email_next_at <= $2) \
            AND (n.email_claimed_until IS NULL OR n.email_claimed_until <= $2) \
          ORDER BY n.notification_id LIMIT $3) \
        AND emailed_at IS NULL AND email_failed_at IS NULL \
        AND (email_claimed_until IS NULL OR email_claimed_until <= $2) RETURNING notification_id";
    const POSTGRES: &str = "UPDATE notifications SET email_claimed_until = $1, email_attempts = email_attempts + 1 \
        WHERE notification_id IN (SELECT n.notification_id FROM notifications n JOIN users u ON u.user_id = n.user_id \
          WHERE n.emailed_at IS NULL AND n.email_failed_at IS NULL AND n.email_mode = 'now' \
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
                           n.email_subject, u.display_name, n.kind, n.topic, n.body, \
                           n.email_attempts FROM notifications n JOIN users u ON u.user_id = n.user_id \
                           WHERE n.notification_id = $1";
    let mut rows = Vec::with_capacity(ids.len());
    for id in ids {
        let mut row: OutboxRow = run!(tx, |c| sqlx::query_as(DETAILS).bind(id).fetch_one(&mut *c).await)?;
        row.notices = match Topic::parse(&row.topic) {
            Ok(Topic::Account) => vec![],
            Ok(Topic::Digest) => digest_items(tx, id).await?,
            _ => vec![notice(tx, id).await?],
        };
        rows.push(row);
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

/// Sets how `topic` is e-mailed to `user`, for what comes from now on and what waits unsent.
pub async fn set_email_mode(tx: &mut Tx, user: UserId, topic: Topic, mode: EmailMode) -> Result<(), StoreError> {
    const UPSERT: &str = "INSERT INTO email_preferences (user_id, topic, mode) VALUES ($1, $2, $3) \
                          ON CONFLICT (user_id, topic) DO UPDATE SET mode = excluded.mode";
    const PENDING: &str = "UPDATE notifications SET email_mode = $1 WHERE user_id = $2 AND topic = $3 \
                           AND emailed_at IS NULL AND email_failed_at IS NULL AND digest_id IS NULL AND in_app";
    run!(tx, |c| sqlx::query(UPSERT)
        .bind(user)
        .bind(topic.as_str())
        .bind(mode.as_str())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    run!(tx, |c| sqlx::query(PENDING)
        .bind(mode.as_str())
        .bind(user)
        .bind(topic.as_str())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// How each chosen topic is e-mailed to `user`, in `Topic::CHOSEN` order.
pub async fn email_modes(tx: &mut Tx, user: UserId) -> Result<Vec<(Topic, EmailMode)>, StoreError> {
    const SQL: &str = "SELECT topic, mode FROM email_preferences WHERE user_id = $1";
    let rows: Vec<(String, String)> = run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?;
    Ok(Topic::CHOSEN
        .iter()
        .map(|topic| {
            let mode = rows
                .iter()
                .find(|(t, _)| t == topic.as_str())
                .and_then(|(_, m)| EmailMode::parse(m).ok())
                .unwrap_or(EmailMode::Now);
            (*topic, mode)
        })
        .collect())
}

/// People with notifications waiting for their digest, when the oldest of them was made, and the person's time
/// zone.
pub async fn digests_waiting(tx: &mut Tx) -> Result<Vec<(UserId, DateTime<Utc>, Option<String>)>, StoreError> {
    const SQL: &str = "SELECT n.user_id, MIN(n.created_at), u.time_zone FROM notifications n \
                       JOIN users u ON u.user_id = n.user_id WHERE n.email_mode = 'digest' AND n.digest_id IS NULL \
                       AND n.emailed_at IS NULL GROUP BY n.user_id, u.time_zone";
    Ok(run!(tx, |c| sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

/// Gathers every notification waiting for `user`'s digest into a new digest e-mail, and returns its id and how
/// many it carries; none when another sender gathered them first.
pub async fn make_digest(tx: &mut Tx, user: UserId) -> Result<Option<(i64, u64)>, StoreError> {
    const DIGEST: &str = "INSERT INTO notifications (user_id, kind, topic, body, in_app, created_at) \
                          VALUES ($1, 'digest', 'digest', '', $2, $3) RETURNING notification_id";
    const GATHER: &str = "UPDATE notifications SET digest_id = $1 WHERE user_id = $2 AND email_mode = 'digest' \
                          AND digest_id IS NULL AND emailed_at IS NULL";
    let in_app = false;
    let digest: i64 =
        run!(tx, |c| sqlx::query_scalar(DIGEST).bind(user).bind(in_app).bind(now()).fetch_one(&mut *c).await)?;
    let gathered =
        run!(tx, |c| sqlx::query(GATHER).bind(digest).bind(user).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok((gathered > 0).then_some((digest, gathered)))
}
