//! The frame of every page: skip link, header with navigation and language switcher, main landmark, footer.

use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_router::hooks::use_location;

use crate::api::auth::who_am_i;
use crate::i18n::{Locale, t, use_i18n};

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <a class="skip-link" href="#main">{t!(i18n, layout.skip_to_content)}</a>
        <header class="site-header">
            <a class="brand" href="/">
                <span aria-hidden="true" class="brand-mark">"⌂"</span>
                {t!(i18n, app.name)}
            </a>
            <nav aria-label=move || crate::i18n::t_string!(i18n, layout.main_navigation).to_string()>
                <ul>
                    <li><a href="/">{t!(i18n, layout.nav_directory)}</a></li>
                    <li><a href="/search">{t!(i18n, nav.search)}</a></li>
                    <li><a href="/networks">{t!(i18n, nav.networks)}</a></li>
                    <UserLinks />
                </ul>
            </nav>
            <LanguageSwitcher />
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t!(i18n, layout.footer_free_software)}</p>
            <p>{t!(i18n, layout.footer_privacy)}</p>
        </footer>
    }
}

/// "Log in / Sign up", or the logged-in person's name linking to their account. Re-read on every navigation,
/// so logging in or out shows at once.
#[component]
fn UserLinks() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let me = Resource::new(move || location.pathname.get(), |_| who_am_i());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => {
                        let unread = user.unread_notifications;
                        view! {
                            <li><a href="/stays">{t!(i18n, nav.stays)}</a></li>
                            <li><a href="/trips">{t!(i18n, nav.trips)}</a></li>
                            <li><a href="/inbox">{t!(i18n, nav.inbox)}</a></li>
                            <li><a href="/approvals">{t!(i18n, nav.approvals)}</a></li>
                            <li>
                                <a href="/notifications" id="nav-notifications">
                                    {t!(i18n, nav.notifications)}
                                    {(unread > 0).then(|| view! { " " <span class="count" id="unread-badge">{unread}</span> })}
                                </a>
                            </li>
                            <li><a href="/account" id="nav-account">{user.display_name}</a></li>
                        }
                        .into_any()
                    }
                    _ => view! {
                        <li><a href="/login" id="nav-login">{t!(i18n, nav.login)}</a></li>
                        <li><a href="/signup" id="nav-signup">{t!(i18n, nav.signup)}</a></li>
                    }
                    .into_any(),
                }
            })}
        </Transition>
    }
}

/// A plain form that posts to `/locale` (the server sets the cookie and redirects back); with JavaScript the
/// switch happens in place, without a reload.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let next = move || {
        let search = location.search.get();
        if search.is_empty() { location.pathname.get() } else { format!("{}?{}", location.pathname.get(), search) }
    };
    let languages = [(Locale::en, "English"), (Locale::es, "Español"), (Locale::pt, "Português")];
    view! {
        <form class="lang-switcher" method="post" action="/locale">
            <fieldset>
                <legend>{t!(i18n, layout.language)}</legend>
                <input type="hidden" name="next" value=next />
                {languages
                    .into_iter()
                    .map(|(locale, name)| {
                        view! {
                            <button
                                type="submit"
                                name="locale"
                                value=locale.as_str()
                                lang=locale.as_str()
                                aria-pressed=move || (i18n.get_locale() == locale).to_string()
                                on:click=move |ev| {
                                    ev.prevent_default();
                                    i18n.set_locale(locale);
                                }
                            >
                                {name}
                            </button>
                        }
                    })
                    .collect_view()}
            </fieldset>
        </form>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    #[cfg(feature = "ssr")]
    {
        if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(http::StatusCode::NOT_FOUND);
        }
    }
    view! {
        <h1>{t!(i18n, layout.not_found_title)}</h1>
        <p><a href="/">{t!(i18n, layout.not_found_back)}</a></p>
    }
}
