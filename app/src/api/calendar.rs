//! An offer's availability calendar: the month view, edits, iCal import and feeds.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use crate::domain::OfferId;
use crate::error::AppError;
use crate::views::calendar::{CalendarView, ImportOutcome, TripsFeed, WeekdayBoxes};

/// The calendar of an offer, `months` months from `month` (`YYYY-MM`). Its co-op's host admins only.
#[server(prefix = "/api", endpoint = "calendar/get", input = GetUrl)]
pub async fn get_calendar(offer: i64, month: Option<String>, months: Option<u32>) -> Result<CalendarView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let months = months.unwrap_or(3);
            let view = crate::server::services::calendar::view(
                &state.db,
                &actor,
                OfferId(offer),
                month.as_deref(),
                months,
                state.clock.now(),
            )
            .await?;
            // What the last form of this page did, kept once by the function that did it.
            let feed_url = take_once(&once_key("feed", offer)).await;
            let changed = take_once(&once_key("changed", offer)).await;
            let imported = take_once(&once_key("imported", offer)).await;
            Ok(CalendarView { feed_url, changed, imported, ..view })
        }
        .await,
    )
}

/// Opens (`op = open`, with `capacity`) or blocks (`op = block`) the nights from `from` to the day before `to`,
/// on the ticked weekdays (all if none). Refused, naming the nights, below what is reserved. Host admins only.
#[server(prefix = "/api", endpoint = "calendar/edit")]
pub async fn edit_calendar(
    offer: i64,
    from: String,
    to: String,
    op: String,
    capacity: Option<String>,
    days: Option<WeekdayBoxes>,
) -> Result<usize, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let days = crate::domain::calendar::Weekdays::from_names(days.unwrap_or_default().names());
            let changed = crate::server::services::calendar::edit(
                &state.db,
                &actor,
                OfferId(offer),
                &from,
                &to,
                days,
                &op,
                capacity.as_deref().unwrap_or_default(),
            )
            .await?;
            remember_once(&once_key("changed", offer), &changed).await;
            Ok(changed)
        }
        .await,
    )
}

/// Blocks the busy dates of a pasted or uploaded `.ics` file (replacing the previous import). Host admins only.
#[server(prefix = "/api", endpoint = "calendar/import")]
pub async fn import_calendar(offer: i64, ics: String) -> Result<ImportOutcome, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let outcome =
                crate::server::services::calendar::import(&state.db, &actor, OfferId(offer), &ics, state.clock.today())
                    .await?;
            remember_once(&once_key("imported", offer), &outcome).await;
            Ok(outcome)
        }
        .await,
    )
}

/// Creates or renews the offer's secret feed URL (the old one stops working) and returns it whole. Host admins only.
#[server(prefix = "/api", endpoint = "calendar/feed")]
pub async fn renew_offer_feed(offer: i64) -> Result<String, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let path = crate::server::services::calendar::rotate_offer_feed(&state.db, &actor, OfferId(offer)).await?;
            // Shown once, whole: the next calendar view (after this form, with or without JavaScript) takes it
            // from the session, which lives on the server.
            let url = format!("{}{path}", state.public_url);
            remember_once(&once_key("feed", offer), &url).await;
            Ok(url)
        }
        .await,
    )
}

/// Creates or renews my trips' secret feed URL and returns it whole. Logged-in users.
#[server(prefix = "/api", endpoint = "trips/feed")]
pub async fn renew_trips_feed() -> Result<String, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let path = crate::server::services::calendar::rotate_my_feed(&state.db, &actor).await?;
            let url = format!("{}{path}", state.public_url);
            remember_once(TRIPS_FEED_KEY, &url).await;
            Ok(url)
        }
        .await,
    )
}

/// My trips' feed: whether I have one, and its address right after I made it (only a hash is kept). Logged-in
/// users.
#[server(prefix = "/api", endpoint = "trips/feed-path", input = GetUrl)]
pub async fn trips_feed_path() -> Result<TripsFeed, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let exists = crate::server::services::calendar::has_my_feed(&state.db, &actor).await?;
            Ok(TripsFeed { exists, url: take_once(TRIPS_FEED_KEY).await })
        }
        .await,
    )
}

#[cfg(feature = "ssr")]
const TRIPS_FEED_KEY: &str = "new_feed_trips";

/// The session key of what the form `what` (`feed`, `changed`, `imported`) last did for `offer`.
#[cfg(feature = "ssr")]
fn once_key(what: &str, offer: i64) -> String {
    format!("calendar_{what}_{offer}")
}

/// Keeps `value` in the server-side session until `take_once` reads it: the page a plain post goes back to shows
/// what the post did.
#[cfg(feature = "ssr")]
async fn remember_once<T: serde::Serialize + Sync>(key: &str, value: &T) {
    if let Ok(auth) = super::auth_session().await
        && let Err(error) = auth.session.insert(key, value).await
    {
        tracing::warn!("keeping an outcome for its page: {error}");
    }
}

#[cfg(feature = "ssr")]
async fn take_once<T: serde::de::DeserializeOwned>(key: &str) -> Option<T> {
    let auth = super::auth_session().await.ok()?;
    auth.session.remove::<T>(key).await.ok().flatten()
}
