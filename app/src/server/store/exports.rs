//! What a person's data export reads: their rows in every table, joined to the names that make them readable.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::UserId;
use crate::server::{StoreError, Tx, db::run};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProfileRow {
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub is_admin: bool,
    pub bio: String,
    pub languages: String,
    pub skills: String,
    pub created_at: DateTime<Utc>,
    pub email_verified_at: Option<DateTime<Utc>>,
}

pub async fn profile(tx: &mut Tx, user: UserId) -> Result<Option<ProfileRow>, StoreError> {
    const SQL: &str = "SELECT email, display_name, locale, is_admin, bio, languages, skills, created_at, \
                       email_verified_at FROM users WHERE user_id = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_optional(&mut *c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipRow {
    pub slug: String,
    pub name: String,
    pub role: String,
    pub since: DateTime<Utc>,
}

pub async fn coops(tx: &mut Tx, user: UserId) -> Result<Vec<MembershipRow>, StoreError> {
    const SQL: &str = "SELECT c.slug, c.name, m.role, m.created_at AS since FROM coop_members m \
                       JOIN coops c ON c.coop_id = m.coop_id WHERE m.user_id = $1 ORDER BY c.slug";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}

pub async fn networks(tx: &mut Tx, user: UserId) -> Result<Vec<MembershipRow>, StoreError> {
    const SQL: &str = "SELECT n.slug, n.name, 'coordinator' AS role, nc.created_at AS since \
                       FROM network_coordinators nc JOIN networks n ON n.network_id = nc.network_id \
                       WHERE nc.user_id = $1 ORDER BY n.slug";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StayRow {
    pub stay_request_id: i64,
    pub offer: String,
    pub host_coop: String,
    pub my_coop: String,
    pub network: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub guests: i32,
    pub purpose: String,
    pub message: String,
    pub skills_offered: String,
    pub status: String,
    pub trip_id: Option<i64>,
    pub created_at: DateTime<Utc>,
}

pub async fn stays(tx: &mut Tx, user: UserId) -> Result<Vec<StayRow>, StoreError> {
    const SQL: &str = "SELECT s.stay_request_id, o.title AS offer, hc.name AS host_coop, tc.name AS my_coop, \
                       n.name AS network, s.check_in, s.check_out, s.guests, s.purpose, s.message, s.skills_offered, \
                       s.status, s.trip_id, s.created_at FROM stay_requests s \
                       JOIN offers o ON o.offer_id = s.offer_id JOIN coops hc ON hc.coop_id = o.coop_id \
                       JOIN coops tc ON tc.coop_id = s.traveller_coop_id \
                       JOIN networks n ON n.network_id = s.network_id \
                       WHERE s.traveller_id = $1 ORDER BY s.stay_request_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub stay_request_id: i64,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// The history of every request `user` made.
pub async fn events(tx: &mut Tx, user: UserId) -> Result<Vec<EventRow>, StoreError> {
    const SQL: &str = "SELECT e.stay_request_id, e.from_status, e.to_status, e.note, e.created_at \
                       FROM stay_request_events e JOIN stay_requests s ON s.stay_request_id = e.stay_request_id \
                       WHERE s.traveller_id = $1 ORDER BY e.stay_request_event_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub stay_request_id: i64,
    pub author: Option<String>,
    pub mine: bool,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

/// The messages on `user`'s own requests and the ones `user` wrote anywhere, oldest first.
pub async fn messages(tx: &mut Tx, user: UserId) -> Result<Vec<MessageRow>, StoreError> {
    const SQL: &str = "SELECT m.stay_request_id, u.display_name AS author, \
                       (m.author_id IS NOT NULL AND m.author_id = $1) AS mine, m.body, m.created_at \
                       FROM stay_messages m JOIN stay_requests s ON s.stay_request_id = m.stay_request_id \
                       LEFT JOIN users u ON u.user_id = m.author_id \
                       WHERE s.traveller_id = $1 OR m.author_id = $1 ORDER BY m.stay_message_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub kind: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub read_at: Option<DateTime<Utc>>,
}

/// Every notification and every e-mail made for `user` (account mail included).
pub async fn notifications(tx: &mut Tx, user: UserId) -> Result<Vec<NotificationRow>, StoreError> {
    const SQL: &str = "SELECT kind, body, created_at, read_at FROM notifications WHERE user_id = $1 \
                       ORDER BY notification_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TripRow {
    pub trip_id: i64,
    pub title: String,
    pub created_at: DateTime<Utc>,
}

pub async fn trips(tx: &mut Tx, user: UserId) -> Result<Vec<TripRow>, StoreError> {
    const SQL: &str = "SELECT trip_id, title, created_at FROM trips WHERE traveller_id = $1 ORDER BY trip_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReferenceRow {
    pub stay_request_id: i64,
    pub side: String,
    pub recommend: bool,
    pub body: String,
    pub private_note: String,
    pub created_at: DateTime<Utc>,
}

/// The references `user` wrote.
pub async fn references_written(tx: &mut Tx, user: UserId) -> Result<Vec<ReferenceRow>, StoreError> {
    const SQL: &str = "SELECT stay_request_id, side, recommend, body, private_note, created_at FROM stay_references \
                       WHERE author_id = $1 ORDER BY created_at, stay_request_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LetterRow {
    pub stay_request_id: i64,
    pub invited: bool,
    pub language: String,
    pub traveller_name: String,
    pub host_coop: String,
    pub address: String,
    pub signer_name: String,
    pub issued_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// The invitation letters inviting `user`, and those they issued.
pub async fn letters(tx: &mut Tx, user: UserId) -> Result<Vec<LetterRow>, StoreError> {
    const SQL: &str = "SELECT l.stay_request_id, (s.traveller_id = $1) AS invited, l.language, l.traveller_name, \
                       l.host_coop, l.address, l.signer_name, l.issued_at, l.revoked_at \
                       FROM invitation_letters l JOIN stay_requests s ON s.stay_request_id = l.stay_request_id \
                       WHERE s.traveller_id = $1 OR l.issued_by = $1 ORDER BY l.issued_at, l.letter_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportRow {
    pub subject_kind: String,
    pub reason: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
    pub handled: bool,
}

/// The reports a person made.
pub async fn reports(tx: &mut Tx, user: UserId) -> Result<Vec<ReportRow>, StoreError> {
    const SQL: &str = "SELECT subject_kind, reason, note, created_at, handled_at IS NOT NULL AS handled FROM reports \
                       WHERE reporter_id = $1 ORDER BY report_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(user).fetch_all(&mut *c).await)?)
}
