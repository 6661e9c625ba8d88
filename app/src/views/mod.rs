//! The view types: what pages show and what forms send, shared by the server and the browser. The services build
//! them, the server functions (`api/`) carry them, the UI renders them; `api/` holds only the functions, and
//! nothing here depends on the server.

pub mod auth;
pub mod calendar;
pub mod coops;
pub mod forms;
pub mod letters;
pub mod networks;
pub mod notifications;
pub mod offers;
pub mod safety;
pub mod search;
pub mod stays;
pub mod trust;
