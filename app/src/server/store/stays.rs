//! Stay requests and their audit trail.

use chrono::NaiveDate;

use crate::domain::{CoopId, DateRange, NetworkId, OfferId, Purpose, StayRequestId, StayStatus, UserId};
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

/// Moves a request from `from` to `to` and records who did it. Fails with `NotFound` if the request is no longer
/// in `from` (someone else acted first).
pub async fn transition(
    tx: &mut Tx,
    id: StayRequestId,
    actor: Option<UserId>,
    from: StayStatus,
    to: StayStatus,
    note: &str,
) -> Result<(), StoreError> {
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
) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO stay_request_events (stay_request_id, actor_id, from_status, to_status, note, \
                       created_at) VALUES ($1, $2, $3, $4, $5, $6)";
    run!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(actor)
        .bind(from.map(StayStatus::as_str))
        .bind(to.as_str())
        .bind(note)
        .bind(now())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
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
