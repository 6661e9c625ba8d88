//! The co-op directory.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

#[cfg(feature = "ssr")]
use crate::domain::CountryCode;
use crate::error::AppError;
#[cfg(feature = "ssr")]
use crate::views::coops::CoopForm;
use crate::views::coops::{CoopDirectory, CoopEditView, CoopPage, MembersView};

/// Lists the co-ops verified in at least one network, with their published offers, optionally of one country
/// (`country` is an ISO 3166-1 alpha-2 code; empty means all).
///
/// Public: anyone, logged in or not, may read the directory. Read-only, hence a GET endpoint.
#[server(prefix = "/api", endpoint = "coops/list", input = GetUrl)]
pub async fn list_coops(country: Option<String>) -> Result<CoopDirectory, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let country = country.filter(|c| !c.trim().is_empty()).map(|c| CountryCode::parse(&c)).transpose()?;
            Ok(crate::server::services::directory::coop_directory(&state.db, country.as_ref()).await?)
        }
        .await,
    )
}

/// The public page of a co-op. Anyone may read it.
#[server(prefix = "/api", endpoint = "coops/get", input = GetUrl)]
pub async fn get_coop(slug: String) -> Result<CoopPage, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::coops::page(&state.db, &actor, &slug).await?)
        }
        .await,
    )
}

/// Creates a co-op; the logged-in creator becomes its host admin.
#[server(prefix = "/api", endpoint = "coops/create")]
pub async fn create_coop(
    slug: String,
    name: String,
    country: String,
    city: String,
    lat: String,
    lon: String,
    website: String,
    description: String,
    languages: String,
) -> Result<String, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            // A new co-op takes the zone of its place; its admins may choose another on the edit page.
            let time_zone = String::new();
            let form = CoopForm { name, country, city, lat, lon, website, description, languages, time_zone };
            let slug = crate::server::services::coops::create(&state.db, &actor, &slug, &form).await?;
            leptos_axum::redirect(&format!("/coops/{slug}"));
            Ok(slug)
        }
        .await,
    )
}

/// The current profile with the exact location, for the edit form. Host admins of the co-op only.
#[server(prefix = "/api", endpoint = "coops/edit", input = GetUrl)]
pub async fn coop_for_edit(slug: String) -> Result<CoopEditView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::coops::for_edit(&state.db, &actor, &slug).await?)
        }
        .await,
    )
}

/// Saves the profile. Host admins of the co-op only.
#[server(prefix = "/api", endpoint = "coops/update")]
pub async fn update_coop(
    slug: String,
    name: String,
    country: String,
    city: String,
    lat: String,
    lon: String,
    website: String,
    description: String,
    languages: String,
    time_zone: Option<String>,
) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let time_zone = time_zone.unwrap_or_default();
            let form = CoopForm { name, country, city, lat, lon, website, description, languages, time_zone };
            crate::server::services::coops::update(&state.db, &actor, &slug, &form).await?;
            leptos_axum::redirect(&format!("/coops/{slug}"));
            Ok(())
        }
        .await,
    )
}

/// Members and open invitations. Host admins of the co-op only.
#[server(prefix = "/api", endpoint = "coops/members", input = GetUrl)]
pub async fn coop_members(slug: String) -> Result<MembersView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::coops::members(&state.db, &actor, &slug, chrono::Utc::now()).await?)
        }
        .await,
    )
}

/// Creates a single-use invitation (valid 7 days) and returns its link path `/invites/<token>`, shown once.
/// Host admins of the co-op only.
#[server(prefix = "/api", endpoint = "coops/invite")]
pub async fn create_invite(slug: String, role: String) -> Result<String, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let token =
                crate::server::services::coops::invite(&state.db, &actor, &slug, &role, chrono::Utc::now()).await?;
            Ok(format!("/invites/{token}"))
        }
        .await,
    )
}

/// Joins the co-op of an invitation. Any logged-in user holding a valid token.
#[server(prefix = "/api", endpoint = "coops/join")]
pub async fn accept_invite(token: String) -> Result<String, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let slug =
                crate::server::services::coops::accept_invite(&state.db, &actor, &token, chrono::Utc::now()).await?;
            leptos_axum::redirect(&format!("/coops/{slug}"));
            Ok(slug)
        }
        .await,
    )
}

/// Changes a member's role (`member` or `host_admin`). Host admins of the co-op only.
#[server(prefix = "/api", endpoint = "coops/member-role")]
pub async fn set_member_role(slug: String, user_id: i64, role: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let member = crate::domain::UserId(user_id);
            crate::server::services::coops::set_role(&state.db, &actor, &slug, member, &role).await?;
            Ok(())
        }
        .await,
    )
}

/// Removes a member. Host admins of the co-op, or the member themselves (leaving).
#[server(prefix = "/api", endpoint = "coops/member-remove")]
pub async fn remove_member(slug: String, user_id: i64) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::coops::remove(&state.db, &actor, &slug, crate::domain::UserId(user_id)).await?;
            Ok(())
        }
        .await,
    )
}
