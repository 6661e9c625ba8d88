//! Stay requests and their audit trail.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{CoopId, DateRange, NetworkId, OfferId, Purpose, StayRequestId, StayStatus, TripId, UserId};
use crate::server::{StoreError, Tx, db::run};

use super::now;

pub struct NewStayRequest<'a> {
    pub traveller: UserId,
    pub traveller_coop: CoopId,
    pub offer: OfferId,
    pub network: NetworkId,
    pub range: DateRange,
    pub guests: i32,
    pub purpose: Purpose,
    pub message: &'a str,
    pub skills_offered: &'a str,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StayRequestRow {
    pub stay_request_id: StayRequestId,
    pub offer_id: OfferId,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub guests: i32,
    pub status: String,
}

/// Records a new request in state `requested`, with its first event.
pub async fn insert(tx: &mut Tx, new: &NewStayRequest<'_>) -> Result<StayRequestId, StoreError> {
    const SQL: &str = "INSERT INTO stay_requests (traveller_id, traveller_coop_id, offer_id, network_id, check_in, \
                       check_out, guests, purpose, message, skills_offered, status, created_at, updated_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'requested', $11, $11) \
                       RETURNING stay_request_id";
    let id = StayRequestId(run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(new.traveller)
        .bind(new.traveller_coop)
        .bind(new.offer)
        .bind(new.network)
        .bind(new.range.check_in())
        .bind(new.range.check_out())
        .bind(new.guests)
        .bind(new.purpose.as_str())
        .bind(new.message)
        .bind(new.skills_offered)
        .bind(now())
        .fetch_one(&mut *c)
        .await)?);
    record_event(tx, id, Some(new.traveller), None, StayStatus::Requested, "").await?;
    Ok(id)
}

/// The id of the latest event of a request.
pub async fn last_event(tx: &mut Tx, id: StayRequestId) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT MAX(stay_request_event_id) FROM stay_request_events WHERE stay_request_id = $1";
    let last: Option<i64> = run!(tx, |c| sqlx::query_scalar(SQL).bind(id).fetch_one(&mut *c).await)?;
    last.ok_or(StoreError::NotFound)
}

/// Moves a request from `from` to `to` and records who did it; returns the event's id. Fails with `NotFound` if
/// the request is no longer in `from` (someone else acted first).
pub async fn transition(
    tx: &mut Tx,
    id: StayRequestId,
    actor: Option<UserId>,
    from: StayStatus,
    to: StayStatus,
    note: &str,
) -> Result<i64, StoreError> {
    const SQL: &str =
        "UPDATE stay_requests SET status = $1, updated_at = $2 WHERE stay_request_id = $3 AND status = $4";
    let changed = run!(tx, |c| sqlx::query(SQL)
        .bind(to.as_str())
        .bind(now())
        .bind(id)
        .bind(from.as_str())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    if changed != 1 {
        return Err(StoreError::NotFound);
    }
    record_event(tx, id, actor, Some(from), to, note).await
}

async fn record_event(
    tx: &mut Tx,
    id: StayRequestId,
    actor: Option<UserId>,
    from: Option<StayStatus>,
    to: StayStatus,
    note: &str,
) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO stay_request_events (stay_request_id, actor_id, from_status, to_status, note, \
                       created_at) VALUES ($1, $2, $3, $4, $5, $6) RETURNING stay_request_event_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(id)
        .bind(actor)
        .bind(from.map(StayStatus::as_str))
        .bind(to.as_str())
        .bind(note)
        .bind(now())
        .fetch_one(&mut *c)
        .await)?)
}

/// Every request on `offer`, by check-in.
pub async fn list_for_offer(tx: &mut Tx, offer: OfferId) -> Result<Vec<StayRequestRow>, StoreError> {
    const SQL: &str = "SELECT stay_request_id, offer_id, check_in, check_out, guests, status FROM stay_requests \
                       WHERE offer_id = $1 ORDER BY check_in, stay_request_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(offer).fetch_all(&mut *c).await)?)
}

/// How many requests are in each status, for statistics and tests.
pub async fn count_by_status(tx: &mut Tx) -> Result<Vec<(String, i64)>, StoreError> {
    const SQL: &str = "SELECT status, COUNT(*) FROM stay_requests GROUP BY status ORDER BY status";
    Ok(run!(tx, |c| sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

/// A request with the names around it, for pages and for deciding who may act.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StayDetailRow {
    pub stay_request_id: StayRequestId,
    pub traveller_id: UserId,
    pub traveller_name: String,
    pub traveller_coop_id: CoopId,
    pub traveller_coop_slug: String,
    pub traveller_coop_name: String,
    pub offer_id: OfferId,
    pub offer_title: String,
    pub offer_kind: String,
    pub address: String,
    pub host_coop_id: CoopId,
    pub host_coop_slug: String,
    pub host_coop_name: String,
    pub network_id: NetworkId,
    pub network_name: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub guests: i32,
    pub purpose: String,
    pub message: String,
    pub skills_offered: String,
    pub status: String,
    pub suggested_check_in: Option<NaiveDate>,
    pub suggested_check_out: Option<NaiveDate>,
    pub trip_id: Option<TripId>,
    pub host_city: String,
    pub host_country: String,
    pub host_lat: f64,
    pub host_lon: f64,
    /// The skills the offer asks for, and those the traveller's profile says they bring (free tags).
    pub skills_wanted: String,
    pub traveller_skills: String,
}

const DETAIL: &str = "SELECT r.stay_request_id, r.traveller_id, u.display_name AS traveller_name, \
    r.traveller_coop_id, tc.slug AS traveller_coop_slug, tc.name AS traveller_coop_name, r.offer_id, \
    o.title AS offer_title, o.kind AS offer_kind, o.address, o.coop_id AS host_coop_id, hc.slug AS host_coop_slug, \
    hc.name AS host_coop_name, r.network_id, n.name AS network_name, r.check_in, r.check_out, r.guests, r.purpose, \
    r.message, r.skills_offered, r.status, r.suggested_check_in, r.suggested_check_out, r.trip_id, \
    hc.city AS host_city, hc.country AS host_country, hc.public_lat AS host_lat, hc.public_lon AS host_lon, \
    o.skills_wanted, u.skills AS traveller_skills \
    FROM stay_requests r JOIN users u ON u.user_id = r.traveller_id \
    JOIN coops tc ON tc.coop_id = r.traveller_coop_id JOIN offers o ON o.offer_id = r.offer_id \
    JOIN coops hc ON hc.coop_id = o.coop_id JOIN networks n ON n.network_id = r.network_id";

pub async fn find(tx: &mut Tx, id: StayRequestId) -> Result<Option<StayDetailRow>, StoreError> {
    let sql = format!("{DETAIL} WHERE r.stay_request_id = $1");
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(id).fetch_optional(&mut *c).await)?)
}

/// A traveller's requests, latest stays first.
pub async fn for_traveller(tx: &mut Tx, user: UserId) -> Result<Vec<StayDetailRow>, StoreError> {
    let sql = format!("{DETAIL} WHERE r.traveller_id = $1 ORDER BY r.check_in DESC, r.stay_request_id DESC");
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(user).fetch_all(&mut *c).await)?)
}

/// Requests for offers (`o`) of the co-ops that user `$1` hosts for: a host's inbox.
const HOSTED_BY_USER: &str =
    "o.coop_id IN (SELECT coop_id FROM coop_members WHERE user_id = $1 AND role = 'host_admin')";

/// Requests for the offers of co-ops where `user` is a host admin: pending first, then by check-in.
pub async fn inbox(tx: &mut Tx, user: UserId) -> Result<Vec<StayDetailRow>, StoreError> {
    let sql = format!(
        "{DETAIL} WHERE {HOSTED_BY_USER} \
         ORDER BY CASE r.status WHEN 'requested' THEN 0 WHEN 'accepted' THEN 1 ELSE 2 END, r.check_in, r.stay_request_id"
    );
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(user).fetch_all(&mut *c).await)?)
}

/// The calendar nights of every request in `user`'s inbox (those of the co-ops they host for), by request and night:
/// one query for the whole inbox.
pub async fn inbox_nights(tx: &mut Tx, user: UserId) -> Result<Vec<InboxNightRow>, StoreError> {
    let sql = format!(
        "SELECT r.stay_request_id, n.night, n.capacity, n.reserved FROM stay_requests r \
         JOIN offers o ON o.offer_id = r.offer_id \
         JOIN calendar_nights n ON n.offer_id = r.offer_id AND n.night >= r.check_in AND n.night < r.check_out \
         WHERE {HOSTED_BY_USER} ORDER BY r.stay_request_id, n.night"
    );
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(user).fetch_all(&mut *c).await)?)
}

/// A night of a request's range, for [`inbox_nights`].
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InboxNightRow {
    pub stay_request_id: StayRequestId,
    pub night: NaiveDate,
    pub capacity: i32,
    pub reserved: i32,
}

/// Accepted requests awaiting approval in the networks `user` coordinates (every network for an admin).
pub async fn approval_queue(tx: &mut Tx, user: UserId, all_networks: bool) -> Result<Vec<StayDetailRow>, StoreError> {
    let sql = format!(
        "{DETAIL} WHERE r.status = 'accepted' AND ($2 OR r.network_id IN \
         (SELECT network_id FROM network_coordinators WHERE user_id = $1)) ORDER BY r.check_in, r.stay_request_id"
    );
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(user).bind(all_networks).fetch_all(&mut *c).await)?)
}

/// How many live requests of the traveller share a night with `range`.
pub async fn overlapping_active(tx: &mut Tx, traveller: UserId, range: DateRange) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM stay_requests WHERE traveller_id = $1 \
                       AND status IN ('requested', 'accepted', 'confirmed') AND check_in < $3 AND check_out > $2";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(traveller)
        .bind(range.check_in())
        .bind(range.check_out())
        .fetch_one(&mut *c)
        .await)?)
}

pub async fn set_suggestion(tx: &mut Tx, id: StayRequestId, range: DateRange) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE stay_requests SET suggested_check_in = $1, suggested_check_out = $2 \
                       WHERE stay_request_id = $3";
    run!(tx, |c| sqlx::query(SQL)
        .bind(range.check_in())
        .bind(range.check_out())
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_trip(tx: &mut Tx, id: StayRequestId, trip: Option<TripId>) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE stay_requests SET trip_id = $1 WHERE stay_request_id = $2";
    run!(tx, |c| sqlx::query(SQL).bind(trip).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// One line of a request's audit trail.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub actor: Option<String>,
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

pub async fn events(tx: &mut Tx, id: StayRequestId) -> Result<Vec<EventRow>, StoreError> {
    const SQL: &str = "SELECT u.display_name AS actor, e.from_status, e.to_status, e.note, e.created_at \
                       FROM stay_request_events e LEFT JOIN users u ON u.user_id = e.actor_id \
                       WHERE e.stay_request_id = $1 ORDER BY e.stay_request_event_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(id).fetch_all(&mut *c).await)?)
}

/// Requests the background task must move on: confirmed ones whose check-out has come (to complete), and
/// requested or accepted ones whose check-in has come (to expire).
pub async fn due(tx: &mut Tx, today: NaiveDate) -> Result<Vec<StayRequestRow>, StoreError> {
    const SQL: &str = "SELECT stay_request_id, offer_id, check_in, check_out, guests, status FROM stay_requests \
                       WHERE (status = 'confirmed' AND check_out <= $1) \
                       OR (status IN ('requested', 'accepted') AND check_in <= $1) ORDER BY stay_request_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(today).fetch_all(&mut *c).await)?)
}

/// A message of a request's thread.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MessageRow {
    pub stay_message_id: crate::domain::StayMessageId,
    pub author_id: Option<UserId>,
    pub hidden: bool,
    pub author: Option<String>,
    pub body: String,
    pub created_at: DateTime<Utc>,
}

pub async fn add_message(tx: &mut Tx, id: StayRequestId, author: UserId, body: &str) -> Result<i64, StoreError> {
    const SQL: &str = "INSERT INTO stay_messages (stay_request_id, author_id, body, created_at) \
                       VALUES ($1, $2, $3, $4) RETURNING stay_message_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(id).bind(author).bind(body).bind(now()).fetch_one(&mut *c).await)?)
}

/// A message's text.
pub async fn message_body(tx: &mut Tx, id: crate::domain::StayMessageId) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT body FROM stay_messages WHERE stay_message_id = $1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Everyone who wrote in a request's thread.
pub async fn message_authors(tx: &mut Tx, id: StayRequestId) -> Result<Vec<UserId>, StoreError> {
    const SQL: &str =
        "SELECT DISTINCT author_id FROM stay_messages WHERE stay_request_id = $1 AND author_id IS NOT NULL";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(id).fetch_all(&mut *c).await)?)
}

pub async fn messages(tx: &mut Tx, id: StayRequestId) -> Result<Vec<MessageRow>, StoreError> {
    const SQL: &str = "SELECT m.stay_message_id, m.author_id, m.hidden_at IS NOT NULL AS hidden, \
                       u.display_name AS author, m.body, m.created_at FROM stay_messages m \
                       LEFT JOIN users u ON u.user_id = m.author_id WHERE m.stay_request_id = $1 \
                       ORDER BY m.stay_message_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(id).fetch_all(&mut *c).await)?)
}

/// The legs of a trip, in travel order.
pub async fn for_trip(tx: &mut Tx, trip: TripId) -> Result<Vec<StayDetailRow>, StoreError> {
    let sql = format!("{DETAIL} WHERE r.trip_id = $1 ORDER BY r.check_in, r.stay_request_id");
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(trip).fetch_all(&mut *c).await)?)
}

/// A trip: (id, traveller, title).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TripRow {
    pub trip_id: TripId,
    pub traveller_id: UserId,
    pub title: String,
}

pub async fn insert_trip(tx: &mut Tx, traveller: UserId, title: &str) -> Result<TripId, StoreError> {
    const SQL: &str = "INSERT INTO trips (traveller_id, title, created_at, updated_at) VALUES ($1, $2, $3, $3) \
                       RETURNING trip_id";
    Ok(TripId(run!(tx, |c| sqlx::query_scalar(SQL).bind(traveller).bind(title).bind(now()).fetch_one(&mut *c).await)?))
}

pub async fn find_trip(tx: &mut Tx, trip: TripId) -> Result<Option<TripRow>, StoreError> {
    const SQL: &str = "SELECT trip_id, traveller_id, title FROM trips WHERE trip_id = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(trip).fetch_optional(&mut *c).await)?)
}

/// A traveller's trip with how many legs it has.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TripListRow {
    pub trip_id: TripId,
    pub title: String,
    pub legs: i64,
}

/// The traveller's trips, newest first, with their leg counts (one query).
pub async fn trips_of(tx: &mut Tx, traveller: UserId) -> Result<Vec<TripListRow>, StoreError> {
    const SQL: &str = "SELECT t.trip_id, t.title, COUNT(r.stay_request_id) AS legs FROM trips t \
                       LEFT JOIN stay_requests r ON r.trip_id = t.trip_id WHERE t.traveller_id = $1 \
                       GROUP BY t.trip_id, t.title ORDER BY t.trip_id DESC";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(traveller).fetch_all(&mut *c).await)?)
}
