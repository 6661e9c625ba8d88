//! Public offer pages.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::domain::OfferId;
use crate::error::AppError;
use crate::views::offers::{OfferForm, OfferListItem, OfferManageView, OfferPage};

/// A published offer of a verified co-op: anyone may read it. Drafts and paused offers: their host admins only.
#[server(prefix = "/api", endpoint = "offers/get", input = GetUrl)]
pub async fn get_offer(id: i64) -> Result<OfferPage, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::offers::offer_page(&state.db, &actor, OfferId(id), state.clock.now()).await?)
        }
        .await,
    )
}

/// Creates a draft offer for a co-op. Its host admins only.
#[server(prefix = "/api", endpoint = "offers/create")]
pub async fn create_offer(coop: String, offer: OfferForm) -> Result<OfferId, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let id = crate::server::services::offers::create(&state.db, &actor, &coop, &offer).await?;
            leptos_axum::redirect(&format!("/offers/{id}/calendar"));
            Ok(id)
        }
        .await,
    )
}

/// Saves an offer. Its co-op's host admins only.
#[server(prefix = "/api", endpoint = "offers/update")]
pub async fn update_offer(id: i64, offer: OfferForm) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::offers::update(&state.db, &actor, OfferId(id), &offer).await?;
            Ok(())
        }
        .await,
    )
}

/// Publishes, pauses or returns an offer to draft (`status`). Its co-op's host admins only.
#[server(prefix = "/api", endpoint = "offers/status")]
pub async fn set_offer_status(id: i64, status: String) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::offers::set_status(&state.db, &actor, OfferId(id), &status).await?;
            Ok(())
        }
        .await,
    )
}

/// Deletes an offer without requests in progress. Its co-op's host admins only.
#[server(prefix = "/api", endpoint = "offers/delete")]
pub async fn delete_offer(id: i64) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let slug = crate::server::services::offers::delete(&state.db, &actor, OfferId(id)).await?;
            leptos_axum::redirect(&format!("/coops/{slug}/offers"));
            Ok(())
        }
        .await,
    )
}

/// The edit form's values, address included. Its co-op's host admins only.
#[server(prefix = "/api", endpoint = "offers/manage", input = GetUrl)]
pub async fn manage_offer(id: i64) -> Result<OfferManageView, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::offers::manage_view(&state.db, &actor, OfferId(id)).await?)
        }
        .await,
    )
}

/// Every offer of a co-op, drafts included. Its host admins only.
#[server(prefix = "/api", endpoint = "offers/of-coop", input = GetUrl)]
pub async fn coop_offers(coop: String) -> Result<Vec<OfferListItem>, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::offers::of_coop(&state.db, &actor, &coop).await?)
        }
        .await,
    )
}
