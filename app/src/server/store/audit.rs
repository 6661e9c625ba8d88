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

/// A line of the whole trail, with every name resolved.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEntry {
    pub action: String,
    pub actor: Option<String>,
    pub subject: Option<String>,
    pub coop: Option<String>,
    pub network: Option<String>,
    pub note: String,
    pub created_at: DateTime<Utc>,
}

/// The latest `limit` events, newest first, whose action, note or names hold `query` (any case; every event when
/// it is empty).
pub async fn search(tx: &mut Tx, query: &str, limit: i64) -> Result<Vec<AuditEntry>, StoreError> {
    const SQL: &str = "SELECT a.action, u.display_name AS actor, s.display_name AS subject, c.name AS coop, \
                       n.name AS network, a.note, a.created_at FROM audit_events a \
                       LEFT JOIN users u ON u.user_id = a.actor_id LEFT JOIN users s ON s.user_id = a.subject_id \
                       LEFT JOIN coops c ON c.coop_id = a.coop_id LEFT JOIN networks n ON n.network_id = a.network_id \
                       WHERE $1 = '' OR LOWER(a.action) LIKE $2 ESCAPE '\\' OR LOWER(a.note) LIKE $2 ESCAPE '\\' \
                       OR LOWER(COALESCE(u.display_name, '')) LIKE $2 ESCAPE '\\' \
                       OR LOWER(COALESCE(s.display_name, '')) LIKE $2 ESCAPE '\\' \
                       OR LOWER(COALESCE(c.name, '')) LIKE $2 ESCAPE '\\' \
                       OR LOWER(COALESCE(n.name, '')) LIKE $2 ESCAPE '\\' \
                       ORDER BY a.created_at DESC, a.audit_event_id DESC LIMIT $3";
    let query = query.trim().to_lowercase();
    let escaped: String =
        query.chars().flat_map(|c| if matches!(c, '%' | '_' | '\\') { vec!['\\', c] } else { vec![c] }).collect();
    let pattern = format!("%{escaped}%");
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(&query).bind(&pattern).bind(limit).fetch_all(&mut *c).await)?)
}
