//! Every server function with the parameters it reads, taken from the argument types the `#[server]` macro
//! generates. The router refuses a query string naming any other parameter (a misspelt `languages` is a 400, not
//! silently ignored), and a test holds docs/API.md to this list and this list to the registered functions.

use std::collections::HashMap;
use std::sync::OnceLock;

use leptos::server_fn::ServerFn;
use serde_aux::serde_introspection::serde_introspect;

use super::{auth, calendar, coops, letters, networks, offers, safety, search, stays, trust};

/// A server function: its path under `/api` and the names of its parameters (top level: a nested form such as
/// `offer[title]` is the one parameter `offer`).
#[derive(Debug, Clone, Copy)]
pub struct Endpoint {
    pub path: &'static str,
    pub parameters: &'static [&'static str],
}

macro_rules! endpoints {
    ($($function:ty),* $(,)?) => {
        fn collect() -> Vec<Endpoint> {
            vec![$(Endpoint {
                path: <$function as ServerFn>::PATH,
                parameters: serde_introspect::<$function>(),
            }),*]
        }
    };
}

endpoints![
    auth::SignUp,
    auth::VerifyEmail,
    auth::LogIn,
    auth::LogOut,
    auth::ChangePassword,
    auth::WhoAmI,
    auth::MyAccount,
    auth::AskPasswordReset,
    auth::ResetPassword,
    auth::LogOutElsewhere,
    auth::AskEmailChange,
    auth::ConfirmEmailChange,
    auth::ExportMyData,
    auth::DeleteAccount,
    calendar::GetCalendar,
    calendar::EditCalendar,
    calendar::ImportCalendar,
    calendar::RenewOfferFeed,
    calendar::RenewTripsFeed,
    calendar::TripsFeedPath,
    coops::ListCoops,
    coops::GetCoop,
    coops::CreateCoop,
    coops::CoopForEdit,
    coops::UpdateCoop,
    coops::CoopMembers,
    coops::CreateInvite,
    coops::AcceptInvite,
    coops::SetMemberRole,
    coops::RemoveMember,
    networks::ListNetworks,
    networks::GetNetwork,
    networks::CreateNetwork,
    networks::AppointCoordinator,
    networks::RequestMembership,
    networks::DecideMembership,
    offers::GetOffer,
    offers::CreateOffer,
    offers::UpdateOffer,
    offers::SetOfferStatus,
    offers::DeleteOffer,
    offers::ManageOffer,
    offers::CoopOffers,
    search::SuggestPlaces,
    search::SearchOffers,
    stays::RequestStay,
    stays::ActOnStay,
    stays::RebookStay,
    stays::SetStayTrip,
    stays::PostMessage,
    stays::GetStay,
    stays::MyStays,
    stays::HostInbox,
    stays::ApprovalQueue,
    stays::MyNotifications,
    stays::MarkNotificationsRead,
    stays::SetNotificationPreferences,
    stays::CreateTrip,
    stays::MyTrips,
    stays::GetTrip,
    trust::WriteReference,
    trust::GetProfile,
    trust::MyProfile,
    trust::UpdateProfile,
    trust::CoopTrust,
    trust::NetworkDashboard,
    letters::IssueLetter,
    letters::WithdrawLetter,
    letters::CheckLetter,
    safety::BlockPerson,
    safety::UnblockPerson,
    safety::MyBlocks,
    safety::ReportSubject,
    safety::MakeReport,
    safety::GetModerationQueue,
    safety::Moderate,
    safety::LiftSuspension,
    safety::AuditTrail,
];

/// Every server function listed above.
pub fn endpoints() -> &'static [Endpoint] {
    static ENDPOINTS: OnceLock<Vec<Endpoint>> = OnceLock::new();
    ENDPOINTS.get_or_init(collect)
}

/// The parameters of the server function at `path`, if there is one.
pub fn parameters(path: &str) -> Option<&'static [&'static str]> {
    static BY_PATH: OnceLock<HashMap<&'static str, &'static [&'static str]>> = OnceLock::new();
    BY_PATH.get_or_init(|| endpoints().iter().map(|e| (e.path, e.parameters)).collect()).get(path).copied()
}
