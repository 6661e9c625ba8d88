//! Server functions and their wire types (DTOs), one module per area. Each function is a public HTTP endpoint at
//! a stable path under `/api` (listed in docs/API.md): it authorizes itself, then calls one service.

pub mod coops;

#[cfg(feature = "ssr")]
use crate::{error::AppError, server::AppState};

/// The shared state, provided as context by the router to every server function.
#[cfg(feature = "ssr")]
pub(crate) fn state() -> Result<AppState, AppError> {
    leptos::prelude::use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the server function context");
        AppError::Internal("state".into())
    })
}
