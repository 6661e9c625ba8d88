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
