//! Nightly capacity of offers. The database guarantees `0 <= reserved <= capacity` on every row; the functions
//! here only ever change `reserved` with a conditional UPDATE, so a lost race can fail but never over-book.

use chrono::NaiveDate;

use crate::domain::{DateRange, OfferId};
use crate::server::{StoreError, Tx, db::run};

use super::now;

/// One night of an offer's calendar.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct NightRow {
    pub night: NaiveDate,
    pub capacity: i32,
    pub reserved: i32,
}

/// Rows per INSERT statement: 5 parameters each stays far below SQLite's and Postgres's parameter limits.
const CHUNK: usize = 500;

/// Sets the capacity of the given nights, creating them as needed (a night an import had blocked becomes the
/// host's own choice). Refused by the database (as
/// [`StoreError::Invariant`]) if a night would drop below what is already reserved; the caller's transaction then
/// rolls back as a whole.
pub async fn set_capacity(tx: &mut Tx, offer: OfferId, nights: &[(NaiveDate, i32)]) -> Result<(), StoreError> {
    let at = now();
    for chunk in nights.chunks(CHUNK) {
        run!(tx, |c, Db| {
            let mut query = sqlx::QueryBuilder::<Db>::new(
                "INSERT INTO calendar_nights (offer_id, night, capacity, reserved, updated_at) ",
            );
            query.push_values(chunk, |mut row, (night, capacity)| {
                row.push_bind(offer).push_bind(*night).push_bind(*capacity).push_bind(0_i32).push_bind(at);
            });
            query.push(
                " ON CONFLICT (offer_id, night) DO UPDATE SET capacity = excluded.capacity, \
                 import_prev_capacity = NULL, updated_at = excluded.updated_at",
            );
            query.build().execute(&mut *c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// Holds `guests` places on every night of `range`, atomically: either every night had room and is now held, or
/// nothing changed and the answer is `false` ("no longer available"). (the booking invariant).
pub async fn hold(tx: &mut Tx, offer: OfferId, range: DateRange, guests: i32) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE calendar_nights SET reserved = reserved + $1, updated_at = $2 \
                       WHERE offer_id = $3 AND night >= $4 AND night < $5 AND reserved + $1 <= capacity";
    let changed = run!(tx, |c| sqlx::query(SQL)
        .bind(guests)
        .bind(now())
        .bind(offer)
        .bind(range.check_in())
        .bind(range.check_out())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    // Fewer rows than nights: some night was missing or full. The caller must roll back what did change.
    Ok(i64::try_from(changed).is_ok_and(|n| n == range.nights()))
}

/// Gives back `guests` places on every night of `range` (a withdrawn, rejected or cancelled stay).
pub async fn release(tx: &mut Tx, offer: OfferId, range: DateRange, guests: i32) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE calendar_nights SET reserved = reserved - $1, updated_at = $2 \
                       WHERE offer_id = $3 AND night >= $4 AND night < $5 AND reserved >= $1";
    let changed = run!(tx, |c| sqlx::query(SQL)
        .bind(guests)
        .bind(now())
        .bind(offer)
        .bind(range.check_in())
        .bind(range.check_out())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(i64::try_from(changed).is_ok_and(|n| n == range.nights()))
}

/// The calendar rows of `offer` within `range`, by night. Nights without a row are not available.
pub async fn nights(tx: &mut Tx, offer: OfferId, range: DateRange) -> Result<Vec<NightRow>, StoreError> {
    const SQL: &str = "SELECT night, capacity, reserved FROM calendar_nights \
                       WHERE offer_id = $1 AND night >= $2 AND night < $3 ORDER BY night";
    Ok(run!(tx, |c| sqlx::query_as(SQL)
        .bind(offer)
        .bind(range.check_in())
        .bind(range.check_out())
        .fetch_all(&mut *c)
        .await)?)
}

/// Gives back the capacity that the previous import took away (re-importing replaces the previous blocks).
pub async fn restore_imported(tx: &mut Tx, offer: OfferId) -> Result<u64, StoreError> {
    const SQL: &str = "UPDATE calendar_nights SET capacity = import_prev_capacity, import_prev_capacity = NULL, \
                       updated_at = $1 WHERE offer_id = $2 AND import_prev_capacity IS NOT NULL";
    Ok(run!(tx, |c| sqlx::query(SQL).bind(now()).bind(offer).execute(&mut *c).await.map(|r| r.rows_affected()))?)
}

/// Blocks `night` for an import: its free places go, what is reserved stays (capacity = reserved), and the old
/// capacity is remembered. Returns whether a row was blocked.
pub async fn block_for_import(tx: &mut Tx, offer: OfferId, night: NaiveDate) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE calendar_nights SET import_prev_capacity = capacity, capacity = reserved, \
                       updated_at = $1 WHERE offer_id = $2 AND night = $3 AND import_prev_capacity IS NULL";
    let n = run!(tx, |c| sqlx::query(SQL)
        .bind(now())
        .bind(offer)
        .bind(night)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// A night with what the host needs to see: whether an import blocked it.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct HostNightRow {
    pub night: NaiveDate,
    pub capacity: i32,
    pub reserved: i32,
    pub import_prev_capacity: Option<i32>,
}

pub async fn host_nights(tx: &mut Tx, offer: OfferId, range: DateRange) -> Result<Vec<HostNightRow>, StoreError> {
    const SQL: &str = "SELECT night, capacity, reserved, import_prev_capacity FROM calendar_nights \
                       WHERE offer_id = $1 AND night >= $2 AND night < $3 ORDER BY night";
    Ok(run!(tx, |c| sqlx::query_as(SQL)
        .bind(offer)
        .bind(range.check_in())
        .bind(range.check_out())
        .fetch_all(&mut *c)
        .await)?)
}
