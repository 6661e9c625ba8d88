//! The axum side of `coop-travel`: the router and the handlers that are not server functions. The binary
//! (`main.rs`) wires it to configuration and a listener; tests drive the same router in process.

pub mod assets;
pub mod boundary;
pub mod downloads;
pub mod feeds;
pub mod forms;
pub mod locale;
pub mod proxy;
pub mod router;
pub mod security;
pub mod serve;
