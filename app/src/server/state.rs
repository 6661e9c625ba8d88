//! The one piece of shared state, given to the router and (as context) to every server function.

use axum::extract::FromRef;
use leptos::config::LeptosOptions;

use super::{Clock, Db};

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    /// The pool that loads sessions and their users. Every logged-in request takes a connection for its session,
    /// one for its user and one for its work, one after the other: in a single pool each of the three waited in
    /// the same queue as everyone's work, so logged-in requests took three times as long under load
    /// (docs/BENCHMARKS.md). `serve` opens a small second pool on the same database; tests may pass `db` again.
    pub sessions_db: Db,
    pub leptos_options: LeptosOptions,
    /// What "today" is: the system's day, or a fixed one for tests.
    pub clock: Clock,
    /// The site's address (`PUBLIC_URL`, else the listening address), for addresses shown whole: feeds.
    pub public_url: String,
    /// The limits of new accounts (`NEW_ACCOUNT_DAILY_LIMIT`, `NEW_ACCOUNT_DAYS`).
    pub limits: crate::server::services::safety::Limits,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
