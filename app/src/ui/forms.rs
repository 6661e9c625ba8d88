//! Pieces shared by the forms and pages: error notices and the "log in first" prompt.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{t, use_i18n};

/// A server action's error, shown next to its form in an alert region (also after a plain form post without
/// JavaScript, which comes back with the error in the URL).
#[component]
pub fn ActionError<T>(#[prop(into)] value: Signal<Option<Result<T, AppError>>>) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    let i18n = use_i18n();
    move || {
        value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().map(ToString::to_string))).map(
            |message| view! { <p class="form-error" role="alert">{t!(i18n, forms.error_prefix)} " " {message}</p> },
        )
    }
}

/// What a page shows when loading its data failed: a log-in prompt for 401, a plain message otherwise.
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    match error {
        AppError::Unauthorized => view! {
            <div class="notice" role="alert">
                <p>{t!(i18n, forms.login_first)}</p>
                <p><a href="/login">{t!(i18n, nav.login)}</a></p>
            </div>
        }
        .into_any(),
        AppError::Forbidden => view! { <p class="notice" role="alert">{t!(i18n, forms.forbidden)}</p> }.into_any(),
        AppError::NotFound => view! { <p class="notice" role="alert">{t!(i18n, forms.not_found)}</p> }.into_any(),
        other => {
            let message = other.to_string();
            view! { <p class="notice" role="alert">{message}</p> }.into_any()
        }
    }
}
