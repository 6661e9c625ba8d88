//! Search: offers near a point, free on every night of a range for a number of guests.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::domain::{CountryCode, OfferId};
use crate::error::AppError;

/// One result: an offer with enough free places on every night, and how far it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub offer: OfferId,
    pub title: String,
    pub kind: String,
    pub coop_slug: String,
    pub coop_name: String,
    pub city: String,
    pub country: CountryCode,
    /// Public (fuzzed) location.
    pub lat: f64,
    pub lon: f64,
    pub distance_km: f64,
    /// The fewest free places over the nights asked for.
    pub free_places: i32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchResults {
    pub hits: Vec<SearchHit>,
    /// Results beyond this page.
    pub more: bool,
}

/// Offers of verified co-ops within `radius_km` of (`lat`, `lon`), published, with at least `guests` free places on
/// every night of [`check_in`, `check_out`), nearest first, `kinds` (comma-separated) if given, 20 per `page`.
/// Anyone may search; only public data is returned.
#[server(prefix = "/api", endpoint = "search/offers", input = GetUrl)]
pub async fn search_offers(
    lat: f64,
    lon: f64,
    radius_km: f64,
    check_in: NaiveDate,
    check_out: NaiveDate,
    guests: i32,
    kinds: Option<String>,
    page: Option<u32>,
) -> Result<SearchResults, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let query = crate::server::services::search::Query {
                lat,
                lon,
                radius_km,
                check_in,
                check_out,
                guests,
                kinds: kinds.unwrap_or_default(),
                page: page.unwrap_or(0),
            };
            Ok(crate::server::services::search::search(&state.db, &query).await?)
        }
        .await,
    )
}
