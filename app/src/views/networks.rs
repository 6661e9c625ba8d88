//! Networks: their list, a network's page, memberships and the audit trail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::MembershipStatus;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkSummary {
    pub slug: String,
    pub name: String,
    pub description: String,
    /// ISO 3166-1 alpha-2 for a national federation; `None` for a global network.
    pub country: Option<String>,
    pub auto_approve_verified: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MembershipView {
    pub coop_slug: String,
    pub coop_name: String,
    pub country: String,
    pub city: String,
    pub status: MembershipStatus,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditView {
    pub action: String,
    pub actor: String,
    pub coop: String,
    pub note: String,
    pub at: DateTime<Utc>,
}

/// A network's page. `queue` and `audit` are empty unless the caller coordinates it (or is an admin).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NetworkPage {
    pub network: NetworkSummary,
    pub verified: Vec<MembershipView>,
    pub queue: Vec<MembershipView>,
    pub coordinators: Vec<String>,
    pub can_coordinate: bool,
    pub audit: Vec<AuditView>,
}
