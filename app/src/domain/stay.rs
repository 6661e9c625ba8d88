//! Stay requests and network memberships: their states as stored. The transitions between them arrive with the
//! request workflow; the stored names are fixed here so both databases agree from the first migration.

use super::offer::text_enum;

text_enum!(
    /// Where a stay request is in its life (DESIGN.md §2).
    StayStatus, "stay status" {
        Requested => "requested",
        Accepted => "accepted",
        Confirmed => "confirmed",
        Declined => "declined",
        Rejected => "rejected",
        Suggested => "suggested",
        Withdrawn => "withdrawn",
        Cancelled => "cancelled",
        Completed => "completed",
        Expired => "expired",
    }
);

impl StayStatus {
    /// Whether this request holds capacity on the host's calendar.
    pub fn holds_capacity(self) -> bool {
        matches!(self, StayStatus::Accepted | StayStatus::Confirmed | StayStatus::Completed)
    }
}

text_enum!(
    /// Why the traveller wants to come.
    Purpose, "purpose" {
        Intercooperation => "intercooperation",
        Project => "project",
        Learning => "learning",
        Visit => "visit",
        Other => "other",
    }
);

text_enum!(
    /// A co-op's standing in a network, set by the network's coordinators.
    MembershipStatus, "membership status" {
        Pending => "pending",
        Verified => "verified",
        Revoked => "revoked",
    }
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_accepted_confirmed_and_completed_stays_hold_nights() {
        let holding: Vec<_> = StayStatus::ALL.iter().filter(|s| s.holds_capacity()).collect();
        assert_eq!(holding, [&StayStatus::Accepted, &StayStatus::Confirmed, &StayStatus::Completed]);
    }
}
