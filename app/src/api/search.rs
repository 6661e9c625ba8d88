//! Search: offers near a point, free on every night of a range for a number of guests; and the offline place list
//! that turns what people type ("cordoba, es") into that point.

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
    /// This page of results, nearest first.
    pub hits: Vec<SearchHit>,
    /// Results beyond this page.
    pub more: bool,
}

/// A place of the offline list (GeoNames, places with 15,000+ people).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceHit {
    /// GeoNames id.
    pub id: u32,
    pub name: String,
    pub country: CountryCode,
    pub lat: f64,
    pub lon: f64,
    pub population: u32,
}

impl PlaceHit {
    /// "Córdoba, AR": what the search box shows once the place is chosen, and reads back unambiguously.
    pub fn label(&self) -> String {
        format!("{}, {}", self.name, self.country.as_str())
    }
}

/// Up to 8 places whose name (in any language the list knows) starts with `q`, ignoring accents and case, best
/// first (exact names, then most populous). A country after a comma narrows them: "cordoba, es". Anyone may ask;
/// nothing leaves the server.
#[server(prefix = "/api", endpoint = "places/suggest", input = GetUrl)]
pub async fn suggest_places(q: String) -> Result<Vec<PlaceHit>, AppError> {
    Ok(crate::server::places::suggest(&q, 8)
        .into_iter()
        .map(|p| PlaceHit {
            id: p.id,
            name: p.name.to_owned(),
            country: p.country.clone(),
            lat: p.lat,
            lon: p.lon,
            population: p.population,
        })
        .collect())
}

/// Offers of verified co-ops within `radius_km` of (`lat`, `lon`), published, with at least `guests` free places on
/// every night of [`check_in`, `check_out`), nearest first, `kinds` (comma-separated) if given, speaking
/// `language` (ISO 639-1) if given, 20 per `page`.
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
    language: Option<String>,
    page: Option<u32>,
) -> Result<SearchResults, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            // Nights in the past are never free: say so rather than list them.
            let today = state.clock.today();
            if check_in < today {
                return Err(AppError::Validation(format!(
                    "The check-in date {check_in} is in the past: search from {today} on."
                )));
            }
            let query = crate::server::services::search::Query {
                lat,
                lon,
                radius_km,
                check_in,
                check_out,
                guests,
                kinds: kinds.unwrap_or_default(),
                language: language.unwrap_or_default(),
                page: page.unwrap_or(0),
            };
            Ok(crate::server::services::search::search(&state.db, &query).await?)
        }
        .await,
    )
}
