//! Pages and components, one module per area (mirroring `api/`). Every string goes through `i18n`; every page
//! renders fully on the server and works without JavaScript.
//!
//! Islands: pages are server-rendered HTML that never hydrates, forms are plain posts answered with a redirect.
//! Only the parts marked `#[island]` ship as WebAssembly and hydrate in the browser: the map (`map::MapIsland`),
//! and three scripts that draw nothing and work on the server's HTML: the place box's suggestions
//! (`places::PlaceScript`), picking nights in the calendar (`offers::CalendarScript`) and the page script
//! (`layout::PageScript`: pending forms, submit on change). An island's props travel as JSON in the page; server
//! context (the request, the router) does not reach it.

pub mod auth;
pub mod charts;
pub mod coops;
pub mod forms;
pub mod home;
pub mod layout;
pub mod letters;
pub mod map;
pub mod networks;
pub mod offers;
pub mod places;
pub mod safety;
pub mod search;
pub mod stays;
pub mod trust;

use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, Link, MetaTags, Title, provide_meta_context};
use leptos_router::{
    ParamSegment, SsrMode, StaticSegment,
    components::{Route, Router, Routes},
};

use crate::domain::{CoopRole, OfferKind, OfferStatus, Purpose};
use crate::i18n::{I18nContextProvider, t_string, use_i18n};

type I18n = leptos_i18n::I18nContext<crate::i18n::Locale>;

/// An offer's status in the reader's language.
pub fn offer_status_label(i18n: I18n, status: OfferStatus) -> &'static str {
    match status {
        OfferStatus::Published => t_string!(i18n, offers.status_published),
        OfferStatus::Paused => t_string!(i18n, offers.status_paused),
        OfferStatus::Draft => t_string!(i18n, offers.status_draft),
    }
}

/// A role in a co-op in the reader's language.
pub fn role_label(i18n: I18n, role: CoopRole) -> &'static str {
    match role {
        CoopRole::HostAdmin => t_string!(i18n, coops.role_host_admin),
        CoopRole::Member => t_string!(i18n, coops.role_member),
    }
}

/// Why a traveller comes, in the reader's language.
pub fn purpose_label(i18n: I18n, purpose: Purpose) -> &'static str {
    match purpose {
        Purpose::Intercooperation => t_string!(i18n, stays.purpose_intercooperation),
        Purpose::Project => t_string!(i18n, stays.purpose_project),
        Purpose::Learning => t_string!(i18n, stays.purpose_learning),
        Purpose::Visit => t_string!(i18n, stays.purpose_visit),
        Purpose::Other => t_string!(i18n, stays.purpose_other),
    }
}

/// A moment as the pages show it, in the reader's time zone (the browser's, kept by the page script; UTC before it ran).
pub fn when(i18n: I18n, at: chrono::DateTime<chrono::Utc>) -> String {
    #[cfg(feature = "ssr")]
    let zone = crate::api::reader_zone();
    #[cfg(not(feature = "ssr"))]
    let zone = None;
    crate::views::notifications::moment(i18n.get_locale(), at, zone)
}

/// A weekday's short name in the reader's language, Monday first (0) to Sunday (6).
pub fn weekday_name(i18n: I18n, index: usize) -> &'static str {
    match index {
        0 => t_string!(i18n, offers.day_mon),
        1 => t_string!(i18n, offers.day_tue),
        2 => t_string!(i18n, offers.day_wed),
        3 => t_string!(i18n, offers.day_thu),
        4 => t_string!(i18n, offers.day_fri),
        5 => t_string!(i18n, offers.day_sat),
        _ => t_string!(i18n, offers.day_sun),
    }
}

/// A person's name as the pages show it: a deleted account's marker becomes "a former member" in the reader's
/// language.
pub fn person_name(i18n: I18n, name: &str) -> String {
    crate::views::notifications::person(i18n.get_locale(), name)
}

/// An offer kind's name in the reader's language.
pub fn kind_label(i18n: I18n, kind: OfferKind) -> &'static str {
    match kind {
        OfferKind::Room => t_string!(i18n, kinds.room),
        OfferKind::Bed => t_string!(i18n, kinds.bed),
        OfferKind::Couch => t_string!(i18n, kinds.couch),
        OfferKind::Desk => t_string!(i18n, kinds.desk),
        OfferKind::Visit => t_string!(i18n, kinds.visit),
    }
}

/// The HTML document around the app, rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                // The style sheet's and the scripts' names carry a hash of their content (cargo-leptos `hash-files`).
                <HashedStylesheet options=options.clone() id="leptos" />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <I18nContextProvider>
            <Head />
            <Router>
                <layout::Layout>
                    // Async: each page arrives as one complete document, data included, so it reads and works
                    // without JavaScript (out-of-order streaming would leave the data in inert <template>s).
                    <Routes fallback=|| view! { <layout::NotFound /> }>
                        <Route path=StaticSegment("") view=home::HomePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("signup") view=auth::SignUpPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("signup"), StaticSegment("sent")) view=auth::SignUpSentPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("verify") view=auth::VerifyPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("login") view=auth::LogInPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("forgot") view=auth::ForgotPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("forgot"), StaticSegment("sent")) view=auth::ForgotSentPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("reset") view=auth::ResetPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("email"), StaticSegment("confirm")) view=auth::EmailConfirmPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("account") view=auth::AccountPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("coops"), StaticSegment("new")) view=coops::NewCoopPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("coops"), ParamSegment("slug")) view=coops::CoopPage ssr=SsrMode::Async />
                        <Route
                            path=(StaticSegment("coops"), ParamSegment("slug"), StaticSegment("edit"))
                            view=coops::EditCoopPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("coops"), ParamSegment("slug"), StaticSegment("members"))
                            view=coops::MembersPage
                            ssr=SsrMode::Async
                        />
                        <Route path=(StaticSegment("invites"), ParamSegment("token")) view=coops::InvitePage ssr=SsrMode::Async />
                        <Route path=StaticSegment("networks") view=networks::NetworksPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("search") view=search::SearchPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("offers"), ParamSegment("id")) view=stays::OfferPage ssr=SsrMode::Async />
                        <Route
                            path=(StaticSegment("offers"), ParamSegment("id"), StaticSegment("edit"))
                            view=offers::EditOfferPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("offers"), ParamSegment("id"), StaticSegment("calendar"))
                            view=offers::CalendarPage
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=(StaticSegment("coops"), ParamSegment("slug"), StaticSegment("offers"))
                            view=offers::CoopOffersPage
                            ssr=SsrMode::Async
                        />
                        <Route path=StaticSegment("stays") view=stays::MyStaysPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("stays"), ParamSegment("id")) view=stays::StayPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("inbox") view=stays::InboxPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("trips") view=stays::TripsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("trips"), ParamSegment("id")) view=stays::TripPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("approvals") view=stays::ApprovalsPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("notifications") view=stays::NotificationsPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("networks"), ParamSegment("slug")) view=networks::NetworkPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("people"), ParamSegment("id")) view=trust::PersonPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("letters"), ParamSegment("token")) view=letters::LetterPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("report") view=safety::ReportPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("account"), StaticSegment("blocks")) view=safety::BlocksPage ssr=SsrMode::Async />
                        <Route path=StaticSegment("moderation") view=safety::ModerationPage ssr=SsrMode::Async />
                        <Route path=(StaticSegment("admin"), StaticSegment("audit")) view=safety::AuditPage ssr=SsrMode::Async />
                        <Route
                            path=(StaticSegment("networks"), ParamSegment("slug"), StaticSegment("dashboard"))
                            view=trust::DashboardPage
                            ssr=SsrMode::Async
                        />
                    </Routes>
                </layout::Layout>
            </Router>
        </I18nContextProvider>
    }
}

/// Title, description, stylesheet and icon.
#[component]
fn Head() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Link rel="icon" type_="image/svg+xml" href="/favicon.svg" />
        // Plain strings, read once while the page renders: the server writes the <title> after the render, outside
        // the page's reactive owner, and a closure over the i18n signal read there could find it disposed (a panic
        // under concurrent load; server/tests/pages_under_load.rs). The language never changes without a reload.
        <Title text=t_string!(i18n, app.name).to_string() />
    }
}
