//! Server-only code (feature `ssr`): the database, the stores (SQL), the services (transactions and rules), the
//! demo network. Nothing here is compiled into the browser bundle.

pub mod auth;
pub mod authz;
pub mod clock;
pub mod db;
pub mod demo_data;
pub mod email;
pub mod error;
pub mod ical;
pub mod letter;
pub mod notices;
pub mod password;
pub mod places;
pub mod seed;
pub mod services;
pub mod state;
pub mod store;
pub mod zones;

pub use clock::{Clock, Today};
pub use db::{Backend, Db, Tx};
pub use error::{ServiceError, StoreError};
pub use state::AppState;
