//! The co-op directory.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;
use serde::{Deserialize, Serialize};

use crate::domain::{CountryCode, OfferId, OfferKind};
use crate::error::AppError;

/// The home page's data: listed co-ops with their offers, and the countries to filter by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoopDirectory {
    /// The country filter applied, if any.
    pub country: Option<CountryCode>,
    /// Every country with at least one listed co-op (not only the filtered one).
    pub countries: Vec<CountryCount>,
    pub coops: Vec<CoopCard>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CountryCount {
    pub country: CountryCode,
    pub coops: i64,
}

/// A co-op as the public sees it: no exact location, no members.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoopCard {
    pub slug: String,
    pub name: String,
    pub country: CountryCode,
    pub city: String,
    pub website: String,
    pub description: String,
    pub languages: Vec<String>,
    pub offers: Vec<OfferCard>,
}

/// A published offer as the public sees it: no address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferCard {
    pub id: OfferId,
    pub kind: OfferKind,
    pub title: String,
    pub description: String,
    pub capacity: i32,
    pub min_nights: i32,
    pub max_nights: i32,
    pub notice_days: i32,
    pub languages: Vec<String>,
}

/// Lists the co-ops verified in at least one network, with their published offers, optionally of one country
/// (`country` is an ISO 3166-1 alpha-2 code; empty means all).
///
/// Public: anyone, logged in or not, may read the directory. Read-only, hence a GET endpoint.
#[server(prefix = "/api", endpoint = "coops/list", input = GetUrl)]
pub async fn list_coops(country: Option<String>) -> Result<CoopDirectory, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let country = country.filter(|c| !c.trim().is_empty()).map(|c| CountryCode::parse(&c)).transpose()?;
            Ok(crate::server::services::directory::coop_directory(&state.db, country.as_ref()).await?)
        }
        .await,
    )
}
