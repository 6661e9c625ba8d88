//! Invitation letters: issued and withdrawn by a host co-op's admins, checked by anyone at their address.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::views::letters::LetterCheck;

/// A host admin issues the invitation letter of the confirmed stay `id`, in `language` (`en`, `es`, `pt`); the
/// traveller is told. Issuing again in the same language gives the letter already in force. Returns its token
/// (its PDF is `/stays/{id}/letters/{token}.pdf`, its verification page `/letters/{token}`).
#[server(prefix = "/api", endpoint = "letters/issue")]
pub async fn issue_letter(id: i64, language: String) -> Result<String, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let id = crate::domain::StayRequestId(id);
            let now = state.clock.now().moment();
            Ok(crate::server::services::letters::issue(&state.db, &actor, id, &language, now).await?)
        }
        .await,
    )
}

/// A host admin withdraws the letter `token` of the stay `id`, with an optional note shown on the stay's page;
/// its verification page then says it is no longer valid.
#[server(prefix = "/api", endpoint = "letters/withdraw")]
pub async fn withdraw_letter(id: i64, token: String, note: Option<String>) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let id = crate::domain::StayRequestId(id);
            let note = note.unwrap_or_default();
            let now = state.clock.now().moment();
            crate::server::services::letters::withdraw(&state.db, &actor, id, &token, &note, now).await?;
            Ok(())
        }
        .await,
    )
}

/// Public: what the letter `token` says and whether it still stands (the stay's address only while it does).
#[server(prefix = "/api", endpoint = "letters/check", input = GetUrl)]
pub async fn check_letter(token: String) -> Result<LetterCheck, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            Ok(crate::server::services::letters::check(&state.db, &token).await?)
        }
        .await,
    )
}
