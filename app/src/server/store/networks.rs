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
