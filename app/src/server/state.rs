//! The one piece of shared state, given to the router and (as context) to every server function.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::{Clock, Db};

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
    /// What "today" is: the system's day, or a fixed one for tests.
    pub clock: Clock,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
