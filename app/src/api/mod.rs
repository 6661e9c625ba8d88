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

/// Passes a server function's result through, first setting the HTTP status that matches an error, so API
/// clients see 400/401/403/404/409 rather than a blanket 500.
#[cfg(feature = "ssr")]
pub(crate) fn respond<T>(result: Result<T, AppError>) -> Result<T, AppError> {
    use http::StatusCode;
    if let Err(error) = &result {
        let status = match error {
            AppError::Validation(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden => StatusCode::FORBIDDEN,
            AppError::Conflict(_) => StatusCode::CONFLICT,
            AppError::Internal(_) | AppError::Transport(_) => StatusCode::INTERNAL_SERVER_ERROR,
        };
        if let Some(response) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
            response.set_status(status);
        }
    }
    result
}
