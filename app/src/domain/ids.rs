//! Typed ids, so an offer id can never be passed where a co-op id is expected.

use serde::{Deserialize, Serialize};
use std::fmt;

macro_rules! id_type {
    ($($(#[$meta:meta])* $name:ident),* $(,)?) => {$(
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        #[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
        pub struct $name(pub i64);

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }
    )*};
}

id_type!(
    /// A network of co-ops (Patio, FACTTIC…).
    NetworkId,
    /// A worker co-operative.
    CoopId,
    /// A person with an account.
    UserId,
    /// Something a co-op offers: a room, a bed, a couch, a desk or a visit.
    OfferId,
    /// A traveller's request to stay.
    StayRequestId,
    /// A multi-stop trip made of stay requests.
    TripId,
    /// A message in a stay request's thread.
    StayMessageId,
    /// A member's report of a profile, an offer, a co-op or a message.
    ReportId,
);
