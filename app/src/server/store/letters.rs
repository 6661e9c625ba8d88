//! Invitation letters: what each one says as it was issued, and whether its stay still stands.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{StayRequestId, UserId};
use crate::server::{StoreError, Tx, db::run};

/// A letter as it was issued, with the present state of its stay.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LetterRow {
    pub token: String,
    pub stay_request_id: StayRequestId,
    pub language: String,
    pub issued_at: DateTime<Utc>,
    pub traveller_name: String,
    pub traveller_coop: String,
    pub host_coop: String,
    pub host_city: String,
    pub host_country: String,
    pub network_name: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub purpose: String,
    pub address: String,
    pub signer_name: String,
    pub revoked_at: Option<DateTime<Utc>>,
    pub revoked_note: String,
    /// The stay's status now (a cancelled stay's letter is no longer valid).
    pub stay_status: String,
}

const SELECT: &str = "SELECT l.token, l.stay_request_id, l.language, l.issued_at, l.traveller_name, \
    l.traveller_coop, l.host_coop, l.host_city, l.host_country, l.network_name, l.check_in, l.check_out, l.purpose, \
    l.address, l.signer_name, l.revoked_at, l.revoked_note, s.status AS stay_status \
    FROM invitation_letters l JOIN stay_requests s ON s.stay_request_id = l.stay_request_id";

/// What a new letter says.
pub struct NewLetter<'a> {
    pub token: &'a str,
    pub stay: StayRequestId,
    pub language: &'a str,
    pub issued_by: UserId,
    pub issued_at: DateTime<Utc>,
    pub traveller_name: &'a str,
    pub traveller_coop: &'a str,
    pub host_coop: &'a str,
    pub host_city: &'a str,
    pub host_country: &'a str,
    pub network_name: &'a str,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub purpose: &'a str,
    pub address: &'a str,
    pub signer_name: &'a str,
}

/// Issues a letter. A second one in force for the same stay and language is a `Conflict`; one for a stay that is
/// not confirmed, an `Invariant` (the trigger).
pub async fn insert(tx: &mut Tx, new: &NewLetter<'_>) -> Result<(), StoreError> {
    const SQL: &str = "INSERT INTO invitation_letters (token, stay_request_id, language, issued_by, issued_at, \
        traveller_name, traveller_coop, host_coop, host_city, host_country, network_name, check_in, check_out, \
        purpose, address, signer_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)";
    run!(tx, |c| sqlx::query(SQL)
        .bind(new.token)
        .bind(new.stay)
        .bind(new.language)
        .bind(new.issued_by)
        .bind(new.issued_at)
        .bind(new.traveller_name)
        .bind(new.traveller_coop)
        .bind(new.host_coop)
        .bind(new.host_city)
        .bind(new.host_country)
        .bind(new.network_name)
        .bind(new.check_in)
        .bind(new.check_out)
        .bind(new.purpose)
        .bind(new.address)
        .bind(new.signer_name)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn by_token(tx: &mut Tx, token: &str) -> Result<Option<LetterRow>, StoreError> {
    let sql = format!("{SELECT} WHERE l.token = $1");
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(token).fetch_optional(&mut *c).await)?)
}

/// A stay's letters, those in force first, then the newest.
pub async fn of_stay(tx: &mut Tx, stay: StayRequestId) -> Result<Vec<LetterRow>, StoreError> {
    let sql = format!(
        "{SELECT} WHERE l.stay_request_id = $1 \
         ORDER BY CASE WHEN l.revoked_at IS NULL THEN 0 ELSE 1 END, l.issued_at DESC, l.letter_id DESC"
    );
    Ok(run!(tx, |c| sqlx::query_as(&sql).bind(stay).fetch_all(&mut *c).await)?)
}

/// Withdraws a letter in force; false when it was withdrawn already.
pub async fn revoke(tx: &mut Tx, token: &str, at: DateTime<Utc>, note: &str) -> Result<bool, StoreError> {
    const SQL: &str = "UPDATE invitation_letters SET revoked_at = $2, revoked_note = $3 \
                       WHERE token = $1 AND revoked_at IS NULL";
    let changed = run!(tx, |c| sqlx::query(SQL)
        .bind(token)
        .bind(at)
        .bind(note)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(changed == 1)
}
