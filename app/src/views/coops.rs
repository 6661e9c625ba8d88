//! Co-ops: the directory, a co-op's page, its forms, members and network standing.

use crate::domain::{CoopRole, CountryCode, MembershipStatus, OfferId, OfferKind};
use serde::{Deserialize, Serialize};

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

/// A co-op profile as typed in the form (parsed by the server).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct CoopForm {
    pub name: String,
    pub country: String,
    pub city: String,
    pub lat: String,
    pub lon: String,
    pub website: String,
    pub description: String,
    pub languages: String,
    /// An IANA zone name (`America/Argentina/Buenos_Aires`); empty: the zone of its place.
    pub time_zone: String,
}

/// A co-op's standing in a network.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkStanding {
    pub slug: String,
    pub name: String,
    pub status: MembershipStatus,
}

/// The public page of a co-op: its fuzzed location only.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoopPage {
    pub slug: String,
    pub name: String,
    pub country: CountryCode,
    pub city: String,
    pub public_lat: f64,
    pub public_lon: f64,
    pub website: String,
    pub description: String,
    pub languages: Vec<String>,
    pub networks: Vec<NetworkStanding>,
    /// Whether the caller may edit it and manage its members.
    pub can_manage: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoopEditView {
    pub slug: String,
    pub form: CoopForm,
    /// The zone of the co-op's place, used when none is chosen.
    pub place_zone: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MemberView {
    pub user_id: crate::domain::UserId,
    pub display_name: String,
    pub email: String,
    pub role: CoopRole,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembersView {
    pub slug: String,
    pub name: String,
    pub members: Vec<MemberView>,
    /// Unused, unexpired invitations: (role, expiry date).
    pub open_invites: Vec<(String, String)>,
}
