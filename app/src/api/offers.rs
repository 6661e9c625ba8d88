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
            Ok(crate::server::services::stays::offer_page(&state.db, &actor, OfferId(id), super::today()).await?)
        }
        .await,
    )
}
