//! `POST /locale`: the language switcher without JavaScript. Stores the choice in the same cookie the i18n
//! context reads, then sends the visitor back where they were.

use axum::Form;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_like::LocaleForm;

/// The cookie `leptos_i18n` reads to pick the language (its default name).
const COOKIE: &str = "i18n_pref_locale";
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

pub async fn switch(Form(form): Form<LocaleForm>) -> Response {
    let Some(locale) = ["en", "es", "pt"].into_iter().find(|l| *l == form.locale) else {
        return (StatusCode::BAD_REQUEST, "unknown language").into_response();
    };
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
