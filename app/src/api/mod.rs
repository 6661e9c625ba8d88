//! Server functions and their wire types (DTOs), one module per area. Each function is a public HTTP endpoint at
//! a stable path under `/api` (listed in docs/API.md): it authorizes itself, then calls one service.

pub mod auth;
pub mod calendar;
pub mod coops;
pub mod letters;
pub mod networks;
pub mod offers;
#[cfg(feature = "ssr")]
pub mod registry;
pub mod safety;
pub mod search;
pub mod stays;
pub mod trust;

#[cfg(feature = "ssr")]
use crate::{
    error::AppError,
    server::{AppState, auth::AuthSession, authz::Actor},
};

/// The shared state, provided as context by the router to every server function.
#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal("state".into())
    })
}

/// The cookie that holds the language chosen with the switcher (leptos_i18n's default name, which the pages read).
#[cfg(feature = "ssr")]
pub const LOCALE_COOKIE: &str = "i18n_pref_locale";

/// The cookie in which the page script keeps the browser's time zone (an IANA name), for the times pages show.
pub const ZONE_COOKIE: &str = "tz";

/// The reader's time zone, from the browser (the page script's cookie); none before the script first ran.
#[cfg(feature = "ssr")]
pub fn zone_of_headers(headers: &http::HeaderMap) -> Option<chrono_tz::Tz> {
    cookie_values(headers, ZONE_COOKIE).find_map(|name| name.trim().parse().ok())
}

/// The values of the request's cookies called `name`.
#[cfg(feature = "ssr")]
fn cookie_values<'a>(headers: &'a http::HeaderMap, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
    let cookies = headers.get_all(http::header::COOKIE).into_iter().filter_map(|v| v.to_str().ok());
    cookies.flat_map(|v| v.split(';')).filter_map(move |pair| pair.trim().strip_prefix(name)?.strip_prefix('='))
}

/// [`zone_of_headers`] of the request being rendered.
#[cfg(feature = "ssr")]
pub fn reader_zone() -> Option<chrono_tz::Tz> {
    leptos::prelude::use_context::<http::request::Parts>().and_then(|parts| zone_of_headers(&parts.headers))
}

/// The language of the page a request comes from: the language switcher's cookie, else the browser's first
/// language we have, else English (the order the pages use).
#[cfg(feature = "ssr")]
pub(crate) async fn request_locale() -> crate::i18n::Locale {
    use crate::i18n::Locale;
    let Ok(headers) = leptos_axum::extract::<http::HeaderMap>().await else { return Locale::default() };
    locale_of_headers(&headers)
}

/// [`request_locale`] from a request's headers.
#[cfg(feature = "ssr")]
pub fn locale_of_headers(headers: &http::HeaderMap) -> crate::i18n::Locale {
    use crate::i18n::Locale;
    let ours =
        |tag: &str| tag.trim().split(['-', '_']).next().and_then(|l| l.to_ascii_lowercase().parse::<Locale>().ok());
    let chosen = cookie_values(headers, LOCALE_COOKIE).find_map(ours);
    let accepted = || {
        let header = headers.get(http::header::ACCEPT_LANGUAGE)?.to_str().ok()?;
        header.split(',').filter_map(|item| item.split(';').next()).find_map(ours)
    };
    chosen.or_else(accepted).unwrap_or_default()
}

/// Passes a server function's result through, first setting the HTTP status that matches an error, so API
/// clients see 400/401/403/404/409 rather than a blanket 500.
#[cfg(feature = "ssr")]
pub(crate) fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    if let Err(error) = &result {
        set_error_status(error);
    }
    result
}

/// The HTTP status of an error.
#[cfg(feature = "ssr")]
pub fn status_of(error: &AppError) -> http::StatusCode {
    use http::StatusCode;
    match error {
        AppError::Validation(_) => StatusCode::BAD_REQUEST,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Unauthorized => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::Conflict(_) => StatusCode::CONFLICT,
        AppError::RateLimited(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Busy(_) => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Internal(_) | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Sets the response status of the server function being run to the one that matches `error`. A plain form post
/// (no JavaScript) keeps leptos's redirect back to the form, which carries the error: a 4xx status would stop the
/// browser from following it.
#[cfg(feature = "ssr")]
pub(crate) fn set_error_status(error: &AppError) {
    let status = status_of(error);
    let plain_form = leptos::prelude::use_context::<http::request::Parts>().is_some_and(|parts| {
        parts.headers.get(http::header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("text/html"))
    });
    if !plain_form && let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(status);
        if status == http::StatusCode::SERVICE_UNAVAILABLE {
            response.insert_header(http::header::RETRY_AFTER, http::HeaderValue::from_static("2"));
        }
    }
}

/// The session of the request (axum-login), provided by the auth layer.
#[cfg(feature = "ssr")]
pub(crate) async fn auth_session() -> Result<AuthSession, AppError> {
    leptos_axum::extract::<AuthSession>().await.map_err(|e| {
        tracing::error!("no auth session in the request: {e}");
        AppError::Internal("session".into())
    })
}

/// Who is calling: the logged-in user, or nobody.
#[cfg(feature = "ssr")]
pub(crate) async fn actor() -> Result<Actor, AppError> {
    Ok(Actor { user: auth_session().await?.user })
}

/// Only a path on this site (see `domain::redirect`).
pub use crate::domain::redirect::local_path;
