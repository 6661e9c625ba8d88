//! Stay requests: asking, the host's and the coordinators' decisions, the thread of messages, notifications.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use crate::domain::{OfferId, StayAction};
use crate::domain::{StayRequestId, TripId};
use crate::error::AppError;
use crate::views::notifications::NotificationsView;
use crate::views::stays::{InboxItem, StayDetail, StaySummary, TripSummary, TripView};

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
            let id = crate::server::services::stays::request(&state.db, &actor, &new, state.clock.now(), state.limits)
                .await?;
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
                state.clock.now(),
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
            let new_id = crate::server::services::stays::rebook(
                &state.db,
                &actor,
                StayRequestId(id),
                state.clock.now(),
                state.limits,
            )
            .await?;
            leptos_axum::redirect(&format!("/stays/{new_id}"));
            Ok(new_id)
        }
        .await,
    )
}

/// Files a request under one of the traveller's trips, or under none (`trip_id` empty). The request's traveller
/// only; another trip or request is not found.
#[server(prefix = "/api", endpoint = "stays/trip")]
pub async fn set_stay_trip(id: i64, trip_id: Option<String>) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let trip = match trip_id.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                None => None,
                Some(t) => Some(TripId(
                    t.parse()
                        .map_err(|_| AppError::Validation(crate::error::Refusal::NotATrip { value: t.to_owned() }))?,
                )),
            };
            Ok(crate::server::services::stays::set_trip(&state.db, &actor, StayRequestId(id), trip).await?)
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
            let now = state.clock.now().moment();
            crate::server::services::stays::post_message(
                &state.db,
                &actor,
                StayRequestId(id),
                &body,
                now,
                state.limits,
            )
            .await?;
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
            Ok(crate::server::services::stays::detail(&state.db, &actor, StayRequestId(id), state.clock.now()).await?)
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

/// Chooses how each topic of notifications is e-mailed: `now`, `digest` (once a day) or `none`, one field per
/// topic (`stays`, `messages`, `approvals`, `network`); a topic left out keeps its setting. Logged-in users.
#[server(prefix = "/api", endpoint = "notifications/preferences")]
pub async fn set_notification_preferences(
    stays: Option<String>,
    messages: Option<String>,
    approvals: Option<String>,
    network: Option<String>,
) -> Result<(), AppError> {
    use crate::domain::notice::{EmailMode, Topic};
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let chosen = [
                (Topic::Stays, stays),
                (Topic::Messages, messages),
                (Topic::Approvals, approvals),
                (Topic::Network, network),
            ];
            let mut modes = Vec::new();
            for (topic, value) in chosen {
                if let Some(value) = value {
                    modes.push((topic, EmailMode::parse(&value)?));
                }
            }
            crate::server::services::stays::set_email(&state.db, &actor, &modes).await?;
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
