//! Public offer pages.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::api::stays::NightView;
use crate::domain::{CountryCode, OfferId};
use crate::error::AppError;

/// Everything about an offer but its exact address, with its availability for the coming weeks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferPage {
    pub id: OfferId,
    pub coop_slug: String,
    pub coop_name: String,
    pub country: CountryCode,
    pub city: String,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub capacity: i32,
    pub min_nights: i32,
    pub max_nights: i32,
    pub notice_days: i32,
    pub languages: String,
    pub amenities: String,
    pub accessibility: String,
    pub house_rules: String,
    pub skills_wanted: String,
    pub public_lat: f64,
    pub public_lon: f64,
    /// The next nights of the calendar (free places = capacity − reserved).
    pub nights: Vec<NightView>,
}

/// A published offer of a verified co-op: anyone may read it. Drafts and paused offers: their host admins only.
#[server(prefix = "/api", endpoint = "offers/get", input = GetUrl)]
pub async fn get_offer(id: i64) -> Result<OfferPage, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::stays::offer_page(&state.db, &actor, OfferId(id), state.clock.today()).await?)
        }
        .await,
    )
}

/// An offer as typed in its form (parsed by the server).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferForm {
    pub kind: String,
    pub title: String,
    pub description: String,
    pub capacity: String,
    pub min_nights: String,
    pub max_nights: String,
    pub notice_days: String,
    pub languages: String,
    pub amenities: String,
    pub accessibility: String,
    pub house_rules: String,
    pub skills_wanted: String,
    /// Exact address: shown only to confirmed guests.
    pub address: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferManageView {
    pub id: OfferId,
    pub coop_slug: String,
    pub status: String,
    pub form: OfferForm,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferListItem {
    pub id: OfferId,
    pub kind: String,
    pub title: String,
    pub status: String,
    pub capacity: i32,
}

/// Creates a draft offer for a co-op. Its host admins only.
#[server(prefix = "/api", endpoint = "offers/create")]
pub async fn create_offer(coop: String, offer: OfferForm) -> Result<OfferId, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let id = crate::server::services::offers::create(&state.db, &actor, &coop, &offer).await?;
            leptos_axum::redirect(&format!("/offers/{id}/calendar"));
            Ok(id)
        }
        .await,
    )
}

/// Saves an offer. Its co-op's host admins only.
#[server(prefix = "/api", endpoint = "offers/update")]
pub async fn update_offer(id: i64, offer: OfferForm) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::offers::update(&state.db, &actor, OfferId(id), &offer).await?;
            Ok(())
        }
        .await,
    )
}

/// Publishes, pauses or returns an offer to draft (`status`). Its co-op's host admins only.
#[server(prefix = "/api", endpoint = "offers/status")]
pub async fn set_offer_status(id: i64, status: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::offers::set_status(&state.db, &actor, OfferId(id), &status).await?;
            Ok(())
        }
        .await,
    )
}

/// Deletes an offer without requests in progress. Its co-op's host admins only.
#[server(prefix = "/api", endpoint = "offers/delete")]
pub async fn delete_offer(id: i64) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let slug = crate::server::services::offers::delete(&state.db, &actor, OfferId(id)).await?;
            leptos_axum::redirect(&format!("/coops/{slug}/offers"));
            Ok(())
        }
        .await,
    )
}

/// The edit form's values, address included. Its co-op's host admins only.
#[server(prefix = "/api", endpoint = "offers/manage", input = GetUrl)]
pub async fn manage_offer(id: i64) -> Result<OfferManageView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::offers::manage_view(&state.db, &actor, OfferId(id)).await?)
        }
        .await,
    )
}

/// Every offer of a co-op, drafts included. Its host admins only.
#[server(prefix = "/api", endpoint = "offers/of-coop", input = GetUrl)]
pub async fn coop_offers(coop: String) -> Result<Vec<OfferListItem>, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::offers::of_coop(&state.db, &actor, &coop).await?)
        }
        .await,
    )
}
