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
