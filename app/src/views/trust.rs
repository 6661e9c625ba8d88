//! Trust between co-ops: member profiles, references after a stay, a co-op's reputation and its ledger of nights
//! hosted and sent. Each is shown only to the members of the networks it belongs to.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::trust::Side;
use crate::domain::{CountryCode, StayRequestId, UserId};

/// A reference as its readers see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferenceView {
    pub stay: StayRequestId,
    pub side: Side,
    /// Who wrote it (a name, possibly a deleted account's marker) and for which co-op.
    pub author: String,
    pub author_id: Option<UserId>,
    pub author_coop: String,
    /// Whom it is about: the host co-op's name (written by the traveller) or the traveller's name.
    pub about: String,
    pub recommend: bool,
    pub body: String,
    pub at: DateTime<Utc>,
    /// When the stay ended.
    pub check_out: NaiveDate,
}

/// A note to the coordinators written with a reference (shown to them only).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrivateNote {
    pub side: Side,
    pub author: String,
    pub recommend: bool,
    pub note: String,
}

/// The references of one stay, as one reader of the stay's page may see them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StayReferences {
    /// The side the reader writes for, if they may write now (a party whose side has not written, the window
    /// open).
    pub may_write: Option<Side>,
    /// The last day to write, once the stay is completed.
    pub last_day: Option<NaiveDate>,
    /// The references the reader may read.
    pub shown: Vec<ReferenceView>,
    /// Sides that wrote a reference the reader may not read yet (until they write theirs or the window closes).
    pub waiting: Vec<Side>,
    /// For the network's coordinators: the notes written to them.
    pub notes: Vec<PrivateNote>,
}

/// How a co-op answers and hosts, over the stays its reader may see.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reputation {
    /// References travellers wrote about it, and how many of them recommend it.
    pub references: i64,
    pub recommended: i64,
    /// Share of the requests of the last 12 months it answered (0–100), and the median time to answer, in hours.
    pub response_rate: Option<i64>,
    pub median_answer_hours: Option<i64>,
    /// Guest-nights of completed stays it hosted.
    pub nights_hosted: i64,
    /// Too few answered requests and no references yet to say anything.
    pub is_new: bool,
}

/// One line of a ledger: another co-op, or a network, with the guest-nights hosted for it and sent to it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LedgerLine {
    pub slug: String,
    pub name: String,
    /// Guest-nights this co-op hosted for travellers of the other co-op (or in the network).
    pub hosted: i64,
    /// Guest-nights this co-op's travellers spent at the other co-op (or in the network).
    pub sent: i64,
}

impl LedgerLine {
    /// A co-op or network with nothing counted yet.
    pub fn empty(slug: &str, name: &str) -> Self {
        LedgerLine { slug: slug.to_owned(), name: name.to_owned(), hosted: 0, sent: 0 }
    }

    pub fn balance(&self) -> i64 {
        self.hosted - self.sent
    }
}

/// A co-op's reciprocity ledger, derived from its completed stays: guest-nights hosted and sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ledger {
    pub hosted: i64,
    pub sent: i64,
    pub partners: Vec<LedgerLine>,
    pub networks: Vec<LedgerLine>,
}

impl Ledger {
    pub fn balance(&self) -> i64 {
        self.hosted - self.sent
    }
}

/// What a co-op's page shows its networks' members about trust.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoopTrustView {
    pub slug: String,
    pub reputation: Reputation,
    /// References travellers wrote about the co-op, newest first.
    pub references: Vec<ReferenceView>,
    pub ledger: Ledger,
}

/// A co-op a member belongs to, as their profile shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileCoop {
    pub slug: String,
    pub name: String,
}

/// A member's profile, for the members of the networks they share (never their e-mail address).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    pub id: UserId,
    pub name: String,
    pub coops: Vec<ProfileCoop>,
    pub languages: Vec<String>,
    pub bio: String,
    pub skills: Vec<String>,
    /// Countries visited through the network (completed stays), each once.
    pub countries: Vec<CountryCode>,
    /// References host co-ops wrote about them, newest first.
    pub references: Vec<ReferenceView>,
    pub is_me: bool,
    /// A moderator hid the profile's own words (bio, languages, skills).
    pub hidden: bool,
}

/// The profile fields as typed on the account page.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileForm {
    pub bio: String,
    pub languages: String,
    pub skills: String,
}

/// How the requests made in one month ended (so far).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MonthOutcomes {
    /// `YYYY-MM`.
    pub month: String,
    /// Confirmed by the network (and maybe completed since).
    pub confirmed: i64,
    /// Declined by the host, or answered with other dates.
    pub declined: i64,
    /// Not approved by the network's coordinators.
    pub rejected: i64,
    /// Unanswered until check-in.
    pub expired: i64,
    /// Withdrawn by the traveller or cancelled by either side.
    pub withdrawn: i64,
    /// Still waiting for the host or the coordinators.
    pub waiting: i64,
}

impl MonthOutcomes {
    pub fn total(&self) -> i64 {
        self.confirmed + self.declined + self.rejected + self.expired + self.withdrawn + self.waiting
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CountryNights {
    pub country: CountryCode,
    /// Guest-nights of completed stays at co-ops of this country.
    pub nights: i64,
}

/// An accepted request waiting for the coordinators, and for how long.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenApproval {
    pub stay: StayRequestId,
    pub offer_title: String,
    pub host_coop: String,
    pub traveller_coop: String,
    pub check_in: NaiveDate,
    /// Days since the host accepted.
    pub days_waiting: i64,
}

/// A network's figures for its coordinators.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DashboardView {
    pub slug: String,
    pub name: String,
    /// The last 12 months, oldest first, by the month each request was made.
    pub months: Vec<MonthOutcomes>,
    /// Share of the requests answered or expired that the hosts accepted (0–100), and the median answer time.
    pub acceptance_rate: Option<i64>,
    pub median_answer_hours: Option<i64>,
    pub countries: Vec<CountryNights>,
    /// Every co-op with stays in the network: guest-nights hosted and sent, largest balance first.
    pub balances: Vec<LedgerLine>,
    pub open_approvals: Vec<OpenApproval>,
}

impl DashboardView {
    /// Co-ops that host but have never sent a traveller.
    pub fn host_only(&self) -> impl Iterator<Item = &LedgerLine> {
        self.balances.iter().filter(|l| l.hosted > 0 && l.sent == 0)
    }

    /// Co-ops whose travellers stayed elsewhere but that have never hosted.
    pub fn travel_only(&self) -> impl Iterator<Item = &LedgerLine> {
        self.balances.iter().filter(|l| l.sent > 0 && l.hosted == 0)
    }
}
