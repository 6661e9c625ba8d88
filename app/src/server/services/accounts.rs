//! Sign-up, log-in (with a per-account failure counter), password changes and resets, a change of address,
//! logging out everywhere else, the account's language, and the account overview. Mail about the account is
//! written in its reader's language.

use std::collections::HashSet;
use std::sync::LazyLock;

use chrono::{DateTime, Duration, Utc};

use crate::domain::account::{Email, display_name, password_length};
use crate::domain::{CoopRole, DomainError, UserId};
use crate::error::Refusal;
use crate::i18n::{Locale, td_string};
use crate::server::auth::SessionUser;
use crate::server::services::throttle;
use crate::server::store::notifications::AccountMail;
use crate::server::store::verifications::Purpose;
use crate::server::store::{audit, exports, notifications, users, verifications};
use crate::server::{Db, ServiceError, StoreError, password};
use crate::views::auth::{AccountExport, AccountView, CoopRoleView, CurrentUser, NetworkLink};
use leptos_i18n::Locale as _;

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
pub async fn sign_up(
    db: &Db,
    email: &str,
    name: &str,
    password: &str,
    locale: Locale,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let NewAccount { email, name, hash } = new_account(email, name, password).await?;
    let mut tx = db.begin_write().await?;
    match users::find_by_email(&mut tx, email.as_str()).await? {
        Some(user) if user.email_verified_at.is_some() => {
            let l = locale_of(&user);
            let body = td_string!(l, mail.exists_body, link = "{site}/login", reset = "{site}/forgot").to_string();
            let subject = td_string!(l, mail.exists_subject);
            let mail = AccountMail { kind: "account_exists", subject, body: &body };
            notifications::insert_account_mail(&mut tx, user.user_id, &mail, None).await?;
            tracing::info!(user_id = %user.user_id, "sign-up with a taken address: told its owner");
        }
        found => {
            let id = match found {
                Some(pending) => {
                    users::set_pending_sign_up(&mut tx, pending.user_id, &name, &hash).await?;
                    users::set_locale(&mut tx, pending.user_id, locale.as_str()).await?;
                    pending.user_id
                }
                None => {
                    let new = users::NewUser {
                        email: email.as_str(),
                        display_name: &name,
                        password_hash: &hash,
                        is_admin: false,
                        locale: locale.as_str(),
                    };
                    let id = users::insert(&mut tx, &new).await?;
                    users::set_pending_sign_up(&mut tx, id, &name, &hash).await?;
                    id
                }
            };
            verifications::revoke_all(&mut tx, id, Purpose::Confirm).await?;
            let token = secret_token();
            let expires = now + Duration::hours(VERIFICATION_HOURS);
            verifications::insert(&mut tx, id, Purpose::Confirm, &token_hash(&token), expires, None).await?;
            let l = locale;
            let link = format!("{{site}}/verify?token={token}");
            let body = td_string!(l, mail.verify_body, link, hours = VERIFICATION_HOURS).to_string();
            let mail = AccountMail { kind: "verify_email", subject: td_string!(l, mail.verify_subject), body: &body };
            notifications::insert_account_mail(&mut tx, id, &mail, None).await?;
            tracing::info!(user_id = %id, "sign-up waiting for its confirmation link");
        }
    }
    tx.commit().await?;
    Ok(())
}

/// Confirms an address with the token of its link, once; returns the account, which the caller logs in.
pub async fn verify_email(db: &Db, token: &str, now: DateTime<Utc>) -> Result<SessionUser, ServiceError> {
    let mut tx = db.begin_write().await?;
    let Some((id, _)) = verifications::redeem(&mut tx, Purpose::Confirm, &token_hash(token.trim()), now).await? else {
        return Err(ServiceError::Invalid(Refusal::LinkUnusable));
    };
    users::mark_verified(&mut tx, id).await?;
    verifications::revoke_all(&mut tx, id, Purpose::Confirm).await?;
    let user = users::find_by_id(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    tracing::info!(user_id = %id, "e-mail address confirmed");
    Ok(SessionUser::from(user))
}

/// A random secret for a link (256 bits, URL-safe).
pub(crate) fn secret_token() -> String {
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
        Some(user) if matches && user.is_suspended(now) => {
            throttle::clear(&mut tx, &subject).await?;
            tx.commit().await?;
            tracing::warn!(user_id = %user.user_id, outcome = "suspended", "log-in refused");
            // Only someone who knows the password learns that the account is suspended.
            Err(ServiceError::Invalid(match user.suspended_until {
                Some(until) => Refusal::SuspendedUntil { until: until.date_naive() },
                None => Refusal::SuspendedForGood,
            }))
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

/// Checks the current password of a logged-in person, throttled per account like log-ins.
async fn check_current_password(
    db: &Db,
    user: &SessionUser,
    current: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let subject = throttle::password_subject(user.id);
    let mut tx = db.begin_read().await?;
    throttle::check(&mut tx, &subject, now).await?;
    let row = users::find_by_id(&mut tx, user.id).await?.ok_or(ServiceError::Unauthorized)?;
    tx.commit().await?;
    let matches = password::verify(current.to_owned(), row.password_hash).await?;
    let mut tx = db.begin_write().await?;
    if matches {
        throttle::clear(&mut tx, &subject).await?;
    } else {
        throttle::record_failure(&mut tx, &subject, now).await?;
    }
    tx.commit().await?;
    if matches { Ok(()) } else { Err(ServiceError::Invalid(Refusal::WrongPassword)) }
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
    check_current_password(db, user, current, now).await?;
    check_new_password(new)?;
    let hash = password::hash(new.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    users::set_password_hash(&mut tx, user.id, &hash).await?;
    let updated = users::find_by_id(&mut tx, user.id).await?.ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "password changed; other sessions end");
    Ok(SessionUser::from(updated))
}

/// How long a password-reset link works.
pub const RESET_MINUTES: i64 = 60;

/// Sends a link to choose a new password to the account of `email`, if there is one. The answer and the work are
/// the same whether or not there is (so nobody learns which addresses have accounts), and the links asked for one
/// address are limited per hour (`throttle::RESETS_PER_HOUR`), known or not.
pub async fn ask_password_reset(db: &Db, email: &str, now: DateTime<Utc>) -> Result<(), ServiceError> {
    let email = Email::parse(email)?;
    let mut tx = db.begin_write().await?;
    throttle::take(&mut tx, &throttle::reset_subject(email.as_str()), throttle::RESETS_PER_HOUR, now).await?;
    let token = secret_token();
    match users::find_by_email(&mut tx, email.as_str()).await? {
        Some(user) => {
            verifications::revoke_all(&mut tx, user.user_id, Purpose::Reset).await?;
            let expires = now + Duration::minutes(RESET_MINUTES);
            verifications::insert(&mut tx, user.user_id, Purpose::Reset, &token_hash(&token), expires, None).await?;
            let l = locale_of(&user);
            let link = format!("{{site}}/reset?token={token}");
            let body = td_string!(l, mail.reset_body, link, minutes = RESET_MINUTES).to_string();
            let mail = AccountMail { kind: "reset_password", subject: td_string!(l, mail.reset_subject), body: &body };
            notifications::insert_account_mail(&mut tx, user.user_id, &mail, None).await?;
            tracing::info!(user_id = %user.user_id, "password reset link sent");
        }
        None => tracing::info!("password reset asked for an address without an account"),
    }
    tx.commit().await?;
    Ok(())
}

/// Sets a new password with the token of a reset link, once. The link proves the address, so an account still
/// waiting for its confirmation is confirmed too; every session of the account ends, and the caller logs this
/// one in with the account returned.
pub async fn reset_password(
    db: &Db,
    token: &str,
    new_password: &str,
    now: DateTime<Utc>,
) -> Result<SessionUser, ServiceError> {
    check_new_password(new_password)?;
    let hash = password::hash(new_password.to_owned()).await?;
    let mut tx = db.begin_write().await?;
    let Some((id, _)) = verifications::redeem(&mut tx, Purpose::Reset, &token_hash(token.trim()), now).await? else {
        return Err(ServiceError::Invalid(Refusal::ResetLinkUnusable));
    };
    verifications::revoke_all(&mut tx, id, Purpose::Reset).await?;
    users::set_password_hash(&mut tx, id, &hash).await?;
    users::set_session_key(&mut tx, id, &secret_token()).await?;
    let user = users::find_by_id(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    if user.email_verified_at.is_none() {
        users::mark_verified(&mut tx, id).await?;
    }
    throttle::clear(&mut tx, &throttle::login_subject(&user.email)).await?;
    audit::record(&mut tx, Some(id), "password_reset", audit::Subject { user: Some(id), ..Default::default() }, "")
        .await?;
    tx.commit().await?;
    tracing::info!(user_id = %id, "password reset; every session ends");
    Ok(SessionUser::from(user))
}

/// Ends every session of the account but the caller's, which stores the account returned.
pub async fn log_out_elsewhere(db: &Db, user: &SessionUser) -> Result<SessionUser, ServiceError> {
    let mut tx = db.begin_write().await?;
    users::set_session_key(&mut tx, user.id, &secret_token()).await?;
    let updated = users::find_by_id(&mut tx, user.id).await?.ok_or(ServiceError::Unauthorized)?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "logged out everywhere else");
    Ok(SessionUser::from(updated))
}

/// Asks to move the account to `new_email`, after the current password: a link to the new address confirms it,
/// and the old address is told. An address that has an account already gets a note instead (and the person
/// asking the same answer), so this tells nobody which addresses have accounts.
pub async fn ask_email_change(
    db: &Db,
    user: &SessionUser,
    current_password: &str,
    new_email: &str,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    let new_email = Email::parse(new_email)?;
    if !crate::server::email::deliverable(new_email.as_str()) {
        return Err(DomainError::InvalidEmail.into());
    }
    if new_email.as_str() == user.email {
        return Err(ServiceError::Invalid(Refusal::SameAddress));
    }
    check_current_password(db, user, current_password, now).await?;
    let mut tx = db.begin_write().await?;
    let me = users::find_by_id(&mut tx, user.id).await?.ok_or(ServiceError::Unauthorized)?;
    let l = locale_of(&me);
    let address = new_email.as_str();
    match users::find_by_email(&mut tx, address).await? {
        Some(other) => {
            let lo = locale_of(&other);
            let body = td_string!(lo, mail.taken_body, link = "{site}/login").to_string();
            let mail = AccountMail { kind: "email_taken", subject: td_string!(lo, mail.taken_subject), body: &body };
            notifications::insert_account_mail(&mut tx, other.user_id, &mail, None).await?;
        }
        None => {
            verifications::revoke_all(&mut tx, user.id, Purpose::ChangeEmail).await?;
            let token = secret_token();
            let expires = now + Duration::hours(VERIFICATION_HOURS);
            verifications::insert(&mut tx, user.id, Purpose::ChangeEmail, &token_hash(&token), expires, Some(address))
                .await?;
            let link = format!("{{site}}/email/confirm?token={token}");
            let body = td_string!(l, mail.change_body, link, hours = VERIFICATION_HOURS).to_string();
            let mail = AccountMail { kind: "change_email", subject: td_string!(l, mail.change_subject), body: &body };
            notifications::insert_account_mail(&mut tx, user.id, &mail, Some(address)).await?;
        }
    }
    let body = td_string!(l, mail.change_asked_body, address, link = "{site}/account").to_string();
    let subject = td_string!(l, mail.change_asked_subject);
    let mail = AccountMail { kind: "email_change_asked", subject, body: &body };
    notifications::insert_account_mail(&mut tx, user.id, &mail, None).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "new address asked for; link sent to it");
    Ok(())
}

/// Moves the account to the address its link confirms, once. The old address is told; every session of the
/// account ends (the caller logs this one in again with the account returned, if it is the account's own).
pub async fn confirm_email_change(db: &Db, token: &str, now: DateTime<Utc>) -> Result<SessionUser, ServiceError> {
    let mut tx = db.begin_write().await?;
    let redeemed = verifications::redeem(&mut tx, Purpose::ChangeEmail, &token_hash(token.trim()), now).await?;
    let Some((id, Some(new_email))) = redeemed else {
        return Err(ServiceError::Invalid(Refusal::LinkUnusable));
    };
    let before = users::find_by_id(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    match users::set_email(&mut tx, id, &new_email).await {
        Ok(()) => {}
        Err(StoreError::Conflict(_)) => return Err(ServiceError::Conflict(Refusal::AddressTaken)),
        Err(other) => return Err(other.into()),
    }
    verifications::revoke_all(&mut tx, id, Purpose::ChangeEmail).await?;
    verifications::revoke_all(&mut tx, id, Purpose::Reset).await?;
    users::set_session_key(&mut tx, id, &secret_token()).await?;
    let l = locale_of(&before);
    let body = td_string!(l, mail.changed_body, address = new_email.as_str()).to_string();
    let mail = AccountMail { kind: "email_changed", subject: td_string!(l, mail.changed_subject), body: &body };
    notifications::insert_account_mail(&mut tx, id, &mail, Some(&before.email)).await?;
    audit::record(&mut tx, Some(id), "email_changed", audit::Subject { user: Some(id), ..Default::default() }, "")
        .await?;
    let user = users::find_by_id(&mut tx, id).await?.ok_or(ServiceError::NotFound)?;
    tx.commit().await?;
    tracing::info!(user_id = %id, "address changed; every session ends");
    Ok(SessionUser::from(user))
}

/// Everything stored about the logged-in person, as one document (see `views::auth::AccountExport`).
pub async fn export(db: &Db, user: &SessionUser, now: DateTime<Utc>) -> Result<AccountExport, ServiceError> {
    use crate::views::auth::{
        ExportEvent, ExportMembership, ExportMessage, ExportNotification, ExportProfile, ExportStay, ExportTrip,
    };
    let mut tx = db.begin_read().await?;
    let profile = exports::profile(&mut tx, user.id).await?.ok_or(ServiceError::Unauthorized)?;
    let membership =
        |m: exports::MembershipRow| ExportMembership { slug: m.slug, name: m.name, role: m.role, since: m.since };
    let coops = exports::coops(&mut tx, user.id).await?.into_iter().map(membership).collect();
    let networks_coordinated = exports::networks(&mut tx, user.id).await?.into_iter().map(membership).collect();
    let events = exports::events(&mut tx, user.id).await?;
    let messages: Vec<ExportMessage> = exports::messages(&mut tx, user.id)
        .await?
        .into_iter()
        .map(|m| ExportMessage {
            stay_request: m.stay_request_id,
            author: m.author.unwrap_or_default(),
            mine: m.mine,
            body: m.body,
            at: m.created_at,
        })
        .collect();
    let stay_requests = exports::stays(&mut tx, user.id)
        .await?
        .into_iter()
        .map(|s| ExportStay {
            id: s.stay_request_id,
            history: events
                .iter()
                .filter(|e| e.stay_request_id == s.stay_request_id)
                .map(|e| ExportEvent {
                    from_status: e.from_status.clone(),
                    to_status: e.to_status.clone(),
                    note: e.note.clone(),
                    at: e.created_at,
                })
                .collect(),
            thread: messages.iter().filter(|m| m.stay_request == s.stay_request_id).cloned().collect(),
            offer: s.offer,
            host_coop: s.host_coop,
            my_coop: s.my_coop,
            network: s.network,
            check_in: s.check_in,
            check_out: s.check_out,
            guests: s.guests,
            purpose: s.purpose,
            message: s.message,
            skills_offered: s.skills_offered,
            status: s.status,
            trip: s.trip_id,
            created_at: s.created_at,
        })
        .collect();
    let notifications = exports::notifications(&mut tx, user.id)
        .await?
        .into_iter()
        .map(|n| ExportNotification { kind: n.kind, body: n.body, at: n.created_at, read_at: n.read_at })
        .collect();
    let trips = exports::trips(&mut tx, user.id)
        .await?
        .into_iter()
        .map(|t| ExportTrip { id: t.trip_id, title: t.title, created_at: t.created_at })
        .collect();
    let references_written = exports::references_written(&mut tx, user.id)
        .await?
        .into_iter()
        .map(|r| crate::views::auth::ExportReference {
            stay_request: r.stay_request_id,
            side: r.side,
            recommend: r.recommend,
            body: r.body,
            private_note: r.private_note,
            at: r.created_at,
        })
        .collect();
    let blocked = crate::server::store::safety::blocked_by(&mut tx, user.id)
        .await?
        .into_iter()
        .map(|b| crate::views::safety::BlockedPerson { id: b.user_id, name: b.display_name, since: b.created_at })
        .collect();
    let reports_made = exports::reports(&mut tx, user.id)
        .await?
        .into_iter()
        .map(|r| crate::views::auth::ExportReport {
            kind: r.subject_kind,
            reason: r.reason,
            note: r.note,
            at: r.created_at,
            handled: r.handled,
        })
        .collect();
    let invitation_letters = exports::letters(&mut tx, user.id)
        .await?
        .into_iter()
        .map(|l| crate::views::auth::ExportLetter {
            stay_request: l.stay_request_id,
            role: if l.invited { "invited" } else { "issued" }.to_owned(),
            language: l.language,
            traveller_name: l.traveller_name,
            host_coop: l.host_coop,
            address: l.address,
            signer_name: l.signer_name,
            issued_at: l.issued_at,
            withdrawn_at: l.revoked_at,
        })
        .collect();
    let email_preferences = notifications::email_modes(&mut tx, user.id).await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "data export");
    Ok(AccountExport {
        exported_at: now,
        profile: ExportProfile {
            id: user.id,
            email: profile.email,
            display_name: profile.display_name,
            locale: profile.locale,
            is_admin: profile.is_admin,
            bio: profile.bio,
            languages: profile.languages,
            skills: profile.skills,
            email_preferences,
            created_at: profile.created_at,
            email_verified_at: profile.email_verified_at,
        },
        coops,
        networks_coordinated,
        stay_requests,
        messages_written: messages.into_iter().filter(|m| m.mine).collect(),
        notifications,
        trips,
        references_written,
        invitation_letters,
        blocked,
        reports_made,
    })
}

/// Deletes the logged-in person's account, after their password: their personal data is erased and every session
/// ends (`store::deletion`). Stays and messages stay, as "a former member"'s. The only host admin of a co-op must
/// hand the role over first, and requests still under way must be withdrawn or cancelled first.
pub async fn delete_account(
    db: &Db,
    user: &SessionUser,
    current_password: &str,
    today: chrono::NaiveDate,
    now: DateTime<Utc>,
) -> Result<(), ServiceError> {
    use crate::server::store::deletion;
    check_current_password(db, user, current_password, now).await?;
    let mut tx = db.begin_write().await?;
    users::lock(&mut tx, user.id).await?;
    let row = users::find_by_id(&mut tx, user.id).await?.ok_or(ServiceError::Unauthorized)?;
    let coops = deletion::coops_only_hosted_by(&mut tx, user.id).await?;
    if !coops.is_empty() {
        return Err(ServiceError::Conflict(Refusal::HandOverFirst { coops: coops.join(", ") }));
    }
    if deletion::stays_in_progress(&mut tx, user.id, today).await? > 0 {
        return Err(ServiceError::Conflict(Refusal::StaysInProgress));
    }
    let subjects = [
        throttle::login_subject(&row.email),
        throttle::reset_subject(&row.email),
        throttle::password_subject(user.id),
        throttle::import_subject(user.id),
    ];
    deletion::erase(&mut tx, user.id, &row.display_name, &subjects, now).await?;
    audit::record(&mut tx, None, "account_deleted", audit::Subject { user: Some(user.id), ..Default::default() }, "")
        .await?;
    tx.commit().await?;
    tracing::info!(user_id = %user.id, "account deleted; personal data erased");
    Ok(())
}

/// The language a person reads in (their account's, English when it is not one of ours).
fn locale_of(user: &users::UserRow) -> Locale {
    user.locale.parse().unwrap_or_default()
}

/// Stores the language a person chose (the language switcher, logged in).
pub async fn set_locale(db: &Db, user: &SessionUser, locale: Locale) -> Result<(), ServiceError> {
    let mut tx = db.begin_write().await?;
    users::set_locale(&mut tx, user.id, locale.as_str()).await?;
    tx.commit().await?;
    Ok(())
}

/// Keeps the zone the person's browser reported.
pub async fn set_time_zone(db: &Db, user: UserId, zone: chrono_tz::Tz) -> Result<(), ServiceError> {
    let mut tx = db.begin_write().await?;
    users::set_time_zone(&mut tx, user, zone.name()).await?;
    tx.commit().await?;
    Ok(())
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
