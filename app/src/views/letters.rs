//! Invitation letters: issued by a host co-op for a confirmed stay, for the traveller's visa office or employer,
//! and checked by anyone holding one at its public address.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{CountryCode, Purpose};

/// The languages a letter is written in.
pub const LANGUAGES: [&str; 3] = ["en", "es", "pt"];

/// Whether a letter still stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum LetterState {
    Valid,
    /// The host co-op withdrew it.
    Withdrawn,
    /// Its stay was cancelled (or otherwise no longer stands).
    StayCancelled,
}

/// What a letter says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterFacts {
    pub traveller_name: String,
    pub traveller_coop: String,
    pub host_coop: String,
    pub host_city: String,
    pub host_country: CountryCode,
    pub network_name: String,
    pub check_in: NaiveDate,
    pub check_out: NaiveDate,
    pub nights: i64,
    pub purpose: Purpose,
    /// Where the traveller stays. The verification page leaves it out once the letter no longer stands.
    pub address: Option<String>,
    /// The host admin who issued it; empty once they deleted their account.
    pub signer_name: String,
    pub issued_at: DateTime<Utc>,
    /// The language it is written in (`en`, `es`, `pt`).
    pub language: String,
}

/// A letter as its verification page shows it: only what the letter says, and whether it still stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterCheck {
    pub reference: String,
    pub state: LetterState,
    pub revoked_at: Option<DateTime<Utc>>,
    pub facts: LetterFacts,
}

/// A letter listed on its stay's page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LetterLink {
    pub token: String,
    pub language: String,
    pub issued_at: DateTime<Utc>,
    pub state: LetterState,
    pub revoked_note: String,
}

/// The letters of a stay, for its page: the traveller and the host admins download them, the host admins issue
/// and withdraw them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StayLetters {
    pub letters: Vec<LetterLink>,
    /// The reader is a host admin of a confirmed stay.
    pub may_issue: bool,
    /// The language the letter would be written in unless the host chooses another: the traveller's.
    pub traveller_language: String,
}
