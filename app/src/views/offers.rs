//! Offers: the public offer page, the offer form and the host's views.

use crate::domain::{CountryCode, OfferId, OfferKind, OfferStatus};
use crate::views::stays::NightView;
use serde::{Deserialize, Serialize};

/// Everything about an offer but its exact address, with its availability for the coming weeks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct OfferPage {
    pub id: OfferId,
    pub coop_slug: String,
    pub coop_name: String,
    pub country: CountryCode,
    pub city: String,
    pub kind: OfferKind,
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
    pub status: OfferStatus,
    pub form: OfferForm,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OfferListItem {
    pub id: OfferId,
    pub kind: OfferKind,
    pub title: String,
    pub status: OfferStatus,
    pub capacity: i32,
}
