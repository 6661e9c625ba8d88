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
    #[error("that does not look like an e-mail address")]
    InvalidEmail,
    #[error("the password must have at least 8 characters")]
    PasswordTooShort,
    #[error("the password must have at most 128 characters")]
    PasswordTooLong,
    #[error("this password is too common: choose one that is harder to guess")]
    PasswordTooCommon,
    #[error("{0:?} is not a valid short name: use 2 to 64 lower-case letters, digits and inner hyphens")]
    InvalidSlug(String),
    #[error("the {field} must have between {min} and {max} characters")]
    Length { field: &'static str, min: usize, max: usize },
    #[error("the {0} contains control characters")]
    ControlCharacters(&'static str),
    #[error("the website must start with https:// or http:// and name a host")]
    InvalidWebsite,
    #[error("languages are two-letter ISO 639-1 codes separated by commas, such as \"es, en\"")]
    InvalidLanguages,
    #[error("a {from} request cannot be asked to {action}")]
    TransitionNotAllowed { from: &'static str, action: &'static str },
}
