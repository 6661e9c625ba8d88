//! Services: one function per use case, owning its transaction and checking who may do it. Server functions call
//! these and nothing below.

pub mod accounts;
pub mod calendar;
pub mod coops;
pub mod directory;
pub mod letters;
pub mod networks;
pub mod offers;
pub mod safety;
pub mod search;
pub mod stays;
pub mod throttle;
pub mod trust;
