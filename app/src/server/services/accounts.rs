//! Sign-up, log-in (with a per-account failure counter), password changes, and the account overview.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{DateTime, Utc};

use crate::api::auth::{AccountView, CoopRoleView, CurrentUser, NetworkLink};
use crate::domain::DomainError;
use crate::domain::account::{Email, display_name, password_length};
use crate::server::auth::SessionUser;
use crate::server::services::throttle;
use crate::server::store::users;
use crate::server::{Db, ServiceError, StoreError, password};

/// The 10,000 most common passwords of 8+ characters (SecLists, MIT), lower-cased.
static COMMON_PASSWORDS: LazyLock<HashSet<String>> =
    LazyLock::new(|| include_str!("../../../data/common-passwords.txt").lines().map(str::to_lowercase).collect());

/// Length bounds, then the common-password list.
pub fn check_new_password(password: &str) -> Result<(), DomainError> {
    password_length(password)?;
    if COMMON_PASSWORDS.contains(&password.to_lowercase()) {
        return Err(DomainError::PasswordTooCommon);
    }
    Ok(())
}

/// Creates an account; the caller logs it in.
pub async fn sign_up(db: &Db, email: &str, name: &str, password: &str) -> Result<SessionUser, ServiceError> {
    let email = Email::parse(email)?;
    // The sender's own parser too: an address it would refuse must not become an account.
    if !crate::server::email::deliverable(email.as_str()) {
        return Err(DomainError::InvalidEmail.into());
    }
    let name = display_name(name)?;
    check_new_password(password)?;
    let hash = password::hash(password.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    let new = users::NewUser {
        email: email.as_str(),
        display_name: &name,
        password_hash: &hash,
        is_admin: false,
        locale: "en",
    };
    let id = match users::insert(&mut tx, &new).await {
        Ok(id) => id,
        Err(StoreError::Conflict(_)) => {
            return Err(ServiceError::Conflict("an account with this e-mail address already exists".into()));
        }
        Err(other) => return Err(other.into()),
    };
    let user = users::find_by_id(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    tracing::info!(user_id = %id, "account created");
    Ok(SessionUser::from(user))
}

/// A hash to verify against when the account does not exist, so both cases do the same work. Made once, by the
/// same code and parameters as real hashes, so it costs exactly what they cost.
async fn dummy_hash() -> Result<String, ServiceError> {
    static DUMMY: tokio::sync::OnceCell<String> = tokio::sync::OnceCell::const_new();
    DUMMY.get_or_try_init(|| password::hash("no account has this password".to_owned())).await.cloned()
}

/// Checks e-mail and password. A wrong pair is `Unauthorized` (never saying which part was wrong), and the
/// address is throttled whether or not an account has it (`services::throttle`), so neither the answer nor the work
/// done tells which accounts exist: both paths read the same rows, verify one Argon2 hash and write one counter.
pub async fn log_in(db: &Db, email: &str, password: &str, now: DateTime<Utc>) -> Result<SessionUser, ServiceError> {
    let subject = throttle::login_subject(email);
    let email = Email::parse(email).map(|e| e.as_str().to_owned()).unwrap_or_default();
    let mut tx = db.begin_read().await?;
    let waiting = throttle::check(&mut tx, &subject, now).await;
    let found = users::find_by_email(&mut tx, &email).await?;
    tx.commit().await?;
    if let Err(refused) = waiting {
        tracing::warn!(outcome = "throttled", "log-in refused");
        return Err(refused);
    }

    let phc = match &found {
        Some(user) => user.password_hash.clone(),
        None => dummy_hash().await?,
    };
    let matches = password::verify(password.to_owned(), phc).await?;
    let mut tx = db.begin_write().await?;
    match found {
        Some(user) if matches => {
            throttle::clear(&mut tx, &subject).await?;
            tx.commit().await?;
            tracing::info!(user_id = %user.user_id, outcome = "success", "log-in");
            Ok(SessionUser::from(user))
        }
        found => {
            let failures = throttle::record_failure(&mut tx, &subject, now).await?;
            tx.commit().await?;
            match found {
                Some(user) => tracing::warn!(user_id = %user.user_id, outcome = "wrong_password", failures, "log-in failed"),
                None => tracing::warn!(outcome = "unknown_account", failures, "log-in failed"),
            }
            Err(ServiceError::Unauthorized)
        }
    }
}

/// Replaces the password after checking the current one; returns the user with the new hash, which the caller
/// stores in its session (every other session then ends).
pub async fn change_password(
    db: &Db,
    user: &SessionUser,
    current: &str,
    new: &str,
    now: DateTime<Utc>,
) -> Result<SessionUser, ServiceError> {
    let subject = throttle::password_subject(user.id);
    let mut tx = db.begin_read().await?;
    throttle::check(&mut tx, &subject, now).await?;
    let row = users::find_by_id(&mut tx, user.id).await?.ok_or(ServiceError::Unauthorized)?;
    tx.commit().await?;
    if !password::verify(current.to_owned(), row.password_hash).await? {
        let mut tx = db.begin_write().await?;
        throttle::record_failure(&mut tx, &subject, now).await?;
        tx.commit().await?;
        return Err(ServiceError::Invalid("the current password is not right".into()));
    }
    check_new_password(new)?;
    let hash = password::hash(new.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    users::set_password_hash(&mut tx, user.id, &hash).await?;
    let updated = users::find_by_id(&mut tx, user.id).await?.ok_or(ServiceError::NotFound)?;
    throttle::clear(&mut tx, &subject).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "password changed; other sessions end");
    Ok(SessionUser::from(updated))
}

pub fn current_user(user: &SessionUser, unread_notifications: i64) -> CurrentUser {
    CurrentUser {
        id: user.id,
        email: user.email.clone(),
        display_name: user.display_name.clone(),
        is_admin: user.is_admin,
        unread_notifications,
    }
}

/// The logged-in user with their unread notification count.
pub async fn who_am_i(db: &Db, user: &SessionUser) -> Result<CurrentUser, ServiceError> {
    let mut tx = db.begin_read().await?;
    let unread = crate::server::store::notifications::unread_count(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(current_user(user, unread))
}

/// The account page: who I am, my co-ops and the networks I coordinate.
pub async fn account(db: &Db, user: &SessionUser) -> Result<AccountView, ServiceError> {
    let mut tx = db.begin_read().await?;
    let coops = users::coops_of(&mut tx, user.id).await?;
    let networks = users::networks_coordinated_by(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(AccountView {
        user: current_user(user, 0),
        coops: coops.into_iter().map(|c| CoopRoleView { slug: c.slug, name: c.name, role: c.role }).collect(),
        networks: networks.into_iter().map(|(slug, name)| NetworkLink { slug, name }).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn common_passwords_are_refused_whatever_their_case() {
        assert_eq!(check_new_password("Password1"), Err(DomainError::PasswordTooCommon));
        assert_eq!(check_new_password("QWERTYUIOP"), Err(DomainError::PasswordTooCommon));
        assert_eq!(check_new_password("llama-tandem-orchard"), Ok(()));
    }
}
