//! What notifications are about, who reads them, and how a person wants them e-mailed.

use super::offer::text_enum;

text_enum!(
    /// What a notification is about. A person chooses how each topic is e-mailed; account mail (links, notices
    /// about the account itself) is always sent and a digest carries the others.
    Topic, "topic" {
        Stays => "stays",
        Messages => "messages",
        Approvals => "approvals",
        Network => "network",
        Account => "account",
        Digest => "digest",
    }
);

impl Topic {
    /// The topics a person chooses for, in the order the settings show them.
    pub const CHOSEN: &'static [Topic] = &[Topic::Stays, Topic::Messages, Topic::Approvals, Topic::Network];
}

text_enum!(
    /// How notifications of a topic are e-mailed: each at once, gathered into one e-mail a day, or not at all
    /// (they are listed in the app whatever the choice).
    EmailMode, "e-mail setting" {
        Now => "now",
        Digest => "digest",
        None => "none",
    }
);

text_enum!(
    /// In which part the reader takes a notification, so that its next step fits them.
    Audience, "audience" {
        Traveller => "traveller",
        Host => "host",
        Coordinator => "coordinator",
        Member => "member",
    }
);

/// Notification kinds besides a stay's new status.
pub mod kind {
    pub const MESSAGE: &str = "message";
    pub const MEMBERSHIP_REQUESTED: &str = "membership_requested";
    pub const MEMBERSHIP_VERIFIED: &str = "membership_verified";
    pub const MEMBERSHIP_REVOKED: &str = "membership_revoked";
    pub const COORDINATOR_APPOINTED: &str = "coordinator_appointed";
    /// To the traveller: the host co-op issued an invitation letter for their stay.
    pub const LETTER_ISSUED: &str = "letter_issued";
    /// To the moderators (the coordinators of the networks concerned, the admins): a member made a report.
    pub const REPORT_FILED: &str = "report_filed";
    /// To the reporter: a moderator handled their report (not how).
    pub const REPORT_HANDLED: &str = "report_handled";
    /// To a member: a moderator warns them, the note quoted.
    pub const WARNED: &str = "warned";
    pub const DIGEST: &str = "digest";
}

/// Notification kinds about references after a stay.
pub mod reference {
    /// The other side wrote theirs first: the reader may write their own (both show then, or when the window
    /// closes).
    pub const WRITTEN: &str = "reference_written";
    /// The other side wrote theirs second: both now show.
    pub const SHOWN: &str = "references_shown";
    /// To the network's coordinators: a side does not recommend the other (their note to them quoted).
    pub const NOT_RECOMMENDED: &str = "reference_not_recommended";
    /// To the network's coordinators: a side wrote them a note with a reference that recommends.
    pub const NOTE: &str = "reference_note";
}
