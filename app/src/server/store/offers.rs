//! Offers of co-ops.

use crate::domain::{CoopId, LatLon, OfferId, OfferKind, OfferStatus};
use crate::server::{StoreError, Tx, db::run};

use super::now;

pub struct NewOffer<'a> {
    pub coop: CoopId,
    pub kind: OfferKind,
    pub title: &'a str,
    pub description: &'a str,
    pub default_capacity: i32,
    pub min_nights: i32,
    pub max_nights: i32,
    pub notice_days: i32,
    pub languages: &'a str,
    pub amenities: &'a str,
    pub accessibility: &'a str,
    pub house_rules: &'a str,
    pub skills_wanted: &'a str,
    pub address: &'a str,
    pub public_location: LatLon,
    pub status: OfferStatus,
}

/// What travellers may see of an offer: everything but the exact address.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicOfferRow {
    pub offer_id: OfferId,
    pub coop_id: CoopId,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub default_capacity: i32,
    pub min_nights: i32,
    pub max_nights: i32,
    pub notice_days: i32,
    pub languages: String,
}

pub async fn insert(tx: &mut Tx, new: &NewOffer<'_>) -> Result<OfferId, StoreError> {
    const SQL: &str = "INSERT INTO offers (coop_id, kind, title, description, default_capacity, min_nights, \
                       max_nights, notice_days, languages, amenities, accessibility, house_rules, skills_wanted, \
                       address, public_lat, public_lon, status, created_at, updated_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18) \
                       RETURNING offer_id";
    let id = run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(new.coop)
        .bind(new.kind.as_str())
        .bind(new.title)
        .bind(new.description)
        .bind(new.default_capacity)
        .bind(new.min_nights)
        .bind(new.max_nights)
        .bind(new.notice_days)
        .bind(new.languages)
        .bind(new.amenities)
        .bind(new.accessibility)
        .bind(new.house_rules)
        .bind(new.skills_wanted)
        .bind(new.address)
        .bind(new.public_location.lat())
        .bind(new.public_location.lon())
        .bind(new.status.as_str())
        .bind(now())
        .fetch_one(&mut *c)
        .await)?;
    Ok(OfferId(id))
}

/// Published offers of listed co-ops (see `coops::list_listed`), optionally of one country, in one query.
pub async fn list_published_of_listed(tx: &mut Tx, country: Option<&str>) -> Result<Vec<PublicOfferRow>, StoreError> {
    const SQL: &str = "SELECT o.offer_id, o.coop_id, o.kind, o.title, o.description, o.default_capacity, \
                       o.min_nights, o.max_nights, o.notice_days, o.languages \
                       FROM offers o JOIN coops c ON c.coop_id = o.coop_id \
                       WHERE o.status = 'published' AND ($1 IS NULL OR c.country = $1) \
                       AND EXISTS (SELECT 1 FROM network_memberships m \
                                   WHERE m.coop_id = c.coop_id AND m.status = 'verified') \
                       ORDER BY o.coop_id, o.kind, o.offer_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(country).fetch_all(&mut *c).await)?)
}

/// The rules of an offer that a stay request is checked against.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct OfferRulesRow {
    pub offer_id: OfferId,
    pub coop_id: CoopId,
    pub title: String,
    pub kind: String,
    pub description: String,
    pub default_capacity: i32,
    pub min_nights: i32,
    pub max_nights: i32,
    pub notice_days: i32,
    pub languages: String,
    pub amenities: String,
    pub accessibility: String,
    pub house_rules: String,
    pub skills_wanted: String,
    pub public_lat: f64,
    pub public_lon: f64,
    pub status: String,
}

pub async fn find(tx: &mut Tx, offer: OfferId) -> Result<Option<OfferRulesRow>, StoreError> {
    const SQL: &str = "SELECT offer_id, coop_id, title, kind, description, default_capacity, min_nights, max_nights, \
                       notice_days, languages, amenities, accessibility, house_rules, skills_wanted, public_lat, \
                       public_lon, status FROM offers WHERE offer_id = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(offer).fetch_optional(&mut *c).await)?)
}

/// The editable fields of an offer.
pub struct OfferFields<'a> {
    pub kind: OfferKind,
    pub title: &'a str,
    pub description: &'a str,
    pub default_capacity: i32,
    pub min_nights: i32,
    pub max_nights: i32,
    pub notice_days: i32,
    pub languages: &'a str,
    pub amenities: &'a str,
    pub accessibility: &'a str,
    pub house_rules: &'a str,
    pub skills_wanted: &'a str,
    pub address: &'a str,
}

pub async fn update(tx: &mut Tx, offer: OfferId, fields: &OfferFields<'_>) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE offers SET kind = $1, title = $2, description = $3, default_capacity = $4, \
                       min_nights = $5, max_nights = $6, notice_days = $7, languages = $8, amenities = $9, \
                       accessibility = $10, house_rules = $11, skills_wanted = $12, address = $13, updated_at = $14 \
                       WHERE offer_id = $15";
    run!(tx, |c| sqlx::query(SQL)
        .bind(fields.kind.as_str())
        .bind(fields.title)
        .bind(fields.description)
        .bind(fields.default_capacity)
        .bind(fields.min_nights)
        .bind(fields.max_nights)
        .bind(fields.notice_days)
        .bind(fields.languages)
        .bind(fields.amenities)
        .bind(fields.accessibility)
        .bind(fields.house_rules)
        .bind(fields.skills_wanted)
        .bind(fields.address)
        .bind(now())
        .bind(offer)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_status(tx: &mut Tx, offer: OfferId, status: OfferStatus) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE offers SET status = $1, updated_at = $2 WHERE offer_id = $3";
    run!(tx, |c| sqlx::query(SQL)
        .bind(status.as_str())
        .bind(now())
        .bind(offer)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn delete(tx: &mut Tx, offer: OfferId) -> Result<(), StoreError> {
    const SQL: &str = "DELETE FROM offers WHERE offer_id = $1";
    run!(tx, |c| sqlx::query(SQL).bind(offer).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Requests on the offer that are still alive (requested, accepted or confirmed).
pub async fn active_requests(tx: &mut Tx, offer: OfferId) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM stay_requests WHERE offer_id = $1 \
                       AND status IN ('requested', 'accepted', 'confirmed')";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(offer).fetch_one(&mut *c).await)?)
}

/// Every offer of a co-op, drafts included, for its host admins: (id, kind, title, status, capacity).
pub async fn of_coop(tx: &mut Tx, coop: CoopId) -> Result<Vec<(OfferId, String, String, String, i32)>, StoreError> {
    const SQL: &str = "SELECT offer_id, kind, title, status, default_capacity FROM offers WHERE coop_id = $1 \
                       ORDER BY title, offer_id";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(coop).fetch_all(&mut *c).await)?)
}

pub async fn address(tx: &mut Tx, offer: OfferId) -> Result<String, StoreError> {
    const SQL: &str = "SELECT address FROM offers WHERE offer_id = $1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(offer).fetch_one(&mut *c).await)?)
}

/// Stores the feed secret in the form the service gives (a hash, never the token itself).
pub async fn set_ical_token(tx: &mut Tx, offer: OfferId, token: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE offers SET ical_token = $1 WHERE offer_id = $2";
    run!(tx, |c| sqlx::query(SQL).bind(token).bind(offer).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn ical_token(tx: &mut Tx, offer: OfferId) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT ical_token FROM offers WHERE offer_id = $1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(offer).fetch_one(&mut *c).await)?)
}

/// Feed secrets stored before they were hashed (without the service's hash prefix).
pub async fn ical_tokens_in_clear(tx: &mut Tx, hashed_prefix: &str) -> Result<Vec<(OfferId, String)>, StoreError> {
    const SQL: &str = "SELECT offer_id, ical_token FROM offers WHERE ical_token IS NOT NULL AND ical_token NOT LIKE $1";
    let rows: Vec<(i64, String)> =
        run!(tx, |c| sqlx::query_as(SQL).bind(format!("{hashed_prefix}%")).fetch_all(&mut *c).await)?;
    Ok(rows.into_iter().map(|(id, token)| (OfferId(id), token)).collect())
}

pub async fn find_by_ical_token(tx: &mut Tx, token: &str) -> Result<Option<OfferId>, StoreError> {
    const SQL: &str = "SELECT offer_id FROM offers WHERE ical_token = $1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(token).fetch_optional(&mut *c).await)?.map(OfferId))
}

pub async fn record_import(tx: &mut Tx, offer: OfferId, events: i32) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE offers SET imported_at = $1, imported_events = $2 WHERE offer_id = $3";
    run!(tx, |c| sqlx::query(SQL)
        .bind(now())
        .bind(events)
        .bind(offer)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn last_import(
    tx: &mut Tx,
    offer: OfferId,
) -> Result<Option<(chrono::DateTime<chrono::Utc>, i32)>, StoreError> {
    const SQL: &str = "SELECT imported_at, imported_events FROM offers WHERE offer_id = $1";
    let row: (Option<chrono::DateTime<chrono::Utc>>, i32) =
        run!(tx, |c| sqlx::query_as(SQL).bind(offer).fetch_one(&mut *c).await)?;
    Ok(row.0.map(|at| (at, row.1)))
}

/// Confirmed and completed stays on the offer overlapping [from, until), for the feed: (id, coop name, guests,
/// check-in, check-out).
pub async fn booked_stays(
    tx: &mut Tx,
    offer: OfferId,
    from: chrono::NaiveDate,
    until: chrono::NaiveDate,
) -> Result<Vec<(i64, String, i32, chrono::NaiveDate, chrono::NaiveDate)>, StoreError> {
    const SQL: &str = "SELECT r.stay_request_id, c.name, r.guests, r.check_in, r.check_out FROM stay_requests r \
                       JOIN coops c ON c.coop_id = r.traveller_coop_id WHERE r.offer_id = $1 \
                       AND r.status IN ('confirmed', 'completed') AND r.check_out > $2 AND r.check_in < $3 \
                       ORDER BY r.check_in";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(offer).bind(from).bind(until).fetch_all(&mut *c).await)?)
}

/// Puts every offer of `coop` at the co-op's public point (offers are at the co-op's address).
pub async fn set_public_location_of_coop(tx: &mut Tx, coop: CoopId, public: LatLon) -> Result<u64, StoreError> {
    const SQL: &str = "UPDATE offers SET public_lat = $1, public_lon = $2, updated_at = $3 WHERE coop_id = $4";
    Ok(run!(tx, |c| sqlx::query(SQL)
        .bind(public.lat())
        .bind(public.lon())
        .bind(now())
        .bind(coop)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?)
}
