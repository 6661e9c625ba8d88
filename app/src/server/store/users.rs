//! Accounts and co-op membership of people.

use chrono::{DateTime, Utc};

use crate::domain::{CoopId, UserId};
use crate::server::{StoreError, Tx, db::run};

use super::now;

pub struct NewUser<'a> {
    /// Already lower-cased and trimmed by the caller.
    pub email: &'a str,
    pub display_name: &'a str,
    pub password_hash: &'a str,
    pub is_admin: bool,
    pub locale: &'a str,
}

/// A user as stored. Holds the password hash, so it is never serialised.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub user_id: UserId,
    pub email: String,
    pub display_name: String,
    pub password_hash: String,
    pub is_admin: bool,
    pub locale: String,
    /// When the owner confirmed the address; `None`: a sign-up waiting for its link, not usable yet.
    pub email_verified_at: Option<DateTime<Utc>>,
    /// Part of every session's check: a new one ends the account's other sessions.
    pub session_key: String,
    /// Since when a moderator suspended the account, and until when (`None`: for good).
    pub suspended_at: Option<DateTime<Utc>>,
    pub suspended_until: Option<DateTime<Utc>>,
}

impl UserRow {
    /// Whether the account is suspended at `now`.
    pub fn is_suspended(&self, now: DateTime<Utc>) -> bool {
        suspended(self.suspended_at, self.suspended_until, now)
    }
}

/// Whether an account suspended at `at` (if ever) until `until` (`None`: for good) is suspended at `now`.
pub fn suspended(at: Option<DateTime<Utc>>, until: Option<DateTime<Utc>>, now: DateTime<Utc>) -> bool {
    at.is_some() && until.is_none_or(|until| until > now)
}

pub async fn insert(tx: &mut Tx, new: &NewUser<'_>) -> Result<UserId, StoreError> {
    const SQL: &str = "INSERT INTO users (email, display_name, password_hash, is_admin, locale, created_at, \
                       updated_at, email_verified_at) VALUES ($1, $2, $3, $4, $5, $6, $6, $6) RETURNING user_id";
    let id = run!(tx, |c| sqlx::query_scalar(SQL)
        .bind(new.email)
        .bind(new.display_name)
        .bind(new.password_hash)
        .bind(new.is_admin)
        .bind(new.locale)
        .bind(now())
        .fetch_one(&mut *c)
        .await)?;
    Ok(UserId(id))
}

pub async fn find_by_email(tx: &mut Tx, email: &str) -> Result<Option<UserRow>, StoreError> {
    const SQL: &str = "SELECT user_id, email, display_name, password_hash, is_admin, locale, email_verified_at, \
                       session_key, suspended_at, suspended_until FROM users \
                       WHERE email = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(email).fetch_optional(&mut *c).await)?)
}

/// E-mail and password hash of every account whose address ends in `@domain`.
pub async fn logins_in_domain(tx: &mut Tx, domain: &str) -> Result<Vec<(String, String)>, StoreError> {
    const SQL: &str = "SELECT email, password_hash FROM users WHERE email LIKE $1 ORDER BY email";
    let pattern = format!("%@{domain}");
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(pattern).fetch_all(&mut *c).await)?)
}

/// Makes `user` a member of `coop` with `role` (`member` or `host_admin`).
pub async fn add_to_coop(tx: &mut Tx, coop: CoopId, user: UserId, role: &str) -> Result<(), StoreError> {
    const SQL: &str =
        "INSERT INTO coop_members (coop_id, user_id, role, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)";
    run!(tx, |c| sqlx::query(SQL)
        .bind(coop)
        .bind(user)
        .bind(role)
        .bind(now())
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn find_by_id(tx: &mut Tx, id: UserId) -> Result<Option<UserRow>, StoreError> {
    const SQL: &str = "SELECT user_id, email, display_name, password_hash, is_admin, locale, email_verified_at, \
                       session_key, suspended_at, suspended_until FROM users \
                       WHERE user_id = $1";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(id).fetch_optional(&mut *c).await)?)
}

/// Holds `user`'s row until the transaction ends, so that a person's concurrent requests run one after another
/// where they must (checking for overlapping stays, then inserting one). PostgreSQL: a row lock (`FOR UPDATE`);
/// SQLite needs none, as its write transactions already run one at a time (`BEGIN IMMEDIATE`).
pub async fn lock(tx: &mut Tx, user: UserId) -> Result<(), StoreError> {
    if let Tx::Postgres(c) = tx {
        sqlx::query("SELECT user_id FROM users WHERE user_id = $1 FOR UPDATE")
            .bind(user)
            .fetch_optional(&mut **c)
            .await?;
    }
    Ok(())
}

/// A sign-up not confirmed yet: its name and password are the latest typed, and it waits for its link (an account
/// becomes usable only through the address it names, so whoever typed it first holds nothing).
pub async fn set_pending_sign_up(tx: &mut Tx, id: UserId, display_name: &str, hash: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET display_name = $1, password_hash = $2, email_verified_at = NULL, \
                       updated_at = $3 WHERE user_id = $4";
    run!(tx, |c| sqlx::query(SQL)
        .bind(display_name)
        .bind(hash)
        .bind(now())
        .bind(id)
        .execute(&mut *c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The owner opened the confirmation link.
/// When the account was made (the demo's members joined long ago).
pub async fn set_created_at(tx: &mut Tx, id: UserId, at: DateTime<Utc>) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET created_at = $1 WHERE user_id = $2";
    run!(tx, |c| sqlx::query(SQL).bind(at).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn mark_verified(tx: &mut Tx, id: UserId) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET email_verified_at = $1, updated_at = $1 WHERE user_id = $2";
    run!(tx, |c| sqlx::query(SQL).bind(now()).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// Makes the account a site administrator.
pub async fn make_admin(tx: &mut Tx, id: UserId) -> Result<(), StoreError> {
    let admin = true;
    const SQL: &str = "UPDATE users SET is_admin = $1, updated_at = $2 WHERE user_id = $3";
    run!(tx, |c| sqlx::query(SQL).bind(admin).bind(now()).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_password_hash(tx: &mut Tx, id: UserId, hash: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET password_hash = $1, updated_at = $2 WHERE user_id = $3";
    run!(tx, |c| sqlx::query(SQL).bind(hash).bind(now()).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The language the person reads in (`en`, `es`, `pt`).
pub async fn set_locale(tx: &mut Tx, id: UserId, locale: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET locale = $1 WHERE user_id = $2";
    run!(tx, |c| sqlx::query(SQL).bind(locale).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// The person's time zone (an IANA name), as their browser reported it.
pub async fn set_time_zone(tx: &mut Tx, id: UserId, zone: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET time_zone = $1 WHERE user_id = $2 AND time_zone IS DISTINCT FROM $1";
    run!(tx, |c| sqlx::query(SQL).bind(zone).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A new session key: every session of the account made before ends on its next request.
pub async fn set_session_key(tx: &mut Tx, id: UserId, key: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET session_key = $1, updated_at = $2 WHERE user_id = $3";
    run!(tx, |c| sqlx::query(SQL).bind(key).bind(now()).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A new address for the account (already lower-cased and checked); `StoreError::Conflict` when another account
/// has it.
pub async fn set_email(tx: &mut Tx, id: UserId, email: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET email = $1, email_verified_at = $2, updated_at = $2 WHERE user_id = $3";
    run!(tx, |c| sqlx::query(SQL).bind(email).bind(now()).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

/// A co-op the user belongs to, with their role.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MembershipOfUser {
    pub coop_id: CoopId,
    pub slug: String,
    pub name: String,
    pub role: String,
}

pub async fn coops_of(tx: &mut Tx, id: UserId) -> Result<Vec<MembershipOfUser>, StoreError> {
    const SQL: &str = "SELECT c.coop_id, c.slug, c.name, m.role FROM coop_members m \
                       JOIN coops c ON c.coop_id = m.coop_id WHERE m.user_id = $1 ORDER BY c.name";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(id).fetch_all(&mut *c).await)?)
}

/// What the page header needs to know about a logged-in user, in one query: unread notifications, whether they
/// host (a host admin of some co-op) and whether they coordinate some network.
pub async fn header_facts(tx: &mut Tx, id: UserId) -> Result<(i64, bool, bool), StoreError> {
    const SQL: &str = "SELECT \
         (SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND in_app AND read_at IS NULL), \
         EXISTS (SELECT 1 FROM coop_members WHERE user_id = $1 AND role = 'host_admin'), \
         EXISTS (SELECT 1 FROM network_coordinators WHERE user_id = $1)";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(id).fetch_one(&mut *c).await)?)
}

/// (slug, name) of the networks the user coordinates.
pub async fn networks_coordinated_by(tx: &mut Tx, id: UserId) -> Result<Vec<(String, String)>, StoreError> {
    const SQL: &str = "SELECT n.slug, n.name FROM network_coordinators nc \
                       JOIN networks n ON n.network_id = nc.network_id WHERE nc.user_id = $1 ORDER BY n.name";
    Ok(run!(tx, |c| sqlx::query_as(SQL).bind(id).fetch_all(&mut *c).await)?)
}

pub async fn set_ical_token(tx: &mut Tx, id: UserId, token: &str) -> Result<(), StoreError> {
    const SQL: &str = "UPDATE users SET ical_token = $1 WHERE user_id = $2";
    run!(tx, |c| sqlx::query(SQL).bind(token).bind(id).execute(&mut *c).await.map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn ical_token(tx: &mut Tx, id: UserId) -> Result<Option<String>, StoreError> {
    const SQL: &str = "SELECT ical_token FROM users WHERE user_id = $1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(id).fetch_one(&mut *c).await)?)
}

/// Feed secrets stored before they were hashed (without the service's hash prefix).
pub async fn ical_tokens_in_clear(tx: &mut Tx, hashed_prefix: &str) -> Result<Vec<(UserId, String)>, StoreError> {
    const SQL: &str = "SELECT user_id, ical_token FROM users WHERE ical_token IS NOT NULL AND ical_token NOT LIKE $1";
    let rows: Vec<(i64, String)> =
        run!(tx, |c| sqlx::query_as(SQL).bind(format!("{hashed_prefix}%")).fetch_all(&mut *c).await)?;
    Ok(rows.into_iter().map(|(id, token)| (UserId(id), token)).collect())
}

pub async fn find_by_ical_token(tx: &mut Tx, token: &str) -> Result<Option<UserId>, StoreError> {
    const SQL: &str = "SELECT user_id FROM users WHERE ical_token = $1";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).bind(token).fetch_optional(&mut *c).await)?.map(UserId))
}

/// The site's administrators (not deleted).
pub async fn admin_ids(tx: &mut Tx) -> Result<Vec<UserId>, StoreError> {
    const SQL: &str = "SELECT user_id FROM users WHERE is_admin AND deleted_at IS NULL ORDER BY user_id";
    Ok(run!(tx, |c| sqlx::query_scalar(SQL).fetch_all(&mut *c).await)?)
}
