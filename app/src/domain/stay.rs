//! Stay requests and network memberships: their states, and every transition of a stay request as one pure
//! function. The server re-checks who the actor is before calling it.

use super::DomainError;
use super::offer::text_enum;

text_enum!(
    /// Where a stay request is in its life.
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
    /// A person's role in their co-op.
    CoopRole, "role" {
        Member => "member",
        HostAdmin => "host_admin",
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

text_enum!(
    /// What someone does to a stay request.
    StayAction, "action" {
        Accept => "accept",
        Decline => "decline",
        SuggestDates => "suggest",
        Approve => "approve",
        Reject => "reject",
        Withdraw => "withdraw",
        Cancel => "cancel",
        Complete => "complete",
        Expire => "expire",
    }
);

/// In which capacity someone acts on a request. An instance admin acts as a coordinator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum StayActor {
    /// The person who asked to stay.
    Traveller,
    /// A host admin of the co-op that offers the place.
    Host,
    /// A coordinator of the network the request goes through.
    Coordinator,
    /// The background task (completion, expiry) or a network's auto-approval.
    System,
}

impl StayActor {
    pub const ALL: &'static [StayActor] =
        &[StayActor::Traveller, StayActor::Host, StayActor::Coordinator, StayActor::System];
}

/// What a transition does to the host's calendar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapacityEffect {
    None,
    /// Take `guests` places on every night of the stay (atomically, or the transition fails).
    Hold,
    /// Give them back.
    Release,
}

/// When the action happens relative to the stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Timing {
    /// Before the check-in day.
    BeforeCheckIn,
    /// From the check-in day until the day before check-out.
    During,
    /// On or after the check-out day.
    AfterCheckOut,
}

/// The outcome of an allowed transition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    pub to: StayStatus,
    pub capacity: CapacityEffect,
}

/// The state machine of a stay request. Returns the new state and what happens to the calendar, or why the action
/// is not allowed.
pub fn transition(
    from: StayStatus,
    action: StayAction,
    actor: StayActor,
    timing: Timing,
) -> Result<Transition, DomainError> {
    use CapacityEffect::{Hold, None as Keep, Release};
    use StayAction as A;
    use StayActor as W;
    use StayStatus as S;
    let upcoming = timing == Timing::BeforeCheckIn;
    let to = |to, capacity| Ok(Transition { to, capacity });
    match (from, action, actor) {
        (S::Requested, A::Accept, W::Host) if upcoming => to(S::Accepted, Hold),
        (S::Requested, A::Decline, W::Host) => to(S::Declined, Keep),
        (S::Requested, A::SuggestDates, W::Host) => to(S::Suggested, Keep),
        (S::Accepted, A::Approve, W::Coordinator | W::System) if upcoming => to(S::Confirmed, Keep),
        (S::Accepted, A::Reject, W::Coordinator) => to(S::Rejected, Release),
        (S::Requested, A::Withdraw, W::Traveller) => to(S::Withdrawn, Keep),
        (S::Accepted, A::Withdraw, W::Traveller) => to(S::Withdrawn, Release),
        (S::Confirmed, A::Cancel, W::Traveller | W::Host) if upcoming => to(S::Cancelled, Release),
        (S::Confirmed, A::Complete, W::System) if timing == Timing::AfterCheckOut => to(S::Completed, Keep),
        // Still waiting for the host or for approval when the stay should begin: it lapses.
        (S::Requested, A::Expire, W::System) if !upcoming => to(S::Expired, Keep),
        (S::Accepted, A::Expire, W::System) if !upcoming => to(S::Expired, Release),
        _ => Err(DomainError::TransitionNotAllowed { from: from.as_str(), action: action.as_str() }),
    }
}

impl StayStatus {
    /// Whether the request is still alive (it blocks an overlapping request by the same traveller).
    pub fn is_active(self) -> bool {
        matches!(self, StayStatus::Requested | StayStatus::Accepted | StayStatus::Confirmed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_accepted_confirmed_and_completed_stays_hold_nights() {
        let holding: Vec<_> = StayStatus::ALL.iter().filter(|s| s.holds_capacity()).collect();
        assert_eq!(holding, [&StayStatus::Accepted, &StayStatus::Confirmed, &StayStatus::Completed]);
    }
}

#[cfg(test)]
mod transition_tests {
    use super::*;
    use CapacityEffect::{Hold, None as Keep, Release};
    use StayAction as A;
    use StayActor as W;
    use StayStatus as S;
    use Timing::{AfterCheckOut, BeforeCheckIn, During};

    /// Every allowed (state, action, actor, timing) and its outcome; everything else must be refused.
    const ALLOWED: &[(StayStatus, StayAction, StayActor, Timing, StayStatus, CapacityEffect)] = &[
        (S::Requested, A::Accept, W::Host, BeforeCheckIn, S::Accepted, Hold),
        (S::Requested, A::Decline, W::Host, BeforeCheckIn, S::Declined, Keep),
        (S::Requested, A::Decline, W::Host, During, S::Declined, Keep),
        (S::Requested, A::Decline, W::Host, AfterCheckOut, S::Declined, Keep),
        (S::Requested, A::SuggestDates, W::Host, BeforeCheckIn, S::Suggested, Keep),
        (S::Requested, A::SuggestDates, W::Host, During, S::Suggested, Keep),
        (S::Requested, A::SuggestDates, W::Host, AfterCheckOut, S::Suggested, Keep),
        (S::Accepted, A::Approve, W::Coordinator, BeforeCheckIn, S::Confirmed, Keep),
        (S::Accepted, A::Approve, W::System, BeforeCheckIn, S::Confirmed, Keep),
        (S::Accepted, A::Reject, W::Coordinator, BeforeCheckIn, S::Rejected, Release),
        (S::Accepted, A::Reject, W::Coordinator, During, S::Rejected, Release),
        (S::Accepted, A::Reject, W::Coordinator, AfterCheckOut, S::Rejected, Release),
        (S::Requested, A::Withdraw, W::Traveller, BeforeCheckIn, S::Withdrawn, Keep),
        (S::Requested, A::Withdraw, W::Traveller, During, S::Withdrawn, Keep),
        (S::Requested, A::Withdraw, W::Traveller, AfterCheckOut, S::Withdrawn, Keep),
        (S::Accepted, A::Withdraw, W::Traveller, BeforeCheckIn, S::Withdrawn, Release),
        (S::Accepted, A::Withdraw, W::Traveller, During, S::Withdrawn, Release),
        (S::Accepted, A::Withdraw, W::Traveller, AfterCheckOut, S::Withdrawn, Release),
        (S::Confirmed, A::Cancel, W::Traveller, BeforeCheckIn, S::Cancelled, Release),
        (S::Confirmed, A::Cancel, W::Host, BeforeCheckIn, S::Cancelled, Release),
        (S::Confirmed, A::Complete, W::System, AfterCheckOut, S::Completed, Keep),
        (S::Requested, A::Expire, W::System, During, S::Expired, Keep),
        (S::Requested, A::Expire, W::System, AfterCheckOut, S::Expired, Keep),
        (S::Accepted, A::Expire, W::System, During, S::Expired, Release),
        (S::Accepted, A::Expire, W::System, AfterCheckOut, S::Expired, Release),
    ];

    #[test]
    fn every_state_action_actor_and_timing_is_either_listed_or_refused() {
        let mut checked = 0;
        for &from in StayStatus::ALL {
            for &action in StayAction::ALL {
                for &actor in StayActor::ALL {
                    for timing in [BeforeCheckIn, During, AfterCheckOut] {
                        let expected = ALLOWED
                            .iter()
                            .find(|row| (row.0, row.1, row.2, row.3) == (from, action, actor, timing))
                            .map(|row| Transition { to: row.4, capacity: row.5 });
                        let got = transition(from, action, actor, timing).ok();
                        assert_eq!(got, expected, "{from} --{action} by {actor:?} ({timing:?})");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 10 * 9 * 4 * 3);
    }

    #[test]
    fn a_host_cannot_accept_once_the_stay_has_begun() {
        assert!(transition(S::Requested, A::Accept, W::Host, During).is_err());
    }

    #[test]
    fn only_a_hold_leads_into_accepted_and_every_way_out_of_a_held_state_releases_it() {
        for row in ALLOWED {
            let held_before = matches!(row.0, S::Accepted | S::Confirmed);
            let held_after = matches!(row.4, S::Accepted | S::Confirmed | S::Completed);
            let expected = match (held_before, held_after) {
                (false, true) => Hold,
                (true, false) => Release,
                _ => Keep,
            };
            assert_eq!(row.5, expected, "{row:?}");
        }
    }

    #[test]
    fn a_refusal_names_the_state_and_the_action() {
        let error = transition(S::Declined, A::Accept, W::Host, BeforeCheckIn).unwrap_err();
        assert_eq!(error, DomainError::TransitionNotAllowed { from: "declined", action: "accept" });
    }
}
