//! The audit trail: who decided what about a network, a co-op or a person, and why.

use chrono::{DateTime, Utc};

use crate::domain::{CoopId, NetworkId, UserId};
use crate::server::{StoreError, Tx, db::run};

use super::now;

/// What an event is about; unset ids are NULL.
#[derive(Debug, Default, Clone, Copy)]
pub struct Subject {
    pub network: Option<NetworkId>,
    pub coop: Option<CoopId>,
    pub user: Option<UserId>,
}

pub async fn record(
    tx: &mut Tx,
    actor: Option<UserId>,
    action: &str,
    subject: Subject,
    note: &str,
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO audit_events (actor_id, action, network_id, coop_id, subject_id, note, \
                       created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)";
    run!(tx, |c| sqlx::query(SQL)
        .bind(actor)
        .bind(action)
        .bind(subject.network)
        .bind(subject.coop)
        .bind(subject.user)
        .bind(note)
        .bind(now())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// One line of the trail, with names resolved.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub action: String,
    pub actor: Option<String>,
    pub coop: Option<String>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// The latest events of a network, newest first.
pub async fn for_network(tx: &mut Tx, network: NetworkId, limit: i64) -> Result<Vec<AuditRow>, StoreError> {
    const SQL: &str = "SELECT a.action, u.display_name AS actor, c.name AS coop, a.note, a.created_at \
                       FROM audit_events a LEFT JOIN users u ON u.user_id = a.actor_id \
                       LEFT JOIN coops c ON c.coop_id = a.coop_id WHERE a.network_id = $1 \
                       ORDER BY a.created_at DESC, a.audit_event_id DESC LIMIT $2";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(network).bind(limit).fetch_all(&mut *c).await)?)
}
