//! Trust between co-ops: references after a stay, member profiles, a co-op's reputation and ledger.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::views::trust::{CoopTrustView, ProfileForm, ProfileView};

/// Writes the caller's reference about a completed stay: its traveller about the host co-op, a host admin of the
/// host co-op about the traveller; `recommend` is `yes` or `no`, `private_note` goes to the network's
/// coordinators only. Open for 14 days after check-out, once per side.
#[server(prefix = "/api", endpoint = "references/write")]
pub async fn write_reference(
    id: i64,
    recommend: String,
    body: String,
    private_note: Option<String>,
) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let recommend = match recommend.as_str() {
                "yes" => true,
                "no" => false,
                other => {
                    return Err(AppError::Validation(crate::error::Refusal::UnknownValue {
                        field: "recommend".into(),
                        value: other.into(),
                    }));
                }
            };
            let form = crate::server::services::trust::NewReferenceForm {
                recommend,
                body: &body,
                private_note: private_note.as_deref().unwrap_or_default(),
            };
            let id = crate::domain::StayRequestId(id);
            crate::server::services::trust::write_reference(&state.db, &actor, id, &form, state.clock.now()).await?;
            Ok(())
        }
        .await,
    )
}

/// A member's profile: for the members and coordinators of a network they share, an admin, and themselves.
#[server(prefix = "/api", endpoint = "people/get", input = GetUrl)]
pub async fn get_profile(id: i64) -> Result<ProfileView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let id = crate::domain::UserId(id);
            Ok(crate::server::services::trust::profile(&state.db, &actor, id, state.clock.now()).await?)
        }
        .await,
    )
}

/// The caller's own profile fields (bio, languages, skills), for the account page.
#[server(prefix = "/api", endpoint = "people/mine", input = GetUrl)]
pub async fn my_profile() -> Result<ProfileForm, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::trust::my_profile(&state.db, &actor).await?)
        }
        .await,
    )
}

/// Changes the caller's profile: a short bio, the languages they speak (`es, en`), the skills they bring
/// (comma-separated tags).
#[server(prefix = "/api", endpoint = "people/update")]
pub async fn update_profile(bio: String, languages: String, skills: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let form = ProfileForm { bio, languages, skills };
            Ok(crate::server::services::trust::set_profile(&state.db, &actor, &form).await?)
        }
        .await,
    )
}

/// A co-op's reputation, the references travellers wrote about it and its ledger of guest-nights hosted and
/// sent, over the stays of the caller's networks: for its members, an admin, and the members and coordinators
/// of a network it is verified in.
#[server(prefix = "/api", endpoint = "coops/trust", input = GetUrl)]
pub async fn coop_trust(slug: String) -> Result<CoopTrustView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::trust::coop_trust(&state.db, &actor, &slug, state.clock.now()).await?)
        }
        .await,
    )
}

/// A network's dashboard: requests per month by outcome, the hosts' acceptance rate and median answer time,
/// guest-nights by country, every co-op's balance, the approvals waiting. For its coordinators and the admins.
#[server(prefix = "/api", endpoint = "networks/dashboard", input = GetUrl)]
pub async fn network_dashboard(slug: String) -> Result<crate::views::trust::DashboardView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::trust::dashboard(&state.db, &actor, &slug, state.clock.now()).await?)
        }
        .await,
    )
}
