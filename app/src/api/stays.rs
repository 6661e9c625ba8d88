//! Stay requests: asking, the host's and the coordinators' decisions, the thread of messages, notifications.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::domain::{CountryCode, OfferId, StayAction, StayRequestId, TripId};
use crate::error::AppError;

/// A request as listed on the traveller's, the host's and the coordinator's pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaySummary {
    pub id: StayRequestId,
    pub offer_id: OfferId,
    pub offer_title: String,
    pub offer_kind: String,
    pub host_coop_slug: String,
    pub host_coop_name: String,
    pub traveller_name: String,
    pub traveller_coop_slug: String,
    pub traveller_coop_name: String,
    pub network_name: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub nights: i64,
    pub guests: i32,
    pub purpose: String,
    pub message: String,
    pub skills_offered: String,
    pub status: String,
    /// Dates the host suggested instead, if any.
    pub suggested: Option<(NaiveDate, NaiveDate)>,
}

/// A night of an offer's calendar as its reader may see it: whether it is open, and — for hosts and logged-in
/// members only — how many places are free. Logged-out visitors never learn how many places are booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NightView {
    pub night: NaiveDate,
    /// At least one place free.
    pub open: bool,
    pub places: Option<NightPlaces>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NightPlaces {
    pub free: i32,
    pub capacity: i32,
}

impl NightView {
    /// A night with its counts (`with_places`) or only open/full.
    pub fn new(night: NaiveDate, capacity: i32, reserved: i32, with_places: bool) -> Self {
        let free = (capacity - reserved).max(0);
        NightView { night, open: free > 0, places: with_places.then_some(NightPlaces { free, capacity }) }
    }
}

/// A request in the host's inbox, with the offer's calendar over its nights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub stay: StaySummary,
    pub nights: Vec<NightView>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StayEventView {
    pub actor: String,
    pub from: Option<String>,
    pub to: String,
    pub note: String,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub author: String,
    pub body: String,
    pub at: String,
}

/// One request, as one of the people involved sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StayDetail {
    pub stay: StaySummary,
    /// The exact address: for the host admins, and for the traveller once the stay is confirmed.
    pub address: Option<String>,
    pub events: Vec<StayEventView>,
    pub messages: Vec<MessageView>,
    /// What the caller may do now.
    pub actions: Vec<StayAction>,
    pub is_traveller: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripSummary {
    pub id: TripId,
    pub title: String,
    pub legs: usize,
}

/// One stop of a trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TripLeg {
    pub stay: StaySummary,
    pub city: String,
    pub country: CountryCode,
    /// The host co-op's public (fuzzed) location.
    pub lat: f64,
    pub lon: f64,
    /// Great-circle distance from the previous stop, in km.
    pub km_from_previous: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TripView {
    pub id: TripId,
    pub title: String,
    pub legs: Vec<TripLeg>,
    pub total_km: f64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationView {
    pub id: i64,
    pub stay_request_id: Option<StayRequestId>,
    pub kind: String,
    pub body: String,
    pub unread: bool,
    pub at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationsView {
    pub unread: i64,
    pub items: Vec<NotificationView>,
    pub email: bool,
}

/// Asks to stay: checked against the calendar and the offer's rules. Logged-in members of a co-op verified in a
/// network where the host co-op is verified too.
#[server(prefix = "/api", endpoint = "stays/request")]
pub async fn request_stay(
    offer_id: i64,
    check_in: String,
    check_out: String,
    guests: i32,
    purpose: String,
    message: String,
    skills_offered: String,
    trip_id: Option<String>,
) -> Result<StayRequestId, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let new = crate::server::services::stays::NewRequest {
                offer: OfferId(offer_id),
                check_in,
                check_out,
                guests,
                purpose,
                message,
                skills_offered,
                trip: trip_id.and_then(|t| t.parse().ok()).map(TripId),
            };
            let id = crate::server::services::stays::request(&state.db, &actor, &new, state.clock.today()).await?;
            leptos_axum::redirect(&format!("/stays/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// Acts on a request: `accept`, `decline`, `suggest` (with `suggest_check_in`/`suggest_check_out`) by the host;
/// `approve`, `reject` by a coordinator of its network; `withdraw` by the traveller; `cancel` by either before
/// check-in. Each caller may only take the actions of their role on this request.
#[server(prefix = "/api", endpoint = "stays/act")]
pub async fn act_on_stay(
    id: i64,
    action: String,
    note: Option<String>,
    suggest_check_in: Option<String>,
    suggest_check_out: Option<String>,
) -> Result<String, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let action = StayAction::parse(&action)?;
            let suggestion = (suggest_check_in, suggest_check_out);
            let status = crate::server::services::stays::act(
                &state.db,
                &actor,
                StayRequestId(id),
                action,
                note.as_deref().unwrap_or_default(),
                suggestion,
                state.clock.today(),
            )
            .await?;
            Ok(status.as_str().to_owned())
        }
        .await,
    )
}

/// Turns the host's suggested dates into a new request, in one step. The traveller of the request only.
#[server(prefix = "/api", endpoint = "stays/rebook")]
pub async fn rebook_stay(id: i64) -> Result<StayRequestId, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let new_id =
                crate::server::services::stays::rebook(&state.db, &actor, StayRequestId(id), state.clock.today())
                    .await?;
            leptos_axum::redirect(&format!("/stays/{new_id}"));
            Ok(new_id)
        }
        .await,
    )
}

/// Adds a message to a request's thread. The traveller, the host admins and the network's coordinators.
#[server(prefix = "/api", endpoint = "stays/message")]
pub async fn post_message(id: i64, body: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::stays::post_message(&state.db, &actor, StayRequestId(id), &body).await?;
            Ok(())
        }
        .await,
    )
}

/// One request with its trail and messages. The people involved only.
#[server(prefix = "/api", endpoint = "stays/get", input = GetUrl)]
pub async fn get_stay(id: i64) -> Result<StayDetail, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::stays::detail(&state.db, &actor, StayRequestId(id), state.clock.today())
                .await?)
        }
        .await,
    )
}

/// My requests as a traveller. Logged-in users.
#[server(prefix = "/api", endpoint = "stays/mine", input = GetUrl)]
pub async fn my_stays() -> Result<Vec<StaySummary>, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::stays::mine(&state.db, &actor).await?)
        }
        .await,
    )
}

/// Requests for my co-ops' offers, pending first, each with the calendar over its nights. Logged-in users (a
/// user who hosts nothing gets an empty list).
#[server(prefix = "/api", endpoint = "stays/inbox", input = GetUrl)]
pub async fn host_inbox() -> Result<Vec<InboxItem>, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::stays::inbox(&state.db, &actor).await?)
        }
        .await,
    )
}

/// Accepted requests awaiting approval in the networks I coordinate (all, for an admin). Logged-in users.
#[server(prefix = "/api", endpoint = "stays/approvals", input = GetUrl)]
pub async fn approval_queue() -> Result<Vec<StaySummary>, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::stays::approvals(&state.db, &actor).await?)
        }
        .await,
    )
}

/// My notifications and the unread count. Logged-in users.
#[server(prefix = "/api", endpoint = "notifications/list", input = GetUrl)]
pub async fn my_notifications() -> Result<NotificationsView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::stays::notifications(&state.db, &actor).await?)
        }
        .await,
    )
}

/// Marks all my notifications read. Logged-in users.
#[server(prefix = "/api", endpoint = "notifications/read")]
pub async fn mark_notifications_read() -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::stays::mark_read(&state.db, &actor).await?;
            Ok(())
        }
        .await,
    )
}

/// Turns e-mail notifications on or off (`email` = `on` / absent). Logged-in users.
#[server(prefix = "/api", endpoint = "notifications/preferences")]
pub async fn set_notification_preferences(email: Option<String>) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let enabled = email.is_some_and(|v| v == "on" || v == "true");
            crate::server::services::stays::set_email(&state.db, &actor, enabled).await?;
            Ok(())
        }
        .await,
    )
}

/// Starts a multi-stop trip. Logged-in users.
#[server(prefix = "/api", endpoint = "trips/create")]
pub async fn create_trip(title: String) -> Result<TripId, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let id = crate::server::services::stays::create_trip(&state.db, &actor, &title).await?;
            leptos_axum::redirect(&format!("/trips/{id}"));
            Ok(id)
        }
        .await,
    )
}

/// My trips. Logged-in users.
#[server(prefix = "/api", endpoint = "trips/mine", input = GetUrl)]
pub async fn my_trips() -> Result<Vec<TripSummary>, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::stays::my_trips(&state.db, &actor).await?)
        }
        .await,
    )
}

/// A trip with every leg's status and the route. Its traveller (and admins) only.
#[server(prefix = "/api", endpoint = "trips/get", input = GetUrl)]
pub async fn get_trip(id: i64) -> Result<TripView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::stays::trip(&state.db, &actor, TripId(id)).await?)
        }
        .await,
    )
}
