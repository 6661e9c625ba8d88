//! The public directory of co-ops and their offers (the home page).

use std::collections::HashMap;

use crate::domain::{CountryCode, OfferKind};
use crate::server::store::{self, offers::PublicOfferRow};
use crate::server::{Db, ServiceError};
use crate::views::coops::{CoopCard, CoopDirectory, CountryCount, OfferCard};

/// Listed co-ops (verified in some network) with their published offers, optionally of one country, read from one
/// snapshot in three queries whatever the number of co-ops.
pub async fn coop_directory(db: &Db, country: Option<&CountryCode>) -> Result<CoopDirectory, ServiceError> {
    let code = country.map(CountryCode::as_str);
    let mut tx = db.begin_read().await?;
    let countries = store::coops::listed_countries(&mut tx).await?;
    let coops = store::coops::list_listed(&mut tx, code).await?;
    let offers = store::offers::list_published_of_listed(&mut tx, code).await?;
    tx.commit().await?;

    let mut offers_by_coop: HashMap<_, Vec<OfferCard>> = HashMap::new();
    for row in offers {
        let coop = row.coop_id;
        offers_by_coop.entry(coop).or_default().push(offer_card(row)?);
    }
    let coops = coops
        .into_iter()
        .map(|row| {
            Ok(CoopCard {
                offers: offers_by_coop.remove(&row.coop_id).unwrap_or_default(),
                slug: row.slug,
                name: row.name,
                country: CountryCode::parse(&row.country)?,
                city: row.city,
                website: row.website,
                description: row.description,
                languages: split_list(&row.languages),
            })
        })
        .collect::<Result<Vec<_>, ServiceError>>()?;
    let countries = countries
        .into_iter()
        .map(|(code, coops)| Ok(CountryCount { country: CountryCode::parse(&code)?, coops }))
        .collect::<Result<Vec<_>, ServiceError>>()?;
    Ok(CoopDirectory { country: country.cloned(), countries, coops })
}

fn offer_card(row: PublicOfferRow) -> Result<OfferCard, ServiceError> {
    Ok(OfferCard {
        id: row.offer_id,
        kind: OfferKind::parse(&row.kind)?,
        title: row.title,
        description: row.description,
        capacity: row.default_capacity,
        min_nights: row.min_nights,
        max_nights: row.max_nights,
        notice_days: row.notice_days,
        languages: split_list(&row.languages),
    })
}

/// Stored lists are comma-separated; empty items are dropped.
fn split_list(raw: &str) -> Vec<String> {
    raw.split(',').map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect()
}
