//! Pure types and rules shared by the server and the browser: nothing here touches a database or the network.
//!
//! Constructors parse raw input into values that are valid by construction ("parse, don't validate"), so a form
//! can check early in the browser and the server re-checks with the very same code.

pub mod account;
pub mod calendar;
pub mod country;
pub mod dates;
pub mod error;
pub mod ids;
pub mod location;
pub mod map;
pub mod notice;
pub mod offer;
pub mod redirect;
pub mod safety;
pub mod stay;
pub mod trust;

pub use country::CountryCode;
pub use dates::DateRange;
pub use error::DomainError;
pub use ids::{CoopId, NetworkId, OfferId, ReportId, StayMessageId, StayRequestId, TripId, UserId};
pub use location::LatLon;
pub use offer::{OfferKind, OfferStatus};
pub use stay::{
    CapacityEffect, CoopRole, MembershipStatus, Purpose, StayAction, StayActor, StayStatus, Timing, Transition,
};
