//! `POST /locale`: the language switcher without JavaScript. Stores the choice in the same cookie the i18n
//! context reads (and, logged in, on the account: mail is written in it), then sends the visitor back where they
//! were.

use app::api::LOCALE_COOKIE as COOKIE;
use app::i18n::Locale;
use app::server::AppState;
use app::server::auth::AuthSession;
use axum::Form;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use leptos_i18n::Locale as _;
use serde_like::LocaleForm;

const ONE_YEAR_SECONDS: u32 = 365 * 24 * 60 * 60;

mod serde_like {
    /// The switcher's fields.
    #[derive(serde::Deserialize)]
    pub struct LocaleForm {
        pub locale: String,
        #[serde(default)]
        pub next: String,
    }
}

pub async fn switch(State(state): State<AppState>, auth: AuthSession, Form(form): Form<LocaleForm>) -> Response {
    let Ok(locale) = form.locale.parse::<Locale>() else {
        return (StatusCode::BAD_REQUEST, "unknown language").into_response();
    };
    if let Some(user) = &auth.user
        && let Err(error) = app::server::services::accounts::set_locale(&state.db, user, locale).await
    {
        // The page still changes language; the account keeps its earlier one.
        tracing::error!(user_id = %user.id, %error, "storing the chosen language");
    }
    let locale = locale.as_str();
    let cookie = format!("{COOKIE}={locale}; Path=/; Max-Age={ONE_YEAR_SECONDS}; SameSite=Lax");
    let location =
        HeaderValue::from_str(app::domain::redirect::local_path(&form.next)).unwrap_or(HeaderValue::from_static("/"));
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(cookie) = HeaderValue::from_str(&cookie) {
        response.headers_mut().insert(header::SET_COOKIE, cookie);
    }
    response.headers_mut().insert(header::LOCATION, location);
    response
}
