//! Safety: blocks, reports, the moderation queue and the audit trail.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::{ReportId, StayRequestId, UserId};

/// What can be reported, as the report form names it.
pub const SUBJECT_KINDS: [&str; 4] = ["person", "offer", "coop", "message"];
/// Why, as the report form offers it.
pub const REASONS: [&str; 5] = ["spam", "scam", "harassment", "unsafe", "other"];
/// What a moderator does with a report.
pub const ACTIONS: [&str; 4] = ["dismiss", "hide", "warn", "suspend"];

/// Someone the reader blocked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BlockedPerson {
    pub id: UserId,
    pub name: String,
    pub since: DateTime<Utc>,
}

/// What the report page is about, named for the reporter.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportTarget {
    pub kind: String,
    pub target: String,
    /// The profile's name, the offer's title, the co-op's name, or the message's first words.
    pub label: String,
    /// Where the reporter came from.
    pub back: String,
}

/// A report as its moderators see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReportView {
    pub id: ReportId,
    pub kind: String,
    pub reason: String,
    pub note: String,
    pub at: DateTime<Utc>,
    pub reporter: String,
    /// The subject's name or title, and where it is.
    pub label: String,
    pub link: Option<String>,
    /// The text reported (a message, a profile, a description), as it stands now.
    pub content: String,
    /// The person responsible, whom a moderator may warn or suspend.
    pub about: Option<(UserId, String)>,
    pub about_suspended: bool,
    /// Other reports about the same person.
    pub about_reports: i64,
    /// Whether the content is hidden already.
    pub hidden: bool,
    /// Whether hiding applies to this kind of subject.
    pub hideable: bool,
    pub handled: Option<Handled>,
    /// The stay whose thread a message is in.
    pub stay: Option<StayRequestId>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handled {
    pub at: DateTime<Utc>,
    pub by: String,
    pub outcome: String,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModerationQueue {
    pub open: Vec<ReportView>,
    pub handled: Vec<ReportView>,
    pub is_admin: bool,
}

/// A moderator's decision on a report, as the queue's form sends it.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub action: String,
    /// For a suspension: how many days; empty: for good.
    pub days: String,
    pub note: String,
}

/// One line of the audit trail.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditLine {
    pub at: DateTime<Utc>,
    pub action: String,
    pub actor: Option<String>,
    pub subject: Option<String>,
    pub coop: Option<String>,
    pub network: Option<String>,
    pub note: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub query: String,
    pub lines: Vec<AuditLine>,
    /// Whether more lines matched than are shown.
    pub more: bool,
}
