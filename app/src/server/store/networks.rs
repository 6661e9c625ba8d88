//! Networks, their coordinators, and co-op memberships.

use crate::domain::{CoopId, MembershipStatus, NetworkId, UserId};
use crate::server::{StoreError, Tx, db::run};

use super::now;

pub struct NewNetwork<'a> {
    pub slug: &'a str,
    pub name: &'a str,
    pub description: &'a str,
    pub country: Option<&'a str>,
    pub auto_approve_verified: bool,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NetworkRow {
    pub network_id: NetworkId,
    pub slug: String,
    pub name: String,
    pub description: String,
    pub country: Option<String>,
    pub auto_approve_verified: bool,
}

pub async fn insert(tx: &mut Tx, new: &NewNetwork<'_>) -> Result<NetworkId, StoreError> {
    const SQL: &str = "INSERT INTO networks (slug, name, description, country, auto_approve_verified, created_at, \
                       updated_at) VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING network_id";
    let id = run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(new.slug)
        .bind(new.name)
        .bind(new.description)
        .bind(new.country)
        .bind(new.auto_approve_verified)
        .bind(now())
        .fetch_one(&mut *c)
        .await)?;
    Ok(NetworkId(id))
}

pub async fn list(tx: &mut Tx) -> Result<Vec<NetworkRow>, StoreError> {
    const SQL: &str = "SELECT network_id, slug, name, description, country, auto_approve_verified FROM networks \
                       ORDER BY name";
    Ok(run!(tx, |c| sqlx::query_as(SQL).fetch_all(&mut *c).await)?)
}

pub async fn add_coordinator(tx: &mut Tx, network: NetworkId, user: UserId) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO network_coordinators (network_id, user_id, created_at) VALUES ($1, $2, $3)";
    run!(tx, |c| sqlx::query(SQL)
        .bind(network)
        .bind(user)
        .bind(now())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Creates or updates a co-op's membership of a network; `decided_by` is the coordinator who set the status.
pub async fn set_membership(
    tx: &mut Tx,
    network: NetworkId,
    coop: CoopId,
    status: MembershipStatus,
    note: &str,
    decided_by: Option<UserId>,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO network_memberships (network_id, coop_id, status, note, decided_by, decided_at, \
                       created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $7) \
                       ON CONFLICT (network_id, coop_id) DO UPDATE SET status = excluded.status, \
                       note = excluded.note, decided_by = excluded.decided_by, decided_at = excluded.decided_at, \
                       updated_at = excluded.updated_at";
    let at = now();
    let decided_at = decided_by.map(|_| at);
    run!(tx, |c| sqlx::query(SQL)
        .bind(network)
        .bind(coop)
        .bind(status.as_str())
        .bind(note)
        .bind(decided_by)
        .bind(decided_at)
        .bind(at)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find_by_slug(tx: &mut Tx, slug: &str) -> Result<Option<NetworkRow>, StoreError> {
    const SQL: &str = "SELECT network_id, slug, name, description, country, auto_approve_verified FROM networks \
                       WHERE slug = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(slug).fetch_optional(&mut *c).await)?)
}

/// A co-op's membership of a network, as its coordinators see it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipRow {
    pub coop_id: CoopId,
    pub slug: String,
    pub name: String,
    pub country: String,
    pub city: String,
    pub status: String,
    pub note: String,
}

/// Memberships of `network`, pending first, then by co-op name.
pub async fn memberships(tx: &mut Tx, network: NetworkId) -> Result<Vec<MembershipRow>, StoreError> {
    const SQL: &str = "SELECT c.coop_id, c.slug, c.name, c.country, c.city, m.status, m.note \
                       FROM network_memberships m JOIN coops c ON c.coop_id = m.coop_id WHERE m.network_id = $1 \
                       ORDER BY CASE m.status WHEN 'pending' THEN 0 WHEN 'verified' THEN 1 ELSE 2 END, c.name";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(network).fetch_all(&mut *c).await)?)
}

pub async fn membership_status(
    tx: &mut Tx,
    network: NetworkId,
    coop: CoopId,
) -> Result<Option<MembershipStatus>, StoreError> {
    const SQL: &str = "SELECT status FROM network_memberships WHERE network_id = $1 AND coop_id = $2";
    let status: Option<String> =
        run!(tx, |c| sqlx::query_scalar(SQL).bind(network).bind(coop).fetch_optional(&mut *c).await)?;
    status.map(|s| MembershipStatus::parse(&s).map_err(|e| StoreError::Invariant(e.to_string()))).transpose()
}

/// (user id, display name) of the network's coordinators.
pub async fn coordinators(tx: &mut Tx, network: NetworkId) -> Result<Vec<(UserId, String)>, StoreError> {
    const SQL: &str = "SELECT u.user_id, u.display_name FROM network_coordinators nc \
                       JOIN users u ON u.user_id = nc.user_id WHERE nc.network_id = $1 ORDER BY u.display_name";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(network).fetch_all(&mut *c).await)?)
}

pub async fn coordinator_ids(tx: &mut Tx, network: NetworkId) -> Result<Vec<UserId>, StoreError> {
    const SQL: &str = "SELECT user_id FROM network_coordinators WHERE network_id = $1 ORDER BY user_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(network).fetch_all(&mut *c).await)?)
}
