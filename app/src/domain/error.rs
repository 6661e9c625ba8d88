//! Why a value or a rule was refused, in terms a user can act on.

use serde::{Deserialize, Serialize};

/// A domain rule said no. Each variant names the rule; the UI turns it into a translated message.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum DomainError {
    #[error("a country must be a two-letter ISO 3166-1 code, got {0:?}")]
    InvalidCountry(String),
    #[error("latitude must be between -90 and 90 and longitude between -180 and 180")]
    InvalidCoordinates,
    #[error("check-out must be after check-in")]
    EmptyDateRange,
    #[error("unknown value {value:?} for {field}")]
    UnknownValue { field: &'static str, value: String },
}
