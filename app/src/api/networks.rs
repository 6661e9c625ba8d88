//! Networks and the verification of their co-ops.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::views::networks::{NetworkPage, NetworkSummary};

/// Every network. Anyone may read the list.
#[server(prefix = "/api", endpoint = "networks/list", input = GetUrl)]
pub async fn list_networks() -> Result<Vec<NetworkSummary>, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            Ok(crate::server::services::networks::list(&state.db).await?)
        }
        .await,
    )
}

/// A network's page. Anyone may read it; its coordinators also get the queue and the audit trail.
#[server(prefix = "/api", endpoint = "networks/get", input = GetUrl)]
pub async fn get_network(slug: String) -> Result<NetworkPage, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::networks::page(&state.db, &actor, &slug).await?)
        }
        .await,
    )
}

/// Creates a network. Admins only.
#[server(prefix = "/api", endpoint = "networks/create")]
pub async fn create_network(
    slug: String,
    name: String,
    description: String,
    country: String,
    auto_approve_verified: Option<String>,
) -> Result<String, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let auto = auto_approve_verified.is_some_and(|v| v == "on" || v == "true");
            let slug = crate::server::services::networks::create(
                &state.db,
                &actor,
                &slug,
                &name,
                &description,
                &country,
                auto,
            )
            .await?;
            leptos_axum::redirect(&format!("/networks/{slug}"));
            Ok(slug)
        }
        .await,
    )
}

/// Appoints a coordinator (by the e-mail of an existing account). Admins only.
#[server(prefix = "/api", endpoint = "networks/appoint")]
pub async fn appoint_coordinator(network: String, email: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::networks::appoint(&state.db, &actor, &network, &email).await?;
            Ok(())
        }
        .await,
    )
}

/// Asks for a co-op to join a network. Host admins of that co-op only.
#[server(prefix = "/api", endpoint = "networks/join")]
pub async fn request_membership(network: String, coop: String, note: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::networks::request_membership(&state.db, &actor, &network, &coop, &note).await?;
            Ok(())
        }
        .await,
    )
}

/// Verifies (`decision = verify`) or revokes (`revoke`) a co-op's membership, with a note. Coordinators of the
/// network (and admins) only.
#[server(prefix = "/api", endpoint = "networks/decide")]
pub async fn decide_membership(network: String, coop: String, decision: String, note: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::networks::decide(&state.db, &actor, &network, &coop, &decision, &note).await?;
            Ok(())
        }
        .await,
    )
}
