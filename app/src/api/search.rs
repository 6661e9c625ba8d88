//! Search: offers near a point, free on every night of a range for a number of guests; and the offline place list
//! that turns what people type ("cordoba, es") into that point.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::views::search::{PlaceHit, SearchResults};

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
/// `language` (ISO 639-1) if given, 20 per `page`. For a logged-in member, each hit says which of the skills it asks
/// for they bring (their profile's), and `skills=mine` keeps only the offers that ask for one of them.
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
    skills: Option<String>,
) -> Result<SearchResults, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            // Nights in the past are never free: say so rather than list them.
            let today = state.clock.today();
            if check_in < today {
                return Err(AppError::Validation(crate::error::Refusal::PastCheckIn { check_in, today }));
            }
            let actor = super::actor().await?;
            let brought = crate::server::services::trust::my_skills(&state.db, &actor).await?;
            let only_matching = match skills.as_deref() {
                None | Some("") => false,
                Some("mine") => true,
                Some(other) => {
                    return Err(AppError::Validation(crate::error::Refusal::UnknownValue {
                        field: "skills".into(),
                        value: other.into(),
                    }));
                }
            };
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
                brought,
                only_matching,
                apart_from: match &actor.user {
                    Some(user) => crate::server::services::safety::coops_apart_from(&state.db, user.id).await?,
                    None => Vec::new(),
                },
            };
            let mut results = crate::server::services::search::search(&state.db, &query).await?;
            let slugs: Vec<String> = results.hits.iter().map(|hit| hit.coop_slug.clone()).collect();
            let reputations =
                crate::server::services::trust::reputations(&state.db, &actor, &slugs, state.clock.now()).await?;
            for hit in &mut results.hits {
                hit.reputation = reputations.get(&hit.coop_slug).cloned();
            }
            Ok(results)
        }
        .await,
    )
}
