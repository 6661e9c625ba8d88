//! The one piece of shared state, given to the router and (as context) to every server function.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::Db;

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
