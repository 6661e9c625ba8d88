//! Blocks between people, reports and what moderators do about them, suspensions, and the daily counts of new
//! accounts.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{CoopId, NetworkId, OfferId, ReportId, StayMessageId, StayRequestId, UserId};
use crate::server::{StoreError, Tx, db::run};

use super::now;

// Blocks.

/// `blocker` blocks `blocked`; blocking again changes nothing.
pub async fn block(tx: &mut Tx, blocker: UserId, blocked: UserId) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3) \
                       ON CONFLICT (blocker_id, blocked_id) DO NOTHING";
    run!(tx, |c| sqlx::query(SQL)
        .bind(blocker)
        .bind(blocked)
        .bind(now())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Lifts `blocker`'s block of `blocked`; whether there was one.
pub async fn unblock(tx: &mut Tx, blocker: UserId, blocked: UserId) -> Result<bool, StoreError> {
    const SQL: &str = "DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2";
    let n =
        run!(tx, |c| sqlx::query(SQL).bind(blocker).bind(blocked).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BlockRow {
    pub user_id: UserId,
    pub display_name: String,
    pub created_at: DateTime<Utc>,
}

/// The people `user` blocked, latest first.
pub async fn blocked_by(tx: &mut Tx, user: UserId) -> Result<Vec<BlockRow>, StoreError> {
    const SQL: &str = "SELECT u.user_id, u.display_name, b.created_at FROM blocks b \
                       JOIN users u ON u.user_id = b.blocked_id WHERE b.blocker_id = $1 \
                       ORDER BY b.created_at DESC, u.user_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}

/// Whether a block stands between `user` and any of `others`, in either direction.
pub async fn apart_from_any(tx: &mut Tx, user: UserId, others: &[UserId]) -> Result<bool, StoreError> {
    if others.is_empty() {
        return Ok(false);
    }
    let ids: Vec<i64> = others.iter().map(|u| u.0).collect();
    Ok(match tx {
        Tx::Sqlite(c) => {
            const SQL: &str = "SELECT EXISTS (SELECT 1 FROM blocks b WHERE \
                               (b.blocker_id = $1 AND b.blocked_id IN (SELECT value FROM json_each($2))) \
                               OR (b.blocked_id = $1 AND b.blocker_id IN (SELECT value FROM json_each($2))))";
            let json = format!("[{}]", ids.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
            sqlx::query_scalar(SQL).bind(user).bind(json).fetch_one(&mut **c).await?
        }
        Tx::Postgres(c) => {
            const SQL: &str = "SELECT EXISTS (SELECT 1 FROM blocks b WHERE \
                               (b.blocker_id = $1 AND b.blocked_id = ANY($2)) \
                               OR (b.blocked_id = $1 AND b.blocker_id = ANY($2)))";
            sqlx::query_scalar(SQL).bind(user).bind(ids).fetch_one(&mut **c).await?
        }
    })
}

/// The co-ops with a host admin between whom and `user` a block stands: their offers are not `user`'s to find or
/// ask for.
pub async fn coops_apart_from(tx: &mut Tx, user: UserId) -> Result<Vec<CoopId>, StoreError> {
    const SQL: &str = "SELECT DISTINCT m.coop_id FROM coop_members m JOIN blocks b \
                       ON (b.blocker_id = $1 AND b.blocked_id = m.user_id) \
                       OR (b.blocked_id = $1 AND b.blocker_id = m.user_id) \
                       WHERE m.role = 'host_admin' ORDER BY m.coop_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(user).fetch_all(&mut *c).await)?)
}

// Daily counts of new accounts.

/// When `user`'s account was made.
pub async fn account_created(tx: &mut Tx, user: UserId) -> Result<Option<DateTime<Utc>>, StoreError> {
    const SQL: &str = "SELECT created_at FROM users WHERE user_id = $1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(user).fetch_optional(&mut *c).await)?)
}

/// Counts one more `kind` for `user` on `day` if fewer than `limit` are counted; whether it was counted. One
/// statement: on PostgreSQL the conflicting row is locked and its count read again before the condition, so
/// concurrent requests never pass the limit together.
pub async fn count_one(tx: &mut Tx, user: UserId, day: NaiveDate, kind: &str, limit: i64) -> Result<bool, StoreError> {
    if limit <= 0 {
        return Ok(false);
    }
    const SQL: &str = "INSERT INTO daily_counts (user_id, day, kind, count) VALUES ($1, $2, $3, 1) \
                       ON CONFLICT (user_id, day, kind) DO UPDATE SET count = daily_counts.count + 1 \
                       WHERE daily_counts.count < $4 RETURNING count";
    let counted: Option<i64> = run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(user)
        .bind(day)
        .bind(kind)
        .bind(limit)
        .fetch_optional(&mut *c)
        .await)?;
    Ok(counted.is_some())
}

/// What `user` has counted of `kind` on `day`.
pub async fn counted(tx: &mut Tx, user: UserId, day: NaiveDate, kind: &str) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COALESCE(MAX(count), 0) FROM daily_counts WHERE user_id = $1 AND day = $2 AND kind = $3";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(user).bind(day).bind(kind).fetch_one(&mut *c).await)?)
}

/// Whether `author` has written in the thread of `stay` before.
pub async fn has_written(tx: &mut Tx, stay: StayRequestId, author: UserId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT EXISTS (SELECT 1 FROM stay_messages WHERE stay_request_id = $1 AND author_id = $2)";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(stay).bind(author).fetch_one(&mut *c).await)?)
}

// Reports.

/// What a report is about: exactly one subject, and the person responsible for it when there is one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Subject {
    pub person: Option<UserId>,
    pub offer: Option<OfferId>,
    pub coop: Option<CoopId>,
    pub message: Option<StayMessageId>,
    pub about: Option<UserId>,
}

pub struct NewReport<'a> {
    pub reporter: UserId,
    pub kind: &'a str,
    pub subject: Subject,
    pub reason: &'a str,
    pub note: &'a str,
}

pub async fn insert_report(tx: &mut Tx, new: &NewReport<'_>) -> Result<ReportId, StoreError> {
    const SQL: &str = "INSERT INTO reports (reporter_id, subject_kind, person_id, offer_id, coop_id, \
                       stay_message_id, about_id, reason, note, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING report_id";
    let s = new.subject;
    Ok(run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(new.reporter)
        .bind(new.kind)
        .bind(s.person)
        .bind(s.offer)
        .bind(s.coop)
        .bind(s.message)
        .bind(s.about)
        .bind(new.reason)
        .bind(new.note)
        .bind(now())
        .fetch_one(&mut *c)
        .await)?)
}

/// The open report `reporter` already made about this subject, if any.
pub async fn open_report_of(
    tx: &mut Tx,
    reporter: UserId,
    kind: &str,
    s: Subject,
) -> Result<Option<ReportId>, StoreError> {
    const SQL: &str = "SELECT report_id FROM reports WHERE reporter_id = $1 AND subject_kind = $2 \
                       AND handled_at IS NULL AND person_id IS NOT DISTINCT FROM $3 AND offer_id IS NOT DISTINCT FROM $4 \
                       AND coop_id IS NOT DISTINCT FROM $5 AND stay_message_id IS NOT DISTINCT FROM $6 LIMIT 1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(reporter)
        .bind(kind)
        .bind(s.person)
        .bind(s.offer)
        .bind(s.coop)
        .bind(s.message)
        .fetch_optional(&mut *c)
        .await)?)
}

pub async fn add_report_network(tx: &mut Tx, report: ReportId, network: NetworkId) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO report_networks (report_id, network_id) VALUES ($1, $2) ON CONFLICT DO NOTHING";
    run!(tx, |c| sqlx::query(SQL).bind(report).bind(network).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn report_networks(tx: &mut Tx, report: ReportId) -> Result<Vec<NetworkId>, StoreError> {
    const SQL: &str = "SELECT network_id FROM report_networks WHERE report_id = $1 ORDER BY network_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(report).fetch_all(&mut *c).await)?)
}

/// The networks a person's co-ops are in (any standing: a pending co-op's coordinators moderate it too).
pub async fn networks_of_person(tx: &mut Tx, user: UserId) -> Result<Vec<NetworkId>, StoreError> {
    const SQL: &str = "SELECT DISTINCT nm.network_id FROM coop_members m \
                       JOIN network_memberships nm ON nm.coop_id = m.coop_id WHERE m.user_id = $1 \
                       ORDER BY nm.network_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(user).fetch_all(&mut *c).await)?)
}

pub async fn networks_of_coop(tx: &mut Tx, coop: CoopId) -> Result<Vec<NetworkId>, StoreError> {
    const SQL: &str = "SELECT network_id FROM network_memberships WHERE coop_id = $1 ORDER BY network_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(coop).fetch_all(&mut *c).await)?)
}

/// A message with the stay it belongs to.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageFacts {
    pub stay_request_id: StayRequestId,
    pub author_id: Option<UserId>,
    pub network_id: NetworkId,
}

pub async fn message_facts(tx: &mut Tx, message: StayMessageId) -> Result<Option<MessageFacts>, StoreError> {
    const SQL: &str = "SELECT m.stay_request_id, m.author_id, s.network_id FROM stay_messages m \
                       JOIN stay_requests s ON s.stay_request_id = m.stay_request_id WHERE m.stay_message_id = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(message).fetch_optional(&mut *c).await)?)
}

/// A report with what the moderator needs to judge it: names, the text reported, who it is about and how often
/// they were reported before.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub report_id: ReportId,
    pub subject_kind: String,
    pub reason: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub reporter: Option<String>,
    pub person_id: Option<UserId>,
    pub person_name: Option<String>,
    pub person_bio: Option<String>,
    pub offer_id: Option<OfferId>,
    pub offer_title: Option<String>,
    pub offer_description: Option<String>,
    pub coop_id: Option<CoopId>,
    pub coop_slug: Option<String>,
    pub coop_name: Option<String>,
    pub coop_description: Option<String>,
    pub stay_message_id: Option<StayMessageId>,
    pub message_body: Option<String>,
    pub message_stay: Option<StayRequestId>,
    pub about_id: Option<UserId>,
    pub about_name: Option<String>,
    pub about_suspended: bool,
    pub about_reports: i64,
    pub hidden: bool,
    pub handled_at: Option<DateTime<Utc>>,
    pub handled_by: Option<String>,
    pub outcome: Option<String>,
    pub outcome_note: String,
    pub reporter_id: Option<UserId>,
}

const REPORT_SELECT: &str = "SELECT r.report_id, r.subject_kind, r.reason, r.note, r.created_at, \
     ru.display_name AS reporter, r.person_id, pu.display_name AS person_name, pu.bio AS person_bio, \
     r.offer_id, o.title AS offer_title, o.description AS offer_description, \
     c.coop_id AS coop_id, c.slug AS coop_slug, c.name AS coop_name, c.description AS coop_description, \
     r.stay_message_id, m.body AS message_body, m.stay_request_id AS message_stay, \
     r.about_id, au.display_name AS about_name, \
     (au.suspended_at IS NOT NULL AND (au.suspended_until IS NULL OR au.suspended_until > $1)) AS about_suspended, \
     (SELECT COUNT(*) FROM reports r2 WHERE r2.about_id = r.about_id AND r2.report_id <> r.report_id) AS about_reports, \
     CASE r.subject_kind WHEN 'message' THEN m.hidden_at IS NOT NULL WHEN 'offer' THEN o.hidden_at IS NOT NULL \
          WHEN 'coop' THEN c.hidden_at IS NOT NULL WHEN 'person' THEN pu.profile_hidden_at IS NOT NULL \
          ELSE FALSE END AS hidden, \
     r.handled_at, hu.display_name AS handled_by, r.outcome, r.outcome_note, r.reporter_id \
     FROM reports r \
     LEFT JOIN users ru ON ru.user_id = r.reporter_id \
     LEFT JOIN users pu ON pu.user_id = r.person_id \
     LEFT JOIN offers o ON o.offer_id = r.offer_id \
     LEFT JOIN coops c ON c.coop_id = COALESCE(r.coop_id, o.coop_id) \
     LEFT JOIN stay_messages m ON m.stay_message_id = r.stay_message_id \
     LEFT JOIN users au ON au.user_id = r.about_id \
     LEFT JOIN users hu ON hu.user_id = r.handled_by";

/// The reports `moderator` may see (`None`: an admin, every report): the open ones oldest first, then the latest
/// handled ones.
pub async fn queue(
    tx: &mut Tx,
    moderator: Option<UserId>,
    handled_limit: i64,
    now: DateTime<Utc>,
) -> Result<Vec<ReportRow>, StoreError> {
    let scope = "($2 IS NULL OR EXISTS (SELECT 1 FROM report_networks rn JOIN network_coordinators nc \
                 ON nc.network_id = rn.network_id WHERE rn.report_id = r.report_id AND nc.user_id = $2))";
    let open = format!("{REPORT_SELECT} WHERE r.handled_at IS NULL AND {scope} ORDER BY r.created_at, r.report_id");
    let handled = format!(
        "{REPORT_SELECT} WHERE r.handled_at IS NOT NULL AND {scope} ORDER BY r.handled_at DESC, r.report_id DESC \
         LIMIT $3"
    );
    let mut rows: Vec<ReportRow> =
        run!(tx, |c| sqlx::query_as(&open).bind(now).bind(moderator).fetch_all(&mut *c).await)?;
    let done: Vec<ReportRow> =
        run!(tx, |c| sqlx::query_as(&handled).bind(now).bind(moderator).bind(handled_limit).fetch_all(&mut *c).await)?;
    rows.extend(done);
    Ok(rows)
}

pub async fn find_report(tx: &mut Tx, id: ReportId, now: DateTime<Utc>) -> Result<Option<ReportRow>, StoreError> {
    let sql = format!("{REPORT_SELECT} WHERE r.report_id = $2");
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(now).bind(id).fetch_optional(&mut *c).await)?)
}

/// Closes an open report with its outcome; false when someone handled it first.
pub async fn handle(tx: &mut Tx, id: ReportId, by: UserId, outcome: &str, note: &str) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE reports SET handled_at = $1, handled_by = $2, outcome = $3, outcome_note = $4 \
                       WHERE report_id = $5 AND handled_at IS NULL";
    let n = run!(tx, |c| sqlx::query(SQL)
        .bind(now())
        .bind(by)
        .bind(outcome)
        .bind(note)
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// Whether `user` coordinates any network (the moderation queue's door).
pub async fn coordinates_any(tx: &mut Tx, user: UserId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT EXISTS (SELECT 1 FROM network_coordinators WHERE user_id = $1)";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(user).fetch_one(&mut *c).await)?)
}

// Hiding content.

pub async fn hide_message(tx: &mut Tx, message: StayMessageId) -> Result<(), StoreError> {
    exec(tx, "UPDATE stay_messages SET hidden_at = $1 WHERE stay_message_id = $2 AND hidden_at IS NULL", message.0)
        .await
}

/// Unpublishes the offer and keeps it so: its co-op cannot publish it again while it is hidden.
pub async fn hide_offer(tx: &mut Tx, offer: OfferId) -> Result<(), StoreError> {
    exec(
        tx,
        "UPDATE offers SET status = CASE status WHEN 'published' THEN 'paused' ELSE status END, hidden_at = $1 \
         WHERE offer_id = $2 AND hidden_at IS NULL",
        offer.0,
    )
    .await
}

pub async fn hide_coop(tx: &mut Tx, coop: CoopId) -> Result<(), StoreError> {
    exec(tx, "UPDATE coops SET hidden_at = $1 WHERE coop_id = $2 AND hidden_at IS NULL", coop.0).await
}

pub async fn hide_profile(tx: &mut Tx, user: UserId) -> Result<(), StoreError> {
    exec(tx, "UPDATE users SET profile_hidden_at = $1 WHERE user_id = $2 AND profile_hidden_at IS NULL", user.0).await
}

async fn exec(tx: &mut Tx, sql: &'static str, id: i64) -> Result<(), StoreError> {
    run!(tx, |c| sqlx::query(sql).bind(now()).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Whether a moderator hid the offer.
pub async fn offer_hidden(tx: &mut Tx, offer: OfferId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT EXISTS (SELECT 1 FROM offers WHERE offer_id = $1 AND hidden_at IS NOT NULL)";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(offer).fetch_one(&mut *c).await)?)
}

// Suspensions.

/// Suspends `user` from now until `until` (for good: `None`) and gives the account a new session key, so every
/// session it has ends on its next request.
pub async fn suspend(
    tx: &mut Tx,
    user: UserId,
    until: Option<DateTime<Utc>>,
    session_key: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET suspended_at = $1, suspended_until = $2, session_key = $3, updated_at = $1 \
                       WHERE user_id = $4";
    run!(tx, |c| sqlx::query(SQL)
        .bind(now())
        .bind(until)
        .bind(session_key)
        .bind(user)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends `user`'s suspension; whether there was one.
pub async fn lift_suspension(tx: &mut Tx, user: UserId) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE users SET suspended_at = NULL, suspended_until = NULL, updated_at = $1 \
                       WHERE user_id = $2 AND suspended_at IS NOT NULL";
    let n = run!(tx, |c| sqlx::query(SQL).bind(now()).bind(user).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n > 0)
}
