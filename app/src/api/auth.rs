//! Accounts: sign up, log in and out, change password, my account.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::views::auth::{AccountExport, AccountView, CurrentUser};

/// Logs `user` in on this request's session: a new session id (never reuse one from before log-in), and the
/// time of log-in for the absolute timeout.
#[cfg(feature = "ssr")]
async fn start_session(user: &crate::server::auth::SessionUser) -> Result<(), AppError> {
    use crate::server::auth::{LOGGED_IN_AT, SEEN_AT};
    let internal = |e: &dyn std::fmt::Display| {
        tracing::error!("session: {e}");
        AppError::Internal("session".into())
    };
    let mut auth = super::auth_session().await?;
    auth.session.cycle_id().await.map_err(|e| internal(&e))?;
    auth.login(user).await.map_err(|e| internal(&e))?;
    let now = chrono::Utc::now().timestamp();
    auth.session.insert(LOGGED_IN_AT, now).await.map_err(|e| internal(&e))?;
    auth.session.insert(SEEN_AT, now).await.map_err(|e| internal(&e))?;
    Ok(())
}

/// Signs up: e-mails a link that confirms the address (or, for an address that has an account, a note saying so)
/// and goes to a page that says to check the inbox — the same answer either way. Anyone may sign up (rate-limited
/// per address by the router).
#[server(prefix = "/api", endpoint = "auth/signup")]
pub async fn sign_up(email: String, display_name: String, password: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let locale = super::request_locale().await;
            let now = chrono::Utc::now();
            crate::server::services::accounts::sign_up(&state.db, &email, &display_name, &password, locale, now)
                .await?;
            leptos_axum::redirect("/signup/sent");
            Ok(())
        }
        .await,
    )
}

/// Confirms an address with the token from its link, logs the account in and goes to the account page.
#[server(prefix = "/api", endpoint = "auth/verify")]
pub async fn verify_email(token: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let user = crate::server::services::accounts::verify_email(&state.db, &token, chrono::Utc::now()).await?;
            start_session(&user).await?;
            leptos_axum::redirect("/account");
            Ok(())
        }
        .await,
    )
}

/// Logs in with e-mail and password, then goes to `next` (a local path) or the account page.
#[server(prefix = "/api", endpoint = "auth/login")]
pub async fn log_in(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let now = chrono::Utc::now();
            let user = crate::server::services::accounts::log_in(&state.db, &email, &password, now).await.map_err(
                |e| match e {
                    crate::server::ServiceError::Unauthorized => {
                        AppError::Validation(crate::error::Refusal::WrongCredentials)
                    }
                    other => other.into(),
                },
            )?;
            start_session(&user).await?;
            // The browser's zone goes on the profile, for what is sent by e-mail (the digest's hour).
            if let Ok(headers) = leptos_axum::extract::<http::HeaderMap>().await
                && let Some(zone) = super::zone_of_headers(&headers)
            {
                crate::server::services::accounts::set_time_zone(&state.db, user.id, zone).await?;
            }
            leptos_axum::redirect(super::local_path(next.as_deref().unwrap_or("/account")));
            Ok(())
        }
        .await,
    )
}

/// Ends the session (deleted on the server, cookie removed).
#[server(prefix = "/api", endpoint = "auth/logout")]
pub async fn log_out() -> Result<(), AppError> {
    super::respond(
        async {
            let mut auth = super::auth_session().await?;
            if let Some(user) = &auth.user {
                tracing::info!(user_id = %user.id, "log-out");
            }
            auth.logout().await.map_err(|e| {
                tracing::error!("log-out: {e}");
                AppError::Internal("session".into())
            })?;
            leptos_axum::redirect("/");
            Ok(())
        }
        .await,
    )
}

/// Changes the logged-in user's password; every other session of theirs ends.
#[server(prefix = "/api", endpoint = "auth/password")]
pub async fn change_password(current_password: String, new_password: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let user = actor.require_user()?;
            let updated = crate::server::services::accounts::change_password(
                &state.db,
                user,
                &current_password,
                &new_password,
                chrono::Utc::now(),
            )
            .await?;
            start_session(&updated).await?;
            Ok(())
        }
        .await,
    )
}

/// Sends a link to choose a new password, if an account has this address; goes to a page that says to check the
/// inbox, the same answer either way. Anyone may ask (rate-limited per address here and per client by the router).
#[server(prefix = "/api", endpoint = "auth/forgot")]
pub async fn ask_password_reset(email: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            crate::server::services::accounts::ask_password_reset(&state.db, &email, chrono::Utc::now()).await?;
            leptos_axum::redirect("/forgot/sent");
            Ok(())
        }
        .await,
    )
}

/// Sets a new password with the token of a reset link; every session of the account ends, and this one is logged
/// in. Anyone holding the link may (rate-limited per client by the router).
#[server(prefix = "/api", endpoint = "auth/reset")]
pub async fn reset_password(token: String, new_password: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let user =
                crate::server::services::accounts::reset_password(&state.db, &token, &new_password, chrono::Utc::now())
                    .await?;
            start_session(&user).await?;
            leptos_axum::redirect("/account?reset=1");
            Ok(())
        }
        .await,
    )
}

/// Ends every other session of the logged-in person; this one goes on.
#[server(prefix = "/api", endpoint = "auth/logout-elsewhere")]
pub async fn log_out_elsewhere() -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let user = actor.require_user()?;
            let updated = crate::server::services::accounts::log_out_elsewhere(&state.db, user).await?;
            start_session(&updated).await?;
            Ok(())
        }
        .await,
    )
}

/// Asks to move the logged-in person's account to a new address (after their password): a link sent there
/// confirms it.
#[server(prefix = "/api", endpoint = "auth/email")]
pub async fn ask_email_change(current_password: String, new_email: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let user = actor.require_user()?;
            let now = chrono::Utc::now();
            crate::server::services::accounts::ask_email_change(&state.db, user, &current_password, &new_email, now)
                .await?;
            Ok(())
        }
        .await,
    )
}

/// Confirms a new address with the token of its link. Every session of the account ends; this one goes on logged
/// in when it is the account's own, else it goes to the log-in page.
#[server(prefix = "/api", endpoint = "auth/email/confirm")]
pub async fn confirm_email_change(token: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let user =
                crate::server::services::accounts::confirm_email_change(&state.db, &token, chrono::Utc::now()).await?;
            if actor.user.as_ref().is_some_and(|me| me.id == user.id) {
                start_session(&user).await?;
                leptos_axum::redirect("/account?email=changed");
            } else {
                leptos_axum::redirect("/login?email=changed");
            }
            Ok(())
        }
        .await,
    )
}

/// Everything stored about the logged-in person, as one JSON document to download
/// (`coop-travel-my-data.json`). Logged-in users, about themselves only.
#[server(prefix = "/api", endpoint = "auth/export", input = GetUrl)]
pub async fn export_my_data() -> Result<AccountExport, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let user = actor.require_user()?;
            let export = crate::server::services::accounts::export(&state.db, user, chrono::Utc::now()).await?;
            if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
                response.insert_header(
                    http::header::CONTENT_DISPOSITION,
                    http::HeaderValue::from_static("attachment; filename=\"coop-travel-my-data.json\""),
                );
            }
            Ok(export)
        }
        .await,
    )
}

/// Deletes the logged-in person's account after their password (and a ticked confirmation): personal data is
/// erased and every session ends; stays and messages stay as "a former member"'s. Then the home page.
#[server(prefix = "/api", endpoint = "auth/delete")]
pub async fn delete_account(current_password: String, confirm: Option<String>) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let user = actor.require_user()?;
            if confirm.as_deref() != Some("on") {
                return Err(AppError::Validation(crate::error::Refusal::ConfirmDeletion));
            }
            let (today, now) = (state.clock.today(), chrono::Utc::now());
            crate::server::services::accounts::delete_account(&state.db, user, &current_password, today, now).await?;
            let mut auth = super::auth_session().await?;
            auth.logout().await.map_err(|e| {
                tracing::error!("log-out after deletion: {e}");
                AppError::Internal("session".into())
            })?;
            leptos_axum::redirect("/?deleted=1");
            Ok(())
        }
        .await,
    )
}

/// Who is logged in, if anyone. Anyone may ask (about themselves only).
#[server(prefix = "/api", endpoint = "auth/me", input = GetUrl)]
pub async fn who_am_i() -> Result<Option<CurrentUser>, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            match &actor.user {
                Some(user) => Ok(Some(crate::server::services::accounts::who_am_i(&state.db, user).await?)),
                None => Ok(None),
            }
        }
        .await,
    )
}

/// The logged-in user's account: their co-ops and the networks they coordinate.
#[server(prefix = "/api", endpoint = "auth/account", input = GetUrl)]
pub async fn my_account() -> Result<AccountView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let user = actor.require_user()?;
            Ok(crate::server::services::accounts::account(&state.db, user).await?)
        }
        .await,
    )
}
