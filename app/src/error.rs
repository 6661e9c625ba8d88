//! `AppError`: what a server function answers when it fails. Opaque to the client: a stable code and a message a
//! person can act on; the cause of an unexpected failure is logged on the server under a reference, never sent.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use serde::{Deserialize, Serialize};

use crate::domain::DomainError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
pub enum AppError {
    /// The input was refused; the message says which field and why.
    #[error("{0}")]
    Validation(String),
    /// The thing asked for does not exist (or the caller may not know it exists).
    #[error("not found")]
    NotFound,
    /// Log in first.
    #[error("you need to log in")]
    Unauthorized,
    /// Logged in, but not allowed to do this.
    #[error("you are not allowed to do this")]
    Forbidden,
    /// The request clashes with the current state (a taken email, a night no longer free…).
    #[error("{0}")]
    Conflict(String),
    /// Too many attempts; the message says when to try again.
    #[error("{0}")]
    RateLimited(String),
    /// The server has too much to do right now: try again in a few seconds (503 with `Retry-After`).
    #[error("{0}")]
    Busy(String),
    /// Something broke on our side; the reference finds the cause in the server log.
    #[error("something went wrong (ref {0})")]
    Internal(String),
    /// The request never reached our code in one piece (network, encoding).
    #[error("the request failed: {0}")]
    Transport(String),
}

impl AppError {
    /// A stable machine-readable code, for the UI and for API clients.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::Validation(_) => "validation",
            AppError::NotFound => "not_found",
            AppError::Unauthorized => "unauthorized",
            AppError::Forbidden => "forbidden",
            AppError::Conflict(_) => "conflict",
            AppError::RateLimited(_) => "rate_limited",
            AppError::Busy(_) => "busy",
            AppError::Internal(_) => "internal",
            AppError::Transport(_) => "transport",
        }
    }
}

impl From<DomainError> for AppError {
    fn from(error: DomainError) -> Self {
        AppError::Validation(error.to_string())
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    /// Arguments the server cannot decode are the caller's mistake: a 400 that says what was wrong (on the
    /// server this runs inside the server function's response scope, so the status is set here). Anything else
    /// is the transport failing.
    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        let error = match value {
            ServerFnErrorErr::Args(cause) => {
                AppError::Validation(format!("The request's parameters could not be read: {cause}."))
            }
            ServerFnErrorErr::MissingArg(name) => AppError::Validation(format!("The parameter {name} is missing.")),
            other => AppError::Transport(other.to_string()),
        };
        #[cfg(feature = "ssr")]
        if matches!(error, AppError::Validation(_)) {
            crate::api::set_error_status(&error);
        }
        error
    }
}
