//! The frame of every page: skip link, header with navigation and language switcher, main landmark, footer, and
//! the page script.

use leptos::prelude::*;
use leptos_i18n::Locale as _;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_location;

use crate::api::auth::who_am_i;
use crate::i18n::{Locale, t, t_string, use_i18n};

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
            // A menu that folds on narrow screens, without JavaScript (a <details>); wide screens show it open.
            <details class="site-menu">
                <summary>{t!(i18n, layout.menu)}</summary>
                <div class="site-menu-body">
                    <nav aria-label=t_string!(i18n, layout.main_navigation).to_string()>
                        <ul>
                            <li><a href="/">{t!(i18n, layout.nav_directory)}</a></li>
                            <li><a href="/search">{t!(i18n, nav.search)}</a></li>
                            <li><a href="/networks">{t!(i18n, nav.networks)}</a></li>
                            <UserLinks />
                        </ul>
                    </nav>
                    <LanguageSwitcher />
                </div>
            </details>
        </header>
        <main id="main" tabindex="-1">{children()}</main>
        <footer class="site-footer">
            <p>{t!(i18n, layout.footer_free_software)}</p>
            <p>{t!(i18n, layout.footer_privacy)}</p>
        </footer>
        <PageScript working=t_string!(i18n, forms.working).to_string() />
    }
}

/// "Log in / Sign up", or the logged-in person's links and name. The host inbox and the approvals show only to
/// people who host or coordinate.
#[component]
fn UserLinks() -> impl IntoView {
    let i18n = use_i18n();
    let me = Resource::new(|| (), |_| who_am_i());
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match me.await {
                    Ok(Some(user)) => {
                        let unread = user.unread_notifications;
                        view! {
                            <li><a href="/stays">{t!(i18n, nav.stays)}</a></li>
                            <li><a href="/trips">{t!(i18n, nav.trips)}</a></li>
                            {user.hosts.then(|| view! { <li><a href="/inbox">{t!(i18n, nav.inbox)}</a></li> })}
                            {user.coordinates.then(|| view! { <li><a href="/approvals">{t!(i18n, nav.approvals)}</a></li> })}
                            {user.coordinates.then(|| view! { <li><a href="/moderation" id="nav-moderation">{t!(i18n, nav.moderation)}</a></li> })}
                            <li>
                                <a href="/notifications" id="nav-notifications">
                                    {t!(i18n, nav.notifications)}
                                    {(unread > 0).then(|| view! { " " <span class="count" id="unread-badge">{unread}</span> })}
                                </a>
                            </li>
                            <li><a href="/account" id="nav-account" class="user-name">{user.display_name}</a></li>
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
        </Suspense>
    }
}

/// A plain form that posts to `/locale`: the server sets the cookie (and the account's language) and redirects
/// back to this page, now in the chosen language.
#[component]
fn LanguageSwitcher() -> impl IntoView {
    let i18n = use_i18n();
    let location = use_location();
    let next = {
        let search = location.search.get_untracked();
        let path = location.pathname.get_untracked();
        if search.is_empty() { path } else { format!("{path}?{search}") }
    };
    let current = i18n.get_locale_untracked();
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
                                aria-pressed=(current == locale).to_string()
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

/// The one island on every page, and all the script a page without other islands runs:
/// - a form being sent shows it (`aria-busy`, its button says "Working…") and cannot be sent twice;
/// - a control marked `data-autosubmit` sends its form when changed (the country filter);
/// - `data-hydrated` on `<body>` says the islands are live (the tests wait for it).
///
/// Every form works without it.
#[island]
pub fn PageScript(working: String) -> impl IntoView {
    #[cfg(feature = "hydrate")]
    script::start(working);
    #[cfg(not(feature = "hydrate"))]
    let _ = working;
}

#[cfg(feature = "hydrate")]
mod script {
    use leptos::ev;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys::{Element, HtmlElement, HtmlFormElement, HtmlInputElement};

    /// Keeps the browser's time zone in a cookie, so the server shows times in it (from the next page on).
    fn remember_zone() {
        let options = leptos::web_sys::js_sys::Intl::DateTimeFormat::new(
            &leptos::web_sys::js_sys::Array::new(),
            &leptos::web_sys::js_sys::Object::new(),
        )
        .resolved_options();
        let Some(zone) =
            leptos::web_sys::js_sys::Reflect::get(&options, &"timeZone".into()).ok().and_then(|z| z.as_string())
        else {
            return;
        };
        let Ok(html) = document().dyn_into::<leptos::web_sys::HtmlDocument>() else { return };
        let cookie = format!("{}={zone}", crate::api::ZONE_COOKIE);
        if !html.cookie().unwrap_or_default().split(';').any(|c| c.trim() == cookie) {
            html.set_cookie(&format!("{cookie}; path=/; max-age=31536000; samesite=lax")).ok();
        }
    }

    pub fn start(working: String) {
        let body = document().body();
        let on_submit = move |ev: ev::SubmitEvent| {
            if ev.default_prevented() {
                return;
            }
            let Some(form) = ev.target().and_then(|t| t.dyn_into::<HtmlFormElement>().ok()) else { return };
            if form.get_attribute("aria-busy").as_deref() == Some("true") {
                ev.prevent_default();
                return;
            }
            form.set_attribute("aria-busy", "true").ok();
            if let Some(button) = ev.submitter().and_then(|b| b.dyn_into::<HtmlElement>().ok()) {
                button.set_attribute("data-label", &button.inner_text()).ok();
                button.set_inner_text(&working);
            }
        };
        let on_change = |ev: ev::Event| {
            let Some(control) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            if control.has_attribute("data-autosubmit")
                && let Ok(Some(form)) = control.closest("form")
                && let Ok(form) = form.dyn_into::<HtmlFormElement>()
            {
                form.request_submit().ok();
            }
        };
        // Back to a page kept in the browser's cache: its forms are ready again.
        let on_pageshow = |_: ev::PageTransitionEvent| {
            let Ok(busy) = document().query_selector_all("form[aria-busy=\"true\"]") else { return };
            for i in 0..busy.length() {
                let Some(form) = busy.item(i).and_then(|n| n.dyn_into::<Element>().ok()) else { continue };
                form.remove_attribute("aria-busy").ok();
                if let Ok(buttons) = form.query_selector_all("[data-label]") {
                    for j in 0..buttons.length() {
                        if let Some(button) = buttons.item(j).and_then(|n| n.dyn_into::<HtmlElement>().ok()) {
                            button.set_inner_text(&button.get_attribute("data-label").unwrap_or_default());
                            button.remove_attribute("data-label").ok();
                        }
                    }
                }
            }
        };
        // On the window, so after the form's own listeners: a form an island sends itself (its listener prevents
        // the browser's submission) shows its own pending state and is left alone here.
        // A copy button copies its field's address (and selects it, where the clipboard is not allowed).
        let on_click = |ev: ev::MouseEvent| {
            let Some(button) = ev.target().and_then(|t| t.dyn_into::<Element>().ok()) else { return };
            let Ok(Some(button)) = button.closest("button[data-copy]") else { return };
            let Some(field) = button
                .get_attribute("data-copy")
                .and_then(|id| document().get_element_by_id(&id))
                .and_then(|f| f.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            field.select();
            // Refused (no permission, not a secure context): the field stays selected to copy by hand.
            let written =
                wasm_bindgen_futures::JsFuture::from(window().navigator().clipboard().write_text(&field.value()));
            wasm_bindgen_futures::spawn_local(async move {
                let _ = written.await;
            });
            if let (Some(done), Ok(button)) = (button.get_attribute("data-copied"), button.dyn_into::<HtmlElement>()) {
                button.set_inner_text(&done);
            }
        };
        remember_zone();
        if let Ok(buttons) = document().query_selector_all("button[data-copy][hidden]") {
            for i in 0..buttons.length() {
                if let Some(button) = buttons.item(i).and_then(|n| n.dyn_into::<Element>().ok()) {
                    button.remove_attribute("hidden").ok();
                }
            }
        }
        window_event_listener(ev::submit, on_submit);
        window_event_listener(ev::change, on_change);
        window_event_listener(ev::pageshow, on_pageshow);
        window_event_listener(ev::click, on_click);
        if let Some(body) = body {
            body.set_attribute("data-hydrated", "true").ok();
        }
    }
}

/// A page's own `<title>` ("Search · Co-op & Travel") and meta description, in the reader's language; without a
/// description, the site's tagline. Plain strings: the server writes the head after rendering the page.
#[component]
pub fn PageTitle(#[prop(into)] title: String, #[prop(optional, into)] description: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    let description =
        description.filter(|d| !d.trim().is_empty()).unwrap_or_else(|| t_string!(i18n, app.tagline).to_owned());
    view! {
        <Title text=format!("{title} · {}", t_string!(i18n, app.name)) />
        <Meta name="description" content=description />
    }
}

/// The first sentence or so of a text, for a meta description (at most 160 characters, cut at a word).
pub fn summary(text: &str) -> String {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if text.chars().count() <= 160 {
        return text;
    }
    let cut: String = text.chars().take(157).collect();
    let cut = cut.rfind(' ').map_or(cut.as_str(), |i| &cut[..i]);
    format!("{cut}…")
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
        <PageTitle title=t_string!(i18n, layout.not_found_title) />
        <h1>{t!(i18n, layout.not_found_title)}</h1>
        <p><a href="/">{t!(i18n, layout.not_found_back)}</a></p>
    }
}
