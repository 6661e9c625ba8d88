//! Stay requests, their nights, messages and events; trips; notifications.

use crate::domain::{CountryCode, OfferId, Purpose, StayAction, StayRequestId, StayStatus, TripId};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A request as listed on the traveller's, the host's and the coordinator's pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaySummary {
    pub id: StayRequestId,
    pub offer_id: OfferId,
    pub offer_title: String,
    pub offer_kind: String,
    pub host_coop_slug: String,
    pub host_coop_name: String,
    pub traveller_id: crate::domain::UserId,
    pub traveller_name: String,
    pub traveller_coop_slug: String,
    pub traveller_coop_name: String,
    pub network_name: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub nights: i64,
    pub guests: i32,
    pub purpose: Purpose,
    pub message: String,
    pub skills_offered: String,
    pub status: StayStatus,
    /// Dates the host suggested instead, if any.
    pub suggested: Option<(NaiveDate, NaiveDate)>,
    /// The traveller's trip this request is a leg of, if any.
    pub trip: Option<TripId>,
}

/// A night of an offer's calendar as its reader may see it: whether it is open, and — for hosts and logged-in
/// members only — how many places are free. Logged-out visitors never learn how many places are booked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NightView {
    pub night: NaiveDate,
    /// At least one place free.
    pub open: bool,
    pub places: Option<NightPlaces>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct NightPlaces {
    pub free: i32,
    pub capacity: i32,
}

/// A request in the host's inbox, with the offer's calendar over its nights.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InboxItem {
    pub stay: StaySummary,
    pub nights: Vec<NightView>,
    /// The skills the offer asks for that the traveller brings (in the request or on their profile).
    pub matching_skills: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StayEventView {
    /// Who moved it; none when the system did (an expiry, a completion, a network's automatic approval).
    pub actor: Option<String>,
    pub from: Option<StayStatus>,
    pub to: StayStatus,
    pub note: String,
    pub at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MessageView {
    pub id: crate::domain::StayMessageId,
    pub author: String,
    /// Empty when a moderator hid it.
    pub body: String,
    pub hidden: bool,
    /// Written by the reader (nothing to report).
    pub mine: bool,
    pub at: DateTime<Utc>,
}

/// One request, as one of the people involved sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StayDetail {
    pub stay: StaySummary,
    /// The exact address: for the host admins, and for the traveller once the stay is confirmed.
    pub address: Option<String>,
    pub events: Vec<StayEventView>,
    pub messages: Vec<MessageView>,
    /// What the caller may do now.
    pub actions: Vec<StayAction>,
    pub is_traveller: bool,
    /// The references after the stay, as the caller may see them.
    pub references: crate::views::trust::StayReferences,
    /// Its invitation letters, for the traveller and the host admins.
    pub letters: crate::views::letters::StayLetters,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TripSummary {
    pub id: TripId,
    pub title: String,
    pub legs: usize,
}

/// One stop of a trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TripLeg {
    pub stay: StaySummary,
    pub city: String,
    pub country: CountryCode,
    /// The host co-op's public (fuzzed) location.
    pub lat: f64,
    pub lon: f64,
    /// Great-circle distance from the previous stop, in km.
    pub km_from_previous: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TripView {
    pub id: TripId,
    pub title: String,
    pub legs: Vec<TripLeg>,
    pub total_km: f64,
}

impl NightView {
    /// A night with its counts (`with_places`) or only open/full.
    pub fn new(night: NaiveDate, capacity: i32, reserved: i32, with_places: bool) -> Self {
        let free = (capacity - reserved).max(0);
        NightView { night, open: free > 0, places: with_places.then_some(NightPlaces { free, capacity }) }
    }
}
