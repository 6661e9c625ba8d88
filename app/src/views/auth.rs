//! Accounts: who is logged in, their account page.

use crate::domain::{CoopRole, UserId};
use serde::{Deserialize, Serialize};

/// The logged-in person, as the UI needs them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub is_admin: bool,
    /// Unread notifications, for the badge in the header.
    pub unread_notifications: i64,
    /// A host admin of some co-op: the header links to the host inbox.
    pub hosts: bool,
    /// Coordinates some network (or is an admin): the header links to the approvals.
    pub coordinates: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CoopRoleView {
    pub slug: String,
    pub name: String,
    pub role: CoopRole,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NetworkLink {
    pub slug: String,
    pub name: String,
}

/// The account page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountView {
    pub user: CurrentUser,
    pub coops: Vec<CoopRoleView>,
    pub networks: Vec<NetworkLink>,
}

/// Everything stored about a person, as they download it from their account page (`/api/auth/export`). Their own
/// words and the facts of their stays; never another person's e-mail address or anything only hosts see.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AccountExport {
    /// When the export was made.
    pub exported_at: chrono::DateTime<chrono::Utc>,
    pub profile: ExportProfile,
    pub coops: Vec<ExportMembership>,
    pub networks_coordinated: Vec<ExportMembership>,
    pub stay_requests: Vec<ExportStay>,
    /// Messages I wrote, on any request (mine, or one my co-op hosts or my network approves).
    pub messages_written: Vec<ExportMessage>,
    pub notifications: Vec<ExportNotification>,
    pub trips: Vec<ExportTrip>,
    /// References I wrote after a stay, for my co-op or as its traveller (with my notes to the coordinators).
    pub references_written: Vec<ExportReference>,
    /// Invitation letters inviting me, and those I issued for my co-op, as they were issued.
    pub invitation_letters: Vec<ExportLetter>,
    /// The people I blocked.
    pub blocked: Vec<crate::views::safety::BlockedPerson>,
    /// Reports I made (what about, why, my note, and whether they were handled).
    pub reports_made: Vec<ExportReport>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportReport {
    pub kind: String,
    pub reason: String,
    pub note: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub handled: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportLetter {
    pub stay_request: i64,
    /// `invited` (I am its traveller) or `issued` (I signed it).
    pub role: String,
    pub language: String,
    pub traveller_name: String,
    pub host_coop: String,
    pub address: String,
    pub signer_name: String,
    pub issued_at: chrono::DateTime<chrono::Utc>,
    pub withdrawn_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportReference {
    pub stay_request: i64,
    pub side: String,
    pub recommend: bool,
    pub body: String,
    pub private_note: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportProfile {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub locale: String,
    pub is_admin: bool,
    pub bio: String,
    pub languages: String,
    pub skills: String,
    /// How each topic of notifications is e-mailed.
    pub email_preferences: Vec<(crate::domain::notice::Topic, crate::domain::notice::EmailMode)>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub email_verified_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// A co-op I belong to (with my role), or a network I coordinate (role `coordinator`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportMembership {
    pub slug: String,
    pub name: String,
    pub role: String,
    pub since: chrono::DateTime<chrono::Utc>,
}

/// A request I made as a traveller, with its history and its whole thread.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportStay {
    pub id: i64,
    pub offer: String,
    pub host_coop: String,
    pub my_coop: String,
    pub network: String,
    pub check_in: chrono::NaiveDate,
    pub check_out: chrono::NaiveDate,
    pub guests: i32,
    pub purpose: String,
    pub message: String,
    pub skills_offered: String,
    pub status: String,
    pub trip: Option<i64>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub history: Vec<ExportEvent>,
    pub thread: Vec<ExportMessage>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportEvent {
    pub from_status: Option<String>,
    pub to_status: String,
    pub note: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportMessage {
    pub stay_request: i64,
    /// The author's display name ("a former member" once they deleted their account).
    pub author: String,
    pub mine: bool,
    pub body: String,
    pub at: chrono::DateTime<chrono::Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportNotification {
    pub kind: String,
    pub body: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub read_at: Option<chrono::DateTime<chrono::Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExportTrip {
    pub id: i64,
    pub title: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}
