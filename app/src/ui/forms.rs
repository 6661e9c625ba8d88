//! Pieces shared by the forms and pages: error notices and the "log in first" prompt.

use leptos::prelude::*;

use crate::error::AppError;
use crate::i18n::{t, t_string, use_i18n};

/// A server action's error, shown next to its form in an alert region (also after a plain form post, which comes
/// back with the error in the URL). With `form`, only when the post came from the form of that `id` (one of many
/// of a kind on a page: the server marks it, see `server/src/forms.rs`); pages only, not islands.
#[component]
pub fn ActionError<T>(
    #[prop(into)] value: Signal<Option<Result<T, AppError>>>,
    #[prop(optional, into)] form: Option<String>,
) -> impl IntoView
where
    T: Send + Sync + 'static,
{
    let i18n = use_i18n();
    let here = form.is_none_or(|form| sent_from(&form));
    move || {
        here.then(|| value.with(|v| v.as_ref().and_then(|r| r.as_ref().err().map(|e| error_text(i18n, e)))))
            .flatten()
            .map(
                |message| view! { <p class="form-error" role="alert">{t!(i18n, forms.error_prefix)} " " {message}</p> },
            )
    }
}

/// An error as the reader sees it, in the reader's language: by its code, and a refused rule (validation,
/// conflict, too many attempts) by the rule's name and what it names.
pub fn error_text(i18n: leptos_i18n::I18nContext<crate::i18n::Locale>, error: &AppError) -> String {
    use crate::i18n::t_string;
    match error {
        AppError::Validation(refusal) | AppError::Conflict(refusal) | AppError::RateLimited(refusal) => {
            capitalized(refusal.text(i18n.get_locale_untracked()))
        }
        AppError::Unauthorized => t_string!(i18n, forms.err_login).to_owned(),
        AppError::Forbidden => t_string!(i18n, forms.err_forbidden).to_owned(),
        AppError::NotFound => t_string!(i18n, forms.err_not_found).to_owned(),
        AppError::Busy(_) => t_string!(i18n, forms.err_busy).to_owned(),
        AppError::Internal(reference) => format!("{} (ref {reference})", t_string!(i18n, forms.err_internal)),
        AppError::Transport(_) => t_string!(i18n, forms.err_transport).to_owned(),
    }
}

/// The sentence with a capital first letter (the refusals are written to follow "Not saved:" or a log prefix).
fn capitalized(text: String) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => text,
    }
}

/// Whether the page comes back from a plain post of the form whose `id` field is `form` (or of no marked form).
fn sent_from(form: &str) -> bool {
    let query = leptos_router::hooks::use_query_map();
    query.read_untracked().get("form").is_none_or(|sent| sent == form)
}

/// Shown when the page comes back from a successful plain post of the server function at `action` (its `PATH`),
/// from the form `form` if given: "Saved." and the like, in a status region.
#[component]
pub fn FormDone(
    action: &'static str,
    #[prop(optional, into)] form: Option<String>,
    children: Children,
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let done = query.read_untracked().get("done").is_some_and(|done| done == action)
        && form.is_none_or(|form| sent_from(&form));
    done.then(|| view! { <p class="form-done" role="status">{children()}</p> })
}

/// What a page shows when loading its data failed: a log-in prompt for 401, a plain message otherwise. The page
/// answers with the error's status (a 404 for an unknown id, not an empty 200).
#[component]
pub fn LoadError(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(crate::api::status_of(&error));
    }
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
            let message = error_text(i18n, &other);
            view! { <p class="notice" role="alert">{message}</p> }.into_any()
        }
    }
}

/// The fields of this page's form for the server function at `function` as typed before it was refused, once (the
/// server kept them in the session); empty otherwise. Pages only, on the server, from a `Resource` (a suspense may
/// run its body more than once; the fields are taken at the first read).
pub async fn refill(function: &'static str) -> crate::views::forms::Refill {
    #[cfg(feature = "ssr")]
    {
        use crate::views::forms::{REFILL_KEY, Refill};
        if let Ok(session) = leptos_axum::extract::<tower_sessions::Session>().await
            && let Ok(Some(kept)) = session.get::<Refill>(REFILL_KEY).await
            && kept.function == function
        {
            let _ = session.remove::<Refill>(REFILL_KEY).await;
            return kept;
        }
    }
    let _ = function;
    crate::views::forms::Refill::default()
}

/// An address to copy whole (a feed's secret URL): a read-only field, and a copy button that the page's script
/// shows and runs (without JavaScript the field is there to select).
#[component]
pub fn CopyField(id: &'static str, value: String, #[prop(into)] label: String) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="copy-field">
            <label class="visually-hidden" for=id>{label}</label>
            <input id=id type="text" readonly value=value class="copy-value" spellcheck="false" />
            <button type="button" class="secondary" data-copy=id data-copied=t_string!(i18n, forms.copied) hidden>
                {t!(i18n, forms.copy)}
            </button>
        </p>
    }
}
