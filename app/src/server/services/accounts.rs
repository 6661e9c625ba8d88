//! Sign-up, log-in (with a per-account failure counter), password changes, and the account overview.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{DateTime, Duration, Utc};

use crate::domain::account::{Email, display_name, password_length};
use crate::domain::{CoopRole, DomainError, UserId};
use crate::error::Refusal;
use crate::server::auth::SessionUser;
use crate::server::services::throttle;
use crate::server::store::{audit, notifications, users, verifications};
use crate::server::{Db, ServiceError, password};
use crate::views::auth::{AccountView, CoopRoleView, CurrentUser, NetworkLink};

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

/// What a new account is made of, once checked: the address, the display name and the password's hash.
struct NewAccount {
    email: Email,
    name: String,
    hash: String,
}

/// The checks every new account passes (sign-up and `admin create` alike), then the password's hash.
async fn new_account(email: &str, name: &str, password: &str) -> Result<NewAccount, ServiceError> {
    let email = Email::parse(email)?;
    // The sender's own parser too: an address it would refuse must not become an account.
    if !crate::server::email::deliverable(email.as_str()) {
        return Err(DomainError::InvalidEmail.into());
    }
    let name = display_name(name)?;
    check_new_password(password)?;
    let hash = password::hash(password.to_owned()).await?;
    Ok(NewAccount { email, name, hash })
}

/// What `admin promote` found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Promotion {
    Promoted(UserId),
    AlreadyAdmin(UserId),
}

/// A site administrator made on the command line (`coop-travel admin create`), the way a new instance gets its
/// first one. Whoever runs the command on the server vouches for the address, so it needs no confirmation link;
/// the password obeys the same rules as at sign-up. An address that has an account already is refused, with the
/// command that promotes it instead.
pub async fn create_admin(db: &Db, email: &str, name: &str, password: &str) -> Result<UserId, ServiceError> {
    let NewAccount { email, name, hash } = new_account(email, name, password).await?;
    let mut tx = db.begin_write().await?;
    if users::find_by_email(&mut tx, email.as_str()).await?.is_some() {
        return Err(ServiceError::Conflict(Refusal::Console {
            text: format!(
                "{} already has an account; to make it an administrator: coop-travel admin promote --email {}",
                email.as_str(),
                email.as_str()
            ),
        }));
    }
    let new = users::NewUser {
        email: email.as_str(),
        display_name: &name,
        password_hash: &hash,
        is_admin: true,
        locale: "en",
    };
    let id = users::insert(&mut tx, &new).await?;
    let subject = audit::Subject { user: Some(id), ..Default::default() };
    audit::record(&mut tx, None, "admin_created", subject, "on the command line").await?;
    tx.commit().await?;
    tracing::info!(user_id = %id, "site administrator created");
    Ok(id)
}

/// Makes an existing, confirmed account a site administrator (`coop-travel admin promote`).
pub async fn promote_admin(db: &Db, email: &str) -> Result<Promotion, ServiceError> {
    let email = Email::parse(email)?;
    let mut tx = db.begin_write().await?;
    let Some(user) = users::find_by_email(&mut tx, email.as_str()).await? else {
        return Err(ServiceError::Invalid(Refusal::Console {
            text: format!(
                "no account has the address {}; create one with: coop-travel admin create --email {} --name …",
                email.as_str(),
                email.as_str()
            ),
        }));
    };
    if user.email_verified_at.is_none() {
        return Err(ServiceError::Invalid(Refusal::Console {
            text: format!("{} has not confirmed its address yet: open the confirmation link first", email.as_str()),
        }));
    }
    if user.is_admin {
        return Ok(Promotion::AlreadyAdmin(user.user_id));
    }
    users::make_admin(&mut tx, user.user_id).await?;
    let subject = audit::Subject { user: Some(user.user_id), ..Default::default() };
    audit::record(&mut tx, None, "admin_promoted", subject, "on the command line").await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.user_id, "account made a site administrator");
    Ok(Promotion::Promoted(user.user_id))
}

/// How long a confirmation link works.
pub const VERIFICATION_HOURS: i64 = 24;

/// Signs up. The answer and the work are the same whether or not the address has an account, so sign-up tells
/// nobody which addresses are taken: a new address (or one whose sign-up was never confirmed) gets a link to
/// confirm it, a confirmed one a note that the account exists. The account is usable once the link is opened.
pub async fn sign_up(db: &Db, email: &str, name: &str, password: &str, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let NewAccount { email, name, hash } = new_account(email, name, password).await?;
    let mut tx = db.begin_write().await?;
    match users::find_by_email(&mut tx, email.as_str()).await? {
        Some(user) if user.email_verified_at.is_some() => {
            let body = "Someone — perhaps you — tried to sign up to Co-op & Travel with this address, which already \
                        has an account. To use it, log in: {site}/login\n\nIf it was not you, you need do nothing: \
                        nothing was changed.";
            notifications::insert_account_mail(&mut tx, user.user_id, "account_exists", body).await?;
            tracing::info!(user_id = %user.user_id, "sign-up with a taken address: told its owner");
        }
        found => {
            let id = match found {
                Some(pending) => {
                    users::set_pending_sign_up(&mut tx, pending.user_id, &name, &hash).await?;
                    pending.user_id
                }
                None => {
                    let new = users::NewUser {
                        email: email.as_str(),
                        display_name: &name,
                        password_hash: &hash,
                        is_admin: false,
                        locale: "en",
                    };
                    let id = users::insert(&mut tx, &new).await?;
                    users::set_pending_sign_up(&mut tx, id, &name, &hash).await?;
                    id
                }
            };
            verifications::revoke_all(&mut tx, id).await?;
            let token = secret_token();
            verifications::insert(&mut tx, id, &token_hash(&token), now + Duration::hours(VERIFICATION_HOURS)).await?;
            let body = format!(
                "Welcome to Co-op & Travel. To confirm this address and start using your account, open this link \
                 within {VERIFICATION_HOURS} hours:\n\n{{site}}/verify?token={token}\n\nIf you did not sign up, \
                 ignore this message: without the link, no account is made."
            );
            notifications::insert_account_mail(&mut tx, id, "verify_email", &body).await?;
            tracing::info!(user_id = %id, "sign-up waiting for its confirmation link");
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Confirms an address with the token of its link, once; returns the account, which the caller logs in.
pub async fn verify_email(db: &Db, token: &str, now: DateTime<Utc>) -> Result<SessionUser, ServiceError> {
    let mut tx = db.begin_write().await?;
    let Some(id) = verifications::redeem(&mut tx, &token_hash(token.trim()), now).await? else {
        return Err(ServiceError::Invalid(Refusal::LinkUnusable));
    };
    users::mark_verified(&mut tx, id).await?;
    verifications::revoke_all(&mut tx, id).await?;
    let user = users::find_by_id(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    tracing::info!(user_id = %id, "e-mail address confirmed");
    Ok(SessionUser::from(user))
}

/// A random secret for a link (256 bits, URL-safe).
fn secret_token() -> String {
    use base64::Engine as _;
    use rand::Rng as _;
    let mut bytes = [0_u8; 32];
    rand::rng().fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What is stored of a link's secret.
fn token_hash(token: &str) -> String {
    use base64::Engine as _;
    use sha2::Digest as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(token.as_bytes()))
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
        Some(user) if matches && user.email_verified_at.is_none() => {
            throttle::clear(&mut tx, &subject).await?;
            tx.commit().await?;
            // Only someone who knows the password learns that this sign-up waits for its link.
            Err(ServiceError::Invalid(Refusal::ConfirmFirst))
        }
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
                Some(user) => {
                    tracing::warn!(user_id = %user.user_id, outcome = "wrong_password", failures, "log-in failed")
                }
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
        return Err(ServiceError::Invalid(Refusal::WrongPassword));
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
        hosts: false,
        coordinates: user.is_admin,
    }
}

/// The logged-in user with their unread notification count.
pub async fn who_am_i(db: &Db, user: &SessionUser) -> Result<CurrentUser, ServiceError> {
    let mut tx = db.begin_read().await?;
    let (unread, hosts, coordinates) = users::header_facts(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(CurrentUser { hosts, coordinates: coordinates || user.is_admin, ..current_user(user, unread) })
}

/// The account page: who I am, my co-ops and the networks I coordinate.
pub async fn account(db: &Db, user: &SessionUser) -> Result<AccountView, ServiceError> {
    let mut tx = db.begin_read().await?;
    let coops = users::coops_of(&mut tx, user.id).await?;
    let networks = users::networks_coordinated_by(&mut tx, user.id).await?;
    tx.commit().await?;
    Ok(AccountView {
        user: current_user(user, 0),
        coops: coops
            .into_iter()
            .map(|c| Ok(CoopRoleView { role: CoopRole::parse(&c.role)?, slug: c.slug, name: c.name }))
            .collect::<Result<_, ServiceError>>()?,
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
