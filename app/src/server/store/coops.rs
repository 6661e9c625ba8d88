//! Co-ops, and the public directory of verified ones.

use chrono::{DateTime, Utc};

use crate::domain::{CoopId, LatLon, UserId};
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
         CASE WHEN c.hidden_at IS NULL THEN c.description ELSE '' END AS description, c.languages \
         FROM coops c WHERE {LISTED} AND ($1 IS NULL OR c.country = $1) \
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

/// Everything about a co-op, exact location included: for its host admins only.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CoopRow {
    pub coop_id: CoopId,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub lat: f64,
    pub lon: f64,
    pub public_lat: f64,
    pub public_lon: f64,
    pub website: String,
    pub description: String,
    pub languages: String,
    /// Chosen by its admins; none: from its place.
    pub time_zone: Option<String>,
    /// A moderator hid its description from everyone but its host admins.
    pub hidden: bool,
}

pub async fn find_by_slug(tx: &mut Tx, slug: &str) -> Result<Option<CoopRow>, StoreError> {
    const SQL: &str = "SELECT coop_id, slug, name, country, city, lat, lon, public_lat, public_lon, website, \
                       description, languages, time_zone, hidden_at IS NOT NULL AS hidden FROM coops WHERE slug = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(slug).fetch_optional(&mut *c).await)?)
}

/// The editable profile. The public location moves only when the exact one does (a fresh fuzz each time would
/// let repeated edits average it out).
pub struct CoopProfile<'a> {
    pub name: &'a str,
    pub country: &'a str,
    pub city: &'a str,
    pub location: LatLon,
    pub public_location: LatLon,
    pub website: &'a str,
    pub description: &'a str,
    pub languages: &'a str,
}

pub async fn update(tx: &mut Tx, coop: CoopId, profile: &CoopProfile<'_>) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE coops SET name = $1, country = $2, city = $3, lat = $4, lon = $5, public_lat = $6, \
                       public_lon = $7, website = $8, description = $9, languages = $10, updated_at = $11 \
                       WHERE coop_id = $12";
    run!(tx, |c| sqlx::query(SQL)
        .bind(profile.name)
        .bind(profile.country)
        .bind(profile.city)
        .bind(profile.location.lat())
        .bind(profile.location.lon())
        .bind(profile.public_location.lat())
        .bind(profile.public_location.lon())
        .bind(profile.website)
        .bind(profile.description)
        .bind(profile.languages)
        .bind(now())
        .bind(coop)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// A member of a co-op, as its host admins see them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberRow {
    pub user_id: UserId,
    pub display_name: String,
    pub email: String,
    pub role: String,
}

pub async fn members(tx: &mut Tx, coop: CoopId) -> Result<Vec<MemberRow>, StoreError> {
    const SQL: &str = "SELECT u.user_id, u.display_name, u.email, m.role FROM coop_members m \
                       JOIN users u ON u.user_id = m.user_id WHERE m.coop_id = $1 ORDER BY m.role DESC, u.display_name";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(coop).fetch_all(&mut *c).await)?)
}

pub async fn set_member_role(tx: &mut Tx, coop: CoopId, user: UserId, role: &str) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE coop_members SET role = $1, updated_at = $2 WHERE coop_id = $3 AND user_id = $4";
    let n = run!(tx, |c| sqlx::query(SQL)
        .bind(role)
        .bind(now())
        .bind(coop)
        .bind(user)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn remove_member(tx: &mut Tx, coop: CoopId, user: UserId) -> Result<bool, StoreError> {
    const SQL: &str = "DELETE FROM coop_members WHERE coop_id = $1 AND user_id = $2";
    let n = run!(tx, |c| sqlx::query(SQL).bind(coop).bind(user).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub async fn count_host_admins(tx: &mut Tx, coop: CoopId) -> Result<i64, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM coop_members WHERE coop_id = $1 AND role = 'host_admin'";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(coop).fetch_one(&mut *c).await)?)
}

/// The co-op's standing in each network: (network slug, network name, status).
pub async fn memberships(tx: &mut Tx, coop: CoopId) -> Result<Vec<(String, String, String)>, StoreError> {
    const SQL: &str = "SELECT n.slug, n.name, m.status FROM network_memberships m \
                       JOIN networks n ON n.network_id = m.network_id WHERE m.coop_id = $1 ORDER BY n.name";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(coop).fetch_all(&mut *c).await)?)
}

/// A single-use invitation; the caller keeps only the token's hash.
pub async fn insert_invite(
    tx: &mut Tx,
    coop: CoopId,
    token_hash: &str,
    role: &str,
    created_by: UserId,
    expires_at: DateTime<Utc>,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO coop_invites (coop_id, token_hash, role, created_by, expires_at, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6)";
    run!(tx, |c| sqlx::query(SQL)
        .bind(coop)
        .bind(token_hash)
        .bind(role)
        .bind(created_by)
        .bind(expires_at)
        .bind(now())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Marks the invitation with this hash used, if it is unused and unexpired; returns its co-op and role.
pub async fn use_invite(
    tx: &mut Tx,
    token_hash: &str,
    user: UserId,
    at: DateTime<Utc>,
) -> Result<Option<(CoopId, String)>, StoreError> {
    const SQL: &str = "UPDATE coop_invites SET used_at = $1, used_by = $2 \
                       WHERE token_hash = $3 AND used_at IS NULL AND expires_at > $1 RETURNING coop_id, role";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(at).bind(user).bind(token_hash).fetch_optional(&mut *c).await)?)
}

/// Invitations not used yet and not expired: (role, expires at).
pub async fn open_invites(
    tx: &mut Tx,
    coop: CoopId,
    at: DateTime<Utc>,
) -> Result<Vec<(String, DateTime<Utc>)>, StoreError> {
    const SQL: &str = "SELECT role, expires_at FROM coop_invites WHERE coop_id = $1 AND used_at IS NULL \
                       AND expires_at > $2 ORDER BY expires_at";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(coop).bind(at).fetch_all(&mut *c).await)?)
}

pub async fn slug_of(tx: &mut Tx, coop: CoopId) -> Result<String, StoreError> {
    const SQL: &str = "SELECT slug FROM coops WHERE coop_id = $1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(coop).fetch_one(&mut *c).await)?)
}

/// Whether `user` is a member of `coop` (in any role).
pub async fn is_member(tx: &mut Tx, coop: CoopId, user: UserId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM coop_members WHERE coop_id = $1 AND user_id = $2";
    let n: i64 = run!(tx, |c| sqlx::query_scalar(SQL).bind(coop).bind(user).fetch_one(&mut *c).await)?;
    Ok(n > 0)
}

/// User ids of the co-op's host admins.
pub async fn host_admin_ids(tx: &mut Tx, coop: CoopId) -> Result<Vec<UserId>, StoreError> {
    const SQL: &str = "SELECT user_id FROM coop_members WHERE coop_id = $1 AND role = 'host_admin' ORDER BY user_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(coop).fetch_all(&mut *c).await)?)
}

/// Networks in which both co-ops are verified, by name: (network id, auto-approve).
pub async fn shared_verified_networks(
    tx: &mut Tx,
    a: CoopId,
    b: CoopId,
) -> Result<Vec<(crate::domain::NetworkId, bool)>, StoreError> {
    const SQL: &str = "SELECT n.network_id, n.auto_approve_verified FROM networks n \
                       JOIN network_memberships ma ON ma.network_id = n.network_id AND ma.coop_id = $1 \
                       JOIN network_memberships mb ON mb.network_id = n.network_id AND mb.coop_id = $2 \
                       WHERE ma.status = 'verified' AND mb.status = 'verified' ORDER BY n.name";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(a).bind(b).fetch_all(&mut *c).await)?)
}

pub async fn find_by_id(tx: &mut Tx, coop: CoopId) -> Result<Option<CoopRow>, StoreError> {
    const SQL: &str = "SELECT coop_id, slug, name, country, city, lat, lon, public_lat, public_lon, website, \
                       description, languages, time_zone, hidden_at IS NOT NULL AS hidden FROM coops WHERE coop_id = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(coop).fetch_optional(&mut *c).await)?)
}

/// Whether the co-op is verified in at least one network (and so public).
pub async fn is_listed(tx: &mut Tx, coop: CoopId) -> Result<bool, StoreError> {
    const SQL: &str = "SELECT COUNT(*) FROM network_memberships WHERE coop_id = $1 AND status = 'verified'";
    let n: i64 = run!(tx, |c| sqlx::query_scalar(SQL).bind(coop).fetch_one(&mut *c).await)?;
    Ok(n > 0)
}

/// A co-op's chosen time zone (none: from its place) and its place: (zone, lat, lon).
pub async fn zone(tx: &mut Tx, coop: CoopId) -> Result<(Option<String>, f64, f64), StoreError> {
    const SQL: &str = "SELECT time_zone, lat, lon FROM coops WHERE coop_id = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(coop).fetch_one(&mut *c).await)?)
}

/// Sets the co-op's time zone (none: from its place).
pub async fn set_time_zone(tx: &mut Tx, coop: CoopId, zone: Option<&str>) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE coops SET time_zone = $1 WHERE coop_id = $2";
    run!(tx, |c| sqlx::query(SQL).bind(zone).bind(coop).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}
