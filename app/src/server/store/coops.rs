//! Co-ops, and the public directory of verified ones.

use crate::domain::{CoopId, LatLon};
use crate::server::{StoreError, Tx, db::run};

use super::now;

pub struct NewCoop<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub country: &'a str,
    pub city: &'a str,
    pub location: LatLon,
    pub public_location: LatLon,
    pub website: &'a str,
    pub description: &'a str,
    pub languages: &'a str,
}

/// What anyone may see of a co-op: the public (fuzzed) location, never the exact one.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicCoopRow {
    pub coop_id: CoopId,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub public_lat: f64,
    pub public_lon: f64,
    pub website: String,
    pub description: String,
    pub languages: String,
}

pub async fn insert(tx: &mut Tx, new: &NewCoop<'_>) -> Result<CoopId, StoreError> {
    const SQL: &str = "INSERT INTO coops (slug, name, country, city, lat, lon, public_lat, public_lon, website, \
                       description, languages, created_at, updated_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $12) RETURNING coop_id";
    let id = run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(new.slug)
        .bind(new.name)
        .bind(new.country)
        .bind(new.city)
        .bind(new.location.lat())
        .bind(new.location.lon())
        .bind(new.public_location.lat())
        .bind(new.public_location.lon())
        .bind(new.website)
        .bind(new.description)
        .bind(new.languages)
        .bind(now())
        .fetch_one(&mut *c)
        .await)?;
    Ok(CoopId(id))
}

/// A co-op appears in the public directory once a coordinator of at least one network has verified it.
const LISTED: &str =
    "EXISTS (SELECT 1 FROM network_memberships m WHERE m.coop_id = c.coop_id AND m.status = 'verified')";

/// Listed co-ops, optionally of one country, by name.
pub async fn list_listed(tx: &mut Tx, country: Option<&str>) -> Result<Vec<PublicCoopRow>, StoreError> {
    let sql = format!(
        "SELECT c.coop_id, c.slug, c.name, c.country, c.city, c.public_lat, c.public_lon, c.website, \
         c.description, c.languages FROM coops c WHERE {LISTED} AND ($1 IS NULL OR c.country = $1) \
         ORDER BY c.name, c.coop_id"
    );
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(country).fetch_all(&mut *c).await)?)
}

/// Countries that have at least one listed co-op, with how many.
pub async fn listed_countries(tx: &mut Tx) -> Result<Vec<(String, i64)>, StoreError> {
    let sql = format!("SELECT c.country, COUNT(*) FROM coops c WHERE {LISTED} GROUP BY c.country ORDER BY c.country");
    Ok(run!(tx, |c| sqlx::query_as(&sql).fetch_all(&mut *c).await)?)
}

pub async fn find_id_by_slug(tx: &mut Tx, slug: &str) -> Result<CoopId, StoreError> {
    const SQL: &str = "SELECT coop_id FROM coops WHERE slug = $1";
    Ok(CoopId(run!(tx, |c| sqlx::query_scalar(SQL).bind(slug).fetch_one(&mut *c).await)?))
}
