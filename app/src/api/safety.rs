//! Safety: blocking people, reporting what breaks the network's rules, the moderators' queue, and the admins'
//! audit trail.

use leptos::prelude::*;
use leptos::server_fn::codec::GetUrl;

use crate::error::AppError;
use crate::views::safety::{AuditPage, BlockedPerson, ModerationQueue, ReportTarget};

/// The caller blocks the person `id`: from then on neither sends the other requests or messages, nor sees the
/// other in search or on profile pages. Nobody is told.
#[server(prefix = "/api", endpoint = "safety/block")]
pub async fn block_person(id: i64) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            crate::server::services::safety::block(&state.db, &actor, crate::domain::UserId(id)).await?;
            leptos_axum::redirect("/account/blocks");
            Ok(())
        }
        .await,
    )
}

/// The caller lifts their block of the person `id`.
#[server(prefix = "/api", endpoint = "safety/unblock")]
pub async fn unblock_person(id: i64) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::safety::unblock(&state.db, &actor, crate::domain::UserId(id)).await?)
        }
        .await,
    )
}

/// The people the caller blocked.
#[server(prefix = "/api", endpoint = "safety/blocks", input = GetUrl)]
pub async fn my_blocks() -> Result<Vec<BlockedPerson>, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::safety::my_blocks(&state.db, &actor).await?)
        }
        .await,
    )
}

/// What the report form is about: `kind` (`person`, `offer`, `coop`, `message`) and `target` (its number, or a
/// co-op's slug), if the caller may see it.
#[server(prefix = "/api", endpoint = "safety/target", input = GetUrl)]
pub async fn report_subject(kind: String, target: String) -> Result<ReportTarget, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::safety::report_target(&state.db, &actor, &kind, &target).await?)
        }
        .await,
    )
}

/// Reports a profile, an offer, a co-op or a message, with a `reason` (`spam`, `scam`, `harassment`, `unsafe`,
/// `other`) and a note; the coordinators of the networks concerned and the admins are told.
#[server(prefix = "/api", endpoint = "safety/report")]
pub async fn make_report(kind: String, target: String, reason: String, note: Option<String>) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let note = note.unwrap_or_default();
            crate::server::services::safety::report(&state.db, &actor, &kind, &target, &reason, &note).await?;
            Ok(())
        }
        .await,
    )
}

/// The moderation queue: the reports of the networks the caller coordinates (every report for an admin).
#[server(prefix = "/api", endpoint = "safety/queue", input = GetUrl)]
pub async fn get_moderation_queue() -> Result<ModerationQueue, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            Ok(crate::server::services::safety::queue(&state.db, &actor, chrono::Utc::now()).await?)
        }
        .await,
    )
}

/// A moderator decides on report `id`: `action` is `dismiss`, `hide`, `warn` or `suspend` (for `days`, empty:
/// for good), with a note for the audit trail (and, for a warning, for the person).
#[server(prefix = "/api", endpoint = "safety/moderate")]
pub async fn moderate(id: i64, action: String, days: Option<String>, note: Option<String>) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let decision = crate::views::safety::Decision {
                action,
                days: days.unwrap_or_default(),
                note: note.unwrap_or_default(),
            };
            let id = crate::domain::ReportId(id);
            crate::server::services::safety::moderate(&state.db, &actor, id, &decision, chrono::Utc::now()).await?;
            Ok(())
        }
        .await,
    )
}

/// A moderator of report `id` lifts the suspension of the person it is about, with a note for the audit trail.
#[server(prefix = "/api", endpoint = "safety/lift")]
pub async fn lift_suspension(id: i64, note: Option<String>) -> Result<(), AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let id = crate::domain::ReportId(id);
            let note = note.unwrap_or_default();
            crate::server::services::safety::lift_suspension(&state.db, &actor, id, &note, chrono::Utc::now()).await?;
            Ok(())
        }
        .await,
    )
}

/// The admins' audit trail, newest first, searched by `q` (the action, the note, or a name).
#[server(prefix = "/api", endpoint = "safety/audit", input = GetUrl)]
pub async fn audit_trail(q: Option<String>) -> Result<AuditPage, AppError> {
    super::respond(
        async {
            let state = super::state()?;
            let actor = super::actor().await?;
            let q = q.unwrap_or_default();
            Ok(crate::server::services::safety::audit_page(&state.db, &actor, &q).await?)
        }
        .await,
    )
}
