//! Search: results, and the offline place list's entries.

use crate::domain::{CountryCode, OfferId, OfferKind};
use serde::{Deserialize, Serialize};

/// One result: an offer with enough free places on every night, and how far it is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SearchHit {
    pub offer: OfferId,
    pub title: String,
    pub kind: OfferKind,
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
    /// The skills the host asks for (free tags), and those of them the searcher brings.
    pub skills_wanted: Vec<String>,
    pub matching: Vec<String>,
    /// The host co-op's reputation in the searcher's networks: for logged-in members who may see it.
    pub reputation: Option<crate::views::trust::Reputation>,
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
